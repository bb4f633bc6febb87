/// Zero padding around each plane (DTB's SingleLayerCAE pads 28x28 to 32x32 this way).
public final class Pad: Layer {
    public let name: String
    public let amount: Int
    private var input = Shape(1)
    private var output = Shape(1)

    public init(name: String, amount: Int) {
        self.name = name
        self.amount = amount
    }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        input = try single(inputs, name)
        guard amount >= 0 else { throw .invalidConfiguration("\(name): negative padding \(amount)") }
        output = Shape(input.channels, input.height + 2 * amount, input.width + 2 * amount)
        return output
    }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        let x = inputs[0]
        y.zero(batch: batch)
        for plane in 0..<(batch * input.channels) {
            let src = x.data + plane * input.plane
            let dst = y.data + plane * output.plane + amount * output.width + amount
            for row in 0..<input.height {
                (dst + row * output.width).update(from: src + row * input.width, count: input.width)
            }
        }
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        guard let dx = inputGradients[0] else { return }
        for plane in 0..<(batch * input.channels) {
            let src = dy.data + plane * output.plane + amount * output.width + amount
            let dst = dx.data + plane * input.plane
            for row in 0..<input.height {
                (dst + row * input.width).update(from: src + row * output.width, count: input.width)
            }
        }
    }
}
