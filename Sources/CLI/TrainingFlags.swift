import ArgumentParser
import DataIO
import Engine
import Foundation
import Inputs
import Models
import Plugins
import Reporting
import Training

/// DTB's training flags, spelled as DTB spelled them, shared by train_autoencoder and
/// train_classifier.
public struct TrainingFlags: ParsableArguments {
    @OptionGroup var source: ModelDataFlags

    @Option(name: .customLong("optimizer"), help: "TensorFlow's optimizer name: \(OptimizerSpec.names.joined(separator: ", ")).")
    var optimizer = "MomentumOptimizer"

    @Option(name: .customLong("optimizer_args"),
            help: "The optimizer's arguments as JSON, TensorFlow's names (default {\"learning_rate\": 1e-2, \"momentum\": 0.9}).")
    var optimizerArguments: String?

    @Option(name: .customLong("l2_penalty"), help: "L2 weight decay: adds l2 * sum(W^2) / 2 over the model's decayed weights.")
    var l2Penalty = 0.0

    @Option(name: .customLong("batch_size"), help: "Images per step.")
    var batchSize = 128

    @Option(name: .customLong("epochs"), help: "Epochs to train (a resumed run may raise it).")
    var epochs = 150

    @Flag(name: .customLong("lr_decay"), help: "Staircase learning-rate decay.")
    var lrDecay = false

    @Option(name: .customLong("lr_decay_epochs"), help: "With --lr_decay: epochs between drops.")
    var lrDecayEpochs = 25

    @Option(name: .customLong("lr_decay_factor"), help: "With --lr_decay: the factor of each drop.")
    var lrDecayFactor = 0.1

    @Flag(name: .customLong("restart"), help: "Delete the run folder and start over.")
    var restart = false

    @Option(name: .customLong("comment"), help: "Appended to the run name, to tell runs with the same flags apart.")
    var comment: String?


    @Option(name: .customLong("threads"), help: "Threads to train on (default: every core).")
    var threads = min(ProcessInfo.processInfo.activeProcessorCount, 256)

    @Option(name: .customLong("log_dir"), help: "Root of the run folders and the results files.")
    var logDirectory = "log"


    @Option(name: .customLong("train_device"), help: "Accepted for DTB scripts; the bench trains on the CPU.")
    var trainDevice: String?

    @Option(name: .customLong("eval_device"), help: "Accepted for DTB scripts; the bench evaluates on the CPU.")
    var evalDevice: String?

    @Flag(name: .customLong("quiet"), help: "Print only errors and the final results.")
    var quiet = false

    public init() {}

    /// Checks every value and builds the run's configuration; any fault is a usage error.
    func configuration(kind: ModelKind) throws(BenchError) -> (RunConfiguration, any ModelPlugin.Type, any DatasetPlugin.Type) {
        let model = try source.modelPlugin(kind: kind)
        let dataset = try source.datasetPlugin()
        guard batchSize > 0, batchSize <= 65_536 else { throw .usage("--batch_size: \(batchSize) must be between 1 and 65536") }
        guard epochs > 0, epochs <= 1_000_000 else { throw .usage("--epochs: \(epochs) must be between 1 and 1000000") }
        guard threads > 0, threads <= 256 else { throw .usage("--threads: \(threads) must be between 1 and 256") }
        guard l2Penalty.isFinite, l2Penalty >= 0 else { throw .usage("--l2_penalty: \(l2Penalty) must be a finite number at least 0") }
        guard lrDecayEpochs > 0, lrDecayEpochs <= 1_000_000 else { throw .usage("--lr_decay_epochs: \(lrDecayEpochs) must be at least 1") }
        guard lrDecayFactor.isFinite, lrDecayFactor > 0 else { throw .usage("--lr_decay_factor: \(lrDecayFactor) must be above 0") }
        if let comment {
            guard !comment.isEmpty, !comment.contains("/"), !comment.hasPrefix("."), !comment.contains(where: Self.isControl) else {
                throw .usage("--comment: '\(comment)' must be a non-empty name without '/', a leading '.' or control characters")
            }
        }
        guard !logDirectory.isEmpty, !logDirectory.contains(where: Self.isControl) else {
            throw .usage("--log_dir: '\(logDirectory)' must be a non-empty path without control characters")
        }
        let spec = try OptimizerSpec(name: optimizer, json: optimizerArguments)
        let configuration = RunConfiguration(
            model: model.name, dataset: dataset.name, dataDirectory: source.dataDirectory, optimizer: spec, l2Penalty: l2Penalty,
            batchSize: batchSize, epochs: epochs, lrDecay: lrDecay, lrDecayEpochs: lrDecayEpochs, lrDecayFactor: lrDecayFactor,
            comment: comment, seed: source.seed, threads: threads, logDirectory: logDirectory,
            validateOnTrainingSplit: source.validateOnTrain)
        return (configuration, model, dataset)
    }

    static func isControl(_ c: Character) -> Bool {
        c.unicodeScalars.contains { $0.value < 32 || $0.value == 127 || (0x80..<0xA0).contains($0.value) }
    }

    /// Loads the data, trains, and prints; throws what should stop the command.
    public func train(kind: ModelKind) throws(BenchError) {
        let (configuration, model, _) = try configuration(kind: kind)
        let console = Console(quiet: quiet)
        let started = Date()
        let data = try source.load()
        console.line(String(format: "%@: %d training, %d validation, %d test images of %@ (loaded in %.3f s)", data.name,
                            data.train.count, data.validation.count, data.test.count, data.shape.description,
                            Date().timeIntervalSince(started)))
        let trainer = try Trainer(configuration: configuration, model: model, data: data, console: console)
        let tensorBoard = TensorBoardLog()
        let observers: [any TrainingObserver] = [StepsCSVLog(), tensorBoard, RunPicturesLog(tensorBoard: tensorBoard),
                                                 ConsoleLog(console)]
        let summary = try trainer.run(restart: restart, observers: observers)
        if quiet && !summary.alreadyDone {
            print("\(summary.runDirectory): validation \(summary.bestValidation), test \(summary.test)")
        }
    }
}

/// Runs `body`, turning a BenchError into DTB's one-line message and its exit code.
public func runReportingErrors(_ body: () throws(BenchError) -> Void) -> Never {
    BLASThreads.stop()
    do {
        try body()
        exit(0)
    } catch {
        Console().error(error.description)
        exit(error.exitCode)
    }
}
