import DataIO
import Plugins

/// The `--dataset` values: adding a dataset is adding its file here and one line below.
public enum Datasets {
    public static var all: [any DatasetPlugin.Type] {
        [MNIST.self, FashionMNIST.self, Cifar10.self, Cifar100.self, Blobs.self, ImageFolder.self, NumPy.self]
    }

    public static var names: [String] { all.map { $0.name } }

    /// The plug-in named `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> (any DatasetPlugin.Type)? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }
}
