/// Stride-1 convolutions computed tap by tap on 16-wide row segments, for layers with few output
/// channels. There im2col is the expensive part: it builds Cin·k² rows per output plane (288 rows
/// for SingleLayerCAE's decoder) for a product that is one row tall, and the input gradient folds
/// just as many back. Here every tap is one multiply-add per 16 outputs straight from the input,
/// and the input gradient is the convolution of the (zero-padded) output gradient with the
/// kernel rotated by 180° and its channels swapped (seed 003's identity), which has the few
/// channels on its input side. The forward serves layers with few input channels as well (every
/// seed model's first layer), where im2col's GEMM is only a patch (9 to 100) deep.
///
/// Padded inputs and the backward's planes are first copied into a zero-bordered buffer with 16
/// values of slack per row, so a segment never needs a mask and lanes past the width read zeros;
/// an unpadded forward reads its input in place and stores only the lanes within the width.
final class DirectConvolution: ConvolutionAlgorithm {
    typealias Vector = SIMD16<Float>
    static let slack = Vector.scalarCount

    let geometry: ConvolutionGeometry
    let groupSize = 1
    /// Per thread: the padded copies.
    private let copies: ThreadPartials
    /// Per thread: one sample's output, for a fused consumer.
    private let staging: ThreadPartials
    private let partials: ThreadPartials
    private var weights: UnsafePointer<Float>?

    init(_ g: ConvolutionGeometry, threads: Int, staged: Bool) {
        geometry = g
        copies = ThreadPartials(size: Self.paddedCount(g), threads: threads)
        staging = ThreadPartials(size: staged ? g.output.count : 0, threads: threads)
        partials = ThreadPartials(size: g.weightCount, threads: threads)
    }

    func prepare(_ product: ConvolutionProduct, weights: UnsafePointer<Float>) {
        self.weights = weights
        if product == .weightGradient { partials.zero() }
    }

    func convolve(_ x: Tensor, _ group: Range<Int>, chunk: Int, into y: Tensor) {
        for i in group {
            Self.forward(x.sample(i), weights!, geometry, into: y.sample(i), scratch: copies.slice(chunk))
        }
    }

    /// Only the rows and columns in `region` (when it is at least four rows tall, a row tile).
    func convolveInScratch(_ x: Tensor, _ group: Range<Int>, chunk: Int, region: (Int, Int)) -> GroupPlanes {
        let planes = staging.slice(chunk)
        Self.forward(
            x.sample(group.lowerBound), weights!, geometry, region: region.0 >= 4 ? region : nil, into: planes,
            scratch: copies.slice(chunk))
        return GroupPlanes(samples: planes, geometry.output)
    }

    /// The pool's maxima straight from the registers (the geometry is at least four rows tall).
    var poolsInKernel: Bool { true }

    func convolvePooled(_ x: Tensor, _ group: Range<Int>, chunk: Int, into pooled: Tensor) {
        let region = (2 * pooled.shape.height, 2 * pooled.shape.width)
        for i in group {
            Self.forward(
                x.sample(i), weights!, geometry, region: region, pooled: pooled.shape, into: pooled.sample(i),
                scratch: copies.slice(chunk))
        }
    }

    func adjoint(_ dy: Tensor, _ group: Range<Int>, chunk: Int, into dx: Tensor) {
        for i in group {
            Self.adjoint(dy.sample(i), weights!, geometry, into: dx.sample(i), scratch: copies.slice(chunk))
        }
    }

    func accumulateWeightGradient(x: Tensor, dy: Tensor, _ group: Range<Int>, chunk: Int) {
        for i in group {
            Self.weightGradient(
                x.sample(i), dy.sample(i), geometry, into: partials.slice(chunk), scratch: copies.slice(chunk))
        }
    }

    func addWeightGradient(into gradient: UnsafeMutablePointer<Float>) { partials.reduce(into: gradient) }

    /// Layers with at most this many output channels take this path for both gradients too.
    static let maxOutputChannels = 4
    /// Layers with at most this many input channels (the first layers, whose im2col product is a
    /// GEMM only a patch deep) take it for the forward.
    static let maxInputChannels = 4

    /// Stride 1, and planes at least a segment wide and a row tile tall: the convolution where
    /// either side has few channels, the gradients where the output side has.
    static func serves(_ g: ConvolutionGeometry, _ product: ConvolutionProduct) -> Bool {
        guard fits(g) else { return false }
        return switch product {
        case .convolution: g.output.channels <= maxOutputChannels || g.input.channels <= maxInputChannels
        case .adjoint, .weightGradient: g.output.channels <= maxOutputChannels
        }
    }

    private static func fits(_ g: ConvolutionGeometry) -> Bool {
        g.strideHeight == 1 && g.strideWidth == 1 && g.padHeight < g.kernelHeight && g.padWidth < g.kernelWidth
            && min(g.output.width, g.input.width) >= Vector.scalarCount && min(g.output.height, g.input.height) >= 4
    }

    /// Floats of the two padded copies: the input with `g`'s padding, and the output gradient
    /// with the full convolution's (kernel - 1 - padding).
    static func paddedCount(_ g: ConvolutionGeometry) -> Int {
        inputCopyCount(g) + PaddedPlanes.count(g.output, pad: fullPadding(g), slack: slack)
    }

    private static func inputCopyCount(_ g: ConvolutionGeometry) -> Int {
        PaddedPlanes.count(g.input, pad: (g.padHeight, g.padWidth), slack: slack)
    }

    private static func fullPadding(_ g: ConvolutionGeometry) -> (Int, Int) {
        (g.kernelHeight - 1 - g.padHeight, g.kernelWidth - 1 - g.padWidth)
    }

    /// Weights read as w(out, in, ky, kx) = base[out·outStride + in·inStride + ky·rowStride + kx·columnStride].
    struct Taps {
        let base: UnsafePointer<Float>
        let outStride: Int
        let inStride: Int
        let rowStride: Int
        let columnStride: Int

        @inline(__always)
        func weight(_ o: Int, _ i: Int, _ ky: Int, _ kx: Int) -> Float {
            base[o * outStride + i * inStride + ky * rowStride + kx * columnStride]
        }
    }

    /// y = x ⋆ w (cross-correlation, valid over the padded input, no bias) for one sample of a
    /// Tensor, over the first `region` rows and columns of y (at least four rows) if given. An
    /// unpadded input is read in place: lanes past a row's end are never stored. Given `pooled`
    /// (the output shape of a 2x2 max pool of stride 2, whose windows `region` covers), y holds
    /// that pool's output instead: the maxima are taken in registers.
    static func forward(
        _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ g: ConvolutionGeometry,
        region: (Int, Int)? = nil, pooled: Shape? = nil, into y: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let padded =
            g.padHeight == 0 && g.padWidth == 0
            ? PaddedPlanes(reading: x, g.input)
            : PaddedPlanes(x, g.input, pad: (g.padHeight, g.padWidth), slack: slack, into: scratch)
        let k2 = g.kernelHeight * g.kernelWidth
        let taps = Taps(
            base: w, outStride: g.input.channels * k2, inStride: k2, rowStride: g.kernelWidth, columnStride: 1)
        correlate(
            padded, taps, kernel: (g.kernelHeight, g.kernelWidth), output: g.output, region: region, into: y,
            pooled: pooled)
    }

    /// One sample's dW += dy ⋆ x: each weight sums, over output positions, the output gradient
    /// times the input under that tap.
    static func weightGradient(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvolutionGeometry,
        into dW: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let (kh, kw) = (g.kernelHeight, g.kernelWidth)
        let input = PaddedPlanes(x, g.input, pad: (g.padHeight, g.padWidth), slack: slack, into: scratch)
        // Bordered as the adjoint borders it; its zeros past the width mask the last segment.
        let (fullH, fullW) = fullPadding(g)
        let gradient = PaddedPlanes(dy, g.output, pad: (fullH, fullW), slack: slack, into: scratch + inputCopyCount(g))
        let (outH, outW) = (g.output.height, g.output.width)
        for o in 0..<g.output.channels {
            for i in 0..<g.input.channels {
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        // Two accumulators, alternate rows, halve the chain of dependent adds.
                        var s0 = Vector(), s1 = Vector()
                        for oy in 0..<outH {
                            let d = UnsafeRawPointer(gradient.row(o, oy + fullH) + fullW)
                            let v = UnsafeRawPointer(input.row(i, oy + ky) + kx)
                            var x0 = 0
                            while x0 < outW {
                                let offset = x0 * 4
                                let product =
                                    d.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                                    * v.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                                if oy & 1 == 0 { s0 += product } else { s1 += product }
                                x0 += Vector.scalarCount
                            }
                        }
                        dW[((o * g.input.channels + i) * kh + ky) * kw + kx] += (s0 + s1).sum()
                    }
                }
            }
        }
    }

    /// One sample's dx = dy convolved fully with the kernel rotated 180°, channels swapped.
    static func adjoint(
        _ dy: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ g: ConvolutionGeometry,
        into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let (kh, kw) = (g.kernelHeight, g.kernelWidth)
        let gradient = PaddedPlanes(dy, g.output, pad: fullPadding(g), slack: slack, into: scratch + inputCopyCount(g))
        let taps = Taps(
            base: w + (kh - 1) * kw + (kw - 1), outStride: kh * kw, inStride: g.input.channels * kh * kw,
            rowStride: -kw, columnStride: -1)
        correlate(gradient, taps, kernel: (kh, kw), output: g.input, into: dx)
    }

    /// y[o] = Σ_i Σ_taps w(o, i, ky, kx) · padded[i] shifted over the first `region` rows and
    /// columns of the output planes (all of them by default; the rest is left alone), a register
    /// tile of four rows by one segment at a time, for four output channels where there are four
    /// or more (each tap then loads four rows and four weights for 16 multiply-adds), else for
    /// one. A last block of rows or channels overlaps the one before it; a last segment of eight
    /// lanes or fewer runs eight wide.
    private static func correlate(
        _ padded: PaddedPlanes, _ taps: Taps, kernel: (Int, Int), output: Shape,
        region: (Int, Int)? = nil, into y: UnsafeMutablePointer<Float>, pooled: Shape? = nil
    ) {
        let region = region ?? (output.height, output.width)
        if output.channels >= 4 {
            correlate(
                FourChannels<SIMD16<Float>>.self, FourChannels<SIMD8<Float>>.self, padded, taps, kernel, output, region,
                y, pooled)
        } else {
            correlate(
                OneChannel<SIMD16<Float>>.self, OneChannel<SIMD8<Float>>.self, padded, taps, kernel, output, region, y,
                pooled)
        }
    }

    @inline(__always)
    private static func correlate<Wide: RowTile, Narrow: RowTile>(
        _: Wide.Type, _: Narrow.Type, _ padded: PaddedPlanes, _ taps: Taps, _ kernel: (Int, Int), _ output: Shape,
        _ region: (Int, Int), _ y: UnsafeMutablePointer<Float>, _ pooled: Shape?
    ) {
        let (height, width) = region
        for block in stride(from: 0, to: output.channels, by: Wide.channels) {
            let o = min(block, output.channels - Wide.channels)
            for rows in stride(from: 0, to: height, by: 4) {
                let oy = min(rows, height - 4)
                for x0 in stride(from: 0, to: width, by: Vector.scalarCount) {
                    let lanes = min(Vector.scalarCount, width - x0)
                    let target =
                        if let pooled {
                            Target(
                                y: y + (o * pooled.height + oy / 2) * pooled.width + x0 / 2, plane: pooled.plane,
                                row: pooled.width, lanes: lanes, pooled: true)
                        } else {
                            Target(
                                y: y + (o * output.height + oy) * output.width + x0, plane: output.plane,
                                row: output.width,
                                lanes: lanes, pooled: false)
                        }
                    if target.lanes <= 8 {
                        Narrow.correlate(padded, taps, kernel, channel: o, row: oy, column: x0, into: target)
                    } else {
                        Wide.correlate(padded, taps, kernel, channel: o, row: oy, column: x0, into: target)
                    }
                }
            }
        }
    }

    /// Where a tile's sums go: the first `lanes` of each segment, at `y` for its first channel
    /// and row, `plane` and `row` floats apart; or, if `pooled`, the maxima of their 2x2 windows
    /// (half the rows and lanes, at the pooled planes' `y`, `plane` and `row`).
    struct Target {
        let y: UnsafeMutablePointer<Float>
        let plane: Int
        let row: Int
        let lanes: Int
        let pooled: Bool

        /// The four rows of channel `c`.
        @inline(__always)
        func store<V: Segment>(_ rows: (V, V, V, V), channel c: Int) {
            let y = y + c * plane
            guard pooled else {
                DirectConvolution.store(rows.0.wide, y, lanes); DirectConvolution.store(rows.1.wide, y + row, lanes)
                DirectConvolution.store(rows.2.wide, y + 2 * row, lanes);
                DirectConvolution.store(rows.3.wide, y + 3 * row, lanes)
                return
            }
            let upper = FastMath.larger(rows.0.wide, rows.1.wide), lower = FastMath.larger(rows.2.wide, rows.3.wide)
            DirectConvolution.store(
                SIMD16(lowHalf: FastMath.larger(upper.evenHalf, upper.oddHalf), highHalf: .zero), y, lanes / 2)
            DirectConvolution.store(
                SIMD16(lowHalf: FastMath.larger(lower.evenHalf, lower.oddHalf), highHalf: .zero), y + row, lanes / 2)
        }

    }

    /// Four output rows by one segment of `channels` output channels, summed over every input
    /// channel and tap.
    protocol RowTile {
        static var channels: Int { get }
        static func correlate(
            _ padded: PaddedPlanes, _ taps: Taps, _ kernel: (Int, Int), channel o: Int, row oy: Int,
            column x0: Int, into target: Target)
    }

    enum OneChannel<V: Segment>: RowTile {
        static var channels: Int { 1 }

        @inline(__always)
        static func correlate(
            _ padded: PaddedPlanes, _ taps: Taps, _ kernel: (Int, Int), channel o: Int, row oy: Int,
            column x0: Int, into target: Target
        ) {
            let pitch = padded.width * 4
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            for i in 0..<padded.channels {
                for ky in 0..<kernel.0 {
                    let r = UnsafeRawPointer(padded.row(i, oy + ky) + x0)
                    for kx in 0..<kernel.1 {
                        let w = V(repeating: taps.weight(o, i, ky, kx)), offset = kx * 4
                        a0.addProduct(w, r.loadUnaligned(fromByteOffset: offset, as: V.self))
                        a1.addProduct(w, r.loadUnaligned(fromByteOffset: offset + pitch, as: V.self))
                        a2.addProduct(w, r.loadUnaligned(fromByteOffset: offset + 2 * pitch, as: V.self))
                        a3.addProduct(w, r.loadUnaligned(fromByteOffset: offset + 3 * pitch, as: V.self))
                    }
                }
            }
            target.store((a0, a1, a2, a3), channel: 0)
        }
    }

    enum FourChannels<V: Segment>: RowTile {
        static var channels: Int { 4 }

        @inline(__always)
        static func correlate(
            _ padded: PaddedPlanes, _ taps: Taps, _ kernel: (Int, Int), channel o: Int, row oy: Int,
            column x0: Int, into target: Target
        ) {
            let pitch = padded.width * 4
            var a00 = V(), a01 = V(), a02 = V(), a03 = V(), a10 = V(), a11 = V(), a12 = V(), a13 = V()
            var a20 = V(), a21 = V(), a22 = V(), a23 = V(), a30 = V(), a31 = V(), a32 = V(), a33 = V()
            for i in 0..<padded.channels {
                for ky in 0..<kernel.0 {
                    let r = UnsafeRawPointer(padded.row(i, oy + ky) + x0)
                    for kx in 0..<kernel.1 {
                        let offset = kx * 4
                        let v0 = r.loadUnaligned(fromByteOffset: offset, as: V.self)
                        let v1 = r.loadUnaligned(fromByteOffset: offset + pitch, as: V.self)
                        let v2 = r.loadUnaligned(fromByteOffset: offset + 2 * pitch, as: V.self)
                        let v3 = r.loadUnaligned(fromByteOffset: offset + 3 * pitch, as: V.self)
                        var w = V(repeating: taps.weight(o, i, ky, kx))
                        a00.addProduct(w, v0); a01.addProduct(w, v1); a02.addProduct(w, v2); a03.addProduct(w, v3)
                        w = V(repeating: taps.weight(o + 1, i, ky, kx))
                        a10.addProduct(w, v0); a11.addProduct(w, v1); a12.addProduct(w, v2); a13.addProduct(w, v3)
                        w = V(repeating: taps.weight(o + 2, i, ky, kx))
                        a20.addProduct(w, v0); a21.addProduct(w, v1); a22.addProduct(w, v2); a23.addProduct(w, v3)
                        w = V(repeating: taps.weight(o + 3, i, ky, kx))
                        a30.addProduct(w, v0); a31.addProduct(w, v1); a32.addProduct(w, v2); a33.addProduct(w, v3)
                    }
                }
            }
            target.store((a00, a01, a02, a03), channel: 0); target.store((a10, a11, a12, a13), channel: 1)
            target.store((a20, a21, a22, a23), channel: 2); target.store((a30, a31, a32, a33), channel: 3)
        }
    }

    /// The first `lanes` of `v` at `p`, in at most four stores of 8, 4, 2 and 1 (lane by lane,
    /// each lane is extracted on its own and those stores cost more than the multiply-adds).
    @inline(__always)
    fileprivate static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
        let raw = UnsafeMutableRawPointer(p)
        if lanes == Vector.scalarCount {
            raw.storeBytes(of: v, as: Vector.self)
            return
        }
        var (eight, at) = (v.lowHalf, 0)
        if lanes >= 8 { raw.storeBytes(of: eight, as: SIMD8<Float>.self); (eight, at) = (v.highHalf, 8) }
        var four = eight.lowHalf
        if lanes - at >= 4 {
            raw.storeBytes(of: four, toByteOffset: 4 * at, as: SIMD4<Float>.self); (four, at) = (eight.highHalf, at + 4)
        }
        var two = four.lowHalf
        if lanes - at >= 2 {
            raw.storeBytes(of: two, toByteOffset: 4 * at, as: SIMD2<Float>.self); (two, at) = (four.highHalf, at + 2)
        }
        if lanes - at >= 1 { p[at] = two[0] }
    }
}

/// A row segment of sums, 16 or 8 lanes, stored through 16 (an 8-lane one stores at most 8).
protocol Segment: SIMD where Scalar == Float {
    var wide: SIMD16<Float> { get }
}

extension SIMD16: Segment where Scalar == Float {
    var wide: SIMD16<Float> { self }
}

extension SIMD8: Segment where Scalar == Float {
    var wide: SIMD16<Float> { SIMD16(lowHalf: self, highHalf: .zero) }
}
