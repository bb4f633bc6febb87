import ArgumentParser
import CLI
import Training

/// `evaluate --model M --dataset D --checkpoint_dir DIR [--test]`: the validation (or test)
/// metric of the checkpoint in DIR (a run folder, for its last checkpoint, or its best/).
struct Evaluate: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Print a checkpoint's validation (or test) reconstruction error or accuracy.")

    @OptionGroup var evaluation: EvaluationFlags<AllModels>

    func execute() throws(BenchError) {
        let checkpoint = try evaluation.load()
        let value = checkpoint.metric(on: evaluation.split.images(of: checkpoint.data))
        let name = checkpoint.model.kind == .classifier ? "accuracy" : "reconstruction error"
        print("\(checkpoint.model.name) \(evaluation.split.rawValue) \(name) = \(value)")
    }
}

Evaluate.main()
