import DataIO
import Foundation
import Plugins

/// A run folder's `flags.json`: the command and the flags, under the names a user types, that
/// define the run (a script can rebuild the command line from them), and what its results can be
/// traced back to.
public struct FlagsFile: Codable {
    /// `train_autoencoder` or `train_classifier`; nil in folders of the bench's first releases.
    public var command: String?
    public var flags: RunConfiguration
    /// Nil when read from a folder whose provenance has another layout: only the flags are read back.
    public var provenance: Provenance?

    public init(command: String, flags: RunConfiguration, provenance: Provenance) {
        self.command = command
        self.flags = flags
        self.provenance = provenance
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        command = try c.decodeIfPresent(String.self, forKey: .command)
        flags = try c.decode(RunConfiguration.self, forKey: .flags)
        provenance = try? c.decode(Provenance.self, forKey: .provenance)
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
