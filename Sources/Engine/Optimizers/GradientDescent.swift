/// tf.train.GradientDescentOptimizer: w -= lr · g.
public struct GradientDescent: UpdateRule {
    public init() {}
    public var slotNames: [String] { [] }

    public func update(_ w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                       slots: [UnsafeMutablePointer<Float>], count: Int, learningRate lr: Float, step: Int) {
        for i in 0..<count { w[i] -= lr * g[i] }
    }
}
