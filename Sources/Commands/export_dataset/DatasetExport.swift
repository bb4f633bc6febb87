import DataIO
import Dispatch
import Engine
import Foundation
import Plugins
import Training

/// Writes a dataset's three splits as files other tools read: an image folder in torchvision's
/// layout or NumPy arrays. Images are converted to the target's channels and resized (Pillow's
/// filters) on the way out.
enum DatasetExport {
    /// The exported images' size (width, height) and channels; nil keeps the dataset's.
    struct Target {
        var size: (width: Int, height: Int)?
        var channels: Int?
    }

    enum Encoding {
        case png
        case jpeg(Int)

        var fileExtension: String {
            switch self {
            case .png: "png"
            case .jpeg: "jpg"
            }
        }

        func encode(_ image: DecodedImage) -> [UInt8] {
            switch self {
            case .png: PNGEncoder.encode(image)
            case .jpeg(let quality): JPEGEncoder.encode(image, quality: quality)
            }
        }
    }

    static let splitFolders = ["train", "validation", "test"]

    /// `folder/{train,validation,test}/<label>_<name>/<index>.<ext>` and `folder/classes.txt`
    /// listing the class folders in label order; indices are zero-padded positions in the split.
    static func imageFolder(
        _ splits: DatasetSplits, target: Target, to folder: String, encoding: Encoding
    ) throws(BenchError) {
        let classFolders = classFolderNames(splits)
        for (split, images) in zip(splitFolders, [splits.train, splits.validation, splits.test]) {
            for name in classFolders { try AtomicFile.makeDirectories("\(folder)/\(split)/\(name)") }
            let digits = String(max(images.count - 1, 0)).count
            try forEachImage(images, target: target) { i, image throws(BenchError) in
                let index = String(repeating: "0", count: digits - String(i).count) + String(i)
                let path =
                    "\(folder)/\(split)/\(classFolders[Int(images.labels[i])])/\(index).\(encoding.fileExtension)"
                try writeFile(encoding.encode(image), to: path)
            }
        }
        try AtomicFile.write(classFolders.map { $0 + "\n" }.joined(), to: folder + "/classes.txt")
    }

    /// `folder/{train,validation,test}_{images,labels}.npy` (`NpyWriter`: images uint8, or float32
    /// where the set holds float intensities and no conversion is asked for) and `classes.txt`.
    static func numPy(_ splits: DatasetSplits, target: Target, to folder: String) throws(BenchError) {
        try AtomicFile.makeDirectories(folder)
        for (split, images) in zip(splitFolders, [splits.train, splits.validation, splits.test]) {
            let converted = try converting(images, to: target)
            try writeFile(NpyWriter.images(converted), to: "\(folder)/\(split)_images.npy")
            try writeFile(NpyWriter.labels(converted), to: "\(folder)/\(split)_labels.npy")
        }
        if !splits.classNames.isEmpty {
            try AtomicFile.write(splits.classNames.map { $0 + "\n" }.joined(), to: folder + "/classes.txt")
        }
    }

    /// The set as the target shapes it, or the set itself where the target changes nothing.
    static func converting(_ images: ImageSet, to target: Target) throws(BenchError) -> ImageSet {
        let shape = images.shape
        let channels = target.channels ?? shape.channels
        let (width, height) = target.size ?? (shape.width, shape.height)
        guard (channels, height, width) != (shape.channels, shape.height, shape.width) else { return images }
        let size = channels * height * width
        nonisolated(unsafe) var pixels = [UInt8](repeating: 0, count: size * images.count)
        try pixels.withUnsafeMutableBufferPointer { buffer throws(BenchError) in
            nonisolated(unsafe) let buffer = buffer
            try forEachImage(images, target: target) { i, image throws(BenchError) in
                _ = UnsafeMutableBufferPointer(rebasing: buffer[(i * size)..<((i + 1) * size)]).initialize(
                    from: image.pixels)
            }
        }
        return ImageSet(shape: Shape(channels, height, width), pixels: pixels, labels: images.labels)
    }

    /// `<label>_<name>`, every character but letters, digits, '.', '-' and '_' replaced by '_'
    /// (Fashion-MNIST's "T-shirt/top" is `0_T-shirt_top`); `<label>` alone for datasets without names.
    static func classFolderNames(_ splits: DatasetSplits) -> [String] {
        let classes = max(splits.classNames.count, 1)
        return (0..<classes).map { label in
            guard label < splits.classNames.count else { return "\(label)" }
            let safe = splits.classNames[label].unicodeScalars.map { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "._-".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            }
            return "\(label)_" + String(safe)
        }
    }

    /// Calls `body` with each image of the set, converted and resized to the target, on every core;
    /// the first error (in image order) is thrown once all threads stop.
    static func forEachImage(
        _ images: ImageSet, target: Target, _ body: @Sendable (Int, DecodedImage) throws(BenchError) -> Void
    ) throws(BenchError) {
        let shape = images.shape
        let resize = target.size.flatMap { size in
            size == (shape.width, shape.height)
                ? nil
                : PillowResize(fromWidth: shape.width, height: shape.height, toWidth: size.width, height: size.height)
        }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, images.count))
        let failures = FirstFailure<BenchError>()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: images.count, by: workers) where !failures.precedes(i) {
                var image = DecodedImage(
                    width: shape.width, height: shape.height, channels: shape.channels, planes: images.bytes(of: i))
                if let channels = target.channels { image = image.converted(toChannels: channels) }
                if let resize { image = resize.resize(image) }
                do throws(BenchError) { try body(i, image) } catch { failures.record(error, at: i) }
            }
        }
        if let error = failures.first { throw error }
    }

    /// A plain write: the whole export is renamed into place once every file is written.
    static func writeFile(_ bytes: [UInt8], to path: String) throws(BenchError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw .cannotWrite(path, "the file could not be written")
        }
    }
}
