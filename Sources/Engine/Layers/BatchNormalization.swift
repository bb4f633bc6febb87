/// Batch normalization (Ioffe and Szegedy), per channel of N x C x H x W (a dense layer's
/// output is C x 1 x 1, so per unit), as DTB's `utils.batch_norm` configures TensorFlow's: scale
/// and offset learned, epsilon 1e-3, running averages with decay 0.9.
///
/// Training: with m = N·H·W values of a channel, mean μ and variance σ² (divided by m),
/// x̂ = (x - μ) / sqrt(σ² + ε) and y = γ x̂ + β. The running averages move toward μ and toward
/// σ²·m / (m - 1), the unbiased variance, as TensorFlow's fused kernel moves them; replay
/// passes (finite differences) use the batch statistics without moving them.
/// Evaluation: y = γ (x - mean) / sqrt(variance + ε) + β with the running averages.
///
/// Backward, from x̂ and g = γ dy: dγ += Σ dy x̂, dβ += Σ dy and
/// dx = (g - mean(g) - x̂ mean(g x̂)) / sqrt(σ² + ε).
public final class BatchNormalization: Layer {
    public let name: String
    public let scale: Parameter
    public let offset: Parameter
    public let parameters: [Parameter]
    /// The running averages: saved and restored with the weights, never trained.
    public let movingMean: Parameter
    public let movingVariance: Parameter
    public let decay: Float
    public let epsilon: Float
    private var shape = Shape(1)
    private var pool = ThreadPool(threads: 1)
    /// Per channel: the batch mean and 1 / sqrt(σ² + ε) of the last training pass.
    private var mean: Buffer<Float>?
    private var inverseDeviation: Buffer<Float>?
    private var updatesAverages = false
    private var pass = Pass()
    private lazy var trainingJob: ParallelJob = { [unowned self] _, channels in
        for c in channels { normalizeWithBatchStatistics(c) }
    }
    private lazy var evaluationJob: ParallelJob = { [unowned self] _, channels in
        for c in channels { normalizeWithAverages(c) }
    }
    private lazy var backwardJob: ParallelJob = { [unowned self] _, channels in
        for c in channels { backward(c) }
    }

    public init(name: String, channels: Int, decay: Float = 0.9, epsilon: Float = 1e-3) {
        self.name = name
        self.decay = decay
        self.epsilon = epsilon
        func array(_ suffix: String, _ initializer: Initializer) -> Parameter {
            Parameter(
                name: "\(name)/\(suffix)", dimensions: [channels], initializer: initializer, fanIn: 1, fanOut: 1,
                decays: false)
        }
        scale = array("gamma", .constant(1))
        offset = array("beta", .zeros)
        movingMean = array("moving_mean", .zeros)
        movingVariance = array("moving_variance", .constant(1))
        parameters = [scale, offset]
    }

    public var statistics: [Parameter] { [movingMean, movingVariance] }

    public var multiplyAdds: Int { 2 * shape.count }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        shape = try single(inputs, name)
        guard shape.channels == scale.count else {
            throw .shapeMismatch("\(name) normalizes \(scale.count) channels, got \(shape)")
        }
        return shape
    }

    public func plan(_ context: PlanContext) {
        pool = context.pool
        mean = Buffer(count: shape.channels, initialValue: 0)
        inverseDeviation = Buffer(count: shape.channels, initialValue: 1)
    }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        pass = Pass(x: inputs[0], y: y, batch: batch, mode: mode)
        updatesAverages = mode == .training
        pool.parallelFor(shape.channels, mode.trains ? trainingJob : evaluationJob)
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        pass = Pass(x: inputs[0], y: y, dy: dy, dx: inputGradients[0], batch: batch)
        pool.parallelFor(shape.channels, backwardJob)
    }

    /// The values of channel `c` in sample `n`.
    @inline(__always)
    private func plane(_ t: Tensor, _ n: Int, _ c: Int) -> UnsafeMutablePointer<Float> {
        t.sample(n) + c * shape.plane
    }

    private func normalizeWithBatchStatistics(_ c: Int) {
        let (x, y, batch, size) = (pass.x!, pass.y!, pass.batch, shape.plane)
        let m = Double(batch * size)
        var sum = 0.0
        for n in 0..<batch {
            let p = plane(x, n, c)
            for i in 0..<size { sum += Double(p[i]) }
        }
        let mu = sum / m
        var squares = 0.0
        for n in 0..<batch {
            let p = plane(x, n, c)
            for i in 0..<size {
                let d = Double(p[i]) - mu
                squares += d * d
            }
        }
        let variance = squares / m
        let inverse = Float(1 / (variance + Double(epsilon)).squareRoot())
        mean!.pointer[c] = Float(mu)
        inverseDeviation!.pointer[c] = inverse
        if updatesAverages {
            let unbiased = m > 1 ? variance * m / (m - 1) : variance
            movingMean.value[c] = decay * movingMean.value[c] + (1 - decay) * Float(mu)
            movingVariance.value[c] = decay * movingVariance.value[c] + (1 - decay) * Float(unbiased)
        }
        apply(c, mean: Float(mu), inverse: inverse, x, y, batch)
    }

    private func normalizeWithAverages(_ c: Int) {
        let inverse = 1 / (movingVariance.value[c] + epsilon).squareRoot()
        apply(c, mean: movingMean.value[c], inverse: inverse, pass.x!, pass.y!, pass.batch)
    }

    /// y = γ (x - mean) · inverse + β over channel `c`.
    private func apply(_ c: Int, mean: Float, inverse: Float, _ x: Tensor, _ y: Tensor, _ batch: Int) {
        let (gamma, beta, size) = (scale.value[c] * inverse, offset.value[c], shape.plane)
        for n in 0..<batch {
            let (src, dst) = (plane(x, n, c), plane(y, n, c))
            for i in 0..<size { dst[i] = (src[i] - mean) * gamma + beta }
        }
    }

    private func backward(_ c: Int) {
        let (x, dy, batch, size) = (pass.x!, pass.dy!, pass.batch, shape.plane)
        let (mu, inverse) = (mean!.pointer[c], inverseDeviation!.pointer[c])
        var (sumDy, sumDyXhat) = (0.0, 0.0)
        for n in 0..<batch {
            let (xs, g) = (plane(x, n, c), plane(dy, n, c))
            for i in 0..<size {
                sumDy += Double(g[i])
                sumDyXhat += Double(g[i]) * Double((xs[i] - mu) * inverse)
            }
        }
        if !scale.frozen { scale.gradient[c] += Float(sumDyXhat) }
        if !offset.frozen { offset.gradient[c] += Float(sumDy) }
        guard let dx = pass.dx else { return }
        let m = Float(batch * size), gamma = scale.value[c]
        let (meanDy, meanDyXhat) = (Float(sumDy) / m, Float(sumDyXhat) / m)
        for n in 0..<batch {
            let (xs, g, out) = (plane(x, n, c), plane(dy, n, c), plane(dx, n, c))
            for i in 0..<size {
                let xhat = (xs[i] - mu) * inverse
                out[i] = gamma * inverse * (g[i] - meanDy - xhat * meanDyXhat)
            }
        }
    }
}
