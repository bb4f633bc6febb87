import Engine

/// Labelled images kept as bytes (Fashion-MNIST's 70,000 images are 55 MB this way), NCHW per
/// image; they become floats one batch at a time. The pixels are a slice of the file's bytes as
/// read: neither the header nor the validation split costs a copy of the images.
public struct ImageSet: Sendable {
    public let shape: Shape
    public let pixels: ArraySlice<UInt8>
    public let labels: [Int32]

    public init(shape: Shape, pixels: [UInt8], labels: [Int32]) {
        self.init(shape: shape, pixels: pixels[...], labels: labels)
    }

    public init(shape: Shape, pixels: ArraySlice<UInt8>, labels: [Int32]) {
        precondition(
            pixels.count == shape.count * labels.count, "\(pixels.count) pixels for \(labels.count) images of \(shape)")
        self.shape = shape
        self.pixels = pixels
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// The images in `range`, sharing this set's bytes.
    public func subset(_ range: Range<Int>) -> ImageSet {
        let start = pixels.startIndex
        return ImageSet(
            shape: shape,
            pixels: pixels[(start + range.lowerBound * shape.count)..<(start + range.upperBound * shape.count)],
            labels: Array(labels[range]))
    }

    /// DTB's split of a training file: all but the last twelfth trains, the last twelfth
    /// validates (55,000 / 5,000 for MNIST's 60,000).
    public func splitForValidation() -> (train: ImageSet, validation: ImageSet) {
        let validation = count / 12
        return (subset(0..<(count - validation)), subset((count - validation)..<count))
    }
}

extension ImageSet {
    /// Image `i`'s bytes (C x H x W).
    public func bytes(of i: Int) -> [UInt8] {
        let start = pixels.startIndex + i * shape.count
        return Array(pixels[start..<(start + shape.count)])
    }
}
