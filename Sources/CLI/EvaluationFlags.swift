import ArgumentParser
import Training

/// `--model` (of `Choices`) and the data flags, `--checkpoint_dir --test --batch_size` and
/// `--threads --quiet`: what every command that evaluates a checkpoint on a dataset takes.
public struct EvaluationFlags<Choices: ModelChoices>: ParsableArguments {
    @OptionGroup public var source: ModelDataFlags<Choices>

    @OptionGroup public var checkpoint: CheckpointFlags

    @Flag(name: .customLong("test"), help: "Evaluate on the test set instead of the validation set.")
    public var test = false

    @Option(name: .customLong("batch_size"), help: "Images per evaluation batch.")
    public var batchSize = 128

    @OptionGroup public var common: CommonFlags

    public init() {}

    public func validate() throws {
        guard batchSize > 0, batchSize <= 65_536 else {
            throw ValidationError("--batch_size: \(batchSize) must be between 1 and 65536")
        }
    }

    /// The split `--test` chooses.
    public var split: SplitChoice { test ? .test : .validation }

    /// The checkpoint in its model's network and the dataset, read as its run read it where the
    /// flags are silent; a missing checkpoint stops before the dataset is read.
    public func load() throws(BenchError) -> EvaluatedCheckpoint {
        let path = try checkpoint.file()
        let run = try checkpoint.savedRun()
        return try EvaluatedCheckpoint(
            model: source.modelPlugin, checkpoint: path, data: source.load(savedRun: run),
            runDirectory: run.runDirectory, batchSize: batchSize, threads: common.threads)
    }
}
