/// 2-D convolution (cross-correlation, as every framework computes it) with a bias and an
/// activation: y = f(x ⋆ W + b), W laid out [out][in][ky][kx]. The backward pass applies f' to
/// the output gradient, sums it per channel into the bias gradient, and takes the weight gradient
/// (dy ⊗ x) and the input gradient (Wᵀ ⋆ dy) from it. The products run on the algorithms that
/// ConvolutionAlgorithms picks for the geometry; the samples of a batch are split over threads.
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

    public init(
        name: String, inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int = 1,
        padding: Padding = .valid, activation: Activation = .identity,
        initializer: Initializer = .glorotUniform, bias: Bool = true, decays: Bool = true
    ) {
        self.name = name
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = (kernel, kernel)
        self.stride = (stride, stride)
        self.padding = padding
        self.activation = activation
        let k2 = kernel * kernel
        weight = Parameter(
            name: "\(name)/W", dimensions: [outputChannels, inputChannels, kernel, kernel],
            initializer: initializer, fanIn: inputChannels * k2, fanOut: outputChannels * k2,
            decays: decays)
        self.bias =
            bias
            ? Parameter(
                name: "\(name)/b", dimensions: [outputChannels], initializer: .zeros,
                fanIn: 1, fanOut: 1, decays: false)
            : nil
        parameters = [weight] + (self.bias.map { [$0] } ?? [])
    }

    public var multiplyAdds: Int { geometry?.multiplyAdds ?? 0 }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        let input = try single(inputs, name)
        guard input.channels == inputChannels else {
            throw .shapeMismatch("\(name) expects \(inputChannels) input channels, got \(input)")
        }
        let g = try ConvolutionGeometry(
            input: input, outputChannels: outputChannels, kernel: kernel, stride: stride,
            padding: padding.amounts(kernel: kernel))
        geometry = g
        return g.output
    }

    private var pool = ThreadPool(threads: 1)
    private var algorithms: ConvolutionAlgorithms?
    private var biasPartials: ThreadPartials?
    private var pass = Pass()
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardChunk($0, $1) }
    private lazy var backwardJob: ParallelJob = { [unowned self] in backwardChunk($0, $1) }

    public func plan(_ context: PlanContext) {
        guard let g = geometry else { preconditionFailure("\(name) planned before its shape was checked") }
        pool = context.pool
        algorithms = ConvolutionAlgorithms(g, context, layer: name)
        biasPartials = ThreadPartials(size: outputChannels, threads: context.pool.threads)
    }

    public func forward(_ inputs: [Tensor], into output: Tensor, batch: Int, mode: Mode) {
        pass = Pass(x: inputs[0], y: output, mode: mode)
        algorithms!.convolution(mode).prepare(.convolution, weights: weight.value)
        pool.parallelFor(batch, forwardJob)
    }

    /// y = x ⋆ W, then f(y + b) group by group while the group is in cache.
    private func forwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let convolution = algorithms!.convolution(pass.mode), b = bias.map { UnsafePointer($0.value) }
        for group in SampleGroups(range, size: convolution.groupSize) {
            convolution.convolve(pass.x, group, chunk: chunk, into: pass.y)
            ConvolutionEpilogue.finish(pass.y, group, bias: b, activation: activation)
        }
    }

    public func backward(
        _ inputs: [Tensor], output: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        pass = Pass(x: inputs[0], y: output, dy: dy, dx: inputGradients[0])
        let algorithms = algorithms!
        if !weight.frozen { algorithms.weightGradient.prepare(.weightGradient, weights: weight.value) }
        if pass.dx != nil { algorithms.adjoint.prepare(.adjoint, weights: weight.value) }
        biasPartials!.zero()
        pool.parallelFor(batch, backwardJob)
        if !weight.frozen { algorithms.weightGradient.addWeightGradient(into: weight.gradient) }
        if let bias, !bias.frozen { biasPartials!.reduce(into: bias.gradient) }
    }

    /// dy = dy · f'(y) and db += Σ dy, then dW += dy ⊗ x and dx = Wᵀ ⋆ dy, group by group.
    private func backwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let algorithms = algorithms!, db = bias.map { _ in biasPartials!.slice(chunk) }
        for group in SampleGroups(range, size: algorithms.backwardGroupSize) {
            ConvolutionEpilogue.prepareGradient(pass.dy, output: pass.y, group, activation: activation, bias: db)
            if !weight.frozen {
                algorithms.weightGradient.accumulateWeightGradient(x: pass.x, dy: pass.dy, group, chunk: chunk)
            }
            if let dx = pass.dx { algorithms.adjoint.adjoint(pass.dy, group, chunk: chunk, into: dx) }
        }
    }

    /// One sample's output before the activation (for pictures of what the layer computes);
    /// allocates its own scratch, so it is not for training steps.
    public func preActivation(of x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        guard let g = geometry else { preconditionFailure("\(name) used before its shape was checked") }
        let column = UnsafeMutablePointer<Float>.allocate(capacity: max(g.patch * g.positions, 1))
        defer { column.deallocate() }
        Im2colConvolution.im2col(x, g, into: column, ld: g.positions)
        Im2colConvolution.convolve(weight.value, column, count: 1, g, into: y)
        if let b = bias?.value {
            for c in 0..<g.output.channels { for p in 0..<g.positions { y[c * g.positions + p] += b[c] } }
        }
    }
}
