import Engine

/// A dataset as a run uses it: training, validation and test images and the class names.
public struct DatasetSplits: Sendable {
    public let name: String
    public let train: ImageSet
    public let validation: ImageSet
    public let test: ImageSet
    public let classNames: [String]
    /// Lines for the user about how the files were read (files skipped, say).
    public var notes: [String] = []

    public init(name: String, train: ImageSet, validation: ImageSet, test: ImageSet, classNames: [String]) {
        self.name = name
        self.train = train
        self.validation = validation
        self.test = test
        self.classNames = classNames
    }

    public var shape: Shape { train.shape }
}
