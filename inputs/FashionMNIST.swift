import DataIO
import Plugins

/// Zalando's Fashion-MNIST: MNIST's format and sizes, clothes instead of digits. The default
/// folder is where Debian's `dataset-fashion-mnist` package puts it.
public enum FashionMNIST: DatasetPlugin {
    public static let name = "FashionMNIST"
    public static let summary = "Zalando's clothes, idx files (default /usr/share/datasets/fashion-mnist)"
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    public static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits {
        try IdxDataset.load(
            name: name, directory: options.directory ?? defaultDirectory,
            provider: "install the Debian package dataset-fashion-mnist or pass --data_dir",
            classNames: [
                "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot",
            ])
    }
}
