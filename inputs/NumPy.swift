import DataIO
import Engine
import Foundation
import Plugins

/// NumPy arrays, as `np.save` and `np.savez` write them: `train_images`, `train_labels`,
/// `test_images`, `test_labels` and, optionally, `validation_images` and `validation_labels`,
/// either as `.npy` files in the `--data_dir` folder or as the members of the `.npz` file that
/// `--data_dir` names. Images are uint8 or [0, 1] floats, N x H x W, N x H x W x C or
/// N x C x H x W (`--layout` where both could hold the channels); labels any integer type.
/// Without validation arrays the training arrays' last twelfth validates, as MNIST's files do,
/// so MNIST's digits saved as arrays train exactly as from its idx files. The classes are the
/// lines of a `classes.txt` beside the arrays (the folder, or the `.npz` file's folder), else
/// "0" up to the largest label of any split.
public enum NumPy: DatasetPlugin {
    public static let name = "NumPy"
    public static let summary =
        "NumPy arrays {train,validation,test}_{images,labels}.npy in --data_dir, or a .npz file as --data_dir"
    public static let defaultDirectory = "data/numpy"
    static let provider = "pass --data_dir (a folder of .npy files, or an .npz file)"
    /// Without `classes.txt`, a label this large is a mistake rather than a class.
    static let maximumInferredClasses = 65_536

    public static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits {
        let source = try NpyArraySource(options.directory ?? defaultDirectory, provider: provider)
        let train = try required("train", from: source, layout: options.layout)
        let test = try required("test", from: source, layout: options.layout)
        let validation = try split("validation", from: source, layout: options.layout)
        let all = [train, test] + (validation.map { [$0] } ?? [])
        for other in all where other.shape != train.shape {
            throw .malformed(other.imagesPath, "images are \(other.shape), the training images are \(train.shape)")
        }
        // Labels become Int32 only after this has bounded them.
        let classNames = try readClassNames(source.folder + "/classes.txt", splits: all)
        if let validation {
            return DatasetSplits(
                name: name, train: train.imageSet, validation: validation.imageSet, test: test.imageSet,
                classNames: classNames)
        }
        guard train.labels.count >= 12 else {
            throw .malformed(train.imagesPath, "\(train.labels.count) images are too few to split off validation")
        }
        let (training, held) = train.imageSet.splitForValidation()
        return DatasetSplits(name: name, train: training, validation: held, test: test.imageSet, classNames: classNames)
    }

    /// One split's images and labels, read and checked against each other.
    struct Split {
        let shape: Shape
        let pixels: Pixels
        let labels: [Int64]
        let imagesPath: String
        let labelsPath: String

        var imageSet: ImageSet { ImageSet(shape: shape, pixels: pixels, labels: labels.map { Int32($0) }) }
    }

    static func required(
        _ name: String, from source: NpyArraySource, layout: ImageLayout?
    ) throws(FileError) -> Split {
        guard let split = try split(name, from: source, layout: layout) else {
            guard case .archive(let reader) = source else {
                throw .missing(source.path(name + "_images"), "no such file; \(provider)")
            }
            let held = reader.names.isEmpty ? "none" : reader.names.joined(separator: ", ")
            throw .missing(source.path(name + "_images"), "no such array; the archive holds \(held)")
        }
        return split
    }

    /// The split `name`, or nil if neither of its arrays exists.
    static func split(_ name: String, from source: NpyArraySource, layout: ImageLayout?) throws(FileError) -> Split? {
        let imagesPath = source.path(name + "_images"), labelsPath = source.path(name + "_labels")
        let images = try source.array(name + "_images"), labels = try source.array(name + "_labels")
        if images == nil && labels == nil { return nil }
        guard let images else { throw .missing(imagesPath, "no such array beside \(labelsPath); \(provider)") }
        guard let labels else { throw .missing(labelsPath, "no such array beside \(imagesPath); \(provider)") }
        let (shape, pixels) = try NpyImages.read(images, layout: layout, path: imagesPath)
        let values = try NpyLabels.read(labels, images: images.shape[0], imagesPath: imagesPath, path: labelsPath)
        return Split(shape: shape, pixels: pixels, labels: values, imagesPath: imagesPath, labelsPath: labelsPath)
    }

    /// The class names, one a line of `path` where it exists (every label must then fall in
    /// them), else "0" up to the largest label.
    static func readClassNames(_ path: String, splits: [Split]) throws(FileError) -> [String] {
        var names: [String]?
        if FileBytes.exists(path) {
            let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            names = lines.filter { !$0.isEmpty }
            guard !names!.isEmpty else { throw .malformed(path, "names no classes") }
        }
        let limit = Int64(names?.count ?? maximumInferredClasses)
        var largest: Int64 = 0
        for split in splits {
            if let bad = split.labels.firstIndex(where: { $0 >= limit }) {
                let label = split.labels[bad]
                throw .malformed(
                    split.labelsPath,
                    names == nil
                        ? "label \(label) of image \(bad) would make \(label + 1) classes; more than "
                            + "\(maximumInferredClasses) must be named in classes.txt"
                        : "label \(label) of image \(bad) is outside 0...\(limit - 1) (\(path) names \(limit) classes)")
            }
            largest = max(largest, split.labels.max() ?? 0)
        }
        return names ?? (0...Int(largest)).map(String.init)
    }
}
