/// Element-wise non-linearities. Layers apply them to their own output in place, and their
/// derivatives are written in terms of that output, so nothing else needs keeping.
public enum Activation: String, Sendable, CaseIterable {
    case identity, tanh, relu, sigmoid

    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity: break
        case .tanh: FastMath.map(x, count: count, FastMath.tanh)
        case .relu: for i in 0..<count { x[i] = max(x[i], 0) }
        case .sigmoid: FastMath.map(x, count: count, FastMath.sigmoid)
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
