import DataIO
import Engine
import Plugins

/// Your own PNG and JPEG images in torchvision's `ImageFolder` layout under `--data_dir`:
/// `train/<class>/<image>`, `test/<class>/<image>` and optionally `validation/<class>/<image>`
/// (autoencoders also take images straight in `train/` and `test/`). Without `validation/`, one
/// twelfth of each class, drawn by the seed, validates.
public enum ImageFolder: DatasetPlugin {
    public static let name = "ImageFolder"
    public static let summary = "PNG and JPEG files in --data_dir: train/<class>/, test/<class>/ (validation/<class>/)"

    public static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits {
        guard let directory = options.directory else {
            throw .missing("--data_dir", "ImageFolder reads the folder given by --data_dir")
        }
        let layout = try ImageFolderLayout.scan(directory, classNames: options.classNames, needsClasses: false)
        let decoder = try ImageFileDecoder(options: options.image, firstFile: layout.train.paths[0])
        func images(_ paths: [String], _ labels: [Int32]) throws(FileError) -> ImageSet {
            ImageSet(shape: decoder.shape, pixels: try decoder.decode(paths), labels: labels)
        }
        let train: ImageSet, validation: ImageSet
        if let given = layout.validation {
            train = try images(layout.train.paths, layout.train.labels)
            validation = try images(given.paths, given.labels)
        } else {
            let split = ClassBalancedSplit.positions(labels: layout.train.labels, seed: options.seed)
            guard !split.validation.isEmpty else {
                throw .malformed(directory + "/train", "too few images to keep a twelfth for validation")
            }
            train = try images(split.train.map { layout.train.paths[$0] }, split.train.map { layout.train.labels[$0] })
            validation = try images(
                split.validation.map { layout.train.paths[$0] }, split.validation.map { layout.train.labels[$0] })
        }
        let test = try images(layout.test.paths, layout.test.labels)
        var splits = DatasetSplits(
            name: name, train: train, validation: validation, test: test, classNames: layout.classNames)
        if let example = layout.skipped.first {
            splits.notes.append(
                "\(name): skipped \(layout.skipped.count) files that are not .png, .jpg or .jpeg (\(example), ...)")
        }
        return splits
    }
}
