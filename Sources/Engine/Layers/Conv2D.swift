/// 2-D convolution (cross-correlation, as every framework computes it) with a fused activation,
/// threaded over the samples of a batch; ConvolutionStrategy picks the kernels from its shape.
public final class Conv2D: Layer {
    public let name: String
    public let weight: Parameter
    public let bias: Parameter?
    public let parameters: [Parameter]
    public let activation: Activation
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernel: (Int, Int)
    public let stride: (Int, Int)
    public let padding: Padding
    public private(set) var geometry: ConvolutionGeometry?

    private var pool = ThreadPool(threads: 1)
    private var scratch: ConvolutionScratch?
    private var pass = Pass()
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardChunk($0, $1) }
    private lazy var backwardJob: ParallelJob = { [unowned self] in backwardChunk($0, $1) }
    private lazy var pooledJob: ParallelJob = { [unowned self] in pooledChunk($0, $1) }
    /// The max pool that alone reads this layer's output: in every pass but `.inspection` this
    /// layer pools into the pool's output (`pooledOutput`), and it back-propagates from the
    /// pool's arg-max lists; set by the network before `plan`.
    private var routing: (pool: MaxPool2D, layout: PooledConvolutionGradient.Layout, pooledOutput: Tensor)?
    private var pooled: PooledConvolutionGradient?
    /// One sample's output per thread (a Winograd group's), pooled from while it is in cache.
    private var fusedPlanes: ThreadPartials?
    /// Evaluation's path for the 5x5 channel-vector layers it serves.
    private var winograd: WinogradConvolution?

    public init(name: String, inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int = 1,
                padding: Padding = .valid, activation: Activation = .identity,
                initializer: Initializer = .glorotUniform, bias: Bool = true, decays: Bool = true) {
        self.name = name
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = (kernel, kernel)
        self.stride = (stride, stride)
        self.padding = padding
        self.activation = activation
        let k2 = kernel * kernel
        weight = Parameter(name: "\(name)/W", dimensions: [outputChannels, inputChannels, kernel, kernel],
                           initializer: initializer, fanIn: inputChannels * k2, fanOut: outputChannels * k2,
                           decays: decays)
        self.bias = bias ? Parameter(name: "\(name)/b", dimensions: [outputChannels], initializer: .zeros,
                                     fanIn: 1, fanOut: 1, decays: false) : nil
        parameters = [weight] + (self.bias.map { [$0] } ?? [])
    }

    public var multiplyAdds: Int { geometry?.multiplyAdds ?? 0 }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        let input = try single(inputs, name)
        guard input.channels == inputChannels else {
            throw .shapeMismatch("\(name) expects \(inputChannels) input channels, got \(input)")
        }
        let g = try ConvolutionGeometry(input: input, outputChannels: outputChannels, kernel: kernel, stride: stride,
                                        padding: padding.amounts(kernel: kernel))
        geometry = g
        return g.output
    }

    /// Whether this layer fuses with `pool`, which alone reads its output and writes
    /// `pooledOutput` (nil: each runs its own passes); `inputGradient` tells whether the input
    /// needs a gradient.
    func fuse(_ pool: MaxPool2D?, into pooledOutput: Tensor?, inputGradient: Bool) -> Bool {
        routing = nil
        guard let pool, let pooledOutput, let g = geometry,
              let layout = PooledConvolutionGradient.layout(for: g, inputGradient: inputGradient) else { return false }
        routing = (pool, layout, pooledOutput)
        return true
    }

    public func plan(capacity: Int, pool: ThreadPool) {
        guard let g = geometry else { preconditionFailure("\(name) planned before its shape was checked") }
        self.pool = pool
        pooled = routing.map {
            PooledConvolutionGradient(g, layout: $0.layout, activation: activation, pooledPlane: $0.pooledOutput.shape.plane,
                                      threads: pool.threads)
        }
        let strategy = ConvolutionStrategy(g)
        winograd = nil
        if case .channelVectors = strategy, WinogradConvolution.serves(g) {
            winograd = WinogradConvolution(g, pooled: poolsInKernelOutsideTraining, threads: pool.threads)
        }
        let planes = winograd.map { $0.pooled ? 1 : $0.group } ?? 1
        fusedPlanes = routing.map { _ in ThreadPartials(size: g.output.count * planes, threads: pool.threads) }
        scratch = ConvolutionScratch(g, biasChannels: g.output.channels, capacity: capacity, threads: pool.threads,
                                     strategy: strategy)
    }

    public func forward(_ inputs: [Tensor], into output: Tensor, batch: Int, mode: Mode) {
        pass = Pass(x: inputs[0], y: output, mode: mode)
        if case .channelVectors = scratch!.strategy {
            pass.wt = scratch!.prepare(weight, geometry!)
            if mode == .evaluation { winograd?.prepare(pass.wt!) }
        }
        pool.parallelFor(batch, forwardJob)
    }

    private func forwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let g = geometry!, x = pass.x!, output = pass.y!, scratch = scratch!
        let w = UnsafePointer(weight.value), b = bias.map { UnsafePointer($0.value) }
        if pass.mode != .inspection, let (maxPool, _, pooledOutput) = routing {
            // Each sample (im2col: each group, as below) into this thread's planes and pooled
            // from cache, activated there first (the rows some window reads) or, outside
            // training, after the pool where that is exact; the layer's own output is not written.
            let poolsFirst = activation.commutesWithMax && pass.mode != .training
            let poolsInKernel = poolsInKernelOutsideTraining && pass.mode != .training
            let read = maxPool.windowsCover.0 * g.output.width, pooledPlane = pooledOutput.shape.plane
            func activatePooled(_ i: Int, _ c: Int) {
                activation.apply(pooledOutput.sample(i) + c * pooledPlane, count: pooledPlane, bias: b?[c] ?? 0)
            }
            func activateAndPool(_ planes: UnsafeMutablePointer<Float>, _ group: Range<Int>) {
                for (s, i) in group.enumerated() {
                    for c in 0..<g.output.channels {
                        let plane = planes + (c * group.count + s) * g.positions
                        if poolsFirst {
                            // Pooled first, the pool's output activated: a quarter of the values
                            // (1/25 for 5x5 windows), the same results. Not in training: there
                            // the arg-max of raw values can differ where two sums round to the
                            // same value once the bias is added.
                            maxPool.pool(plane, sample: i, channel: c, into: pooledOutput, mode: pass.mode)
                            activatePooled(i, c)
                        } else {
                            activation.apply(plane, count: read, bias: b?[c] ?? 0)
                            maxPool.pool(plane, sample: i, channel: c, into: pooledOutput, mode: pass.mode)
                        }
                    }
                }
            }
            let own = fusedPlanes!.slice(chunk), copies = scratch.copies.slice(chunk)
            switch scratch.strategy {
            case .direct, .directForward:
                let region = maxPool.windowsCover
                if poolsInKernel && region.0 >= 4 {
                    // The pool's maxima straight from the registers, then the activation (as
                    // the channel-vector path below does from its channels-last sums).
                    for i in range {
                        DirectConvolution.forward(x.sample(i), w, g, region: region, pooled: pooledOutput.shape,
                                                  into: pooledOutput.sample(i), scratch: copies)
                        for c in 0..<g.output.channels { activatePooled(i, c) }
                    }
                    return
                }
                for i in range {
                    DirectConvolution.forward(x.sample(i), w, g, region: region.0 >= 4 ? region : nil, into: own, scratch: copies)
                    activateAndPool(own, i..<(i + 1))
                }
            case .channelVectors(let plan):
                if pass.mode == .evaluation, let winograd {
                    for start in winograd.groups(range) {
                        let group = winograd.group(at: start, in: range)
                        if winograd.pooled {
                            winograd.forward(x, group, chunk: chunk) { pooledOutput.sample($0) }
                            for i in group { for c in 0..<g.output.channels { activatePooled(i, c) } }
                        } else {
                            winograd.forward(x, group, chunk: chunk) { own + ($0 - group.lowerBound) * g.output.count }
                            for i in group { activateAndPool(own + (i - group.lowerBound) * g.output.count, i..<(i + 1)) }
                        }
                    }
                    return
                }
                if poolsInKernel {
                    for i in range {
                        ChannelVectorConvolution.forward(x.sample(i), pass.wt!, plan, pooled: pooledOutput.shape,
                                                         into: pooledOutput.sample(i), scratch: copies)
                        for c in 0..<g.output.channels { activatePooled(i, c) }
                    }
                    return
                }
                for i in range {
                    ChannelVectorConvolution.forward(x.sample(i), pass.wt!, plan, into: own, scratch: copies)
                    activateAndPool(own, i..<(i + 1))
                }
            case .im2col:
                let column = scratch.columns.slice(chunk)
                for start in scratch.groups(range) {
                    let group = scratch.group(at: start, in: range)
                    let planes = group.count == 1 ? own : scratch.joined.slice(chunk)
                    ConvolutionKernels.unroll(x, group, g, into: column)
                    ConvolutionKernels.convolve(w, column, count: group.count, g, into: planes)
                    activateAndPool(planes, group)
                }
            }
            return
        }
        switch scratch.strategy {
        case .direct, .directForward:
            for i in range {
                DirectConvolution.forward(x.sample(i), w, g, into: output.sample(i), scratch: scratch.copies.slice(chunk))
                ConvolutionKernels.finish(output, i..<(i + 1), bias: b, activation: activation)
            }
            return
        case .channelVectors(let plan):
            if pass.mode == .evaluation, let winograd {
                for start in winograd.groups(range) {
                    let group = winograd.group(at: start, in: range)
                    winograd.forward(x, group, chunk: chunk) { output.sample($0) }
                    ConvolutionKernels.finish(output, group, bias: b, activation: activation)
                }
                return
            }
            for i in range {
                ChannelVectorConvolution.forward(x.sample(i), pass.wt!, plan, into: output.sample(i), scratch: scratch.copies.slice(chunk))
                ConvolutionKernels.finish(output, i..<(i + 1), bias: b, activation: activation)
            }
            return
        case .im2col: break
        }
        let column = scratch.columns.slice(chunk)
        for start in scratch.groups(range) {
            let group = scratch.group(at: start, in: range)
            ConvolutionKernels.unroll(x, group, g, into: column)
            let planes = scratch.outputPlanes(output, group, chunk: chunk)
            ConvolutionKernels.convolve(w, column, count: group.count, g, into: planes)
            scratch.scatter(planes, group, into: output)
            ConvolutionKernels.finish(output, group, bias: b, activation: activation)
        }
    }

    /// Whether passes other than training's pool inside the kernels: a 2x2 pool of stride 2
    /// alone reads this layer, whose activation commutes with the maximum.
    private var poolsInKernelOutsideTraining: Bool {
        guard let pool = routing?.pool else { return false }
        return activation.commutesWithMax && pool.size == 2 && pool.stride == 2
    }

    /// One sample's output before the activation (for pictures of what the layer computes);
    /// allocates its own scratch, so it is not for training steps.
    public func preActivation(of x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        guard let g = geometry else { preconditionFailure("\(name) used before its shape was checked") }
        let column = UnsafeMutablePointer<Float>.allocate(capacity: max(g.patch * g.positions, 1))
        defer { column.deallocate() }
        ConvolutionKernels.im2col(x, g, into: column, ld: g.positions)
        ConvolutionKernels.convolve(weight.value, column, count: 1, g, into: y)
        if let b = bias?.value {
            for c in 0..<g.output.channels { for p in 0..<g.positions { y[c * g.positions + p] += b[c] } }
        }
    }

    public func backward(_ inputs: [Tensor], output: Tensor, outputGradient dy: Tensor,
                         inputGradients: [Tensor?], batch: Int) {
        pass = Pass(x: inputs[0], y: output, dy: dy, dx: inputGradients[0])
        if let pooled {
            pooled.begin(weights: weight.value, inputGradient: pass.dx != nil)
            pool.parallelFor(batch, pooledJob)
            pooled.finish(weight: weight, bias: bias)
            return
        }
        scratch!.beginBackward()
        if scratch!.vectorAdjoint && pass.dx != nil { pass.wt = scratch!.prepare(weight, geometry!, adjoint: true) }
        pool.parallelFor(batch, backwardJob)
        scratch!.finishBackward(weight: weight, bias: bias, geometry!)
    }

    private func pooledChunk(_ chunk: Int, _ range: Range<Int>) {
        let x = pass.x!, dx = pass.dx, pooled = pooled!, router = routing!.pool
        for i in range { pooled.backward(x.sample(i), router.routes(sample: i), dx: dx?.sample(i), chunk: chunk) }
    }

    private func backwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let g = geometry!, x = pass.x!, output = pass.y!, dy = pass.dy!, dx = pass.dx, scratch = scratch!
        let w = UnsafePointer(weight.value), db = bias.map { _ in scratch.biases.slice(chunk) }
        func prepare(_ group: Range<Int>) {
            ConvolutionKernels.prepareGradient(dy, output: output, group, activation: activation, bias: db)
        }
        switch scratch.strategy {
        case .direct:
            for i in range {
                prepare(i..<(i + 1))
                DirectConvolution.backward(x.sample(i), dy.sample(i), w, g, weightGradient: scratch.weights.slice(chunk),
                                           inputGradient: dx?.sample(i), scratch: scratch.copies.slice(chunk))
            }
            return
        case .channelVectors(let plan):
            for i in range {
                prepare(i..<(i + 1))
                ChannelVectorConvolution.weightGradient(x.sample(i), dy.sample(i), plan, into: scratch.weights.slice(chunk),
                                                        scratch: scratch.copies.slice(chunk))
                if plan.coversAdjoint, let dx {
                    ChannelVectorConvolution.adjoint(dy.sample(i), pass.wt!, plan, into: dx.sample(i), scratch: scratch.copies.slice(chunk))
                }
            }
            if plan.coversAdjoint { return }
        case .directForward, .im2col: break
        }
        let unrolled: Bool = switch scratch.strategy {
        case .directForward, .im2col: true
        case .direct, .channelVectors: false
        }
        guard unrolled || dx != nil else { return }
        let column = scratch.columns.slice(chunk)
        for start in scratch.groups(range) {
            let group = scratch.group(at: start, in: range)
            if unrolled { prepare(group) }
            let planes = scratch.gathered(dy, group, chunk: chunk)
            if unrolled {
                ConvolutionKernels.unroll(x, group, g, into: column)
                ConvolutionKernels.accumulateWeightGradient(planes, column, count: group.count, g, into: scratch.weights.slice(chunk))
            }
            if let dx {
                ConvolutionKernels.correlate(w, planes, count: group.count, g, into: column)
                ConvolutionKernels.fold(column, group, g, into: dx)
            }
        }
    }
}
