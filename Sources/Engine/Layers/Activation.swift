/// Element-wise non-linearities. Layers apply them to their own output in place, and their
/// derivatives are written in terms of that output, so nothing else needs keeping.
public enum Activation: String, Sendable, CaseIterable {
    case identity, tanh, relu, sigmoid

    /// x = f(x + bias) in place, in one pass (the convolutions' bias and activation together).
    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int, bias: Float = 0) {
        if self == .identity && bias == 0 { return }
        let b = FastMath.Vector(repeating: bias)
        switch self {
        case .identity: FastMath.map(x, count: count) { $0 + b }
        case .tanh: FastMath.map(x, count: count) { FastMath.tanh($0 + b) }
        case .relu: FastMath.map(x, count: count) { v in let y = v + b; return y.replacing(with: 0, where: y .< 0) }
        case .sigmoid: FastMath.map(x, count: count) { FastMath.sigmoid($0 + b) }
        }
    }

    /// gradient *= f'(x), where `output` = f(x).
    @inline(__always)
    func backward(_ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) {
        switch self {
        case .identity: break
        case .tanh: for i in 0..<count { gradient[i] *= 1 - output[i] * output[i] }
        case .relu: for i in 0..<count where output[i] <= 0 { gradient[i] = 0 }
        case .sigmoid: for i in 0..<count { gradient[i] *= output[i] * (1 - output[i]) }
        }
    }
}
