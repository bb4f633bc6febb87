/// tf.train.AdadeltaOptimizer: acc = ρ · acc + (1 - ρ) · g²;
/// u = sqrt(accU + ε) / sqrt(acc + ε) · g; accU = ρ · accU + (1 - ρ) · u²; w -= lr · u.
public struct Adadelta: UpdateRule {
    public var rho: Float
    public var epsilon: Float

    public init(rho: Float = 0.95, epsilon: Float = 1e-8) {
        self.rho = rho
        self.epsilon = epsilon
    }

    public var slotNames: [String] { ["accum", "accum_update"] }

    public func update(
        _ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
        slots: [UnsafeMutablePointer<Float>], range: Range<Int>, learningRate lr: Float, step: Int
    ) {
        let acc = slots[0], accU = slots[1]
        for i in range {
            acc[i] = rho * acc[i] + (1 - rho) * g[i] * g[i]
            let u = (accU[i] + epsilon).squareRoot() / (acc[i] + epsilon).squareRoot() * g[i]
            accU[i] = rho * accU[i] + (1 - rho) * u * u
            w[i] -= lr * u
        }
    }
}
