import Engine

/// Labelled images as their files store them (Fashion-MNIST's 70,000 images are 55 MB as bytes),
/// NCHW per image; they become floats one batch at a time. The pixels are a slice of the file's
/// values as read: neither the header nor the validation split costs a copy of the images.
public struct ImageSet: Sendable {
    public let shape: Shape
    public let pixels: Pixels
    public let labels: [Int32]

    public init(shape: Shape, pixels: Pixels, labels: [Int32]) {
        precondition(
            pixels.count == shape.count * labels.count, "\(pixels.count) pixels for \(labels.count) images of \(shape)")
        self.shape = shape
        self.pixels = pixels
        self.labels = labels
    }

    public init(shape: Shape, pixels: [UInt8], labels: [Int32]) {
        self.init(shape: shape, pixels: .bytes(pixels[...]), labels: labels)
    }

    public init(shape: Shape, pixels: ArraySlice<UInt8>, labels: [Int32]) {
        self.init(shape: shape, pixels: .bytes(pixels), labels: labels)
    }

    public var count: Int { labels.count }

    /// The images in `range`, sharing this set's pixels.
    public func subset(_ range: Range<Int>) -> ImageSet {
        ImageSet(
            shape: shape, pixels: pixels.slice((range.lowerBound * shape.count)..<(range.upperBound * shape.count)),
            labels: Array(labels[range]))
    }

    /// DTB's split of a training file: all but the last twelfth trains, the last twelfth
    /// validates (55,000 / 5,000 for MNIST's 60,000).
    public func splitForValidation() -> (train: ImageSet, validation: ImageSet) {
        let validation = count / 12
        return (subset(0..<(count - validation)), subset((count - validation)..<count))
    }

    /// `parts` (of one shape and one kind of pixels) one after another.
    public static func joined(_ parts: [ImageSet]) -> ImageSet {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.shape == parts[0].shape }, "joining different shapes")
        return ImageSet(
            shape: parts[0].shape, pixels: .joined(parts.map(\.pixels)), labels: parts.flatMap(\.labels))
    }
}

extension ImageSet {
    /// Image `i` as bytes (C x H x W): float intensities are scaled to 0-255 and rounded, so that
    /// image files can be written from any set.
    public func bytes(of i: Int) -> [UInt8] {
        switch pixels.slice((i * shape.count)..<((i + 1) * shape.count)) {
        case .bytes(let values): return Array(values)
        case .intensities(let values):
            return values.map { UInt8(($0.isNaN ? 0 : min(max($0, 0), 1) * 255).rounded()) }
        }
    }
}
