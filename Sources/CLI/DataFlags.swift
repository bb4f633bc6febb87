import ArgumentParser
import Foundation
import Inputs
import Plugins
import Training

extension LabelMode: ExpressibleByArgument {}

/// `--dataset --data_dir --seed --validate_on_train --label_mode` and the image flags: which
/// dataset, and how its files are read.
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
        help: "Validate on the training files' last twelfth where DTB used the test set (CIFAR-10, CIFAR-100).")
    var validateOnTrain = false

    @Option(
        name: .customLong("label_mode"),
        help: "Cifar100: label images with their 100 fine classes or their 20 coarse superclasses (default: fine).")
    var labelMode: LabelMode?

    @OptionGroup public var image: ImageFlags

    public init() {}

    public func validate() throws {
        if labelMode != nil && plugin != Cifar100.self {
            throw ValidationError("--label_mode: only Cifar100 has fine and coarse labels, not \(plugin.name)")
        }
    }

    public var plugin: any DatasetPlugin.Type { dataset.plugin }

    /// The dataset's splits, read (or generated) as the flags say; a command that reads a run
    /// back passes it, so that the run's image flags and classes apply where the flags are silent.
    public func load(savedRun: SavedRun? = nil) throws(BenchError) -> DatasetSplits {
        let options = DatasetOptions(
            directory: dataDirectory, seed: seed, validateOnTrainingSplit: validateOnTrain,
            image: image.options(saved: savedRun?.imageOptions), classNames: savedRun?.classNames,
            layout: image.layout ?? savedRun?.configuration?.layout,
            labelMode: labelMode ?? savedRun?.configuration?.labelMode)
        let data: DatasetSplits
        do { data = try dataset.plugin.load(options) } catch { throw .file(error) }
        for note in data.notes { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        return data
    }

    /// `--label_mode` as a run records it: the dataset's default where the flag is silent, so that
    /// giving the default later is the same run; nil for datasets with one label.
    var recordedLabelMode: LabelMode? { plugin == Cifar100.self ? labelMode ?? Cifar100.defaultLabelMode : nil }
}
