import ArgumentParser
import CLI
import Training

/// DTB's `evaluate_autoencoder --model M --dataset D --checkpoint_dir DIR [--test]`:
/// `<date time>: validation error = 0.006`, the reconstruction error of the checkpoint in DIR (a
/// run folder or its best/); with `--all`, the train, validation and test errors in full.
struct EvaluateAutoencoder: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate_autoencoder",
        abstract: "Print an autoencoder checkpoint's validation (or test) reconstruction error, as DTB does.")

    @OptionGroup var flags: DTBEvaluationFlags<Autoencoders>

    func execute() throws(BenchError) {
        let checkpoint = try flags.evaluation.load()
        for split in flags.splits {
            let error = checkpoint.metric(on: split.images(of: checkpoint.data))
            print(
                EvaluationLine.text(split: split.rawValue, kind: .autoencoder, value: error, precision: flags.precision)
            )
        }
    }
}

EvaluateAutoencoder.main()
