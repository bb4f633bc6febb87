import Plugins

/// NumPy's `.npz`: a ZIP archive (stored by `np.savez`, deflated by `np.savez_compressed`) of
/// `.npy` members, one per array, named after the array (`train_images.npy`). Members are read
/// into memory one at a time, when asked for.
public struct NpzReader {
    public let path: String
    let archive: ZipArchive

    public init(_ path: String) throws(FileError) {
        try self.init(bytes: try FileBytes.read(path), path: path)
    }

    /// The archive in `bytes`; `path` names it in errors.
    public init(bytes: [UInt8], path: String) throws(FileError) {
        self.path = path
        archive = try ZipArchive(bytes: bytes, path: path)
    }

    /// The arrays' names (members ending `.npy`, without it), in the archive's order.
    public var names: [String] {
        archive.names.compactMap { $0.hasSuffix(".npy") ? String($0.dropLast(4)) : nil }
    }

    /// The array `name` (stored as `name.npy`), or nil if the archive has none of that name.
    /// Errors name the member as `archive.npz:name.npy`.
    public func array(_ name: String) throws(FileError) -> NpyArray? {
        guard let index = archive.names.firstIndex(of: name + ".npy") else { return nil }
        return try NpyReader.parse(try archive.contents(ofMember: index), path: "\(path):\(name).npy")
    }
}
