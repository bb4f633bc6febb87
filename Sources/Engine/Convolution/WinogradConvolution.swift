/// Evaluation's 5x5 stride-1 convolutions by Winograd's minimal filtering F(4x4, 5x5) (Lavin and
/// Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each 4x4 block of outputs
/// comes from an 8x8 input tile d as Y = Aᵀ [(G w Gᵀ) ⊙ (Bᵀ d B)] A, 64 multiplies per input and
/// output channel instead of 400. Summed over the input channels, the 64 element-wise products
/// are 64 small matrix products (blocks x input channels by input x output channels), which run
/// on ChannelVectorConvolution's register tile over the blocks of a group of samples.
///
/// The transforms scale values by factors from 2⁻¹³ to 2⁹, so results differ from the direct
/// sums by more than their rounding (a few 1e-6 of the outputs' size for 32 channels, where the
/// direct sums' error is under 1e-6): training keeps the direct kernels, so that its gradients
/// belong to its forward; evaluation, which only reads outputs, takes this path.
///
/// Interpolation points 0, 1, -1, 2, -2, 1/2, -1/2 and ∞: row j of Bᵀ holds the coefficients of
/// the product of (x - p) over the other finite points (of all seven for ∞); G's rows are the
/// points' powers over that product's value at the point; Aᵀ's rows the points' powers.
final class WinogradConvolution: ConvolutionAlgorithm {
    typealias Vector = SIMD16<Float>
    typealias Five = (Vector, Vector, Vector, Vector, Vector)
    typealias Eight = (Vector, Vector, Vector, Vector, Vector, Vector, Vector, Vector)
    typealias Four = (Vector, Vector, Vector, Vector)
    /// Outputs per block side; input values per tile side; points of a transformed tile.
    static let block = 4, side = 8, points = 64
    /// Blocks that one pass of register tiles should see at least (two tiles of eight).
    static let blocksPerPass = 16

    /// The convolution of 5x5 kernels at stride 1 over channels in multiples of 16 in and 32 out
    /// (the register tile's); outside training only, where no gradient has to belong to it.
    static func serves(_ g: ConvolutionGeometry, _ product: ConvolutionProduct) -> Bool {
        product == .convolution && g.kernelHeight == 5 && g.kernelWidth == 5 && g.strideHeight == 1
            && g.strideWidth == 1
            && g.input.channels % Vector.scalarCount == 0
            && g.output.channels % ChannelVectorConvolution.channelBlock == 0
    }

    let g: ConvolutionGeometry
    /// Whether `forward` writes a 2x2 max pool's (stride 2) output: each block then holds 2x2 of
    /// its windows, and rows and columns no window reads are not computed.
    let pooled: Bool
    /// Blocks down and across one sample, and in all.
    let tilesHigh: Int
    let tilesWide: Int
    let tiles: Int
    /// Samples whose blocks go through the register tiles together.
    let group: Int
    /// The channels-last input's rows and columns: all the tiles read, zeros past the padded input.
    let extendedHeight: Int
    let extendedWidth: Int
    /// G w Gᵀ, laid out [point][input channel][output channel].
    let filters: Buffer<Float>
    /// The register tile's tables: input channel c is step c; block k reads at k · channels.
    let steps: Buffer<Int>
    let offsets: Buffer<Int>
    /// G w for one input channel and 16 output channels while the filters are transformed.
    private let halfway: Buffer<Float>
    private let scratch: ThreadPartials
    /// The weights in the channel-vector layout wt[ci][ky][kx][co], on the way to `filters`.
    private let laidOut: Buffer<Float>
    /// Per thread: a group's outputs, for a fused consumer.
    private let staging: ThreadPartials

    var geometry: ConvolutionGeometry { g }
    var groupSize: Int { group }

    /// With `pooled`, `convolvePooled` is its only product.
    init(_ g: ConvolutionGeometry, pooled: Bool, threads: Int, staged: Bool) {
        self.g = g
        self.pooled = pooled
        let covered = pooled ? (g.output.height / 2 * 2, g.output.width / 2 * 2) : (g.output.height, g.output.width)
        tilesHigh = (covered.0 + Self.block - 1) / Self.block
        tilesWide = (covered.1 + Self.block - 1) / Self.block
        tiles = tilesHigh * tilesWide
        group = (Self.blocksPerPass + tiles - 1) / tiles
        extendedHeight = tilesHigh * Self.block + 4
        extendedWidth = tilesWide * Self.block + 4
        let (cin, cout) = (g.input.channels, g.output.channels)
        filters = Buffer(count: Self.points * cin * cout, initialValue: 0)
        steps = Buffer(count: cin, initialValue: 0)
        for c in 0..<cin { steps.pointer[c] = c }
        offsets = Buffer(count: group * tiles, initialValue: 0)
        for k in 0..<group * tiles { offsets.pointer[k] = k * cin }
        halfway = Buffer(count: Self.side * 5 * Vector.scalarCount, initialValue: 0)
        scratch = ThreadPartials(
            size: Self.scratchCount(
                g, tiles: tiles, group: group,
                extended: extendedHeight * extendedWidth, pooled: pooled),
            threads: threads)
        laidOut = Buffer(count: g.weightCount, initialValue: 0)
        staging = ThreadPartials(size: staged && !pooled ? group * g.output.count : 0, threads: threads)
    }

    func prepare(_ product: ConvolutionProduct, weights: UnsafePointer<Float>) {
        precondition(product == .convolution, "Winograd computes the convolution only")
        ChannelVectorConvolution.transpose(weights, rows: g.output.channels, columns: g.patch, into: laidOut.pointer)
        transformFilters(laidOut.pointer)
    }

    func convolve(_ x: Tensor, _ group: Range<Int>, chunk: Int, into y: Tensor) {
        precondition(!pooled, "a pooled Winograd pass writes pooled outputs only")
        forward(x, group, chunk: chunk) { y.sample($0) }
    }

    func convolveInScratch(_ x: Tensor, _ group: Range<Int>, chunk: Int, region: (Int, Int)) -> GroupPlanes {
        precondition(!pooled, "a pooled Winograd pass writes pooled outputs only")
        let planes = staging.slice(chunk), count = g.output.count
        forward(x, group, chunk: chunk) { planes + ($0 - group.lowerBound) * count }
        return GroupPlanes(samples: planes, g.output)
    }

    var poolsInKernel: Bool { pooled }

    func convolvePooled(_ x: Tensor, _ group: Range<Int>, chunk: Int, into pooled: Tensor) {
        precondition(self.pooled, "made without pooling")
        forward(x, group, chunk: chunk) { pooled.sample($0) }
    }

    /// Per-thread floats: one sample channels-last, then within its zero border, the group's
    /// transformed tiles and products, and one sample's channels-last output.
    private static func scratchCount(_ g: ConvolutionGeometry, tiles: Int, group: Int, extended: Int, pooled: Bool)
        -> Int
    {
        let (cin, cout) = (g.input.channels, g.output.channels)
        let output = pooled ? (g.output.height / 2) * (g.output.width / 2) : g.positions
        return g.input.plane * cin + extended * cin
            + points * group * tiles * (cin + cout) + output * cout
    }

    /// G w Gᵀ from the channel-vector layout wt[ci][ky][kx][co], before a parallel pass.
    private func transformFilters(_ wt: UnsafePointer<Float>) {
        let (cin, cout) = (g.input.channels, g.output.channels)
        let rows = UnsafeMutableRawPointer(halfway.pointer), bytes = Vector.scalarCount * 4
        for ci in 0..<cin {
            for lane in stride(from: 0, to: cout, by: Vector.scalarCount) {
                func tap(_ ky: Int, _ kx: Int) -> Vector {
                    UnsafeRawPointer(wt + ((ci * 5 + ky) * 5 + kx) * cout + lane).loadUnaligned(as: Vector.self)
                }
                for kx in 0..<5 {
                    Self.forEach(Self.filterPoints((tap(0, kx), tap(1, kx), tap(2, kx), tap(3, kx), tap(4, kx)))) {
                        i, v in
                        rows.storeBytes(of: v, toByteOffset: (i * 5 + kx) * bytes, as: Vector.self)
                    }
                }
                for i in 0..<Self.side {
                    func at(_ kx: Int) -> Vector {
                        rows.loadUnaligned(fromByteOffset: (i * 5 + kx) * bytes, as: Vector.self)
                    }
                    Self.forEach(Self.filterPoints((at(0), at(1), at(2), at(3), at(4)))) { j, v in
                        UnsafeMutableRawPointer(filters.pointer + ((i * Self.side + j) * cin + ci) * cout + lane)
                            .storeBytes(of: v, as: Vector.self)
                    }
                }
            }
        }
    }

    @inline(__always)
    static func forEach(_ v: Eight, _ body: (Int, Vector) -> Void) {
        body(0, v.0); body(1, v.1); body(2, v.2); body(3, v.3); body(4, v.4); body(5, v.5); body(6, v.6); body(7, v.7)
    }

    /// G applied to five taps: the filter's values at 0, ±1, ±2, ±1/2 over the normalizing
    /// products 1, -9/2, 90, 45/32, and its last tap (∞). Even and odd powers are summed apart.
    @inline(__always)
    static func filterPoints(_ e: Five) -> Eight {
        let even1 = e.0 + e.2 + e.4, odd1 = e.1 + e.3
        let even2 = e.0 + 4 * e.2 + 16 * e.4, odd2 = 2 * e.1 + 8 * e.3
        let even3 = e.0 + 0.25 * e.2 + 0.0625 * e.4, odd3 = 0.5 * e.1 + 0.125 * e.3
        return (
            e.0, (-2.0 / 9) * (even1 + odd1), (-2.0 / 9) * (even1 - odd1), (1.0 / 90) * (even2 + odd2),
            (1.0 / 90) * (even2 - odd2), (32.0 / 45) * (even3 + odd3), (32.0 / 45) * (even3 - odd3), e.4
        )
    }

    /// Bᵀ applied to eight inputs (row 0 negated, so that its normalizing product is 1).
    @inline(__always)
    static func inputPoints(_ d: Eight) -> Eight {
        let even1 = d.2 + d.6 - 4.25 * d.4, odd1 = d.1 + d.5 - 4.25 * d.3
        let even2 = 0.25 * d.2 - 1.25 * d.4 + d.6, odd2 = 0.5 * d.1 - 2.5 * d.3 + 2 * d.5
        let even3 = 4 * d.2 - 5 * d.4 + d.6, odd3 = 2 * d.1 - 2.5 * d.3 + 0.5 * d.5
        return (
            d.0 - d.6 + 5.25 * (d.4 - d.2), even1 + odd1, even1 - odd1, even2 + odd2, even2 - odd2,
            even3 + odd3, even3 - odd3, d.7 - d.1 + 5.25 * (d.3 - d.5)
        )
    }

    /// Aᵀ applied to eight products: four outputs.
    @inline(__always)
    static func outputs(_ m: Eight) -> Four {
        let sum1 = m.1 + m.2, difference1 = m.1 - m.2, sum2 = m.3 + m.4, difference2 = m.3 - m.4
        let sum3 = m.5 + m.6, difference3 = m.5 - m.6
        return (
            m.0 + sum1 + sum2 + sum3, difference1 + 2 * difference2 + 0.5 * difference3,
            sum1 + 4 * sum2 + 0.25 * sum3, difference1 + 8 * difference2 + 0.125 * difference3 + m.7
        )
    }

    /// Where each group of at most `group` samples of `range` starts.
    func groups(_ range: Range<Int>) -> StrideTo<Int> {
        stride(from: range.lowerBound, to: range.upperBound, by: group)
    }

    /// The group that starts at `start`.
    func group(at start: Int, in range: Range<Int>) -> Range<Int> { start..<min(start + group, range.upperBound) }

    /// y = x ⋆ w (no bias) for the samples `samples` (at most `group`), from the prepared
    /// filters, sample i's output (or its pool's, if `pooled`) at `output(i)`; `chunk` names
    /// this thread's scratch.
    private func forward(
        _ x: Tensor, _ samples: Range<Int>, chunk: Int, into output: (Int) -> UnsafeMutablePointer<Float>
    ) {
        precondition(samples.count <= group, "a Winograd pass takes at most \(group) samples")
        let (cin, cout) = (g.input.channels, g.output.channels), count = samples.count * tiles
        let (h, w) = (g.input.height, g.input.width), (eh, ew) = (extendedHeight, extendedWidth)
        let (padTop, padLeft) = (g.padHeight, g.padWidth)
        let channelsLast = scratch.slice(chunk)
        let input = channelsLast + h * w * cin
        let transformed = input + eh * ew * cin
        let products = transformed + Self.points * group * tiles * cin
        let last = products + Self.points * group * tiles * cout
        let lanes = Vector.scalarCount
        for (s, i) in samples.enumerated() {
            // Channels-last, then placed inside the padding, zeros around it, cut to (or zero
            // beyond) the rows and columns the tiles read.
            ChannelVectorConvolution.transpose(x.sample(i), rows: cin, columns: h * w, into: channelsLast)
            for y in 0..<eh {
                let row = input + y * ew * cin, source = y - padTop
                let kept = source >= 0 && source < h ? max(0, min(w, ew - padLeft)) : 0
                if kept > 0 {
                    row.update(repeating: 0, count: padLeft * cin)
                    (row + padLeft * cin).update(from: channelsLast + source * w * cin, count: kept * cin)
                }
                let written = kept > 0 ? (padLeft + kept) * cin : 0
                (row + written).update(repeating: 0, count: ew * cin - written)
            }
            for ty in 0..<tilesHigh {
                for tx in 0..<tilesWide {
                    let k = s * tiles + ty * tilesWide + tx,
                        corner = input + (Self.block * ty * ew + Self.block * tx) * cin
                    for lane in stride(from: 0, to: cin, by: lanes) {
                        // Bᵀ along each row into the products' space (free until the sums), then
                        // down each column into point (i, j) of this block.
                        let rows = UnsafeMutableRawPointer(products)
                        for r in 0..<Self.side {
                            func at(_ c: Int) -> Vector {
                                UnsafeRawPointer(corner + (r * ew + c) * cin + lane).loadUnaligned(as: Vector.self)
                            }
                            Self.forEach(Self.inputPoints((at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)))) {
                                j, v in
                                rows.storeBytes(of: v, toByteOffset: (r * Self.side + j) * lanes * 4, as: Vector.self)
                            }
                        }
                        for j in 0..<Self.side {
                            func at(_ r: Int) -> Vector {
                                rows.loadUnaligned(fromByteOffset: (r * Self.side + j) * lanes * 4, as: Vector.self)
                            }
                            Self.forEach(Self.inputPoints((at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)))) {
                                r, v in
                                UnsafeMutableRawPointer(transformed + ((r * Self.side + j) * count + k) * cin + lane)
                                    .storeBytes(of: v, as: Vector.self)
                            }
                        }
                    }
                }
            }
        }

        let tile = ChannelVectorConvolution.tile
        for point in 0..<Self.points {
            let values = transformed + point * count * cin, sums = products + point * count * cout
            for lane in stride(from: 0, to: cout, by: ChannelVectorConvolution.channelBlock) {
                for k0 in stride(from: 0, to: count, by: tile) {
                    let sum = ChannelVectorConvolution.Tile(
                        values, steps: steps.pointer, count: cin, offsets: offsets.pointer,
                        first: k0, end: count - 1,
                        pairs: filters.pointer + point * cin * cout + lane, pairStride: cout)
                    sum.store(live: min(tile, count - k0), adding: false) { sums + (k0 + $0) * cout + lane }
                }
            }
        }

        let width = pooled ? g.output.width / 2 : g.output.width,
            height = pooled ? g.output.height / 2 : g.output.height
        for (s, i) in samples.enumerated() {
            for ty in 0..<tilesHigh {
                for tx in 0..<tilesWide {
                    let k = s * tiles + ty * tilesWide + tx
                    for lane in stride(from: 0, to: cout, by: lanes) {
                        func at(_ r: Int, _ c: Int) -> Vector {
                            UnsafeRawPointer(products + ((r * Self.side + c) * count + k) * cout + lane)
                                .loadUnaligned(as: Vector.self)
                        }
                        func row(_ r: Int) -> Four {
                            Self.outputs(
                                (at(r, 0), at(r, 1), at(r, 2), at(r, 3), at(r, 4), at(r, 5), at(r, 6), at(r, 7)))
                        }
                        let (r0, r1, r2, r3, r4, r5, r6, r7) = (
                            row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7)
                        )
                        let columns = (
                            Self.outputs((r0.0, r1.0, r2.0, r3.0, r4.0, r5.0, r6.0, r7.0)),
                            Self.outputs((r0.1, r1.1, r2.1, r3.1, r4.1, r5.1, r6.1, r7.1)),
                            Self.outputs((r0.2, r1.2, r2.2, r3.2, r4.2, r5.2, r6.2, r7.2)),
                            Self.outputs((r0.3, r1.3, r2.3, r3.3, r4.3, r5.3, r6.3, r7.3))
                        )
                        // columns.c.r: the output at row r, column c of the block.
                        func put(_ row: Int, _ column: Int, _ v: Vector) {
                            guard row < height, column < width else { return }
                            UnsafeMutableRawPointer(last + (row * width + column) * cout + lane)
                                .storeBytes(of: v, as: Vector.self)
                        }
                        func larger(_ a: Vector, _ b: Vector, _ c: Vector, _ d: Vector) -> Vector {
                            FastMath.larger(FastMath.larger(a, b), FastMath.larger(c, d))
                        }
                        let (c0, c1, c2, c3) = columns
                        if pooled {
                            let (top, left) = (2 * ty, 2 * tx)
                            put(top, left, larger(c0.0, c1.0, c0.1, c1.1))
                            put(top, left + 1, larger(c2.0, c3.0, c2.1, c3.1))
                            put(top + 1, left, larger(c0.2, c1.2, c0.3, c1.3))
                            put(top + 1, left + 1, larger(c2.2, c3.2, c2.3, c3.3))
                        } else {
                            let (top, left) = (Self.block * ty, Self.block * tx)
                            put(top, left, c0.0); put(top, left + 1, c1.0); put(top, left + 2, c2.0);
                            put(top, left + 3, c3.0)
                            put(top + 1, left, c0.1); put(top + 1, left + 1, c1.1); put(top + 1, left + 2, c2.1);
                            put(top + 1, left + 3, c3.1)
                            put(top + 2, left, c0.2); put(top + 2, left + 1, c1.2); put(top + 2, left + 2, c2.2);
                            put(top + 2, left + 3, c3.2)
                            put(top + 3, left, c0.3); put(top + 3, left + 1, c1.3); put(top + 3, left + 2, c2.3);
                            put(top + 3, left + 3, c3.3)
                        }
                    }
                }
            }
            ChannelVectorConvolution.transpose(last, rows: height * width, columns: cout, into: output(i))
        }
    }
}
