import ArgumentParser
import CLI
import Training

/// `train_classifier --model StandardCNN --dataset FashionMNIST ...`, as DTB's command.
struct TrainClassifier: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "train_classifier",
        abstract: "Train a classifier into log/<MODEL>/<run name>, resuming where a run with the same flags stopped.")

    @OptionGroup var flags: TrainingFlags<Classifiers>

    func execute() throws(BenchError) {
        try flags.train()
    }
}

TrainClassifier.main()
