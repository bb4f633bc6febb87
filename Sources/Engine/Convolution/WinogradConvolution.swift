/// Stride-1 convolutions by Winograd's minimal filtering (WinogradTransform's F(4x4, 3x3) or
/// F(4x4, 5x5), by the kernel's size). The passes run generic code with the transform's type,
/// which the compiler specializes for each transform (a generic class would run unspecialized
/// behind the protocol's dynamic dispatch). Summed over the input channels, the element-wise products of the transformed
/// tiles and filters are one small matrix product per point (blocks x input channels by input x
/// output channels), which runs on ChannelVectorConvolution's register tile over the blocks of a
/// group of samples.
///
/// Its sums round differently from the direct ones (WinogradTransform says by how much), so the
/// fixed rules use it for evaluation alone, which only reads outputs; the autotuner may also
/// time it for training, as cuDNN's benchmark mode does, with WinogradAdjoint for the gradient.
final class WinogradConvolution: ConvolutionAlgorithm {
    typealias Vector = SIMD16<Float>
    /// Outputs per block side (both transforms').
    static let block = 4
    /// Blocks that one pass of register tiles should see at least (two tiles of eight).
    static let blocksPerPass = 16

    /// The convolution of 3x3 or 5x5 kernels at stride 1 over channels in multiples of 16 in and
    /// 32 out (the register tile's), padded by less than the kernel, on outputs of a block's side
    /// or more (a smaller plane would throw most of each block's products away).
    static func serves(_ g: ConvolutionGeometry, _ product: ConvolutionProduct) -> Bool {
        let kernel = g.kernelHeight
        return product == .convolution && (kernel == 3 || kernel == 5) && g.kernelWidth == kernel
            && g.strideHeight == 1 && g.strideWidth == 1 && g.padHeight < kernel && g.padWidth < kernel
            && g.output.height >= block && g.output.width >= block
            && g.input.channels % Vector.scalarCount == 0
            && g.output.channels % ChannelVectorConvolution.channelBlock == 0
    }

    let g: ConvolutionGeometry
    /// The kernel's side; input values per tile side; points of a transformed tile.
    let kernel: Int
    let side: Int
    let points: Int
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
        kernel = g.kernelHeight
        side = Self.block + kernel - 1
        points = side * side
        let covered = pooled ? (g.output.height / 2 * 2, g.output.width / 2 * 2) : (g.output.height, g.output.width)
        tilesHigh = (covered.0 + Self.block - 1) / Self.block
        tilesWide = (covered.1 + Self.block - 1) / Self.block
        tiles = tilesHigh * tilesWide
        group = (Self.blocksPerPass + tiles - 1) / tiles
        extendedHeight = tilesHigh * Self.block + kernel - 1
        extendedWidth = tilesWide * Self.block + kernel - 1
        let (cin, cout) = (g.input.channels, g.output.channels)
        filters = Buffer(count: points * cin * cout, initialValue: 0)
        steps = Buffer(count: cin, initialValue: 0)
        for c in 0..<cin { steps.pointer[c] = c }
        offsets = Buffer(count: group * tiles, initialValue: 0)
        for k in 0..<group * tiles { offsets.pointer[k] = k * cin }
        halfway = Buffer(count: side * kernel * Vector.scalarCount, initialValue: 0)
        scratch = ThreadPartials(
            size: Self.scratchCount(
                g, points: points, tiles: tiles, group: group, extended: extendedHeight * extendedWidth,
                pooled: pooled),
            threads: threads)
        laidOut = Buffer(count: g.weightCount, initialValue: 0)
        staging = ThreadPartials(size: staged && !pooled ? group * g.output.count : 0, threads: threads)
    }

    func prepare(_ product: ConvolutionProduct, weights: UnsafePointer<Float>) {
        precondition(product == .convolution, "Winograd computes the convolution only")
        ChannelVectorConvolution.transpose(weights, rows: g.output.channels, columns: g.patch, into: laidOut.pointer)
        switch kernel {
        case 3: transformFilters(WinogradF4x4Kernel3.self, laidOut.pointer)
        default: transformFilters(WinogradF4x4Kernel5.self, laidOut.pointer)
        }
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
    /// transformed tiles and products, one sample's channels-last output, and one tile's values on
    /// the way through a transform.
    private static func scratchCount(
        _ g: ConvolutionGeometry, points: Int, tiles: Int, group: Int, extended: Int, pooled: Bool
    ) -> Int {
        let (cin, cout) = (g.input.channels, g.output.channels)
        let output = pooled ? (g.output.height / 2) * (g.output.width / 2) : g.positions
        return g.input.plane * cin + extended * cin
            + points * group * tiles * (cin + cout) + output * cout + (points + block * block) * Vector.scalarCount
    }

    /// G w Gᵀ from the channel-vector layout wt[ci][ky][kx][co], before a parallel pass.
    private func transformFilters<T: WinogradTransform>(_: T.Type, _ wt: UnsafePointer<Float>) {
        let (cin, cout, r) = (g.input.channels, g.output.channels, T.kernel)
        let rows = UnsafeMutableRawPointer(halfway.pointer)
        for ci in 0..<cin {
            for lane in stride(from: 0, to: cout, by: Vector.scalarCount) {
                // G down each column of taps, then along each row of the results.
                Self.separable(T.self, .filter, lines: r, results: T.side, through: rows) { kx, ky in
                    UnsafeRawPointer(wt + ((ci * r + ky) * r + kx) * cout + lane).loadUnaligned(as: Vector.self)
                } put: { i, j, v in
                    UnsafeMutableRawPointer(filters.pointer + ((i * T.side + j) * cin + ci) * cout + lane)
                        .storeBytes(of: v, as: Vector.self)
                }
            }
        }
    }

    /// The three transforms, G, Bᵀ and Aᵀ.
    enum Stage { case filter, input, output }

    @inline(__always)
    static func apply<T: WinogradTransform>(
        _: T.Type, _ stage: Stage, _ value: (Int) -> Vector, _ put: (Int, Vector) -> Void
    ) {
        switch stage {
        case .filter: T.filterPoints(value, put)
        case .input: T.inputPoints(value, put)
        case .output: T.outputs(value, put)
        }
    }

    /// A transform of both sides of a square of vectors: `stage` applied to each of `lines` lines
    /// (`value(line, i)`), the results kept in `scratch`, then across the lines to each result j,
    /// whose results i go to `put(j, i, v)`.
    @inline(__always)
    static func separable<T: WinogradTransform>(
        _ transform: T.Type, _ stage: Stage, lines: Int, results: Int, through scratch: UnsafeMutableRawPointer,
        _ value: (Int, Int) -> Vector, put: (Int, Int, Vector) -> Void
    ) {
        let bytes = Vector.scalarCount * 4
        for line in 0..<lines {
            apply(
                transform, stage, { value(line, $0) },
                { j, v in scratch.storeBytes(of: v, toByteOffset: (line * results + j) * bytes, as: Vector.self) })
        }
        for j in 0..<results {
            apply(
                transform, stage,
                { scratch.loadUnaligned(fromByteOffset: ($0 * results + j) * bytes, as: Vector.self) },
                { i, v in put(j, i, v) })
        }
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
        switch kernel {
        case 3: forward(WinogradF4x4Kernel3.self, x, samples, chunk: chunk, into: output)
        default: forward(WinogradF4x4Kernel5.self, x, samples, chunk: chunk, into: output)
        }
    }

    private func forward<T: WinogradTransform>(
        _: T.Type, _ x: Tensor, _ samples: Range<Int>, chunk: Int, into output: (Int) -> UnsafeMutablePointer<Float>
    ) {
        precondition(samples.count <= group, "a Winograd pass takes at most \(group) samples")
        let (cin, cout) = (g.input.channels, g.output.channels), count = samples.count * tiles
        let (h, w) = (g.input.height, g.input.width), (eh, ew) = (extendedHeight, extendedWidth)
        let (padTop, padLeft) = (g.padHeight, g.padWidth)
        let channelsLast = scratch.slice(chunk)
        let input = channelsLast + h * w * cin
        let transformed = input + eh * ew * cin
        let products = transformed + T.points * group * tiles * cin
        let last = products + T.points * group * tiles * cout
        let width = pooled ? g.output.width / 2 : g.output.width,
            height = pooled ? g.output.height / 2 : g.output.height
        let rows = UnsafeMutableRawPointer(last + height * width * cout)
        let block = rows + T.points * Vector.scalarCount * 4
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
                        // Bᵀ along each row, then down each column into point (i, j) of this block.
                        Self.separable(T.self, .input, lines: T.side, results: T.side, through: rows) {
                            r, c in
                            UnsafeRawPointer(corner + (r * ew + c) * cin + lane).loadUnaligned(as: Vector.self)
                        } put: { j, i, v in
                            UnsafeMutableRawPointer(transformed + ((i * T.side + j) * count + k) * cin + lane)
                                .storeBytes(of: v, as: Vector.self)
                        }
                    }
                }
            }
        }

        let tile = ChannelVectorConvolution.tile
        for point in 0..<T.points {
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

        for (s, i) in samples.enumerated() {
            for ty in 0..<tilesHigh {
                for tx in 0..<tilesWide {
                    let k = s * tiles + ty * tilesWide + tx
                    for lane in stride(from: 0, to: cout, by: lanes) {
                        // Aᵀ along each row of products, then down each column: block[r][c] is the
                        // output at row r, column c.
                        Self.separable(T.self, .output, lines: T.side, results: Self.block, through: rows) {
                            r, c in
                            UnsafeRawPointer(products + ((r * T.side + c) * count + k) * cout + lane)
                                .loadUnaligned(as: Vector.self)
                        } put: { c, r, v in
                            block.storeBytes(of: v, toByteOffset: (r * Self.block + c) * lanes * 4, as: Vector.self)
                        }
                        func at(_ r: Int, _ c: Int) -> Vector {
                            block.loadUnaligned(fromByteOffset: (r * Self.block + c) * lanes * 4, as: Vector.self)
                        }
                        func put(_ row: Int, _ column: Int, _ v: Vector) {
                            guard row < height, column < width else { return }
                            UnsafeMutableRawPointer(last + (row * width + column) * cout + lane)
                                .storeBytes(of: v, as: Vector.self)
                        }
                        if pooled {
                            for window in 0..<4 {
                                let (r, c) = (window / 2 * 2, window % 2 * 2)
                                let upper = FastMath.larger(at(r, c), at(r, c + 1))
                                let largest = FastMath.larger(upper, FastMath.larger(at(r + 1, c), at(r + 1, c + 1)))
                                put(2 * ty + r / 2, 2 * tx + c / 2, largest)
                            }
                        } else {
                            for r in 0..<Self.block {
                                for c in 0..<Self.block { put(Self.block * ty + r, Self.block * tx + c, at(r, c)) }
                            }
                        }
                    }
                }
            }
            ChannelVectorConvolution.transpose(last, rows: height * width, columns: cout, into: output(i))
        }
    }
}
