/// One axis of Pillow's resampling, as libImaging/Resample.c computes it (`precompute_coeffs`,
/// then `normalize_coeffs_8bpc`), once per input size, output size and filter. Output sample i
/// is the weighted sum of input samples `first[i] ..< first[i] + count[i]`, with weights in fixed
/// point of `precisionBits` fraction bits. The arithmetic follows Pillow's step by step, in the
/// same double-precision operations, so that the weights, and the pixels, come out identical.
struct ResampleAxis: Sendable {
    enum Filter: Sendable {
        /// Each output sample averages the input samples its footprint covers (Pillow's BOX).
        case box
        /// A triangle one input sample wide on each side (Pillow's BILINEAR).
        case bilinear

        /// Half the filter's width, in input samples, before it is stretched for shrinking.
        var support: Double {
            switch self {
            case .box: 0.5
            case .bilinear: 1.0
            }
        }

        func weight(_ x: Double) -> Double {
            switch self {
            case .box: x > -0.5 && x <= 0.5 ? 1.0 : 0.0
            case .bilinear: abs(x) < 1.0 ? 1.0 - abs(x) : 0.0
            }
        }
    }

    /// Pillow's `PRECISION_BITS` (32 - 8 - 2): room for an 8-bit sample times a weight sum of a
    /// little over 1, in a 32-bit sum.
    static let precisionBits = 22

    let inputSize: Int
    let outputSize: Int
    /// The most input samples any output sample reads (Pillow's `ksize`): the row length of
    /// `weights`.
    let taps: Int
    let first: [Int]
    let count: [Int]
    let weights: [Int32]

    init(inputSize: Int, outputSize: Int, filter: Filter) {
        precondition(inputSize > 0 && outputSize > 0, "resampling \(inputSize) samples to \(outputSize)")
        self.inputSize = inputSize
        self.outputSize = outputSize
        let scale = Double(inputSize) / Double(outputSize)
        // Shrinking stretches the filter to cover each output sample's footprint.
        let filterScale = max(scale, 1.0)
        let support = filter.support * filterScale
        let taps = Int(support.rounded(.up)) * 2 + 1
        var first = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * taps)
        var raw = [Double](repeating: 0, count: taps)
        for out in 0..<outputSize {
            let center = (Double(out) + 0.5) * scale
            let inverseScale = 1.0 / filterScale
            // Pillow's `(int)(x + 0.5)`: rounds by truncating toward zero.
            let low = max(Int(center - support + 0.5), 0)
            let n = max(min(Int(center + support + 0.5), inputSize) - low, 0)
            var total = 0.0
            for k in 0..<n {
                raw[k] = filter.weight((Double(k + low) - center + 0.5) * inverseScale)
                total += raw[k]
            }
            for k in 0..<n {
                let normalised = total != 0.0 ? raw[k] / total : raw[k]
                // The filters' weights are never negative, so Pillow's rounding is + 0.5 and truncation.
                weights[out * taps + k] = Int32(0.5 + normalised * Double(1 << Self.precisionBits))
            }
            first[out] = low
            count[out] = n
        }
        self.taps = taps
        self.first = first
        self.count = count
        self.weights = weights
    }
}
