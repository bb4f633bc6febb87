/// Resizing as Pillow's `Image.resize(size, filter)` does it (libImaging/Resample.c), with the
/// filter chosen per axis: BOX where the axis shrinks (each output pixel the mean of the input
/// pixels its footprint covers, partly covered ones in part), BILINEAR where it grows, and no
/// pass where it keeps its size. As in Pillow, the horizontal pass runs first and rounds to 8 bits,
/// then the vertical pass reads its rows; each output sample is a 32-bit fixed-point sum started
/// at one half, shifted down and clamped to 0-255. Every step is Pillow's own arithmetic, so the
/// pixels are the ones Pillow computes.
///
/// A `PillowResize` is made once per pair of sizes (it holds both axes' weights); resizing an
/// image then allocates nothing but its output and the one intermediate plane.
public struct PillowResize: Sendable {
    public let inputWidth: Int
    public let inputHeight: Int
    public let outputWidth: Int
    public let outputHeight: Int
    let horizontal: ResampleAxis?
    let vertical: ResampleAxis?

    public init(
        fromWidth inputWidth: Int, height inputHeight: Int, toWidth outputWidth: Int, height outputHeight: Int
    ) {
        precondition(
            min(inputWidth, inputHeight, outputWidth, outputHeight) > 0,
            "resizing \(inputWidth)x\(inputHeight) to \(outputWidth)x\(outputHeight)")
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        horizontal = Self.axis(from: inputWidth, to: outputWidth)
        vertical = Self.axis(from: inputHeight, to: outputHeight)
    }

    static func axis(from input: Int, to output: Int) -> ResampleAxis? {
        input == output
            ? nil : ResampleAxis(inputSize: input, outputSize: output, filter: output < input ? .box : .bilinear)
    }

    public func resize(_ image: DecodedImage) -> DecodedImage {
        let count = image.channels * outputWidth * outputHeight
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            resize(image, into: out)
            initialized = count
        }
        return DecodedImage(width: outputWidth, height: outputHeight, channels: image.channels, planes: pixels)
    }

    /// Writes the image's planes, resized, to the first `channels * outputHeight * outputWidth`
    /// bytes of `output` (a slot of a dataset's N x C x H x W array).
    public func resize(_ image: DecodedImage, into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(
            image.width == inputWidth && image.height == inputHeight,
            "resizing a \(image.width)x\(image.height) image with a resize from \(inputWidth)x\(inputHeight)")
        let inputArea = inputWidth * inputHeight, outputArea = outputWidth * outputHeight
        precondition(output.count >= image.channels * outputArea, "\(output.count) bytes for the resized image")
        // The horizontal pass's output, which the vertical pass reads: on the stack when small.
        let intermediateCount = horizontal == nil ? 0 : outputWidth * inputHeight
        image.pixels.withUnsafeBufferPointer { source in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: intermediateCount) { intermediate in
                for c in 0..<image.channels {
                    let plane = UnsafeBufferPointer(rebasing: source[c * inputArea..<(c + 1) * inputArea])
                    let target = UnsafeMutableBufferPointer(rebasing: output[c * outputArea..<(c + 1) * outputArea])
                    switch (horizontal, vertical) {
                    case (nil, nil):
                        _ = target.initialize(fromContentsOf: plane)
                    case (let h?, nil):
                        Self.resampleRows(plane, rows: inputHeight, h, into: target)
                    case (nil, let v?):
                        Self.resampleColumns(plane, width: inputWidth, v, into: target)
                    case (let h?, let v?):
                        Self.resampleRows(plane, rows: inputHeight, h, into: intermediate)
                        Self.resampleColumns(UnsafeBufferPointer(intermediate), width: outputWidth, v, into: target)
                    }
                }
            }
        }
    }

    /// Pillow's `clip8`: the fixed-point sum's integer part, clamped to a byte.
    @inline(__always)
    static func clip(_ sum: Int32) -> UInt8 { UInt8(clamping: sum >> Int32(ResampleAxis.precisionBits)) }

    /// One half in fixed point: the sums start there, so the shift rounds.
    static let half = Int32(1) << Int32(ResampleAxis.precisionBits - 1)

    /// The horizontal pass (Pillow's `ImagingResampleHorizontal_8bpc`) over `rows` rows.
    static func resampleRows(
        _ source: UnsafeBufferPointer<UInt8>, rows: Int, _ axis: ResampleAxis,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        let inWidth = axis.inputSize, outWidth = axis.outputSize, taps = axis.taps
        precondition(source.count >= rows * inWidth && out.count >= rows * outWidth)
        axis.weights.withUnsafeBufferPointer { weights in
            axis.first.withUnsafeBufferPointer { first in
                axis.count.withUnsafeBufferPointer { count in
                    for y in 0..<rows {
                        let row = source.baseAddress! + y * inWidth
                        for x in 0..<outWidth {
                            let start = row + first[x], k = weights.baseAddress! + x * taps
                            var sum = half
                            for i in 0..<count[x] { sum &+= Int32(start[i]) &* k[i] }
                            out[y * outWidth + x] = clip(sum)
                        }
                    }
                }
            }
        }
    }

    /// The vertical pass (Pillow's `ImagingResampleVertical_8bpc`) over rows of `width` pixels.
    static func resampleColumns(
        _ source: UnsafeBufferPointer<UInt8>, width: Int, _ axis: ResampleAxis,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        let taps = axis.taps
        precondition(source.count >= axis.inputSize * width && out.count >= axis.outputSize * width)
        axis.weights.withUnsafeBufferPointer { weights in
            for y in 0..<axis.outputSize {
                let start = source.baseAddress! + axis.first[y] * width, k = weights.baseAddress! + y * taps
                let n = axis.count[y]
                for x in 0..<width {
                    var sum = half
                    for i in 0..<n { sum &+= Int32(start[i * width + x]) &* k[i] }
                    out[y * width + x] = clip(sum)
                }
            }
        }
    }
}
