/// Weight initializers as Lasagne and TensorFlow define them.
public enum Initializer: Sendable, Equatable {
    /// Uniform in ±sqrt(6 / (fanIn + fanOut)) (Lasagne's default).
    case glorotUniform
    /// Normal with standard deviation sqrt(2 / fanIn) (DTB's SingleLayerCAE).
    case heNormal
    case zeros
    case constant(Float)

    public func fill(
        _ values: UnsafeMutablePointer<Float>, count: Int, fanIn: Int, fanOut: Int,
        using generator: inout RandomGenerator
    ) {
        switch self {
        case .glorotUniform:
            let limit = (6.0 / Float(fanIn + fanOut)).squareRoot()
            for i in 0..<count { values[i] = (generator.nextUniform() * 2 - 1) * limit }
        case .heNormal:
            let std = (2.0 / Float(fanIn)).squareRoot()
            for i in 0..<count { values[i] = generator.nextNormal() * std }
        case .zeros:
            values.update(repeating: 0, count: count)
        case .constant(let c):
            values.update(repeating: c, count: count)
        }
    }
}
