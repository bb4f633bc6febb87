/// A file the bench cannot read (a dataset, a checkpoint): which file, and what is wrong with
/// it, in one line. The exit code follows sysexits: 66 for a missing file or folder, 65 for a
/// file whose data is bad.
public struct FileError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case missing
        case malformed
    }

    public let kind: Kind
    public let file: String
    public let reason: String

    public static func missing(_ file: String, _ reason: String) -> FileError {
        FileError(kind: .missing, file: file, reason: reason)
    }

    public static func malformed(_ file: String, _ reason: String) -> FileError {
        FileError(kind: .malformed, file: file, reason: reason)
    }

    public var description: String { "\(file): \(reason)" }
    public var exitCode: Int32 { kind == .missing ? 66 : 65 }
}
