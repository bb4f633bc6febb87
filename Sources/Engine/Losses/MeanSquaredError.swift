/// DTB's reconstruction loss: the mean over images of (mean squared error / 2), which for images
/// of one size is sum((y - t)²) / (2 · batch · pixels).
public struct MeanSquaredError: Sendable {
    public init() {}

    /// Returns the loss of the first `batch` samples and, if asked, writes its gradient.
    public func callAsFunction(
        _ prediction: Tensor, target: UnsafePointer<Float>, batch: Int,
        gradient: Tensor? = nil
    ) -> Double {
        let n = batch * prediction.shape.count
        let y = prediction.data
        let scale = 1 / Float(n)
        var sum: Double = 0
        for i in 0..<n {
            let d = y[i] - target[i]
            sum += Double(d * d)
            if let gradient { gradient.data[i] = d * scale }
        }
        return sum / Double(2 * n)
    }
}
