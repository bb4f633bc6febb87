import ArgumentParser
import Inputs
import Plugins
import Training

/// `--model --dataset --data_dir --seed --validate_on_train --layout`, which every command that builds a
/// model on a dataset takes; `--model` offers the models of `Choices`.
public struct ModelDataFlags<Choices: ModelChoices>: ParsableArguments {
    @Option(name: .customLong("model"), help: "The model.")
    var model: ModelChoice<Choices>

    @Option(name: .customLong("dataset"), help: "The dataset.")
    var dataset: DatasetChoice

    @Option(name: .customLong("data_dir"), help: "Folder of the dataset's files (default: the dataset's own).")
    var dataDirectory: String?

    @Option(name: .customLong("seed"), help: "Seed of weights, shuffling, dropout and generated datasets (Blobs).")
    var seed: UInt64 = 42

    @Flag(
        name: .customLong("validate_on_train"),
        help: "Validate on the training files' last twelfth where DTB used the test set (CIFAR-10).")
    var validateOnTrain = false

    @Option(
        name: .customLong("layout"),
        help: "Where 4-D NumPy image arrays keep their channels, when their shape cannot tell (nhwc or nchw).")
    var layout: ImageLayout?

    public init() {}

    public func validate() throws {
        try model.check()
    }

    public var modelPlugin: any ModelPlugin.Type { model.plugin }

    /// The dataset's splits, read (or generated) as the flags say.
    public func load() throws(BenchError) -> DatasetSplits {
        let options = DatasetOptions(
            directory: dataDirectory, seed: seed, validateOnTrainingSplit: validateOnTrain, layout: layout)
        do { return try dataset.plugin.load(options) } catch { throw .file(error) }
    }
}

extension ImageLayout: ExpressibleByArgument {}
