import DataIO
import Engine
import Foundation
import Plugins

/// CIFAR-10's binary version: `data_batch_1.bin` ... `data_batch_5.bin` and `test_batch.bin`, each
/// record a label byte and a 3x32x32 image in channel planes; `batches.meta.txt` names the
/// classes. As DTB did, it validates on the test batch unless told to hold out the training
/// batches' last twelfth instead.
public enum Cifar10: DatasetPlugin {
    public static let name = "Cifar10"
    public static let summary = "CIFAR-10 binary batches in --data_dir (default data/cifar-10-batches-bin)"
    public static let defaultDirectory = "data/cifar-10-batches-bin"
    static let shape = Shape(3, 32, 32)
    static let recordSize = 1 + 3 * 32 * 32
    static let defaultClassNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    public static func load(_ options: DatasetOptions) throws(FileError) -> DatasetSplits {
        let directory = options.directory ?? defaultDirectory
        let provider = "run scripts/fetch_cifar10.sh or pass --data_dir"
        guard FileBytes.isDirectory(directory) else { throw .missing(directory, "no such folder; \(provider)") }
        let classNames = try readClassNames(directory + "/batches.meta.txt")
        var parts: [ImageSet] = []
        for i in 1...5 { parts.append(try readBatch(directory + "/data_batch_\(i).bin", provider: provider)) }
        let train = ImageSet.joined(parts)
        let test = try readBatch(directory + "/test_batch.bin", provider: provider)
        if options.validateOnTrainingSplit {
            guard train.count >= 12 else {
                throw .malformed(
                    directory + "/data_batch_1.bin",
                    "\(train.count) records are too few to hold out a twelfth for validation")
            }
            let (training, validation) = train.splitForValidation()
            return DatasetSplits(
                name: name, train: training, validation: validation, test: test, classNames: classNames)
        }
        return DatasetSplits(name: name, train: train, validation: test, test: test, classNames: classNames)
    }

    static func readBatch(_ path: String, provider: String) throws(FileError) -> ImageSet {
        guard FileBytes.exists(path) else { throw .missing(path, "no such file; \(provider)") }
        return try parseBatch(try FileBytes.read(path), path: path)
    }

    /// The records in one batch file's bytes; `path` names it in errors.
    public static func parseBatch(_ bytes: [UInt8], path: String) throws(FileError) -> ImageSet {
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw .malformed(path, "\(bytes.count) bytes is not a whole number of \(recordSize)-byte records")
        }
        let n = bytes.count / recordSize
        var pixels = [UInt8](repeating: 0, count: n * shape.count)
        var labels = [Int32](repeating: 0, count: n)
        for r in 0..<n {
            let label = bytes[r * recordSize]
            guard label < 10 else { throw .malformed(path, "label \(label) of record \(r) is outside 0...9") }
            labels[r] = Int32(label)
            pixels.withUnsafeMutableBufferPointer { dst in
                bytes.withUnsafeBufferPointer { src in
                    (dst.baseAddress! + r * shape.count).update(
                        from: src.baseAddress! + r * recordSize + 1, count: shape.count)
                }
            }
        }
        return ImageSet(shape: shape, pixels: pixels, labels: labels)
    }

    /// The class names, one a line; the standard ten when the file is absent.
    static func readClassNames(_ path: String) throws(FileError) -> [String] {
        guard FileBytes.exists(path) else { return defaultClassNames }
        let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        guard names.count == 10 else { throw .malformed(path, "names \(names.count) classes, expected 10") }
        return names
    }
}
