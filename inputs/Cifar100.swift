import DataIO
import Plugins

/// CIFAR-100's binary version: `train.bin` and `test.bin`, each record a coarse label byte (one
/// of 20 superclasses), a fine label byte (one of 100 classes) and a 3x32x32 image in channel
/// planes; `fine_label_names.txt` and `coarse_label_names.txt` name the classes. `--label_mode`
/// picks the label. It validates as Cifar10 does: on the test file, or on the training file's
/// last twelfth.
public enum Cifar100: DatasetPlugin {
    public static let name = "Cifar100"
    public static let summary = "CIFAR-100 binary files in --data_dir (default data/cifar-100-binary)"
    public static let defaultDirectory = "data/cifar-100-binary"
    /// The label when `--label_mode` is not given: the classes the dataset is named for.
    public static let defaultLabelMode = LabelMode.fine

    public static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits {
        try format(options.labelMode ?? defaultLabelMode).load(
            name: name, directory: options.directory ?? defaultDirectory,
            provider: "run scripts/fetch_cifar100.sh or pass --data_dir",
            validateOnTrainingSplit: options.validateOnTrainingSplit)
    }

    /// The records in one file's bytes, labelled as `labelMode` says; `path` names it in errors.
    public static func parseBatch(_ bytes: [UInt8], path: String, labelMode: LabelMode) throws(FileError) -> ImageSet {
        try format(labelMode).parse(bytes, path: path)
    }

    static func format(_ labelMode: LabelMode) -> CifarBinary {
        let labels = [CifarBinary.Label("coarse label", classes: 20), .init("fine label", classes: 100)]
        let taken = labelMode == .coarse ? 0 : 1
        // The archive's names; a folder without them gets the label numbers.
        return CifarBinary(
            labels: labels, takenLabel: taken, trainFiles: ["train.bin"], testFile: "test.bin",
            classNamesFile: "\(labelMode.rawValue)_label_names.txt",
            defaultClassNames: (0..<labels[taken].classes).map(String.init))
    }
}
