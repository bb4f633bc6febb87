/// A dataset as DTB's `inputs/` folder holds them: one type a file, named as its `--dataset`
/// value, listed in `Datasets.all`.
public protocol DatasetPlugin {
    static var name: String { get }
    static var summary: String { get }
    static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits
}
