import ArgumentParser
import Plugins
import Training

/// `--model` and the data flags, which every command that builds a model on a dataset takes;
/// `--model` offers the models of `Choices`.
public struct ModelDataFlags<Choices: ModelChoices>: ParsableArguments {
    @Option(name: .customLong("model"), help: "The model.")
    var model: ModelChoice<Choices>

    @OptionGroup public var data: DataFlags

    public init() {}

    public func validate() throws {
        try model.check()
    }

    public var modelPlugin: any ModelPlugin.Type { model.plugin }

    /// The dataset's splits (see `DataFlags.load`); a classifier needs classes to tell apart.
    public func load(savedRun: SavedRun? = nil) throws(BenchError) -> DatasetSplits {
        let splits = try data.load(savedRun: savedRun)
        if modelPlugin.kind == .classifier && splits.classNames.count < 2 {
            throw .usage(
                "--dataset: \(splits.name) in \(data.dataDirectory ?? "its folder") has no classes to classify")
        }
        return splits
    }
}
