#if canImport(Glibc)
import Glibc
#endif

/// tf.train.AdamOptimizer, with TensorFlow's bias correction folded into the step size and its
/// epsilon outside the square root.
public struct Adam: UpdateRule {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public var slotNames: [String] { ["m", "v"] }

    public func update(
        _ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
        slots: [UnsafeMutablePointer<Float>], range: Range<Int>, learningRate lr: Float, step: Int
    ) {
        let m = slots[0], v = slots[1]
        let t = Double(step)
        let lrT = Float(Double(lr) * (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t)))
        for i in range {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            w[i] -= lrT * m[i] / (v[i].squareRoot() + epsilon)
        }
    }
}
