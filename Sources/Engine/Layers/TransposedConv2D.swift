/// The exact adjoint of a Conv2D (Lasagne's TransposedConv2DLayer, "deconvolution"): it maps a
/// convolution's output shape back to its input shape, y = f(Wᵀ ⋆ x + b). Its weights are laid
/// out as the convolution's (conv out channels = this layer's input channels), so they can be
/// the convolution's own, tied: both uses then add to the one gradient. The backward pass is the
/// convolution's other two products with x and dy swapped: dW += x ⊗ dy and dx = dy ⋆ W.
public final class TransposedConv2D: Layer {
    public let name: String
    public let weight: Parameter
    public let bias: Parameter?
    public let parameters: [Parameter]
    public let activation: Activation
    /// This layer's output channels (the adjoint convolution's input channels).
    public let outputChannels: Int
    public let kernel: (Int, Int)
    public let stride: (Int, Int)
    public let padding: Padding
    /// The output's height and width where a stride makes them ambiguous (PyTorch's
    /// output_padding); by default the smallest size that the adjoint convolution maps back.
    public let outputSize: (Int, Int)?
    public private(set) var geometry: ConvolutionGeometry?

    private var pool = ThreadPool(threads: 1)
    private var algorithms: ConvolutionAlgorithms?
    private var biasPartials: ThreadPartials?
    private var pass = Pass()
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardChunk($0, $1) }
    private lazy var backwardJob: ParallelJob = { [unowned self] in backwardChunk($0, $1) }

    /// With weights of its own: `inputChannels` -> `outputChannels`.
    public convenience init(
        name: String, inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int = 1,
        padding: Padding = .valid, activation: Activation = .identity,
        outputSize: (Int, Int)? = nil, initializer: Initializer = .glorotUniform,
        bias: Bool = true, decays: Bool = true
    ) {
        let k2 = kernel * kernel
        let weight = Parameter(
            name: "\(name)/W", dimensions: [inputChannels, outputChannels, kernel, kernel],
            initializer: initializer, fanIn: inputChannels * k2, fanOut: outputChannels * k2,
            decays: decays)
        self.init(
            name: name, weight: weight, bias: bias ? Self.bias(name, outputChannels) : nil, kernel: (kernel, kernel),
            stride: (stride, stride), padding: padding, outputSize: outputSize, activation: activation)
    }

    /// Tied to `convolution` (already added to a network): its adjoint, with the same weights,
    /// mapping back to that convolution's input size, and a bias of its own.
    public convenience init(
        name: String, tiedTo convolution: Conv2D, activation: Activation = .identity,
        bias: Bool = true
    ) {
        self.init(
            name: name, weight: convolution.weight,
            bias: bias ? Self.bias(name, convolution.inputChannels) : nil, kernel: convolution.kernel,
            stride: convolution.stride, padding: convolution.padding,
            outputSize: convolution.geometry.map { ($0.input.height, $0.input.width) }, activation: activation)
    }

    /// With the given parameters, which other layers may share.
    init(
        name: String, weight: Parameter, bias: Parameter?, kernel: (Int, Int), stride: (Int, Int), padding: Padding,
        outputSize: (Int, Int)?, activation: Activation
    ) {
        self.name = name
        self.weight = weight
        outputChannels = weight.dimensions[1]
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.outputSize = outputSize
        self.activation = activation
        self.bias = bias
        parameters = [weight] + (bias.map { [$0] } ?? [])
    }

    private static func bias(_ name: String, _ channels: Int) -> Parameter {
        Parameter(name: "\(name)/b", dimensions: [channels], initializer: .zeros, fanIn: 1, fanOut: 1, decays: false)
    }

    public var multiplyAdds: Int { geometry?.multiplyAdds ?? 0 }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        let input = try single(inputs, name)
        guard input.channels == weight.dimensions[0] else {
            throw .shapeMismatch("\(name) expects \(weight.dimensions[0]) input channels, got \(input)")
        }
        let pad = padding.amounts(kernel: kernel)
        let size =
            outputSize ?? (
                (input.height - 1) * stride.0 + kernel.0 - 2 * pad.0,
                (input.width - 1) * stride.1 + kernel.1 - 2 * pad.1
            )
        let out = Shape(outputChannels, size.0, size.1)
        guard out.height > 0, out.width > 0 else {
            throw .shapeMismatch("\(name) would produce an empty output from \(input)")
        }
        let g = try ConvolutionGeometry(
            input: out, outputChannels: input.channels, kernel: kernel, stride: stride,
            padding: pad)
        guard g.output == input else {
            throw .shapeMismatch("\(name): no convolution maps \(out) to \(input)")
        }
        geometry = g
        return out
    }

    // The geometry is the adjoint convolution's: its input is this layer's output.
    public func plan(_ context: PlanContext) {
        guard let g = geometry else { preconditionFailure("\(name) planned before its shape was checked") }
        pool = context.pool
        algorithms = ConvolutionAlgorithms(g, context, layer: name)
        biasPartials = ThreadPartials(size: outputChannels, threads: context.pool.threads)
    }

    public func forward(_ inputs: [Tensor], into output: Tensor, batch: Int, mode: Mode) {
        pass = Pass(x: inputs[0], y: output)
        algorithms!.adjoint.prepare(.adjoint, weights: weight.value)
        pool.parallelFor(batch, forwardJob)
    }

    /// y = Wᵀ ⋆ x, then f(y + b) group by group.
    private func forwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let adjoint = algorithms!.adjoint, b = bias.map { UnsafePointer($0.value) }
        for group in SampleGroups(range, size: adjoint.groupSize) {
            adjoint.adjoint(pass.x, group, chunk: chunk, into: pass.y)
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
        if pass.dx != nil { algorithms.trainingConvolution.prepare(.convolution, weights: weight.value) }
        biasPartials!.zero()
        pool.parallelFor(batch, backwardJob)
        if !weight.frozen { algorithms.weightGradient.addWeightGradient(into: weight.gradient) }
        if let bias, !bias.frozen { biasPartials!.reduce(into: bias.gradient) }
    }

    /// dy = dy · f'(y) and db += Σ dy; the roles swap: this layer's output gradient is the
    /// convolution's input, so dW += x ⊗ dy and dx = dy ⋆ W.
    private func backwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let algorithms = algorithms!, db = bias.map { _ in biasPartials!.slice(chunk) }
        let convolution = algorithms.trainingConvolution
        for group in SampleGroups(range, size: min(algorithms.weightGradient.groupSize, convolution.groupSize)) {
            ConvolutionEpilogue.prepareGradient(pass.dy, output: pass.y, group, activation: activation, bias: db)
            if !weight.frozen {
                algorithms.weightGradient.accumulateWeightGradient(x: pass.dy, dy: pass.x, group, chunk: chunk)
            }
            if let dx = pass.dx { convolution.convolve(pass.dy, group, chunk: chunk, into: dx) }
        }
    }
}
