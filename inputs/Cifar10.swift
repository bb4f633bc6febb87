import DataIO
import Plugins

/// CIFAR-10's binary version: `data_batch_1.bin` ... `data_batch_5.bin` and `test_batch.bin`, each
/// record a label byte and a 3x32x32 image in channel planes; `batches.meta.txt` names the
/// classes. As DTB did, it validates on the test batch unless told to hold out the training
/// batches' last twelfth instead.
public enum Cifar10: DatasetPlugin {
    public static let name = "Cifar10"
    public static let summary = "CIFAR-10 binary batches in --data_dir (default data/cifar-10-batches-bin)"
    public static let defaultDirectory = "data/cifar-10-batches-bin"
    static let format = CifarBinary(
        labels: [.init("label", classes: 10)], takenLabel: 0, trainFiles: (1...5).map { "data_batch_\($0).bin" },
        testFile: "test_batch.bin", classNamesFile: "batches.meta.txt",
        defaultClassNames: [
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
        ])

    public static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits {
        try format.load(
            name: name, directory: options.directory ?? defaultDirectory,
            provider: "run scripts/fetch_cifar10.sh or pass --data_dir",
            validateOnTrainingSplit: options.validateOnTrainingSplit)
    }

    /// The records in one batch file's bytes; `path` names it in errors.
    public static func parseBatch(_ bytes: [UInt8], path: String) throws(FileError) -> ImageSet {
        try format.parse(bytes, path: path)
    }
}
