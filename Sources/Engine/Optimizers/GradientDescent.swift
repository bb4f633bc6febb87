/// tf.train.GradientDescentOptimizer: w -= lr · g.
public struct GradientDescent: UpdateRule {
    public init() {}
    public var slotNames: [String] { [] }

    public func update(
        _ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
        slots: [UnsafeMutablePointer<Float>], range: Range<Int>, learningRate lr: Float, step: Int
    ) {
        for i in range { w[i] -= lr * g[i] }
    }
}
