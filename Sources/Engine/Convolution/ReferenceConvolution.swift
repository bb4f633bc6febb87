/// The three products as their definitions read, one output value at a time in plain loops, for
/// every geometry: what `PlanOptions(algorithms: .reference)` runs, so that each fast algorithm
/// and each fused operator is checked against the mathematics rather than against another fast
/// path. Sums run in double precision, so its own rounding stays far below the tests' tolerances.
/// No speed is asked of it.
final class ReferenceConvolution: ConvolutionAlgorithm {
    let geometry: ConvolutionGeometry
    let groupSize = 1
    private let staging: ThreadPartials
    private let partials: ThreadPartials
    private var weights: UnsafePointer<Float>?

    init(_ g: ConvolutionGeometry, threads: Int, staged: Bool) {
        geometry = g
        staging = ThreadPartials(size: staged ? g.output.count : 0, threads: threads)
        partials = ThreadPartials(size: g.weightCount, threads: threads)
    }

    static func serves(_ g: ConvolutionGeometry, _ product: ConvolutionProduct) -> Bool { true }

    func prepare(_ product: ConvolutionProduct, weights: UnsafePointer<Float>) {
        self.weights = weights
        if product == .weightGradient { partials.zero() }
    }

    /// Calls `body(weight index, input index)` for every tap of output position (oy, ox) of
    /// channel `o` that falls inside the input (the padding reads zeros).
    @inline(__always)
    private func taps(_ o: Int, _ oy: Int, _ ox: Int, _ body: (Int, Int) -> Void) {
        let g = geometry
        for i in 0..<g.input.channels {
            for ky in 0..<g.kernelHeight {
                let iy = oy * g.strideHeight - g.padHeight + ky
                guard iy >= 0 && iy < g.input.height else { continue }
                for kx in 0..<g.kernelWidth {
                    let ix = ox * g.strideWidth - g.padWidth + kx
                    guard ix >= 0 && ix < g.input.width else { continue }
                    body(
                        ((o * g.input.channels + i) * g.kernelHeight + ky) * g.kernelWidth + kx,
                        (i * g.input.height + iy) * g.input.width + ix)
                }
            }
        }
    }

    /// y[o][oy][ox] = Σ_i Σ_ky Σ_kx w[o][i][ky][kx] · x[i][oy·s - p + ky][ox·s - p + kx].
    private func convolve(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let g = geometry, w = weights!
        for o in 0..<g.output.channels {
            for oy in 0..<g.output.height {
                for ox in 0..<g.output.width {
                    var sum = 0.0
                    taps(o, oy, ox) { k, j in sum += Double(w[k]) * Double(x[j]) }
                    y[(o * g.output.height + oy) * g.output.width + ox] = Float(sum)
                }
            }
        }
    }

    func convolve(_ x: Tensor, _ group: Range<Int>, chunk: Int, into y: Tensor) {
        for i in group { convolve(x.sample(i), into: y.sample(i)) }
    }

    func convolveInScratch(_ x: Tensor, _ group: Range<Int>, chunk: Int, region: (Int, Int)) -> GroupPlanes {
        convolve(x.sample(group.lowerBound), into: staging.slice(chunk))
        return GroupPlanes(samples: staging.slice(chunk), geometry.output)
    }

    /// dx[i][iy][ix] = Σ over the outputs whose taps read (iy, ix) of w at that tap · dy there.
    func adjoint(_ dy: Tensor, _ group: Range<Int>, chunk: Int, into dx: Tensor) {
        let g = geometry, w = weights!
        withUnsafeTemporaryAllocation(of: Double.self, capacity: g.input.count) { sums in
            for s in group {
                let (d, out) = (dy.sample(s), dx.sample(s))
                sums.initialize(repeating: 0)
                for o in 0..<g.output.channels {
                    for oy in 0..<g.output.height {
                        for ox in 0..<g.output.width {
                            let gradient = Double(d[(o * g.output.height + oy) * g.output.width + ox])
                            taps(o, oy, ox) { k, j in sums[j] += Double(w[k]) * gradient }
                        }
                    }
                }
                for j in 0..<g.input.count { out[j] = Float(sums[j]) }
            }
        }
    }

    /// dW[o][i][ky][kx] += Σ over the positions of dy[o][oy][ox] · x under that tap.
    func accumulateWeightGradient(x: Tensor, dy: Tensor, _ group: Range<Int>, chunk: Int) {
        let g = geometry, partial = partials.slice(chunk)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: g.weightCount) { sums in
            for s in group {
                let (input, d) = (x.sample(s), dy.sample(s))
                sums.initialize(repeating: 0)
                for o in 0..<g.output.channels {
                    for oy in 0..<g.output.height {
                        for ox in 0..<g.output.width {
                            let gradient = Double(d[(o * g.output.height + oy) * g.output.width + ox])
                            taps(o, oy, ox) { k, j in sums[k] += gradient * Double(input[j]) }
                        }
                    }
                }
                for k in 0..<g.weightCount { partial[k] += Float(sums[k]) }
            }
        }
    }

    func addWeightGradient(into gradient: UnsafeMutablePointer<Float>) { partials.reduce(into: gradient) }
}
