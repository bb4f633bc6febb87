import DataIO
import Plugins
import Foundation

/// A run folder's `flags.json`: the flags that define the run, and what its results can be
/// traced back to.
public struct FlagsFile: Codable {
    public var flags: RunConfiguration
    public var provenance: Provenance

    public init(flags: RunConfiguration, provenance: Provenance) {
        self.flags = flags
        self.provenance = provenance
    }

    /// The file at `path`; a missing file is `.missing`, anything but a flags file `.malformed`.
    public static func read(_ path: String) throws(FileError) -> FlagsFile {
        let bytes = try FileBytes.read(path)
        guard let file = try? JSONDecoder().decode(FlagsFile.self, from: Data(bytes)) else {
            throw .malformed(path, "not the flags file of a run of this bench")
        }
        return file
    }

    public func write(to path: String) throws(BenchError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try! encoder.encode(self)
        try AtomicFile.write(Array(data) + [10], to: path)
    }
}
