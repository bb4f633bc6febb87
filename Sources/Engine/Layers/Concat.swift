/// Joins its inputs along the channel axis (ModifiedCNN joins two flat vectors this way); the
/// gradient is split back in the same order.
public final class Concat: Layer {
    public let name: String
    private var inputShapes: [Shape] = []
    private var output = Shape(1)

    public init(name: String) { self.name = name }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        guard let first = inputs.first, inputs.count >= 2 else {
            throw .invalidConfiguration("\(name) needs at least two inputs, got \(inputs.count)")
        }
        for s in inputs where s.height != first.height || s.width != first.width {
            throw .shapeMismatch("\(name) cannot join \(first) and \(s): spatial sizes differ")
        }
        inputShapes = inputs
        output = Shape(inputs.reduce(0) { $0 + $1.channels }, first.height, first.width)
        return output
    }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        for i in 0..<batch {
            var offset = 0
            for (k, x) in inputs.enumerated() {
                let n = inputShapes[k].count
                (y.sample(i) + offset).update(from: x.sample(i), count: n)
                offset += n
            }
        }
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        for i in 0..<batch {
            var offset = 0
            for (k, dx) in inputGradients.enumerated() {
                let n = inputShapes[k].count
                dx?.sample(i).update(from: dy.sample(i) + offset, count: n)
                offset += n
            }
        }
    }
}
