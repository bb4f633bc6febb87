/// Evaluation's 5x5 stride-1 convolutions by Winograd's minimal filtering F(2x2, 5x5) (Lavin and
/// Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each 2x2 block of outputs
/// comes from a 6x6 input tile d as Y = Aᵀ [(G w Gᵀ) ⊙ (Bᵀ d B)] A, 36 multiplies per input and
/// output channel instead of 100. Summed over the input channels, the 36 element-wise products
/// are 36 small matrix products (tiles x input channels by input x output channels), which run
/// on ChannelVectorConvolution's register tile.
///
/// The transforms add and subtract values up to five times larger than the sums, so results
/// differ from the direct sums by rounding (relative 1e-6): training keeps the direct kernels, so
/// that its gradients belong to its forward; evaluation, which only reads outputs, takes this.
///
/// Interpolation points 0, 1, -1, 2, -2 and ∞: row j of Bᵀ holds the coefficients of the product
/// of (x - p) over the other finite points (of all five for ∞), small integers; G's rows are the
/// points' powers over that product's value at the point; Aᵀ's rows the points' powers.
enum WinogradConvolution {
    typealias Vector = SIMD16<Float>
    /// The 6 x 6 values of a transformed tile.
    static let points = 36

    static func serves(_ g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 5 && g.kernelWidth == 5 && g.strideHeight == 1 && g.strideWidth == 1
            && g.input.channels % Vector.scalarCount == 0
            && g.output.channels % ChannelVectorConvolution.channelBlock == 0
            && g.output.height >= 2 && g.output.width >= 2
    }

    /// One layer's transformed filters, offset tables and scratch layout, made when it is planned.
    final class Plan: @unchecked Sendable {
        let g: ConvolutionGeometry
        /// The channel-vector plan, whose zero border this path reads too.
        let border: ChannelVectorConvolution.Plan
        /// 2x2 output blocks down and across: every block inside the output.
        let tilesHigh: Int
        let tilesWide: Int
        var tiles: Int { tilesHigh * tilesWide }
        /// G w Gᵀ, laid out [point][input channel][output channel].
        let filters: Buffer<Float>
        /// The register tile's tables: input channel c is step c; tile t reads at t · channels.
        let steps: Buffer<Int>
        let offsets: Buffer<Int>
        /// Gw for one input channel and 16 output channels while the filters are transformed.
        private let halfway: Buffer<Float>

        init(_ g: ConvolutionGeometry, border: ChannelVectorConvolution.Plan) {
            self.g = g
            self.border = border
            tilesHigh = g.output.height / 2
            tilesWide = g.output.width / 2
            filters = Buffer(count: WinogradConvolution.points * g.input.channels * g.output.channels, initialValue: 0)
            steps = Buffer(count: g.input.channels, initialValue: 0)
            for c in 0..<g.input.channels { steps.pointer[c] = c }
            offsets = Buffer(count: tilesHigh * tilesWide, initialValue: 0)
            for t in 0..<tilesHigh * tilesWide { offsets.pointer[t] = t * g.input.channels }
            halfway = Buffer(count: 6 * 5 * Vector.scalarCount, initialValue: 0)
        }

        /// Whether the blocks cover the whole output (even sides). A 2x2 pool of stride 2 reads
        /// only whole blocks, so under one they always serve.
        var coversOutput: Bool { g.output.height % 2 == 0 && g.output.width % 2 == 0 }

        /// Per-thread floats: the zero border, a channels-last copy of the input, the transformed
        /// tiles, their products, and the channels-last output.
        var scratchCount: Int {
            let (ph, pw, cin, cout) = (border.paddedHeight, border.paddedWidth, g.input.channels, g.output.channels)
            return (border.padded ? cin * ph * pw : 0) + ph * pw * cin + WinogradConvolution.points * tiles * (cin + cout) + 4 * tiles * cout
        }

        /// G w Gᵀ from the channel-vector layout wt[ci][ky][kx][co], before a parallel pass.
        func prepare(_ wt: UnsafePointer<Float>) {
            let (cin, cout) = (g.input.channels, g.output.channels)
            let rows = UnsafeMutableRawPointer(halfway.pointer), bytes = Vector.scalarCount * 4
            for ci in 0..<cin {
                for block in stride(from: 0, to: cout, by: Vector.scalarCount) {
                    func tap(_ ky: Int, _ kx: Int) -> Vector {
                        UnsafeRawPointer(wt + ((ci * 5 + ky) * 5 + kx) * cout + block).loadUnaligned(as: Vector.self)
                    }
                    for kx in 0..<5 {
                        let column = filterPoints((tap(0, kx), tap(1, kx), tap(2, kx), tap(3, kx), tap(4, kx)))
                        forEach(column) { i, v in rows.storeBytes(of: v, toByteOffset: (i * 5 + kx) * bytes, as: Vector.self) }
                    }
                    for i in 0..<6 {
                        func at(_ kx: Int) -> Vector { rows.loadUnaligned(fromByteOffset: (i * 5 + kx) * bytes, as: Vector.self) }
                        forEach(filterPoints((at(0), at(1), at(2), at(3), at(4)))) { j, v in
                            UnsafeMutableRawPointer(filters.pointer + ((i * 6 + j) * cin + ci) * cout + block).storeBytes(of: v, as: Vector.self)
                        }
                    }
                }
            }
        }
    }

    typealias Six = (Vector, Vector, Vector, Vector, Vector, Vector)

    @inline(__always)
    static func forEach(_ v: Six, _ body: (Int, Vector) -> Void) {
        body(0, v.0); body(1, v.1); body(2, v.2); body(3, v.3); body(4, v.4); body(5, v.5)
    }

    /// G applied to five taps: the filter's values at 0, 1, -1, 2, -2 over the normalizing
    /// products 4, -6, -6, 24, 24, and its last tap (∞).
    @inline(__always)
    static func filterPoints(_ e: (Vector, Vector, Vector, Vector, Vector)) -> Six {
        let even = e.0 + e.2 + e.4, odd = e.1 + e.3
        let evenScaled = e.0 + 4 * e.2 + 16 * e.4, oddScaled = 2 * e.1 + 8 * e.3
        return (0.25 * e.0, (-1.0 / 6) * (even + odd), (-1.0 / 6) * (even - odd),
                (1.0 / 24) * (evenScaled + oddScaled), (1.0 / 24) * (evenScaled - oddScaled), e.4)
    }

    /// Bᵀ applied to six inputs.
    @inline(__always)
    static func inputPoints(_ d: Six) -> Six {
        let outer = d.4 - d.2, inner = 2 * (d.3 - d.1)
        return (4 * d.0 - 5 * d.2 + d.4, d.3 + d.4 - 4 * (d.1 + d.2), d.4 - d.3 + 4 * (d.1 - d.2),
                outer + inner, outer - inner, 4 * d.1 - 5 * d.3 + d.5)
    }

    /// Aᵀ applied to six products: two outputs.
    @inline(__always)
    static func outputPair(_ m: Six) -> (Vector, Vector) {
        (m.0 + m.1 + m.2 + m.3 + m.4, m.1 - m.2 + 2 * (m.3 - m.4) + m.5)
    }

    /// y = x ⋆ w for one sample (no bias), from the plan's prepared filters; given `pooled`, y
    /// holds a 2x2 max pool's (stride 2) output instead, one value per block.
    static func forward(_ x: UnsafePointer<Float>, _ plan: Plan, pooled: Bool,
                        into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let g = plan.g, (cin, cout) = (g.input.channels, g.output.channels), tiles = plan.tiles
        let (ph, pw) = (plan.border.paddedHeight, plan.border.paddedWidth)
        let src = plan.border.source(x, scratch: scratch)
        let input = plan.border.lastScratch(scratch)
        let transformed = input + ph * pw * cin
        let products = transformed + points * tiles * cin
        let output = products + points * tiles * cout
        ChannelVectorConvolution.transpose(src, rows: cin, columns: ph * pw, into: input)

        let lanes = Vector.scalarCount
        for ty in 0..<plan.tilesHigh {
            for tx in 0..<plan.tilesWide {
                let t = ty * plan.tilesWide + tx, corner = input + (2 * ty * pw + 2 * tx) * cin
                for block in stride(from: 0, to: cin, by: lanes) {
                    // Bᵀ along each row into the products' space (free until the sums), then
                    // down each column into point (i, j) of this tile.
                    let rows = UnsafeMutableRawPointer(products)
                    for r in 0..<6 {
                        func at(_ s: Int) -> Vector {
                            UnsafeRawPointer(corner + (r * pw + s) * cin + block).loadUnaligned(as: Vector.self)
                        }
                        forEach(inputPoints((at(0), at(1), at(2), at(3), at(4), at(5)))) { j, v in
                            rows.storeBytes(of: v, toByteOffset: (r * 6 + j) * lanes * 4, as: Vector.self)
                        }
                    }
                    for j in 0..<6 {
                        func at(_ r: Int) -> Vector { rows.loadUnaligned(fromByteOffset: (r * 6 + j) * lanes * 4, as: Vector.self) }
                        forEach(inputPoints((at(0), at(1), at(2), at(3), at(4), at(5)))) { i, v in
                            UnsafeMutableRawPointer(transformed + ((i * 6 + j) * tiles + t) * cin + block).storeBytes(of: v, as: Vector.self)
                        }
                    }
                }
            }
        }

        let tile = ChannelVectorConvolution.tile, channelBlock = ChannelVectorConvolution.channelBlock
        for point in 0..<points {
            let values = transformed + point * tiles * cin, sums = products + point * tiles * cout
            for block in stride(from: 0, to: cout, by: channelBlock) {
                for t0 in stride(from: 0, to: tiles, by: tile) {
                    let sum = ChannelVectorConvolution.Tile(values, steps: plan.steps.pointer, count: cin,
                                                            offsets: plan.offsets.pointer, first: t0, end: tiles - 1,
                                                            pairs: plan.filters.pointer + point * cin * cout + block,
                                                            pairStride: cout)
                    sum.store(live: min(tile, tiles - t0), adding: false) { sums + (t0 + $0) * cout + block }
                }
            }
        }

        let width = g.output.width
        for ty in 0..<plan.tilesHigh {
            for tx in 0..<plan.tilesWide {
                let t = ty * plan.tilesWide + tx
                for block in stride(from: 0, to: cout, by: lanes) {
                    func at(_ i: Int, _ j: Int) -> Vector {
                        UnsafeRawPointer(products + ((i * 6 + j) * tiles + t) * cout + block).loadUnaligned(as: Vector.self)
                    }
                    func row(_ i: Int) -> (Vector, Vector) { outputPair((at(i, 0), at(i, 1), at(i, 2), at(i, 3), at(i, 4), at(i, 5))) }
                    let (r0, r1, r2, r3, r4, r5) = (row(0), row(1), row(2), row(3), row(4), row(5))
                    let (y00, y10) = outputPair((r0.0, r1.0, r2.0, r3.0, r4.0, r5.0))
                    let (y01, y11) = outputPair((r0.1, r1.1, r2.1, r3.1, r4.1, r5.1))
                    func put(_ position: Int, _ v: Vector) {
                        UnsafeMutableRawPointer(output + position * cout + block).storeBytes(of: v, as: Vector.self)
                    }
                    if pooled {
                        put(t, FastMath.larger(FastMath.larger(y00, y01), FastMath.larger(y10, y11)))
                    } else {
                        let first = 2 * ty * width + 2 * tx
                        put(first, y00); put(first + 1, y01); put(first + width, y10); put(first + width + 1, y11)
                    }
                }
            }
        }
        ChannelVectorConvolution.transpose(output, rows: pooled ? tiles : g.positions, columns: cout, into: y)
    }
}
