import Engine
import Plugins

/// What a training batch goes through once the batcher has filled the network's input:
/// `--augment` on every image (an autoencoder's target is the augmented image), then
/// `--input_noise` on the input alone, the clean images kept aside as the loss's target. Each
/// draw is a counter-based value keyed by the run's seed, the step, the image's place in the batch
/// and the pixel, so the batches do not depend on the thread count, a resumed run draws what an
/// uninterrupted one would, and a step allocates nothing (the job and the target are made once).
public final class TrainingInputs {
    public let augmentation: Augmentation
    public let noise: InputNoise?
    private let seed: UInt64
    private let range: PixelRange
    private let input: Tensor
    private let pool: ThreadPool
    /// The clean images of a noisy batch; nil when the input is its own target.
    private let clean: Buffer<Float>?
    /// The step being prepared, read by the job's threads.
    private var step = 0
    /// The place in the whole batch of the input's first image (`prepare`).
    private var firstImage = 0
    private lazy var job: ParallelJob = { [unowned self] _, images in
        let shape = input.shape
        for i in images {
            let image = input.sample(i)
            if !augmentation.isEmpty {
                let draw = TrainingInputs.key(seed, .augmentation, step: step, image: firstImage + i)
                augmentation.apply(to: image, shape: shape, draw: draw, fill: range.minimum)
            }
            if let noise, let clean {
                (clean.pointer + i * shape.count).update(from: image, count: shape.count)
                noise.corrupt(
                    image, count: shape.count, range: range,
                    key: TrainingInputs.key(seed, .noise, step: step, image: firstImage + i))
            }
        }
    }

    /// Draws for `network`'s input; the target buffer is allocated here when there is noise.
    public init(augmentation: Augmentation, noise: InputNoise?, seed: UInt64, range: PixelRange, network: Network) {
        self.augmentation = augmentation
        self.noise = noise
        self.seed = seed
        self.range = range
        input = network.inputTensor
        pool = network.threadPool
        clean = noise.map { _ in Buffer<Float>(count: network.inputTensor.count, initialValue: 0) }
    }

    /// The autoencoder's target when it is not the input: the clean images of a noisy batch.
    public var target: UnsafePointer<Float>? { clean.map { UnsafePointer($0.pointer) } }

    /// Augments and corrupts the first `batch` images of the input for training step `step`; they
    /// are the whole batch's from `firstImage` on (a process's share of it), whose draws they take.
    public func prepare(batch: Int, step: Int, firstImage: Int = 0) {
        guard !augmentation.isEmpty || noise != nil else { return }
        self.step = step
        self.firstImage = firstImage
        pool.parallelFor(batch, job)
    }

    /// The independent streams of draws.
    enum Stream: UInt64 {
        case augmentation = 0x6A09_E667_F3BC_C908
        case noise = 0xBB67_AE85_84CA_A73B
        case pictures = 0x3C6E_F372_FE94_F82B
    }

    /// The key of image `image`'s draws in `stream` at training step `step`.
    static func key(_ seed: UInt64, _ stream: Stream, step: Int, image: Int) -> UInt64 {
        RandomGenerator.splitMix(RandomGenerator.splitMix(seed ^ stream.rawValue, step), image)
    }

    /// The noise of the pictures' inputs: the same every epoch, so that the pictures compare.
    public static func pictureNoiseKey(seed: UInt64, image: Int) -> UInt64 {
        key(seed, .pictures, step: 0, image: image)
    }
}
