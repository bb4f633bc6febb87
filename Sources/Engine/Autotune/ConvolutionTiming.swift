/// The tensors an autotuned layer's candidates are timed on: a whole batch capacity of one
/// geometry's input, output, their gradients and weights, filled with small random values and
/// allocated once per layer while it is planned (never during a step).
final class ConvolutionTiming {
    /// How the layer's consumer calls the convolution: into a tensor, into the thread's scratch
    /// (a fused operator reads it there), or pooled inside the kernels.
    enum Call { case tensor, scratch, pooled }

    private let geometry: ConvolutionGeometry
    private let pool: ThreadPool
    private let capacity: Int
    private let repetitions: Int
    private let x: Tensor, y: Tensor, pooled: Tensor
    private let weights: UnsafeMutablePointer<Float>
    private let weightGradient: UnsafeMutablePointer<Float>

    init(_ g: ConvolutionGeometry, _ context: PlanContext, repetitions: Int) {
        (geometry, pool, capacity, self.repetitions) = (g, context.pool, context.capacity, repetitions)
        x = Tensor(shape: g.input, capacity: capacity)
        y = Tensor(shape: g.output, capacity: capacity)
        pooled = Tensor(
            shape: Shape(g.output.channels, max(1, g.output.height / 2), max(1, g.output.width / 2)), capacity: capacity
        )
        weights = .allocate(capacity: g.weightCount)
        weightGradient = .allocate(capacity: g.weightCount)
        var generator = RandomGenerator(seed: 0x7475_6E65)
        for i in 0..<x.count { x.data[i] = generator.nextUniform() - 0.5 }
        for i in 0..<y.count { y.data[i] = generator.nextUniform() - 0.5 }
        for i in 0..<g.weightCount { weights[i] = (generator.nextUniform() - 0.5) * 0.1 }
    }

    deinit {
        weights.deallocate()
        weightGradient.deallocate()
    }

    /// The median seconds of `repetitions` passes of `product` over the whole capacity, after one
    /// warm-up pass (which also faults in the algorithm's scratch).
    func seconds(_ algorithm: ConvolutionAlgorithm, _ product: ConvolutionProduct, call: Call) -> Double {
        let job: ParallelJob = { [x, y, pooled] chunk, range in
            for group in SampleGroups(range, size: algorithm.groupSize) {
                switch (product, call) {
                case (.convolution, .tensor): algorithm.convolve(x, group, chunk: chunk, into: y)
                case (.convolution, .scratch):
                    let g = algorithm.geometry
                    _ = algorithm.convolveInScratch(x, group, chunk: chunk, region: (g.output.height, g.output.width))
                case (.convolution, .pooled): algorithm.convolvePooled(x, group, chunk: chunk, into: pooled)
                case (.adjoint, _): algorithm.adjoint(y, group, chunk: chunk, into: x)
                case (.weightGradient, _): algorithm.accumulateWeightGradient(x: x, dy: y, group, chunk: chunk)
                }
            }
        }
        var times: [Double] = []
        for pass in 0...repetitions {
            let start = MonotonicClock.seconds()
            algorithm.prepare(product, weights: weights)
            pool.parallelFor(capacity, job)
            if product == .weightGradient { algorithm.addWeightGradient(into: weightGradient) }
            if pass > 0 { times.append(MonotonicClock.seconds() - start) }
        }
        // The adjoint wrote x: give the next candidate the same kind of input again.
        if product == .adjoint { for i in 0..<x.count { x.data[i] = Float(i % 17) / 17 - 0.5 } }
        return times.sorted()[times.count / 2]
    }
}
