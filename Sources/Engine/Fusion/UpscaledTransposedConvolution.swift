/// Fused: a transposed convolution of stride 1 reading a nearest upscaling by f that only it
/// reads (the decoders of LasagneCAE and NarrowCAE's seed).
///
///     x ── Upscale2D (f) ── u ── TransposedConv2D (W, b, g) ── y
///     becomes
///     x ── TransposedConv2D (K, stride f) ── y,   K[ky][kx] = Σ over the f x f block e of W[ky - ey][kx - ex]
///
/// Each input value of u repeats an f x f block of x, so the weights that meet one value of x
/// sum to the boxed kernel K (k + f - 1 wide): the same sums over 1/f² of the positions, and u is
/// never written (but in `.inspection` passes). The operator is that transposed convolution, a
/// layer of its own sharing the bias, with K boxed from W before each forward pass; W's gradient
/// gets each K gradient back from every entry it was added to.
final class UpscaledTransposedConvolution: FusedOperator {
    let upscale: Upscale2D
    let transposed: TransposedConv2D
    let output: Int
    private let factor: Int
    /// The transposed convolution over x at stride f, with K as its weight.
    private let boxed: TransposedConv2D
    private let x: Tensor
    private let upscaled: Tensor
    private let y: Tensor
    private let gradient: Tensor?
    private let inputGradient: Tensor?

    static func match(_ node: Int, in graph: GraphView) -> [Int]? {
        guard let transposed = graph.layer(node) as? TransposedConv2D, let k = graph.entries[node].inputs.first,
            graph.isPrivate(k), let upscale = graph.layer(k) as? Upscale2D,
            boxedLayer(transposed, factor: upscale.factor, input: graph.entries[graph.entries[k].inputs[0]].shape)
                != nil
        else { return nil }
        return [k]
    }

    /// The transposed convolution read through an upscaling by `factor` of `input`, if there is
    /// one (stride 1 only: a stride would skip some of a block's copies).
    private static func boxedLayer(_ t: TransposedConv2D, factor: Int, input: Shape) -> TransposedConv2D? {
        guard let g = t.geometry, t.stride == (1, 1), factor > 1 else { return nil }
        let kernel = (t.kernel.0 + factor - 1, t.kernel.1 + factor - 1)
        let weight = Parameter(
            name: "\(t.name)/boxed", dimensions: [g.output.channels, g.input.channels, kernel.0, kernel.1],
            initializer: .zeros, fanIn: 1, fanOut: 1, decays: false)
        let boxed = TransposedConv2D(
            name: t.name, weight: weight, bias: t.bias, kernel: kernel, stride: (factor, factor),
            padding: .explicit(g.padHeight, g.padWidth), outputSize: (g.input.height, g.input.width),
            activation: t.activation)
        guard (try? boxed.outputShape(for: [input])) == g.input else { return nil }
        return boxed
    }

    init(_ node: Int, in graph: GraphView, _ tensors: StepTensors) {
        let k = graph.entries[node].inputs[0], source = graph.entries[k].inputs[0]
        transposed = graph.layer(node) as! TransposedConv2D
        upscale = graph.layer(k) as! Upscale2D
        output = node
        factor = upscale.factor
        boxed = Self.boxedLayer(transposed, factor: factor, input: graph.entries[source].shape)!
        x = tensors.outputs[source]
        upscaled = tensors.outputs[k]
        y = tensors.outputs[node]
        gradient = tensors.gradients[node]
        inputGradient = tensors.inputGradients[k][0]
    }

    var name: String { upscale.name + "+" + transposed.name }

    func plan(_ context: PlanContext) {
        upscale.plan(context)
        boxed.plan(context)
    }

    /// K from W, or with `adjoint` W's gradient from K's.
    private func box(adjoint: Bool) {
        let (kh, kw, f) = (transposed.kernel.0, transposed.kernel.1, factor)
        let (bh, bw) = (kh + f - 1, kw + f - 1)
        let (weight, kernel) = (transposed.weight, boxed.weight)
        let w = adjoint ? weight.gradient : weight.value, k = adjoint ? kernel.gradient : kernel.value
        if !adjoint { k.update(repeating: 0, count: kernel.count) }
        for pair in 0..<(weight.count / (kh * kw)) {
            let (wp, kp) = (w + pair * kh * kw, k + pair * bh * bw)
            for ty in 0..<kh {
                for tx in 0..<kw {
                    for ey in 0..<f {
                        for ex in 0..<f {
                            let boxedIndex = (ty + ey) * bw + tx + ex
                            if adjoint {
                                wp[ty * kw + tx] += kp[boxedIndex]
                            } else {
                                kp[boxedIndex] += wp[ty * kw + tx]
                            }
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
        boxed.forward([x], into: y, batch: batch, mode: mode)
    }

    func backward(batch: Int) {
        guard let gradient else { return }
        boxed.weight.zeroGradient()
        boxed.backward([x], output: y, outputGradient: gradient, inputGradients: [inputGradient], batch: batch)
        box(adjoint: true)
    }
}
