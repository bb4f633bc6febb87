import ArgumentParser
import CLI
import Training

/// `train_classifier --model StandardCNN --dataset FashionMNIST ...`, as DTB's command.
struct TrainClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train_classifier",
        abstract: "Train a classifier into log/<MODEL>/<run name>, resuming where a run with the same flags stopped.")

    @OptionGroup var flags: TrainingFlags

    func run() throws {
        runReportingErrors { () throws(BenchError) in try flags.train(kind: .classifier) }
    }
}

TrainClassifier.main()
