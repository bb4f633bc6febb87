/// Fused, in networks planned for evaluation only: a convolution or dense layer without
/// activation whose only reader is a batch normalization (DTB's LeNetBN and VGGBN).
///
///     x ── Conv2D or Dense (W, b) ── z ── BatchNormalization (γ, β, mean, variance) ── y
///     becomes
///     x ── Conv2D or Dense (W', b') ── y,   s = γ / sqrt(variance + ε),  W'[o] = s[o] W[o],
///                                          b'[o] = s[o] (b[o] - mean[o]) + β[o]
///
/// With the running averages fixed, normalization is an affine map per output channel, so it
/// folds into the layer's weights exactly (up to rounding): one product instead of a product and
/// a pass over z, which is never written (but in `.inspection` passes, which run both layers).
/// The folded weights are computed before each forward pass, so loaded checkpoints need nothing
/// more.
final class FoldedNormalization: FusedOperator {
    let layer: Layer
    let normalization: BatchNormalization
    let output: Int
    private let folded: Layer
    private let (weight, bias): (Parameter, Parameter?)
    private let (foldedWeight, foldedBias): (Parameter, Parameter)
    private let x: Tensor
    private let z: Tensor
    private let y: Tensor

    static func match(_ node: Int, in graph: GraphView) -> [Int]? {
        guard !graph.training, graph.layer(node) is BatchNormalization, let k = graph.entries[node].inputs.first,
            graph.isPrivate(k), let layer = graph.layer(k), foldedLayer(layer) != nil
        else { return nil }
        return [k]
    }

    /// A layer like `layer` with weights of its own to fold into, if `layer` has no activation.
    private static func foldedLayer(_ layer: Layer) -> Layer? {
        if let conv = layer as? Conv2D, conv.activation == .identity, conv.kernel.0 == conv.kernel.1,
            conv.stride.0 == conv.stride.1
        {
            let copy = Conv2D(
                name: conv.name, inputChannels: conv.inputChannels, outputChannels: conv.outputChannels,
                kernel: conv.kernel.0, stride: conv.stride.0, padding: conv.padding)
            return (try? copy.outputShape(for: [conv.geometry!.input])) == conv.geometry!.output ? copy : nil
        }
        if let dense = layer as? Dense, dense.activation == .identity {
            let copy = Dense(name: dense.name, inputs: dense.inputCount, units: dense.units)
            return (try? copy.outputShape(for: [Shape(dense.inputCount)])) != nil ? copy : nil
        }
        return nil
    }

    private static func weights(_ layer: Layer) -> (Parameter, Parameter?) {
        if let conv = layer as? Conv2D { return (conv.weight, conv.bias) }
        let dense = layer as! Dense
        return (dense.weight, dense.bias)
    }

    init(_ node: Int, in graph: GraphView, _ tensors: StepTensors) {
        let k = graph.entries[node].inputs[0], source = graph.entries[k].inputs[0]
        normalization = graph.layer(node) as! BatchNormalization
        layer = graph.layer(k)!
        output = node
        folded = Self.foldedLayer(layer)!
        (weight, bias) = Self.weights(layer)
        let (w, b) = Self.weights(folded)
        (foldedWeight, foldedBias) = (w, b!)
        x = tensors.outputs[source]
        z = tensors.outputs[k]
        y = tensors.outputs[node]
    }

    var name: String { layer.name + "+" + normalization.name }

    func plan(_ context: PlanContext) {
        layer.plan(context.untuned)
        normalization.plan(context)
        folded.plan(context)
    }

    func forward(batch: Int, mode: Mode) {
        guard mode == .evaluation else {
            layer.forward([x], into: z, batch: batch, mode: mode)
            normalization.forward([z], into: y, batch: batch, mode: mode)
            return
        }
        let perChannel = weight.count / foldedBias.count
        for o in 0..<foldedBias.count {
            let scale =
                normalization.scale.value[o]
                / (normalization.movingVariance.value[o] + normalization.epsilon).squareRoot()
            for i in 0..<perChannel {
                foldedWeight.value[o * perChannel + i] = scale * weight.value[o * perChannel + i]
            }
            let b = bias?.value[o] ?? 0
            foldedBias.value[o] = scale * (b - normalization.movingMean.value[o]) + normalization.offset.value[o]
        }
        folded.forward([x], into: y, batch: batch, mode: mode)
    }

    func backward(batch: Int) {
        preconditionFailure("\(name): folded only in networks planned for evaluation")
    }
}
