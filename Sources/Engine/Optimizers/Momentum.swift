/// tf.train.MomentumOptimizer: a = m · a + g; w -= lr · a, or with Nesterov
/// w -= lr · (g + m · a).
public struct Momentum: UpdateRule {
    public var momentum: Float
    public var useNesterov: Bool

    public init(momentum: Float = 0.9, useNesterov: Bool = false) {
        self.momentum = momentum
        self.useNesterov = useNesterov
    }

    public var slotNames: [String] { ["Momentum"] }

    public func update(
        _ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
        slots: [UnsafeMutablePointer<Float>], range: Range<Int>, learningRate lr: Float, step: Int
    ) {
        let a = slots[0]
        for i in range {
            a[i] = momentum * a[i] + g[i]
            w[i] -= useNesterov ? lr * (g[i] + momentum * a[i]) : lr * a[i]
        }
    }
}
