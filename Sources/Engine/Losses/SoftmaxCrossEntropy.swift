#if canImport(Glibc)
import Glibc
#endif

/// Softmax over a classifier's logits with the cross-entropy of the true class, averaged over
/// the batch; fused, because the gradient of the pair is simply softmax - one-hot.
public struct SoftmaxCrossEntropy: Sendable {
    public init() {}

    /// Returns (mean loss, correct predictions) of the first `batch` samples and, if asked,
    /// writes the gradient of the mean loss with respect to the logits.
    public func callAsFunction(
        _ logits: Tensor, labels: UnsafePointer<Int32>, batch: Int,
        gradient: Tensor? = nil
    ) -> (loss: Double, correct: Int) {
        let classes = logits.shape.count
        var total: Double = 0
        var correct = 0
        for i in 0..<batch {
            let z = logits.sample(i)
            let label = Int(labels[i])
            precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
            var best = 0
            var maximum = z[0]
            for k in 1..<classes where z[k] > maximum {
                maximum = z[k]
                best = k
            }
            if best == label { correct += 1 }
            var sum: Float = 0
            for k in 0..<classes { sum += expf(z[k] - maximum) }
            let logSum = logf(sum)
            total += Double(logSum - (z[label] - maximum))
            if let gradient {
                let g = gradient.sample(i), scale = 1 / Float(batch)
                for k in 0..<classes {
                    g[k] = (expf(z[k] - maximum - logSum) - (k == label ? 1 : 0)) * scale
                }
            }
        }
        return (total / Double(batch), correct)
    }
}
