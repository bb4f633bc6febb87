/// 2-D convolution (cross-correlation, as every framework computes it) with a fused activation,
/// through im2col and OpenBLAS, threaded over the samples of a batch.
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

    public func plan(capacity: Int, pool: ThreadPool) {
        guard let g = geometry else { preconditionFailure("\(name) planned before its shape was checked") }
        self.pool = pool
        scratch = ConvolutionScratch(g, biasChannels: g.output.channels, threads: pool.threads)
    }

    public func forward(_ inputs: [Tensor], into output: Tensor, batch: Int, mode: Mode) {
        let g = geometry!, x = inputs[0], columns = scratch!.columns
        let w = UnsafePointer(weight.value), b = bias.map { UnsafePointer($0.value) }
        pool.parallelFor(batch) { chunk, range in
            for i in range {
                ConvolutionKernels.forward(x.sample(i), weights: w, bias: b, g, output: output.sample(i),
                                           column: columns.slice(chunk))
                activation.apply(output.sample(i), count: g.output.count)
            }
        }
    }

    /// One sample's output before the activation (for pictures of what the layer computes);
    /// allocates its own scratch, so it is not for training steps.
    public func preActivation(of x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        guard let g = geometry else { preconditionFailure("\(name) used before its shape was checked") }
        let column = UnsafeMutablePointer<Float>.allocate(capacity: max(g.patch * g.positions, 1))
        defer { column.deallocate() }
        ConvolutionKernels.forward(x, weights: weight.value, bias: bias.map { UnsafePointer($0.value) }, g, output: y, column: column)
    }

    public func backward(_ inputs: [Tensor], output: Tensor, outputGradient dy: Tensor,
                         inputGradients: [Tensor?], batch: Int) {
        let g = geometry!, x = inputs[0], dx = inputGradients[0]
        let scratch = scratch!, columns = scratch.columns
        let weightPartials = scratch.weights, biasPartials = scratch.biases
        let w = UnsafePointer(weight.value)
        scratch.beginBackward()
        pool.parallelFor(batch) { chunk, range in
            for i in range {
                activation.backward(dy.sample(i), output: output.sample(i), count: g.output.count)
                ConvolutionKernels.accumulateWeightGradient(x.sample(i), dy.sample(i), g,
                                                            into: weightPartials.slice(chunk),
                                                            column: columns.slice(chunk))
                ConvolutionKernels.accumulateBiasGradient(dy.sample(i), channels: g.output.channels,
                                                          plane: g.positions, into: biasPartials.slice(chunk))
                if let dx {
                    ConvolutionKernels.inputGradient(dy.sample(i), weights: w, g, into: dx.sample(i),
                                                     column: columns.slice(chunk))
                }
            }
        }
        scratch.finishBackward(weight: weight, bias: bias)
    }
}
