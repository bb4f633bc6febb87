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

    @OptionGroup var source: ModelDataFlags

    @Option(name: .customLong("checkpoint_dir"), help: "A run folder or its best/ folder.")
    var checkpointDirectory: String

    @Flag(name: .customLong("test"), help: "Evaluate on the test set instead of the validation set.")
    var test = false

    @Option(name: .customLong("batch_size"), help: "Images per evaluation batch.")
    var batchSize = 128

    @Option(name: .customLong("threads"), help: "Threads (default: every core).")
    var threads = min(ProcessInfo.processInfo.activeProcessorCount, 256)

    func run() throws {
        runReportingErrors { () throws(BenchError) in
            let plugin = try source.modelPlugin()
            guard batchSize > 0 else { throw .usage("--batch_size: \(batchSize) must be at least 1") }
            guard threads > 0, threads <= 256 else { throw .usage("--threads: \(threads) must be between 1 and 256") }
            let path = try ModelDataFlags.checkpoint(in: checkpointDirectory)
            let data = try source.load()
            let images = test ? data.test : data.validation
            let value = try Evaluator.metric(of: plugin, checkpoint: path, on: images, classes: data.classNames.count,
                                             batchSize: batchSize, threads: threads)
            let name = plugin.kind == .classifier ? "accuracy" : "reconstruction error"
            print("\(plugin.name) \(test ? "test" : "validation") \(name) = \(value)")
        }
    }
}

Evaluate.main()
