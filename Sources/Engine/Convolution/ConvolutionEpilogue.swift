/// What a convolution-like layer does around its products: the bias and activation after the
/// forward, the activation's derivative and the bias gradient before the backward, group by group
/// while the group is in cache.
enum ConvolutionEpilogue {
    /// Adds bias[c] to channel c of each sample in the group and applies the activation, in one pass.
    static func finish(_ t: Tensor, _ group: Range<Int>, bias: UnsafePointer<Float>?, activation: Activation) {
        let (channels, plane) = (t.shape.channels, t.shape.plane)
        for i in group {
            for c in 0..<channels { activation.apply(t.sample(i) + c * plane, count: plane, bias: bias?[c] ?? 0) }
        }
    }

    /// The activation's derivative applied to a group's output gradient, and the bias gradient
    /// added (if `db`): group by group, just before the kernels read the same gradient, so it is
    /// read from cache rather than in three passes over the whole batch.
    @inline(__always)
    static func prepareGradient(
        _ dy: Tensor, output y: Tensor, _ group: Range<Int>, activation: Activation,
        bias db: UnsafeMutablePointer<Float>?
    ) {
        activation.backward(
            dy.sample(group.lowerBound), output: y.sample(group.lowerBound), count: group.count * dy.shape.count)
        if let db { accumulateBiasGradient(dy, group, into: db) }
    }

    /// db[c] += the sum of channel c over the group's samples, 16 partial sums at a time (a
    /// scalar running sum is one long chain of dependent adds).
    static func accumulateBiasGradient(_ t: Tensor, _ group: Range<Int>, into db: UnsafeMutablePointer<Float>) {
        let (channels, plane) = (t.shape.channels, t.shape.plane)
        typealias Vector = FastMath.Vector
        for i in group {
            for c in 0..<channels {
                let line = t.sample(i) + c * plane
                var partial = Vector(), p = 0
                while p + Vector.scalarCount <= plane {
                    partial += UnsafeRawPointer(line + p).loadUnaligned(as: Vector.self)
                    p += Vector.scalarCount
                }
                var sum = partial.sum()
                while p < plane { sum += line[p]; p += 1 }
                db[c] += sum
            }
        }
    }
}
