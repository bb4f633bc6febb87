import Testing

@testable import Engine

/// The fused operator UpscaledTransposedConvolution computes from the upscaling's input with the
/// boxed kernel at stride f. Outputs and gradients must equal, to rounding, the same network's
/// planned without fusion, on the same weights and inputs.
@Suite struct UpscaledTransposedConvolutionTests {
    struct Case: CustomStringConvertible {
        var input: Shape
        var factor: Int
        var outputChannels: Int
        var kernel: Int
        var padding: Padding
        var description: String { "\(input) up \(factor) to \(outputChannels) channels, kernel \(kernel), \(padding)" }
    }

    static let cases: [Case] = [
        // LasagneCAE's two: 32 channels both sides (channel-vector kernels), then to one channel.
        Case(input: Shape(32, 3, 3), factor: 2, outputChannels: 32, kernel: 5, padding: .valid),
        Case(input: Shape(32, 4, 4), factor: 2, outputChannels: 1, kernel: 5, padding: .valid),
        // im2col with padding, a factor of 3, a non-square remainder of channels.
        Case(input: Shape(3, 3, 2), factor: 3, outputChannels: 2, kernel: 3, padding: .same),
        Case(input: Shape(2, 2, 3), factor: 2, outputChannels: 3, kernel: 2, padding: .full),
    ]

    /// A dense layer in front, so that the upscaling's input needs a gradient too.
    static func network(_ c: Case) throws -> Network {
        let network = Network(input: Shape(4, 1, 1))
        try network.add(Dense(name: "in", inputs: 4, units: c.input.count, activation: .tanh))
        try network.add(Reshape(name: "shape", to: c.input))
        try network.add(Upscale2D(name: "up", factor: c.factor))
        try network.add(
            TransposedConv2D(
                name: "deconv", inputChannels: c.input.channels, outputChannels: c.outputChannels,
                kernel: c.kernel, padding: c.padding, activation: .tanh))
        return network
    }

    static func run(_ c: Case, plain: Bool, threads: Int) throws -> (output: [Float], gradients: [[Float]], fused: Bool)
    {
        let network = try network(c)
        network.plan(capacity: 3, threads: threads, options: Network.PlanOptions(fusion: !plain))
        network.initialize(seed: 8)
        fillUniform(network.inputTensor, batch: 3, seed: 9)
        network.forward(batch: 3, mode: .training)
        fillUniform(network.outputGradient, batch: 3, seed: 10)
        network.backward(batch: 3)
        return (
            network.outputTensor.values(batch: 3), network.parameters.map(\.gradients),
            network.stepNames.contains("up+deconv")
        )
    }

    @Test(arguments: cases.indices, [1, 2])
    func matchesThePlainPath(_ index: Int, threads: Int) throws {
        let c = Self.cases[index]
        let fused = try Self.run(c, plain: false, threads: threads)
        let plain = try Self.run(c, plain: true, threads: threads)
        #expect(fused.fused && !plain.fused, "\(c)")
        let outputError = zip(fused.output, plain.output).map { abs($0 - $1) }.max() ?? 0
        #expect(outputError <= 1e-5, "\(c): outputs differ by \(outputError)")
        expectSameGradients(fused.gradients, plain.gradients, c)
    }

    /// An upscaling whose output is read twice stays a layer of its own.
    @Test func anUpscalingReadTwiceIsKept() throws {
        let network = Network(input: Shape(2, 3, 3))
        let upscaled = try network.add(Upscale2D(name: "up", factor: 2))
        let deconv = try network.add(
            TransposedConv2D(name: "deconv", inputChannels: 2, outputChannels: 2, kernel: 3, padding: .same))
        try network.add(Concat(name: "join"), deconv, upscaled)
        network.plan(capacity: 2, threads: 1)
        #expect(!network.stepNames.contains("up+deconv"))
    }
}
