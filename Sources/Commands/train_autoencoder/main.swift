import ArgumentParser
import CLI
import Training

/// `train_autoencoder --model SingleLayerCAE --dataset FashionMNIST ...`, as DTB's command.
struct TrainAutoencoder: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "train_autoencoder",
        abstract: "Train an autoencoder into log/<MODEL>/<run name>, resuming where a run with the same flags stopped.")

    @OptionGroup var flags: TrainingFlags<Autoencoders>

    func execute() throws(BenchError) {
        try flags.train()
    }
}

TrainAutoencoder.main()
