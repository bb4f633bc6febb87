/// tf.train.AdagradOptimizer: acc += g²; w -= lr · g / sqrt(acc), acc starting at 0.1.
public struct Adagrad: UpdateRule {
    public var initialAccumulatorValue: Float

    public init(initialAccumulatorValue: Float = 0.1) {
        self.initialAccumulatorValue = initialAccumulatorValue
    }

    public var slotNames: [String] { ["Adagrad"] }
    public var initialSlotValues: [Float] { [initialAccumulatorValue] }

    public func update(
        _ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
        slots: [UnsafeMutablePointer<Float>], range: Range<Int>, learningRate lr: Float, step: Int
    ) {
        let acc = slots[0]
        for i in range {
            acc[i] += g[i] * g[i]
            w[i] -= lr * g[i] / acc[i].squareRoot()
        }
    }
}
