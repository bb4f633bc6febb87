import Plugins

/// A label array: any integer type, shape (N,) or (N, 1) (Keras's CIFAR-10 keeps (N, 1)), one
/// label an image, none negative. The dataset decides the classes they must fall in.
public enum NpyLabels {
    public static func read(
        _ array: NpyArray, images: Int, imagesPath: String, path: String
    ) throws(FileError) -> [Int64] {
        let s = array.shape
        guard s.count == 1 || (s.count == 2 && s[1] == 1) else {
            throw .malformed(path, "labels are \(NpyArray.describe(s)); expected (N,) or (N, 1)")
        }
        guard let labels = array.integers() else {
            throw .malformed(path, "labels are \(array.dtype); expected an integer type")
        }
        guard labels.count == images else {
            throw .malformed(path, "has \(labels.count) labels for \(images) images in \(imagesPath)")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 }) {
            throw .malformed(path, "label \(labels[bad]) of image \(bad) is negative")
        }
        return labels
    }
}
