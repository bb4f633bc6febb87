/// Element-wise non-linearities. Layers apply them to their own output in place, and their
/// derivatives are written in terms of that output, so nothing else needs keeping.
public enum Activation: String, Sendable, CaseIterable {
    case identity, tanh, relu, sigmoid

    /// Whether max(f(x_i + b)) = f(max(x_i) + b) exactly, so that a max pool can come first:
    /// rounding the sum and clamping at zero never reverse an order, while the vectorised tanh
    /// and sigmoid are not proven monotonic to the last bit.
    var commutesWithMax: Bool { self == .identity || self == .relu }

    /// x = f(x + bias) in place, in one pass (the convolutions' bias and activation together).
    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int, bias: Float = 0) {
        if self == .identity && bias == 0 { return }
        let b = FastMath.Vector(repeating: bias)
        switch self {
        case .identity: FastMath.map(x, count: count) { $0 + b }
        case .tanh: FastMath.map(x, count: count) { FastMath.tanh($0 + b) }
        case .relu:
            FastMath.map(x, count: count) { v in
                let y = v + b; return y.replacing(with: 0, where: y .< 0)
            }
        case .sigmoid: FastMath.map(x, count: count) { FastMath.sigmoid($0 + b) }
        }
    }

    /// gradient *= f'(x), where `output` = f(x).
    @inline(__always)
    func backward(_ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) {
        switch self {
        case .identity: break
        case .tanh: FastMath.update(gradient, with: output, count: count) { g, y in g * (1 - y * y) }
        case .relu:
            FastMath.update(gradient, with: output, count: count) { g, y in g.replacing(with: 0, where: y .<= 0) }
        case .sigmoid: FastMath.update(gradient, with: output, count: count) { g, y in g * y * (1 - y) }
        }
    }
}
