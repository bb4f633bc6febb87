import Engine
import Plugins

/// Walks an image set in batches of floats: reshuffled each epoch from the run's generator when
/// training, in file order when evaluating; the last batch of an epoch is partial, as DTB counted
/// (ceil(N / batch) steps), the same way in both.
public struct Batcher: Sendable {
    public let images: ImageSet
    public let batchSize: Int
    public private(set) var order: [Int32]

    public init(_ images: ImageSet, batchSize: Int) {
        precondition(batchSize > 0, "batch size must be positive")
        self.images = images
        self.batchSize = batchSize
        order = (0..<Int32(images.count)).map { $0 }
    }

    public var batchesPerEpoch: Int { (images.count + batchSize - 1) / batchSize }

    /// A fresh permutation (Fisher-Yates) for the next epoch.
    public mutating func shuffle(using generator: inout RandomGenerator) {
        order = (0..<Int32(images.count)).map { $0 }
        order.shuffle(using: &generator)
    }

    /// How many images batch `index` holds.
    public func count(ofBatch index: Int) -> Int { min(batchSize, images.count - index * batchSize) }

    /// Writes `share` of batch `index` into `input` (scaled to `range`) and its labels into
    /// `labels`; returns how many images it wrote.
    public func fill(
        batch index: Int, share: BatchShare = .whole, into input: Tensor, labels: UnsafeMutablePointer<Int32>?,
        range: PixelRange
    ) -> Int {
        let samples = share.samples(of: count(ofBatch: index))
        let start = index * batchSize + samples.lowerBound
        let n = samples.count
        let size = images.shape.count
        for i in 0..<n {
            let image = Int(order[start + i])
            images.pixels.scale(image: image, size: size, into: input.sample(i), range: range)
            labels?[i] = images.labels[image]
        }
        return n
    }
}
