/// Dropout. Inverted (the default): in training each value is kept with probability 1 - p and
/// scaled by 1 / (1 - p), so evaluation is the identity. Direct (DTB's `direct_dropout`, the
/// paper's original form): kept values are not scaled in training, and evaluation multiplies
/// every value by the keep probability 1 - p instead. Each pass takes one key from the layer's seeded
/// generator, and value i's draw is value i of the SplitMix64 stream from that key: threads draw
/// their parts of the mask, which does not depend on the thread count.
public final class Dropout: RandomLayer {
    public enum Scaling: Sendable {
        case inverted, direct
    }

    public let name: String
    public let probability: Float
    public let scaling: Scaling
    private var generator: RandomGenerator
    private var shape = Shape(1)
    private var mask: Buffer<Float>?
    private var pool = ThreadPool(threads: 1)
    /// Whether the last forward applied the mask (training) or passed values through.
    private var masked = false
    private var pass = Pass()
    /// This pass's key, nil to reuse the last mask.
    private var key: UInt64?
    /// The draw index of this batch's first value (`reseed`'s `firstSample`).
    private var offset = 0
    private lazy var forwardJob: ParallelJob = { [unowned self] _, range in
        // Copied out of the object: a stored property read inside the loop is an exclusivity
        // check per value, which cost more than the draw.
        let (x, y, mask, offset) = (pass.x.data, pass.y.data, mask!.pointer, offset)
        if let key {
            // A draw below p, decided on its top 24 bits without a branch (which would be
            // mispredicted half the time).
            let scale = scaling == .inverted ? 1 / (1 - probability) : 1,
                threshold = Int64((Double(probability) * 16_777_216).rounded(.up))
            for i in range {
                let dropped = (Int64(RandomGenerator.splitMix(key, offset + i) >> 40) - threshold) >> 63 & 1
                mask[i] = scale * Float(1 - dropped)
            }
        }
        for i in range { y[i] = x[i] * mask[i] }
    }
    private lazy var backwardJob: ParallelJob = { [unowned self] _, range in
        let (dy, dx, mask) = (pass.dy.data, pass.dx!.data, mask!.pointer)
        for i in range { dx[i] = dy[i] * mask[i] }
    }

    public init(name: String, probability: Float = 0.5, scaling: Scaling = .inverted, seed: UInt64 = 0) {
        self.name = name
        self.probability = probability
        self.scaling = scaling
        generator = RandomGenerator(seed: seed)
    }

    /// Restarts the mask stream (the network does this from its seed).
    public func reseed(_ seed: UInt64, firstSample: Int) {
        generator = RandomGenerator(seed: seed)
        offset = firstSample * shape.count
    }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        shape = try single(inputs, name)
        guard probability >= 0, probability < 1 else {
            throw .invalidConfiguration("\(name): dropout probability \(probability) is not in [0, 1)")
        }
        return shape
    }

    public func plan(_ context: PlanContext) {
        pool = context.pool
        mask = Buffer(count: context.capacity * shape.count, initialValue: 1)
    }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        let x = inputs[0], count = batch * shape.count
        masked = mode.trains && probability > 0
        guard masked else {
            if scaling == .direct && !mode.trains {
                let keep = 1 - probability
                for i in 0..<count { y.data[i] = x.data[i] * keep }
            } else {
                y.data.update(from: x.data, count: count)
            }
            return
        }
        key = mode == .replay ? nil : generator.next()
        pass = Pass(x: x, y: y)
        pool.parallelFor(count, forwardJob)
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        guard let dx = inputGradients[0] else { return }
        guard masked else {
            dx.data.update(from: dy.data, count: batch * shape.count)
            return
        }
        pass = Pass(dy: dy, dx: dx)
        pool.parallelFor(batch * shape.count, backwardJob)
    }
}
