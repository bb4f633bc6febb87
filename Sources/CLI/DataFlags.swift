import ArgumentParser
import Foundation
import Inputs
import Plugins
import Training

/// `--dataset --data_dir --seed --validate_on_train` and the image flags: which dataset, and how
/// its files are read.
public struct DataFlags: ParsableArguments {
    @Option(name: .customLong("dataset"), help: "The dataset.")
    var dataset: DatasetChoice

    @Option(name: .customLong("data_dir"), help: "Folder of the dataset's files (default: the dataset's own).")
    var dataDirectory: String?

    @Option(
        name: .customLong("seed"),
        help: "Seed of weights, shuffling, dropout, validation splits and generated datasets (Blobs).")
    var seed: UInt64 = 42

    @Flag(
        name: .customLong("validate_on_train"),
        help: "Validate on the training files' last twelfth where DTB used the test set (CIFAR-10).")
    var validateOnTrain = false

    @OptionGroup public var image: ImageFlags

    public init() {}

    public var plugin: any DatasetPlugin.Type { dataset.plugin }

    /// The dataset's splits, read (or generated) as the flags say; a command that reads a run
    /// back passes it, so that the run's image flags and classes apply where the flags are silent.
    public func load(savedRun: SavedRun? = nil) throws(BenchError) -> DatasetSplits {
        let options = DatasetOptions(
            directory: dataDirectory, seed: seed, validateOnTrainingSplit: validateOnTrain,
            image: image.options(saved: savedRun?.imageOptions), classNames: savedRun?.classNames,
            layout: image.layout ?? savedRun?.configuration?.layout)
        let data: DatasetSplits
        do { data = try dataset.plugin.load(options) } catch { throw .file(error) }
        for note in data.notes { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        return data
    }
}
