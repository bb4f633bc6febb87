/// An activation on its own (where it is not fused into a convolution or dense layer, as in
/// seed 003's projection of features back to pixels).
public final class ActivationLayer: Layer {
    public let name: String
    public let activation: Activation
    private var shape = Shape(1)
    private var pool = ThreadPool(threads: 1)

    public init(name: String, _ activation: Activation) {
        self.name = name
        self.activation = activation
    }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        shape = try single(inputs, name)
        return shape
    }

    public func plan(capacity: Int, pool: ThreadPool) { self.pool = pool }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        let x = inputs[0], activation = activation
        pool.parallelFor(batch * shape.count) { _, r in
            (y.data + r.lowerBound).update(from: x.data + r.lowerBound, count: r.count)
            activation.apply(y.data + r.lowerBound, count: r.count)
        }
    }

    public func backward(_ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
                         inputGradients: [Tensor?], batch: Int) {
        guard let dx = inputGradients[0] else { return }
        let activation = activation
        pool.parallelFor(batch * shape.count) { _, r in
            (dx.data + r.lowerBound).update(from: dy.data + r.lowerBound, count: r.count)
            activation.backward(dx.data + r.lowerBound, output: y.data + r.lowerBound, count: r.count)
        }
    }
}
