/// Convolutions with a multiple of 32 output channels, computed without im2col: 32 output
/// channels of one position sit in two 16-wide registers, and every input value under a tap is
/// broadcast and multiplied into them. Eight positions (forward) or eight taps (weight gradient)
/// make a tile of 16 accumulators (with 24, spills eat the gain), each multiply-add needs about
/// half a load, and nothing is unrolled into memory first. Positions and taps are walked through
/// offset tables, which covers any stride; padded inputs are copied into a zero border first.
///
/// Weights are used transposed, patch x channels (`[ci][ky][kx][co]`), and the weight gradient is
/// accumulated in that layout; the layer transposes both once per pass.
final class ChannelVectorConvolution: ConvolutionAlgorithm {
    typealias Vector = SIMD16<Float>
    static let channelBlock = 2 * Vector.scalarCount
    static let tile = 8

    let geometry: ConvolutionGeometry
    let groupSize = 1
    let plan: Plan
    /// Per thread: the padded input and a channels-last plane.
    private let copies: ThreadPartials
    /// Per thread: one sample's output, for a fused consumer.
    private let staging: ThreadPartials
    /// Partial weight gradients, patch x out.
    private let partials: ThreadPartials
    /// The weights as the prepared product reads them (patch x out, or the adjoint's layout),
    /// and after a backward pass the reduced weight gradient in the patch x out layout.
    private let laidOut: Buffer<Float>

    init(_ g: ConvolutionGeometry, threads: Int, staged: Bool) {
        geometry = g
        plan = Plan(g)
        copies = ThreadPartials(size: plan.scratchCount, threads: threads)
        staging = ThreadPartials(size: staged ? g.output.count : 0, threads: threads)
        partials = ThreadPartials(size: g.weightCount, threads: threads)
        laidOut = Buffer(count: g.weightCount, initialValue: 0)
    }

    /// Output channels in multiples of 32 and patches of 64 or more; the adjoint needs the input
    /// channels in multiples of 32 too.
    static func serves(_ g: ConvolutionGeometry, _ product: ConvolutionProduct) -> Bool {
        guard g.output.channels % channelBlock == 0 && g.patch >= minimumPatch else { return false }
        return product != .adjoint || g.input.channels % channelBlock == 0
    }

    func prepare(_ product: ConvolutionProduct, weights: UnsafePointer<Float>) {
        switch product {
        case .convolution:
            Self.transpose(weights, rows: geometry.output.channels, columns: geometry.patch, into: laidOut.pointer)
        case .adjoint: Self.adjointLayout(weights, geometry, into: laidOut.pointer)
        case .weightGradient: partials.zero()
        }
    }

    func convolve(_ x: Tensor, _ group: Range<Int>, chunk: Int, into y: Tensor) {
        for i in group {
            Self.forward(x.sample(i), laidOut.pointer, plan, into: y.sample(i), scratch: copies.slice(chunk))
        }
    }

    func convolveInScratch(_ x: Tensor, _ group: Range<Int>, chunk: Int, region: (Int, Int)) -> GroupPlanes {
        let planes = staging.slice(chunk)
        Self.forward(x.sample(group.lowerBound), laidOut.pointer, plan, into: planes, scratch: copies.slice(chunk))
        return GroupPlanes(samples: planes, geometry.output)
    }

    /// The maxima taken across the channels-last sums, before the transpose.
    var poolsInKernel: Bool { true }

    func convolvePooled(_ x: Tensor, _ group: Range<Int>, chunk: Int, into pooled: Tensor) {
        for i in group {
            Self.forward(
                x.sample(i), laidOut.pointer, plan, pooled: pooled.shape, into: pooled.sample(i),
                scratch: copies.slice(chunk))
        }
    }

    func adjoint(_ dy: Tensor, _ group: Range<Int>, chunk: Int, into dx: Tensor) {
        for i in group {
            Self.adjoint(dy.sample(i), laidOut.pointer, plan, into: dx.sample(i), scratch: copies.slice(chunk))
        }
    }

    func accumulateWeightGradient(x: Tensor, dy: Tensor, _ group: Range<Int>, chunk: Int) {
        for i in group {
            Self.weightGradient(
                x.sample(i), dy.sample(i), plan, into: partials.slice(chunk), scratch: copies.slice(chunk))
        }
    }

    /// The partial sums reduced in their patch x out layout, then added transposed.
    func addWeightGradient(into gradient: UnsafeMutablePointer<Float>) {
        let g = geometry, sum = laidOut.pointer
        sum.update(repeating: 0, count: g.weightCount)
        partials.reduce(into: sum)
        for k in 0..<g.patch {
            for o in 0..<g.output.channels { gradient[o * g.patch + k] += sum[k * g.output.channels + o] }
        }
    }

    /// Small patches (one input channel and a small kernel, as every seed model's first layer)
    /// stay with im2col: there the GEMM writes the planes in place, while this path would spend
    /// as much on transposing its channels-last output as on the multiply-adds.
    static let minimumPatch = 64

    /// The offset tables of one geometry, made when the layer is planned.
    final class Plan: @unchecked Sendable {
        let g: ConvolutionGeometry
        let padded: Bool
        let paddedHeight: Int
        let paddedWidth: Int
        /// Per output position: where its top-left tap reads in the (padded) input.
        let positions: Buffer<Int>
        /// Per patch row (ci, ky, kx): its distance from the top-left tap.
        let taps: Buffer<Int>
        /// For the adjoint: where each output channel's plane starts, and each position's index.
        let planes: Buffer<Int>
        let indices: Buffer<Int>

        init(_ g: ConvolutionGeometry) {
            self.g = g
            padded = g.padHeight > 0 || g.padWidth > 0
            paddedHeight = g.input.height + 2 * g.padHeight
            paddedWidth = g.input.width + 2 * g.padWidth
            positions = Buffer(count: g.positions, initialValue: 0)
            for oy in 0..<g.output.height {
                for ox in 0..<g.output.width {
                    positions.pointer[oy * g.output.width + ox] = oy * g.strideHeight * paddedWidth + ox * g.strideWidth
                }
            }
            planes = Buffer(count: g.output.channels, initialValue: 0)
            for c in 0..<g.output.channels { planes.pointer[c] = c * g.positions }
            indices = Buffer(count: g.positions, initialValue: 0)
            for p in 0..<g.positions { indices.pointer[p] = p }
            taps = Buffer(count: g.patch, initialValue: 0)
            var k = 0
            for c in 0..<g.input.channels {
                for ky in 0..<g.kernelHeight {
                    for kx in 0..<g.kernelWidth {
                        taps.pointer[k] = (c * paddedHeight + ky) * paddedWidth + kx
                        k += 1
                    }
                }
            }
        }

        /// Whether the adjoint (the input gradient, a transposed convolution's forward) runs here
        /// too: it needs the input channels in multiples of 32.
        var coversAdjoint: Bool { g.input.channels % channelBlock == 0 }

        /// Per-thread scratch floats: the padded input, and one sample's channels-last plane (of
        /// the output, or of the padded input for the adjoint).
        var scratchCount: Int {
            let input = g.input.channels * paddedHeight * paddedWidth
            return (padded ? input : 0) + max(g.positions * g.output.channels, coversAdjoint ? input : 0)
        }

        /// The sample as the kernels read it: itself, or copied into the zero border.
        func source(_ x: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
            guard padded else { return x }
            return UnsafePointer(PaddedPlanes(x, g.input, pad: (g.padHeight, g.padWidth), slack: 0, into: scratch).base)
        }

        /// Where the channels-last plane lives in the scratch.
        func lastScratch(_ scratch: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
            scratch + (padded ? g.input.channels * paddedHeight * paddedWidth : 0)
        }
    }

    /// wa[ky][kx][co][ci] = w[co][ci][ky][kx]: the weights as the adjoint reads them.
    static func adjointLayout(_ w: UnsafePointer<Float>, _ g: ConvolutionGeometry, into wa: UnsafeMutablePointer<Float>)
    {
        let (cout, cin, kh, kw) = (g.output.channels, g.input.channels, g.kernelHeight, g.kernelWidth)
        for o in 0..<cout {
            for i in 0..<cin {
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        wa[((ky * kw + kx) * cout + o) * cin + i] = w[((o * cin + i) * kh + ky) * kw + kx]
                    }
                }
            }
        }
    }

    typealias Block = (
        SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
        SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>
    )

    /// dst (columns x rows) = src (rows x columns) transposed: the weights as the kernels read
    /// them, and planes to and from channels-last. 8 x 8 blocks go through registers (a plain
    /// loop compiles to scatters, which cost more than the multiply-adds of a small patch).
    static func transpose(_ src: UnsafePointer<Float>, rows: Int, columns: Int, into dst: UnsafeMutablePointer<Float>) {
        let fullRows = rows / 8 * 8, fullColumns = columns / 8 * 8
        for r0 in stride(from: 0, to: fullRows, by: 8) {
            for c0 in stride(from: 0, to: fullColumns, by: 8) {
                func row(_ i: Int) -> SIMD8<Float> {
                    UnsafeRawPointer(src + (r0 + i) * columns + c0).loadUnaligned(as: SIMD8<Float>.self)
                }
                let t = unshuffle(
                    unshuffle(unshuffle((row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7)))))
                func put(_ j: Int, _ v: SIMD8<Float>) {
                    UnsafeMutableRawPointer(dst + (c0 + j) * rows + r0).storeBytes(of: v, as: SIMD8<Float>.self)
                }
                put(0, t.0); put(1, t.1); put(2, t.2); put(3, t.3); put(4, t.4); put(5, t.5); put(6, t.6); put(7, t.7)
            }
            for r in r0..<(r0 + 8) { for c in fullColumns..<columns { dst[c * rows + r] = src[r * columns + c] } }
        }
        for r in fullRows..<rows { for c in 0..<columns { dst[c * rows + r] = src[r * columns + c] } }
    }

    /// The 64 values in reading order, even positions first, then odd ones. Three times over,
    /// that moves the value at (row, column) to (column, row): each round rotates the six bits
    /// of its position right by one, and three rotations swap the row and column bits.
    @inline(__always)
    private static func unshuffle(_ v: Block) -> Block {
        (
            SIMD8(lowHalf: v.0.evenHalf, highHalf: v.1.evenHalf), SIMD8(lowHalf: v.2.evenHalf, highHalf: v.3.evenHalf),
            SIMD8(lowHalf: v.4.evenHalf, highHalf: v.5.evenHalf), SIMD8(lowHalf: v.6.evenHalf, highHalf: v.7.evenHalf),
            SIMD8(lowHalf: v.0.oddHalf, highHalf: v.1.oddHalf), SIMD8(lowHalf: v.2.oddHalf, highHalf: v.3.oddHalf),
            SIMD8(lowHalf: v.4.oddHalf, highHalf: v.5.oddHalf), SIMD8(lowHalf: v.6.oddHalf, highHalf: v.7.oddHalf)
        )
    }

    /// Eight pairs of accumulators: the register tile all three kernels are made of. Pair j
    /// holds 32 channels (two vectors) of one position (forward, adjoint) or one tap (weight
    /// gradient).
    struct Tile {
        var a0 = Vector(), b0 = Vector(), a1 = Vector(), b1 = Vector(), a2 = Vector(), b2 = Vector()
        var a3 = Vector(), b3 = Vector(), a4 = Vector(), b4 = Vector(), a5 = Vector(), b5 = Vector()
        var a6 = Vector(), b6 = Vector(), a7 = Vector(), b7 = Vector()

        /// For each step s < `count`, with base = values + steps[s] and (v, w) the two vectors
        /// at pairs + s·pairStride floats: pair j += base[offsets[first + j]] · (v, w). A short
        /// last tile repeats its last offset (`end`); `forEach(live:)` leaves the copies out.
        @inline(__always)
        init(
            _ values: UnsafePointer<Float>, steps: UnsafePointer<Int>, count: Int,
            offsets: UnsafePointer<Int>, first: Int, end: Int, pairs: UnsafePointer<Float>, pairStride: Int
        ) {
            let o0 = offsets[min(first, end)], o1 = offsets[min(first + 1, end)], o2 = offsets[min(first + 2, end)]
            let o3 = offsets[min(first + 3, end)], o4 = offsets[min(first + 4, end)], o5 = offsets[min(first + 5, end)]
            let o6 = offsets[min(first + 6, end)], o7 = offsets[min(first + 7, end)]
            var pair = UnsafeRawPointer(pairs)
            for step in 0..<count {
                let base = values + steps[step]
                let v = pair.loadUnaligned(as: Vector.self), w = pair.loadUnaligned(fromByteOffset: 64, as: Vector.self)
                var s = Vector(repeating: base[o0]); a0.addProduct(s, v); b0.addProduct(s, w)
                s = Vector(repeating: base[o1]); a1.addProduct(s, v); b1.addProduct(s, w)
                s = Vector(repeating: base[o2]); a2.addProduct(s, v); b2.addProduct(s, w)
                s = Vector(repeating: base[o3]); a3.addProduct(s, v); b3.addProduct(s, w)
                s = Vector(repeating: base[o4]); a4.addProduct(s, v); b4.addProduct(s, w)
                s = Vector(repeating: base[o5]); a5.addProduct(s, v); b5.addProduct(s, w)
                s = Vector(repeating: base[o6]); a6.addProduct(s, v); b6.addProduct(s, w)
                s = Vector(repeating: base[o7]); a7.addProduct(s, v); b7.addProduct(s, w)
                pair += pairStride * 4
            }
        }

        /// Stores (or adds) the first `live` pairs, pair j at `row(j)`.
        @inline(__always)
        func store(live: Int, adding: Bool, _ row: (Int) -> UnsafeMutablePointer<Float>) {
            func put(_ j: Int, _ a: Vector, _ b: Vector) {
                guard j < live else { return }
                let p = UnsafeMutableRawPointer(row(j))
                if adding {
                    p.storeBytes(of: p.loadUnaligned(as: Vector.self) + a, as: Vector.self)
                    p.storeBytes(
                        of: p.loadUnaligned(fromByteOffset: 64, as: Vector.self) + b, toByteOffset: 64, as: Vector.self)
                } else {
                    p.storeBytes(of: a, as: Vector.self)
                    p.storeBytes(of: b, toByteOffset: 64, as: Vector.self)
                }
            }
            put(0, a0, b0); put(1, a1, b1); put(2, a2, b2); put(3, a3, b3)
            put(4, a4, b4); put(5, a5, b5); put(6, a6, b6); put(7, a7, b7)
        }
    }

    /// y = x ⋆ w for one sample (no bias), from the transposed weights `wt`: tiles of eight
    /// positions, stepping through the taps.
    /// Given `pooled` (the output shape of a 2x2 max pool of stride 2), y holds that pool's
    /// output instead: the maxima are taken across the channels-last positions, before the one
    /// transpose, which then moves a quarter of the values.
    static func forward(
        _ x: UnsafePointer<Float>, _ wt: UnsafePointer<Float>, _ plan: Plan, pooled: Shape? = nil,
        into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let g = plan.g, channels = g.output.channels, count = g.positions
        let src = plan.source(x, scratch: scratch)
        let last = plan.lastScratch(scratch)
        for block in stride(from: 0, to: channels, by: channelBlock) {
            for p0 in stride(from: 0, to: count, by: tile) {
                let t = Tile(
                    src, steps: plan.taps.pointer, count: g.patch, offsets: plan.positions.pointer, first: p0,
                    end: count - 1, pairs: wt + block, pairStride: channels)
                t.store(live: min(tile, count - p0), adding: false) { last + (p0 + $0) * channels + block }
            }
        }
        guard let pooled else {
            transpose(last, rows: count, columns: channels, into: y)
            return
        }
        // In place: window q's four positions all come at or after position q, and are read
        // before q is written.
        let width = g.output.width
        for py in 0..<pooled.height {
            for px in 0..<pooled.width {
                let first = UnsafeRawPointer(last + (2 * py * width + 2 * px) * channels)
                let out = UnsafeMutableRawPointer(last + (py * pooled.width + px) * channels)
                for c in stride(from: 0, to: 4 * channels, by: 4 * Vector.scalarCount) {
                    func at(_ position: Int) -> Vector {
                        first.loadUnaligned(fromByteOffset: position * 4 * channels + c, as: Vector.self)
                    }
                    let upper = FastMath.larger(at(0), at(1)), lower = FastMath.larger(at(width), at(width + 1))
                    out.storeBytes(of: FastMath.larger(upper, lower), toByteOffset: c, as: Vector.self)
                }
            }
        }
        transpose(last, rows: pooled.plane, columns: channels, into: y)
    }

    /// dWt[k][co] += Σ_positions x under tap k · dy[co], for one sample: tiles of eight taps,
    /// stepping through the positions.
    static func weightGradient(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ plan: Plan,
        into dWt: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let g = plan.g, channels = g.output.channels, count = g.positions, patch = g.patch
        let src = plan.source(x, scratch: scratch)
        let dyT = plan.lastScratch(scratch)
        transpose(dy, rows: channels, columns: count, into: dyT)
        for block in stride(from: 0, to: channels, by: channelBlock) {
            for k0 in stride(from: 0, to: patch, by: tile) {
                let t = Tile(
                    src, steps: plan.positions.pointer, count: count, offsets: plan.taps.pointer, first: k0,
                    end: patch - 1, pairs: dyT + block, pairStride: channels)
                t.store(live: min(tile, patch - k0), adding: true) { dWt + (k0 + $0) * channels + block }
            }
        }
    }

    /// dx = the convolution's adjoint applied to dy, for one sample, from `wa` (adjointLayout):
    /// for each tap, tiles of eight output positions step through the output channels, and each
    /// position's 32 input-channel sums are added where the tap puts them in a channels-last copy
    /// of the (padded) input, transposed at the end.
    static func adjoint(
        _ dy: UnsafePointer<Float>, _ wa: UnsafePointer<Float>, _ plan: Plan,
        into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let g = plan.g, cout = g.output.channels, cin = g.input.channels, count = g.positions
        let (ph, pw) = (plan.paddedHeight, plan.paddedWidth)
        let sums = plan.lastScratch(scratch)
        sums.update(repeating: 0, count: ph * pw * cin)
        let positions = plan.positions.pointer
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let tap = wa + (ky * g.kernelWidth + kx) * cout * cin
                let shift = ky * pw + kx
                for block in stride(from: 0, to: cin, by: channelBlock) {
                    for p0 in stride(from: 0, to: count, by: tile) {
                        let t = Tile(
                            dy, steps: plan.planes.pointer, count: cout, offsets: plan.indices.pointer, first: p0,
                            end: count - 1, pairs: tap + block, pairStride: cin)
                        t.store(live: min(tile, count - p0), adding: true) {
                            sums + (positions[p0 + $0] + shift) * cin + block
                        }
                    }
                }
            }
        }
        planarInput(from: sums, g, paddedWidth: pw, into: dx)
    }

    /// The input's planes from sums laid out [y][x][channel] over the padded input, `paddedWidth`
    /// wide: the border's sums belong to no input value. Without a border, one transpose.
    static func planarInput(
        from sums: UnsafePointer<Float>, _ g: ConvolutionGeometry, paddedWidth pw: Int,
        into dx: UnsafeMutablePointer<Float>
    ) {
        let (cin, h, w) = (g.input.channels, g.input.height, g.input.width)
        if g.padHeight == 0 && g.padWidth == 0 {
            transpose(sums, rows: h * w, columns: cin, into: dx)
            return
        }
        for c in 0..<cin {
            for y in 0..<h {
                let src = sums + ((y + g.padHeight) * pw + g.padWidth) * cin + c
                let dst = dx + (c * h + y) * w
                for x in 0..<w { dst[x] = src[x * cin] }
            }
        }
    }
}
