/// tf.train.RMSPropOptimizer (uncentered): ms = ρ · ms + (1 - ρ) · g²;
/// mom = μ · mom + lr · g / sqrt(ms + ε); w -= mom. As in TensorFlow 1, ms starts at one.
public struct RMSProp: UpdateRule {
    public var decay: Float
    public var momentum: Float
    public var epsilon: Float

    public init(decay: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-10) {
        self.decay = decay
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var slotNames: [String] { ["RMSProp", "Momentum"] }
    public var initialSlotValues: [Float] { [1, 0] }

    public func update(
        _ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
        slots: [UnsafeMutablePointer<Float>], range: Range<Int>, learningRate lr: Float, step: Int
    ) {
        let ms = slots[0], mom = slots[1]
        for i in range {
            ms[i] = decay * ms[i] + (1 - decay) * g[i] * g[i]
            mom[i] = momentum * mom[i] + lr * g[i] / (ms[i] + epsilon).squareRoot()
            w[i] -= mom[i]
        }
    }
}
