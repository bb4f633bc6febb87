import ArgumentParser
import Training

/// `--checkpoint_dir`, which every command that reads a trained model takes: a run folder (its
/// last checkpoint) or its `best/` folder, with the run's saved flags and classes.
public struct CheckpointFlags: ParsableArguments {
    @Option(name: .customLong("checkpoint_dir"), help: "A run folder or its best/ folder.")
    public var directory: String

    public init() {}

    /// The checkpoint file in the folder.
    public func file() throws(BenchError) -> String { try Checkpoint.file(in: directory) }

    /// The run's saved image flags and classes.
    public func savedRun() throws(BenchError) -> SavedRun { try SavedRun(checkpointDirectory: directory) }
}
