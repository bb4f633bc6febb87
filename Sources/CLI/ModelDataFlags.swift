import ArgumentParser
import DataIO
import Inputs
import Models
import Plugins
import Training

/// `--model --dataset --data_dir --seed --validate_on_train`, which every command that builds a
/// model on a dataset takes, and their checks.
public struct ModelDataFlags: ParsableArguments {
    @Option(name: .customLong("model"), help: "The model, one of: \(Models.names.joined(separator: ", ")).")
    var model: String

    @Option(name: .customLong("dataset"), help: "The dataset, one of: \(Datasets.names.joined(separator: ", ")).")
    var dataset: String

    @Option(name: .customLong("data_dir"), help: "Folder of the dataset's files (default: the dataset's own).")
    var dataDirectory: String?

    @Option(name: .customLong("seed"), help: "Seed of weights, shuffling, dropout and generated datasets (Blobs).")
    var seed: UInt64 = 42

    @Flag(name: .customLong("validate_on_train"),
          help: "Validate on the training files' last twelfth where DTB used the test set (CIFAR-10).")
    var validateOnTrain = false

    public init() {}

    /// The model plug-in, which must be of `kind` when one is asked for.
    public func modelPlugin(kind: ModelKind? = nil) throws(BenchError) -> any ModelPlugin.Type {
        guard let plugin = Models.named(model) else {
            throw .usage("--model: unknown model '\(model)'; one of \(Models.names.joined(separator: ", "))")
        }
        if let kind, plugin.kind != kind {
            let other = kind == .autoencoder ? "train_classifier" : "train_autoencoder"
            throw .usage("--model: \(plugin.name) is a \(plugin.kind.rawValue), not a\(kind == .autoencoder ? "n" : "") \(kind.rawValue); train it with \(other)")
        }
        return plugin
    }

    public func datasetPlugin() throws(BenchError) -> any DatasetPlugin.Type {
        guard let plugin = Datasets.named(dataset) else {
            throw .usage("--dataset: unknown dataset '\(dataset)'; one of \(Datasets.names.joined(separator: ", "))")
        }
        return plugin
    }

    public func load() throws(BenchError) -> DatasetSplits {
        let plugin = try datasetPlugin()
        do { return try plugin.load(options) } catch { throw .file(error) }
    }

    var options: DatasetOptions {
        DatasetOptions(directory: dataDirectory, seed: seed, validateOnTrainingSplit: validateOnTrain)
    }

    /// `DIR/checkpoint.safetensors`, which must exist.
    public static func checkpoint(in directory: String) throws(BenchError) -> String {
        let path = directory + "/" + Checkpoint.fileName
        guard FileBytes.exists(path) else { throw .file(.missing(path, "no checkpoint here; pass a run folder or its best/")) }
        return path
    }
}
