/// Additive uniform noise in training, clipped to the pixel range: y = clip(x + u, low, high)
/// with u uniform in [-amplitude, amplitude) (DTB's StackedDenoisingCAE corrupts its input so,
/// with amplitude 0.5 and range [-1, 1]); the identity at evaluation. It sits on the input, so
/// no gradient goes through it. Value i's draw is value i of the SplitMix64 stream from the
/// pass's key, so the noise does not depend on the thread count.
public final class UniformNoise: RandomLayer {
    public let name: String
    public let amplitude: Float
    public let range: ClosedRange<Float>
    private var generator = RandomGenerator(seed: 0)
    private var shape = Shape(1)
    private var pool = ThreadPool(threads: 1)
    private var pass = Pass()
    private var key: UInt64 = 0
    /// The draw index of this batch's first value (`reseed`'s `firstSample`).
    private var offset = 0
    private lazy var forwardJob: ParallelJob = { [unowned self] _, values in
        let (x, y, scale) = (pass.x.data, pass.y.data, 2 * amplitude / 16_777_216)
        for i in values {
            let u = Float(RandomGenerator.splitMix(key, offset + i) >> 40) * scale - amplitude
            y[i] = min(max(x[i] + u, range.lowerBound), range.upperBound)
        }
    }

    public init(name: String, amplitude: Float, range: ClosedRange<Float>) {
        self.name = name
        self.amplitude = amplitude
        self.range = range
    }

    public func reseed(_ seed: UInt64, firstSample: Int) {
        generator = RandomGenerator(seed: seed)
        offset = firstSample * shape.count
    }

    public var passesGradient: Bool { false }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        shape = try single(inputs, name)
        return shape
    }

    public func plan(_ context: PlanContext) { pool = context.pool }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        guard mode.trains else {
            y.data.update(from: inputs[0].data, count: batch * shape.count)
            return
        }
        if mode == .training { key = generator.next() }
        pass = Pass(x: inputs[0], y: y)
        pool.parallelFor(batch * shape.count, forwardJob)
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {}
}
