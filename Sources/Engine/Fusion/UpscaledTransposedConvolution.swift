/// Fused: a transposed convolution of stride 1 reading a nearest upscaling by f that only it
/// reads (the decoders of LasagneCAE and NarrowCAE's seed).
///
///     x ── Upscale2D (f) ── u ── TransposedConv2D (W, b, g) ── y
///     becomes
///     x ── TransposedConv2D (K, stride f) ── y,   K[ky][kx] = Σ over the f x f block e of W[ky - ey][kx - ex]
///
/// Each input value of u repeats an f x f block of x, so the weights that meet one value of x
/// sum to the boxed kernel K (k + f - 1 wide): the same sums over 1/f² of the positions, and u is
/// never written (but in `.inspection` passes). W's gradient gets each K gradient back from every
/// entry it was added to.
final class UpscaledTransposedConvolution: FusedOperator {
    let upscale: Upscale2D
    let transposed: TransposedConv2D
    let output: Int
    private let factor: Int
    /// The adjoint convolution's geometry over x, at stride f.
    private let boxed: ConvolutionGeometry
    /// K and its gradient.
    private let kernel: Parameter
    private let x: Tensor
    private let upscaled: Tensor
    private let y: Tensor
    private let gradient: Tensor?
    private let inputGradient: Tensor?
    private var pool = ThreadPool(threads: 1)
    private var algorithms: ConvolutionAlgorithms?
    private var biasPartials: ThreadPartials?
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardChunk($0, $1) }
    private lazy var backwardJob: ParallelJob = { [unowned self] in backwardChunk($0, $1) }

    static func match(_ node: Int, in graph: GraphView) -> [Int]? {
        guard let transposed = graph.layer(node) as? TransposedConv2D, let k = graph.entries[node].inputs.first,
              graph.isPrivate(k), let upscale = graph.layer(k) as? Upscale2D,
              boxedGeometry(transposed, factor: upscale.factor, input: graph.entries[graph.entries[k].inputs[0]].shape)
                != nil else { return nil }
        return [k]
    }

    /// The geometry of the transposed convolution read through an upscaling by `factor` of
    /// `input`, if it has one (stride 1 only: a stride would skip some of a block's copies).
    private static func boxedGeometry(_ t: TransposedConv2D, factor: Int, input: Shape) -> ConvolutionGeometry? {
        guard let g = t.geometry, t.stride == (1, 1), factor > 1,
              let boxed = try? ConvolutionGeometry(input: g.input, outputChannels: g.output.channels,
                                                   kernel: (t.kernel.0 + factor - 1, t.kernel.1 + factor - 1),
                                                   stride: (factor, factor), padding: (g.padHeight, g.padWidth)),
              boxed.output == input else { return nil }
        return boxed
    }

    init(_ node: Int, in graph: GraphView, _ tensors: StepTensors) {
        let k = graph.entries[node].inputs[0], source = graph.entries[k].inputs[0]
        transposed = graph.layer(node) as! TransposedConv2D
        upscale = graph.layer(k) as! Upscale2D
        output = node
        factor = upscale.factor
        boxed = Self.boxedGeometry(transposed, factor: factor, input: graph.entries[source].shape)!
        kernel = Parameter(name: "\(transposed.name)/boxed",
                           dimensions: [boxed.output.channels, boxed.input.channels, boxed.kernelHeight, boxed.kernelWidth],
                           initializer: .zeros, fanIn: 1, fanOut: 1, decays: false)
        x = tensors.outputs[source]
        upscaled = tensors.outputs[k]
        y = tensors.outputs[node]
        gradient = tensors.gradients[node]
        inputGradient = tensors.inputGradients[k][0]
    }

    var name: String { upscale.name + "+" + transposed.name }

    func plan(_ context: PlanContext) {
        pool = context.pool
        upscale.plan(context)
        algorithms = ConvolutionAlgorithms(boxed, context)
        biasPartials = ThreadPartials(size: transposed.outputChannels, threads: context.pool.threads)
    }

    /// K from W, or with `adjoint` W's gradient from K's.
    private func box(adjoint: Bool) {
        let (kh, kw, f) = (transposed.kernel.0, transposed.kernel.1, factor)
        let (bh, bw) = (kh + f - 1, kw + f - 1)
        let weight = transposed.weight
        let w = adjoint ? weight.gradient : weight.value, k = adjoint ? kernel.gradient : kernel.value
        if !adjoint { k.update(repeating: 0, count: kernel.count) }
        for pair in 0..<(weight.count / (kh * kw)) {
            let (wp, kp) = (w + pair * kh * kw, k + pair * bh * bw)
            for ty in 0..<kh {
                for tx in 0..<kw {
                    for ey in 0..<f {
                        for ex in 0..<f {
                            let boxedIndex = (ty + ey) * bw + tx + ex
                            if adjoint { wp[ty * kw + tx] += kp[boxedIndex] } else { kp[boxedIndex] += wp[ty * kw + tx] }
                        }
                    }
                }
            }
        }
    }

    func forward(batch: Int, mode: Mode) {
        precondition(mode != .replay, "\(name): replays need a network planned without fusion")
        if mode == .inspection { upscale.forward([x], into: upscaled, batch: batch, mode: mode) }
        box(adjoint: false)
        algorithms!.adjoint.prepare(.adjoint, weights: kernel.value)
        pool.parallelFor(batch, forwardJob)
    }

    private func forwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let adjoint = algorithms!.adjoint, b = transposed.bias.map { UnsafePointer($0.value) }
        for group in SampleGroups(range, size: adjoint.groupSize) {
            adjoint.adjoint(x, group, chunk: chunk, into: y)
            ConvolutionEpilogue.finish(y, group, bias: b, activation: transposed.activation)
        }
    }

    func backward(batch: Int) {
        let algorithms = algorithms!
        algorithms.weightGradient.prepare(.weightGradient, weights: kernel.value)
        if inputGradient != nil { algorithms.trainingConvolution.prepare(.convolution, weights: kernel.value) }
        biasPartials!.zero()
        pool.parallelFor(batch, backwardJob)
        kernel.zeroGradient()
        algorithms.weightGradient.addWeightGradient(into: kernel.gradient)
        if let bias = transposed.bias { biasPartials!.reduce(into: bias.gradient) }
        box(adjoint: true)
    }

    private func backwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let algorithms = algorithms!, dy = gradient!, db = transposed.bias.map { _ in biasPartials!.slice(chunk) }
        let convolution = algorithms.trainingConvolution
        for group in SampleGroups(range, size: min(algorithms.weightGradient.groupSize, convolution.groupSize)) {
            ConvolutionEpilogue.prepareGradient(dy, output: y, group, activation: transposed.activation, bias: db)
            algorithms.weightGradient.accumulateWeightGradient(x: dy, dy: x, group, chunk: chunk)
            if let dx = inputGradient { convolution.convolve(dy, group, chunk: chunk, into: dx) }
        }
    }
}
