/// The exact adjoint of a Conv2D (Lasagne's TransposedConv2DLayer, "deconvolution"): it maps a
/// convolution's output shape back to its input shape. Its weights are laid out as the
/// convolution's (conv out channels = this layer's input channels), so they can be the
/// convolution's own, tied: both uses then add to the one gradient.
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
    private var scratch: ConvolutionScratch?
    private var pass = Pass()
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardChunk($0, $1) }
    private lazy var backwardJob: ParallelJob = { [unowned self] in backwardChunk($0, $1) }

    /// Set by the network when this layer's input is a nearest upscaling by f that only this
    /// layer reads: the layer then reads the upscaling's input, at stride f, with the kernel
    /// boxed over f x f (each weight added at every offset of the block, k + f - 1 wide). The
    /// sums are the same, over 1/f² of the positions, and the upscaling does nothing.
    private struct Upscaled {
        let input: Tensor
        let inputGradient: Tensor?
        let geometry: ConvolutionGeometry
        /// The boxed kernel and its gradient, which `backward` un-boxes into the weight's.
        let kernel: Parameter
        let factor: Int
    }
    private var upscaled: Upscaled?
    /// What the kernels run: the upscaled path's geometry and kernel, or the layer's own.
    private var active: (geometry: ConvolutionGeometry, weight: Parameter)? {
        if let upscaled { (upscaled.geometry, upscaled.kernel) } else { geometry.map { ($0, weight) } }
    }

    /// With weights of its own: `inputChannels` -> `outputChannels`.
    public convenience init(name: String, inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int = 1,
                            padding: Padding = .valid, activation: Activation = .identity,
                            outputSize: (Int, Int)? = nil, initializer: Initializer = .glorotUniform,
                            bias: Bool = true, decays: Bool = true) {
        let k2 = kernel * kernel
        let weight = Parameter(name: "\(name)/W", dimensions: [inputChannels, outputChannels, kernel, kernel],
                               initializer: initializer, fanIn: inputChannels * k2, fanOut: outputChannels * k2,
                               decays: decays)
        self.init(name: name, weight: weight, kernel: (kernel, kernel), stride: (stride, stride), padding: padding,
                  outputSize: outputSize, activation: activation, bias: bias)
    }

    /// Tied to `convolution` (already added to a network): its adjoint, with the same weights,
    /// mapping back to that convolution's input size, and a bias of its own.
    public convenience init(name: String, tiedTo convolution: Conv2D, activation: Activation = .identity,
                            bias: Bool = true) {
        self.init(name: name, weight: convolution.weight, kernel: convolution.kernel, stride: convolution.stride,
                  padding: convolution.padding,
                  outputSize: convolution.geometry.map { ($0.input.height, $0.input.width) },
                  activation: activation, bias: bias)
    }

    private init(name: String, weight: Parameter, kernel: (Int, Int), stride: (Int, Int), padding: Padding,
                 outputSize: (Int, Int)?, activation: Activation, bias: Bool) {
        self.name = name
        self.weight = weight
        outputChannels = weight.dimensions[1]
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.outputSize = outputSize
        self.activation = activation
        self.bias = bias ? Parameter(name: "\(name)/b", dimensions: [outputChannels], initializer: .zeros,
                                     fanIn: 1, fanOut: 1, decays: false) : nil
        parameters = [weight] + (self.bias.map { [$0] } ?? [])
    }

    public var multiplyAdds: Int { geometry?.multiplyAdds ?? 0 }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        let input = try single(inputs, name)
        guard input.channels == weight.dimensions[0] else {
            throw .shapeMismatch("\(name) expects \(weight.dimensions[0]) input channels, got \(input)")
        }
        let pad = padding.amounts(kernel: kernel)
        let size = outputSize ?? ((input.height - 1) * stride.0 + kernel.0 - 2 * pad.0,
                                  (input.width - 1) * stride.1 + kernel.1 - 2 * pad.1)
        let out = Shape(outputChannels, size.0, size.1)
        guard out.height > 0, out.width > 0 else {
            throw .shapeMismatch("\(name) would produce an empty output from \(input)")
        }
        let g = try ConvolutionGeometry(input: out, outputChannels: input.channels, kernel: kernel, stride: stride,
                                        padding: pad)
        guard g.output == input else {
            throw .shapeMismatch("\(name): no convolution maps \(out) to \(input)")
        }
        geometry = g
        return out
    }

    /// Whether this layer reads through an upscaling by `factor` whose input is `input` (with
    /// `inputGradient` where it needs one); nil: its own input, as usual.
    func readThrough(upscalingBy factor: Int, input: Tensor?, inputGradient: Tensor?) -> Bool {
        upscaled = nil
        guard let input, let g = geometry, stride == (1, 1), factor > 1,
              let boxed = try? ConvolutionGeometry(input: g.input, outputChannels: g.output.channels,
                                                   kernel: (kernel.0 + factor - 1, kernel.1 + factor - 1),
                                                   stride: (factor, factor), padding: (g.padHeight, g.padWidth)),
              boxed.output == input.shape else { return false }
        let k = Parameter(name: "\(name)/boxed", dimensions: [g.output.channels, g.input.channels, boxed.kernelHeight, boxed.kernelWidth],
                          initializer: .zeros, fanIn: 1, fanOut: 1, decays: false)
        upscaled = Upscaled(input: input, inputGradient: inputGradient, geometry: boxed, kernel: k, factor: factor)
        return true
    }

    /// K[dy][dx] = Σ over the f x f block e of W[dy - ey][dx - ex], per channel pair; with
    /// `adjoint`, W's gradient gets each K gradient back from every entry it was added to.
    private func box(_ u: Upscaled, adjoint: Bool) {
        let (kh, kw, f) = (kernel.0, kernel.1, u.factor)
        let (bh, bw) = (kh + f - 1, kw + f - 1)
        let w = adjoint ? weight.gradient : weight.value, k = adjoint ? u.kernel.gradient : u.kernel.value
        if !adjoint { k.update(repeating: 0, count: u.kernel.count) }
        for pair in 0..<(weight.count / (kh * kw)) {
            let (wp, kp) = (w + pair * kh * kw, k + pair * bh * bw)
            for ty in 0..<kh {
                for tx in 0..<kw {
                    for ey in 0..<f {
                        for ex in 0..<f {
                            let boxedIndex = (ty + ey) * bw + tx + ex
                            if adjoint { wp[ty * kw + tx] += kp[boxedIndex] } else { kp[boxedIndex] += wp[ty * kw + tx] }
                        }
                    }
                }
            }
        }
    }

    public func plan(capacity: Int, pool: ThreadPool) {
        guard let g = active?.geometry else { preconditionFailure("\(name) planned before its shape was checked") }
        self.pool = pool
        scratch = ConvolutionScratch(g, biasChannels: g.input.channels, capacity: capacity, threads: pool.threads,
                                     strategy: ConvolutionStrategy(g, adjoint: true))
    }

    // The geometry is the adjoint convolution's: its input is this layer's output.
    public func forward(_ inputs: [Tensor], into output: Tensor, batch: Int, mode: Mode) {
        if let upscaled { box(upscaled, adjoint: false) }
        pass = Pass(x: upscaled?.input ?? inputs[0], y: output)
        let (g, w) = active!
        if scratch!.vectorAdjoint { pass.wt = scratch!.prepare(w, g, adjoint: true) }
        pool.parallelFor(batch, forwardJob)
    }

    private func forwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let (g, weight) = active!, x = pass.x!, output = pass.y!, scratch = scratch!
        let w = UnsafePointer(weight.value), b = bias.map { UnsafePointer($0.value) }
        if case .channelVectors(let plan) = scratch.strategy, plan.coversAdjoint {
            for i in range {
                ChannelVectorConvolution.adjoint(x.sample(i), pass.wt!, plan, into: output.sample(i), scratch: scratch.copies.slice(chunk))
                ConvolutionKernels.finish(output, i..<(i + 1), bias: b, activation: activation)
            }
            return
        }
        let column = scratch.columns.slice(chunk)
        for start in scratch.groups(range) {
            let group = scratch.group(at: start, in: range)
            ConvolutionKernels.correlate(w, scratch.gathered(x, group, chunk: chunk), count: group.count, g, into: column)
            ConvolutionKernels.fold(column, group, g, into: output)
            ConvolutionKernels.finish(output, group, bias: b, activation: activation)
        }
    }

    public func backward(_ inputs: [Tensor], output: Tensor, outputGradient dy: Tensor,
                         inputGradients: [Tensor?], batch: Int) {
        pass = Pass(x: upscaled?.input ?? inputs[0], y: output, dy: dy,
                    dx: upscaled.map { $0.inputGradient } ?? inputGradients[0])
        let (g, w) = active!
        scratch!.beginBackward()
        if case .channelVectors = scratch!.strategy { pass.wt = scratch!.prepare(w, g) }
        pool.parallelFor(batch, backwardJob)
        upscaled?.kernel.zeroGradient()
        scratch!.finishBackward(weight: w, bias: bias, g)
        if let upscaled { box(upscaled, adjoint: true) }
    }

    private func backwardChunk(_ chunk: Int, _ range: Range<Int>) {
        let (g, weight) = active!, x = pass.x!, output = pass.y!, dy = pass.dy!, dx = pass.dx, scratch = scratch!
        let w = UnsafePointer(weight.value), db = bias.map { _ in scratch.biases.slice(chunk) }
        // The roles swap: this layer's output gradient is the convolution's input.
        if case .channelVectors(let plan) = scratch.strategy {
            let copies = scratch.copies.slice(chunk)
            for i in range {
                ConvolutionKernels.prepareGradient(dy, output: output, i..<(i + 1), activation: activation, bias: db)
                ChannelVectorConvolution.weightGradient(dy.sample(i), x.sample(i), plan, into: scratch.weights.slice(chunk), scratch: copies)
                if let dx { ChannelVectorConvolution.forward(dy.sample(i), pass.wt!, plan, into: dx.sample(i), scratch: copies) }
            }
            return
        }
        let column = scratch.columns.slice(chunk)
        for start in scratch.groups(range) {
            let group = scratch.group(at: start, in: range)
            ConvolutionKernels.prepareGradient(dy, output: output, group, activation: activation, bias: db)
            ConvolutionKernels.unroll(dy, group, g, into: column)
            let planes = scratch.gathered(x, group, chunk: chunk)
            ConvolutionKernels.accumulateWeightGradient(planes, column, count: group.count, g, into: scratch.weights.slice(chunk))
            if let dx {
                let out = scratch.outputPlanes(dx, group, chunk: chunk)
                ConvolutionKernels.convolve(w, column, count: group.count, g, into: out)
                scratch.scatter(out, group, into: dx)
            }
        }
    }
}
