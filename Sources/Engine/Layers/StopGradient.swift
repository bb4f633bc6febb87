/// The identity forward, and no gradient backward (TensorFlow's `stop_gradient`): what reads it
/// learns from its values without training what wrote them. DTB's stacked autoencoders chain
/// their stages through it, so each stage trains on its own loss alone.
public final class StopGradient: Layer {
    public let name: String
    private var shape = Shape(1)

    public init(name: String) { self.name = name }

    public var passesGradient: Bool { false }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        shape = try single(inputs, name)
        return shape
    }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        y.data.update(from: inputs[0].data, count: batch * shape.count)
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {}
}
