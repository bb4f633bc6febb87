import Plugins

/// Where a NumPy dataset's arrays come from: `.npy` files in a folder, or the members of one
/// `.npz` archive. Either way an array is asked for by name (`train_images`), and errors name
/// the file (or `archive.npz:member.npy`) it came from.
public enum NpyArraySource {
    case folder(String)
    case archive(NpzReader)

    /// A regular file is read as an `.npz` archive, a folder as a folder of `.npy` files.
    public init(_ location: String, provider: String) throws(FileError) {
        if FileBytes.isDirectory(location) {
            self = .folder(location)
        } else if FileBytes.exists(location) {
            self = .archive(try NpzReader(location))
        } else {
            throw .missing(location, "no such folder or .npz file; \(provider)")
        }
    }

    /// The folder that holds the arrays (the `.npz` file's own folder for an archive).
    public var folder: String {
        switch self {
        case .folder(let path): return path
        case .archive(let reader):
            guard let slash = reader.path.lastIndex(of: "/") else { return "." }
            return slash == reader.path.startIndex ? "/" : String(reader.path[..<slash])
        }
    }

    /// Where the array `name` is or would be, as errors name it.
    public func path(_ name: String) -> String {
        switch self {
        case .folder(let path): path + "/" + name + ".npy"
        case .archive(let reader): reader.path + ":" + name + ".npy"
        }
    }

    /// The array `name`, or nil if there is none of that name.
    public func array(_ name: String) throws(FileError) -> NpyArray? {
        switch self {
        case .folder:
            let file = path(name)
            return FileBytes.exists(file) ? try NpyReader.read(file) : nil
        case .archive(let reader):
            return try reader.array(name)
        }
    }
}
