import DataIO
import Plugins

/// LeCun's handwritten digits, from `--data_dir` (default `data/mnist`), which
/// `scripts/fetch_mnist.sh` fills on machines with the internet.
public enum MNIST: DatasetPlugin {
    public static let name = "MNIST"
    public static let summary = "handwritten digits, idx files in --data_dir (default data/mnist)"
    public static let defaultDirectory = "data/mnist"

    public static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits {
        try IdxDataset.load(
            name: name, directory: options.directory ?? defaultDirectory,
            provider: "run scripts/fetch_mnist.sh or pass --data_dir",
            classNames: (0...9).map(String.init))
    }
}
