import Engine
import Plugins

/// `--input_noise`: how a denoising autoencoder corrupts its training inputs; the loss compares
/// the output with the clean image. `gaussian:SIGMA` adds normal noise of standard deviation
/// SIGMA in the model's pixel units (DTB's StackedDenoisingCAE adds its noise to [-1, 1] pixels
/// too) and clips to the model's range; `masking:P` sets each pixel to the range's minimum with
/// probability P: 0 in [0, 1], as in Vincent et al.'s masking noise and Keras's denoising
/// examples, and -1 in [-1, 1], the black pixel that masking the byte would give, not mid-grey.
public enum InputNoise: Equatable, Sendable {
    case gaussian(sigma: Double)
    case masking(probability: Double)

    /// `--input_noise`'s value: `gaussian:SIGMA` or `masking:P`.
    public init(flag text: String) throws(BenchError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let number = parts.count == 2 ? Double(parts[1]) : nil
        switch parts[0] {
        case "gaussian" where parts.count == 2:
            // A sigma that Float cannot hold would turn a zero draw into NaN.
            guard let sigma = number, sigma > 0, Float(sigma) > 0, Float(sigma).isFinite else {
                throw .usage("gaussian:SIGMA takes a finite number above 0, not '\(parts[1])'")
            }
            self = .gaussian(sigma: sigma)
        case "masking" where parts.count == 2:
            guard let probability = number, probability > 0, probability <= 1 else {
                throw .usage("masking:P takes a probability above 0 and at most 1, not '\(parts[1])'")
            }
            self = .masking(probability: probability)
        default:
            throw .usage("'\(text)' is neither gaussian:SIGMA nor masking:P")
        }
    }

    private var spelling: (name: String, value: String) {
        switch self {
        case .gaussian(let sigma): ("gaussian", pythonFloat(sigma))
        case .masking(let probability): ("masking", pythonFloat(probability))
        }
    }

    /// As `--input_noise` takes it: `gaussian:0.1`.
    public var flagValue: String { spelling.name + ":" + spelling.value }

    /// As the run name writes it: `gaussian0.1`.
    public var runNameTag: String { spelling.name + spelling.value }

    /// Corrupts `count` pixels in place. Pixel i's draw is value i of the SplitMix64 stream from
    /// `key` (a normal number through the ziggurat, `NormalZiggurat`), so any thread can corrupt
    /// any image and get the same pixels.
    public func corrupt(_ image: UnsafeMutablePointer<Float>, count: Int, range: PixelRange, key: UInt64) {
        let (low, high) = (range.minimum, range.maximum)
        switch self {
        case .gaussian(let sigma):
            NormalZiggurat.add(to: image, count: count, scale: Float(sigma), low: low, high: high, key: key)
        case .masking(let probability):
            let threshold = UInt64((probability * 16_777_216).rounded(.up))
            // A select, not a branch that would be mispredicted as often as P is near one half.
            for i in 0..<count { image[i] = RandomGenerator.splitMix(key, i) >> 40 < threshold ? low : image[i] }
        }
    }
}
