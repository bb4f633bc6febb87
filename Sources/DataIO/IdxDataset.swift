import Dispatch
import Engine
import Plugins

/// MNIST's four idx files (raw or .gz) from one folder: the training file is split
/// 11/12 : 1/12 into training and validation, t10k is the test set. Any image size and any
/// number of images the headers give.
public enum IdxDataset {
    static let files = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ]

    /// `provider` tells a user where the files come from (a Debian package, a fetch script).
    public static func load(name: String, directory: String, provider: String, classNames: [String]) throws(FileError)
        -> DatasetSplits
    {
        guard FileBytes.isDirectory(directory) else {
            throw .missing(directory, "no such folder; \(provider)")
        }
        var found: [String] = []
        for file in files {
            let raw = directory + "/" + file
            if FileBytes.exists(raw) {
                found.append(raw)
            } else if FileBytes.exists(raw + ".gz") {
                found.append(raw + ".gz")
            } else {
                throw .missing(raw + "[.gz]", "no such file; \(provider)")
            }
        }
        let paths = found
        // The four files inflate in parallel (the two cores each take one large file).
        nonisolated(unsafe) var results = [Result<IdxReader.Array, FileError>?](repeating: nil, count: 4)
        let order = [0, 2, 1, 3]
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: 4) { k in
                let i = order[k]
                slots[i] = Result { () throws(FileError) in try IdxReader.read(paths[i], rank: i % 2 == 0 ? 3 : 1) }
            }
        }
        let arrays = try results.map { r throws(FileError) in try r!.get() }
        let train = try imageSet(
            images: arrays[0], labels: arrays[1], paths: (paths[0], paths[1]), classes: classNames.count)
        let test = try imageSet(
            images: arrays[2], labels: arrays[3], paths: (paths[2], paths[3]), classes: classNames.count)
        guard train.shape == test.shape else {
            throw .malformed(paths[2], "images are \(test.shape), the training images are \(train.shape)")
        }
        guard train.count >= 12 else {
            throw .malformed(paths[0], "\(train.count) images are too few to split off validation")
        }
        let (training, validation) = train.splitForValidation()
        return DatasetSplits(name: name, train: training, validation: validation, test: test, classNames: classNames)
    }

    static func imageSet(
        images: IdxReader.Array, labels: IdxReader.Array, paths: (String, String),
        classes: Int
    ) throws(FileError) -> ImageSet {
        let (n, rows, cols) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
        guard n > 0, rows > 0, cols > 0 else { throw .malformed(paths.0, "holds no images (\(n)x\(rows)x\(cols))") }
        guard labels.dimensions[0] == n else {
            throw .malformed(paths.1, "has \(labels.dimensions[0]) labels for \(n) images in \(paths.0)")
        }
        if let bad = labels.bytes.firstIndex(where: { Int($0) >= classes }) {
            throw .malformed(
                paths.1,
                "label \(labels.bytes[bad]) of image \(bad - labels.bytes.startIndex) is outside 0...\(classes - 1)")
        }
        return ImageSet(shape: Shape(1, rows, cols), pixels: images.bytes, labels: labels.bytes.map { Int32($0) })
    }
}
