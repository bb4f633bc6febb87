import DataIO
import Plugins

/// Everything that stops a command, each with its one-line message and its exit code
/// (sysexits, as DTB users' scripts expect).
public enum BenchError: Error, CustomStringConvertible, Equatable {
    /// A bad flag or flag value (64).
    case usage(String)
    /// A dataset or checkpoint file that is missing (66) or bad (65).
    case file(FileError)
    /// An output folder or file that cannot be created (73) or written (74).
    case cannotCreate(String, String)
    case cannotWrite(String, String)
    /// Another live run holds the run folder (75).
    case locked(String)
    /// The loss became NaN or infinite (1).
    case diverged(String)
    /// SIGINT (130) or SIGTERM (143), after the checkpoint was saved.
    case interrupted(Int32)
    /// Runs of a sweep that failed, one line each (1).
    case runsFailed([String])
    /// A program the command needs is not installed (69).
    case unavailable(String)

    public var description: String {
        switch self {
        case .usage(let m): m
        case .file(let e): e.description
        case .cannotCreate(let path, let why): "\(path): cannot create: \(why)"
        case .cannotWrite(let path, let why): "\(path): cannot write: \(why)"
        case .locked(let path):
            "\(path): another run is using this run folder; wait for it, or pass --comment to start a separate run"
        case .diverged(let loss): "Model diverged with loss = \(loss)"
        case .interrupted(let signal):
            "interrupted by signal \(signal); checkpoint saved, run the same command to resume"
        case .runsFailed(let lines): lines.joined(separator: "\n")
        case .unavailable(let m): m
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .file(let e): e.exitCode
        case .cannotCreate: 73
        case .cannotWrite: 74
        case .locked: 75
        case .diverged: 1
        case .interrupted(let signal): 128 + signal
        case .runsFailed: 1
        case .unavailable: 69
        }
    }
}
