import ArgumentParser
import CLI
import DataIO
import Foundation
import Inputs
import Models
import Training

/// `evaluate --model M --dataset D --checkpoint_dir DIR [--test]`: the validation (or test)
/// metric of the checkpoint in DIR (a run folder, for its last checkpoint, or its best/).
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Print a checkpoint's validation (or test) reconstruction error or accuracy.")

    @Option(name: .customLong("model"), help: "The model, one of: \(Models.names.joined(separator: ", ")).")
    var model: String

    @Option(name: .customLong("dataset"), help: "The dataset, one of: \(Datasets.names.joined(separator: ", ")).")
    var dataset: String

    @Option(name: .customLong("data_dir"), help: "Folder of the dataset's files (default: the dataset's own).")
    var dataDirectory: String?

    @Option(name: .customLong("checkpoint_dir"), help: "A run folder or its best/ folder.")
    var checkpointDirectory: String

    @Flag(name: .customLong("test"), help: "Evaluate on the test set instead of the validation set.")
    var test = false

    @Option(name: .customLong("batch_size"), help: "Images per evaluation batch.")
    var batchSize = 128

    @Option(name: .customLong("threads"), help: "Threads (default: every core).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("validate_on_train"), help: "Use the training files' last twelfth as the validation set.")
    var validateOnTrain = false

    @Option(name: .customLong("seed"), help: "Seed of generated datasets (Blobs).")
    var seed: UInt64 = 42

    func run() throws {
        runReportingErrors { () throws(BenchError) in
            guard let plugin = Models.named(model) else {
                throw .usage("--model: unknown model '\(model)'; one of \(Models.names.joined(separator: ", "))")
            }
            guard let source = Datasets.named(dataset) else {
                throw .usage("--dataset: unknown dataset '\(dataset)'; one of \(Datasets.names.joined(separator: ", "))")
            }
            guard batchSize > 0 else { throw .usage("--batch_size: \(batchSize) must be at least 1") }
            guard threads > 0, threads <= 256 else { throw .usage("--threads: \(threads) must be between 1 and 256") }
            let path = checkpointDirectory + "/" + Checkpoint.fileName
            guard FileBytes.exists(path) else { throw .file(.missing(path, "no checkpoint here; pass a run folder or its best/")) }
            let data: DatasetSplits
            do throws(FileError) {
                data = try source.load(DatasetOptions(directory: dataDirectory, seed: seed, validateOnTrainingSplit: validateOnTrain))
            } catch {
                throw .file(error)
            }
            let images = test ? data.test : data.validation
            let value = try Evaluator.metric(of: plugin, checkpoint: path, on: images, classes: data.classNames.count,
                                             batchSize: batchSize, threads: threads)
            let name = plugin.kind == .classifier ? "accuracy" : "reconstruction error"
            print("\(plugin.name) \(test ? "test" : "validation") \(name) = \(value)")
        }
    }
}

Evaluate.main()
