import ArgumentParser
import CLI
import Training

/// `evaluate --model M --dataset D --checkpoint_dir DIR [--test]`: the validation (or test)
/// metric of the checkpoint in DIR (a run folder, for its last checkpoint, or its best/).
struct Evaluate: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Print a checkpoint's validation (or test) reconstruction error or accuracy.")

    @OptionGroup var source: ModelDataFlags<AllModels>

    @OptionGroup var checkpoint: CheckpointFlags

    @Flag(name: .customLong("test"), help: "Evaluate on the test set instead of the validation set.")
    var test = false

    @Option(name: .customLong("batch_size"), help: "Images per evaluation batch.")
    var batchSize = 128

    @OptionGroup var common: CommonFlags

    func validate() throws {
        guard batchSize > 0, batchSize <= 65_536 else {
            throw ValidationError("--batch_size: \(batchSize) must be between 1 and 65536")
        }
    }

    func execute() throws(BenchError) {
        let plugin = source.modelPlugin
        let path = try checkpoint.file()
        let data = try source.load(savedRun: checkpoint.savedRun())
        let images = test ? data.test : data.validation
        let value = try Evaluator.metric(
            of: plugin, checkpoint: path, on: images, classes: data.classNames.count,
            batchSize: batchSize, threads: common.threads)
        let name = plugin.kind == .classifier ? "accuracy" : "reconstruction error"
        print("\(plugin.name) \(test ? "test" : "validation") \(name) = \(value)")
    }
}

Evaluate.main()
