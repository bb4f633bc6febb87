/// An activation on its own (where it is not fused into a convolution or dense layer, as in
/// seed 003's projection of features back to pixels).
public final class ActivationLayer: Layer {
    public let name: String
    public let activation: Activation
    private var shape = Shape(1)
    private var pool = ThreadPool(threads: 1)
    private var pass = Pass()
    private lazy var forwardJob: ParallelJob = { [unowned self] _, r in
        (pass.y.data + r.lowerBound).update(from: pass.x.data + r.lowerBound, count: r.count)
        activation.apply(pass.y.data + r.lowerBound, count: r.count)
    }
    private lazy var backwardJob: ParallelJob = { [unowned self] _, r in
        (pass.dx!.data + r.lowerBound).update(from: pass.dy.data + r.lowerBound, count: r.count)
        activation.backward(pass.dx!.data + r.lowerBound, output: pass.y.data + r.lowerBound, count: r.count)
    }

    public init(name: String, _ activation: Activation) {
        self.name = name
        self.activation = activation
    }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        shape = try single(inputs, name)
        return shape
    }

    public func plan(_ context: PlanContext) { pool = context.pool }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        pass = Pass(x: inputs[0], y: y)
        pool.parallelFor(batch * shape.count, forwardJob)
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        guard let dx = inputGradients[0] else { return }
        pass = Pass(y: y, dy: dy, dx: dx)
        pool.parallelFor(batch * shape.count, backwardJob)
    }
}
