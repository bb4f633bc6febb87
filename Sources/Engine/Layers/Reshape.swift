/// Gives the same values another per-sample shape (Lasagne's ReshapeLayer; flattening is
/// `Reshape(to: Shape(n))`). NCHW memory is unchanged, so both passes are copies.
public final class Reshape: Layer {
    public let name: String
    public let target: Shape

    public init(name: String, to target: Shape) {
        self.name = name
        self.target = target
    }

    /// Flattens to a vector of whatever size the input has.
    public static func flatten(name: String, count: Int) -> Reshape { Reshape(name: name, to: Shape(count)) }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        let x = try single(inputs, name)
        guard x.count == target.count else {
            throw .shapeMismatch("\(name) cannot reshape \(x) (\(x.count) values) to \(target)")
        }
        return target
    }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        y.data.update(from: inputs[0].data, count: batch * target.count)
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        inputGradients[0]?.data.update(from: dy.data, count: batch * target.count)
    }
}
