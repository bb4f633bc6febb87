import Foundation
import Testing

@testable import Engine

/// Naive direct convolution in Double: the reference the im2col path must match.
func naiveConvolution(_ x: [Float], _ w: [Float], _ b: [Float]?, _ g: ConvolutionGeometry) -> [Double] {
    var y = [Double](repeating: 0, count: g.output.count)
    for o in 0..<g.output.channels {
        for oy in 0..<g.output.height {
            for ox in 0..<g.output.width {
                var sum = Double(b?[o] ?? 0)
                for c in 0..<g.input.channels {
                    for ky in 0..<g.kernelHeight {
                        for kx in 0..<g.kernelWidth {
                            let iy = oy * g.strideHeight - g.padHeight + ky
                            let ix = ox * g.strideWidth - g.padWidth + kx
                            guard iy >= 0, iy < g.input.height, ix >= 0, ix < g.input.width else { continue }
                            let wi = ((o * g.input.channels + c) * g.kernelHeight + ky) * g.kernelWidth + kx
                            sum += Double(w[wi]) * Double(x[(c * g.input.height + iy) * g.input.width + ix])
                        }
                    }
                }
                y[(o * g.output.height + oy) * g.output.width + ox] = sum
            }
        }
    }
    return y
}

struct ConvCase: CustomTestStringConvertible, Sendable {
    let input: Shape
    let outputChannels: Int
    let kernel: Int
    let stride: Int
    let padding: Padding
    var testDescription: String { "\(input) k\(kernel) s\(stride) \(padding) -> \(outputChannels)" }

    var geometry: ConvolutionGeometry {
        get throws {
            try ConvolutionGeometry(
                input: input, outputChannels: outputChannels, kernel: (kernel, kernel), stride: (stride, stride),
                padding: padding.amounts(kernel: (kernel, kernel)))
        }
    }
}

/// Whether evaluation's fixed rules run the case's convolution through WinogradConvolution.
func winogradServes(_ c: ConvCase) throws -> Bool { WinogradConvolution.serves(try c.geometry, .convolution) }

let convCases: [ConvCase] = [
    ConvCase(input: Shape(1, 8, 8), outputChannels: 3, kernel: 3, stride: 1, padding: .valid),
    ConvCase(input: Shape(2, 7, 6), outputChannels: 3, kernel: 3, stride: 2, padding: .same),
    ConvCase(input: Shape(3, 5, 5), outputChannels: 2, kernel: 3, stride: 1, padding: .full),
    ConvCase(input: Shape(4, 4, 4), outputChannels: 5, kernel: 1, stride: 1, padding: .valid),
    ConvCase(input: Shape(2, 9, 9), outputChannels: 2, kernel: 5, stride: 3, padding: .explicit(1, 2)),
    // Padding wider than the kernel: whole unrolled rows fall outside the input.
    ConvCase(input: Shape(1, 4, 5), outputChannels: 2, kernel: 2, stride: 1, padding: .explicit(3, 3)),
    ConvCase(input: Shape(2, 6, 6), outputChannels: 2, kernel: 4, stride: 1, padding: .same),
]

/// Shapes that take DirectConvolution's path (stride 1, at most four output channels, planes 16
/// wide or more): a partial last segment, an overlapping last block of rows, every padding.
let directCases: [ConvCase] = [
    ConvCase(input: Shape(2, 6, 20), outputChannels: 1, kernel: 3, stride: 1, padding: .valid),
    ConvCase(input: Shape(2, 5, 17), outputChannels: 3, kernel: 3, stride: 1, padding: .same),
    ConvCase(input: Shape(1, 4, 16), outputChannels: 2, kernel: 3, stride: 1, padding: .full),
    ConvCase(input: Shape(3, 6, 18), outputChannels: 4, kernel: 4, stride: 1, padding: .explicit(1, 2)),
    // Last segments of 12 and 14 lanes (SingleLayerCAE's decoder) and of 11: stores of 8, 4, 2, 1.
    ConvCase(input: Shape(2, 6, 30), outputChannels: 1, kernel: 3, stride: 1, padding: .valid),
    ConvCase(input: Shape(1, 4, 27), outputChannels: 2, kernel: 3, stride: 1, padding: .same),
    // Five input channels: the input gradient's correlation takes four-channel tiles, the last
    // overlapping the first.
    ConvCase(input: Shape(5, 6, 18), outputChannels: 2, kernel: 3, stride: 1, padding: .same),
]

/// Shapes whose forward alone is direct (few input channels, more than four output channels):
/// four-channel tiles (the last overlapping), last segments of 2 and 8 lanes, 5 rows.
let directForwardCases: [ConvCase] = [
    ConvCase(input: Shape(1, 7, 20), outputChannels: 8, kernel: 3, stride: 1, padding: .valid),
    ConvCase(input: Shape(3, 5, 24), outputChannels: 6, kernel: 5, stride: 1, padding: .same),
]

/// Shapes that take ChannelVectorConvolution's path (output channels in multiples of 32, patches
/// of 64 or more): strides, paddings, a last tile of fewer than eight positions or taps, two
/// channel blocks.
let vectorCases: [ConvCase] = [
    ConvCase(input: Shape(8, 6, 7), outputChannels: 32, kernel: 3, stride: 1, padding: .valid),
    ConvCase(input: Shape(8, 7, 6), outputChannels: 32, kernel: 3, stride: 2, padding: .same),
    ConvCase(input: Shape(16, 4, 5), outputChannels: 32, kernel: 2, stride: 1, padding: .full),
    ConvCase(input: Shape(8, 6, 6), outputChannels: 64, kernel: 3, stride: 2, padding: .explicit(1, 2)),
    // 32 input channels: the adjoint (input gradient, transposed forward) runs here as well.
    ConvCase(input: Shape(32, 5, 6), outputChannels: 32, kernel: 3, stride: 1, padding: .valid),
    ConvCase(input: Shape(64, 5, 5), outputChannels: 32, kernel: 3, stride: 2, padding: .same),
    // DTB's VGG: 3x3 same convolutions widening the channels on small planes.
    ConvCase(input: Shape(64, 4, 4), outputChannels: 128, kernel: 3, stride: 1, padding: .same),
    ConvCase(input: Shape(256, 2, 2), outputChannels: 512, kernel: 3, stride: 1, padding: .same),
]

/// Channel-vector shapes with 5x5 kernels and stride 1, which evaluation runs through
/// WinogradConvolution (as the 3x3 ones of vectorCases on planes of four or more): blocks cut by the output's edge (6x8, 7x9), a zero border, two channel
/// blocks, groups of four samples whose blocks share register tiles (a short last group, a
/// last tile of four blocks), and 16 blocks a sample (groups of one).
let winogradCases: [ConvCase] = [
    ConvCase(input: Shape(16, 10, 12), outputChannels: 32, kernel: 5, stride: 1, padding: .valid),
    ConvCase(input: Shape(32, 8, 8), outputChannels: 64, kernel: 5, stride: 1, padding: .same),
    ConvCase(input: Shape(16, 7, 9), outputChannels: 32, kernel: 5, stride: 1, padding: .same),
    ConvCase(input: Shape(16, 16, 16), outputChannels: 32, kernel: 5, stride: 1, padding: .same),
]

@Suite struct ConvolutionTests {
    /// One thread takes all three samples as one group (one GEMM); two threads split them. The
    /// activations check where each path applies bias and activation (the direct kernels do it
    /// in registers).
    @Test(
        arguments: convCases + directCases + directForwardCases + vectorCases + winogradCases,
        [(1, Activation.identity), (2, .identity), (1, .tanh), (2, .sigmoid)])
    func forwardMatchesDirectLoop(_ c: ConvCase, _ setting: (threads: Int, activation: Activation)) throws {
        let threads = setting.threads
        let conv = Conv2D(
            name: "conv", inputChannels: c.input.channels, outputChannels: c.outputChannels,
            kernel: c.kernel, stride: c.stride, padding: c.padding, activation: setting.activation)
        let network = Network(input: c.input)
        try network.add(conv)
        let batch = 5
        network.plan(capacity: batch, threads: threads)
        network.initialize(seed: 1)
        var g = RandomGenerator(seed: 5)
        let bias = (0..<c.outputChannels).map { _ in g.nextUniform() - 0.5 }
        conv.bias!.load(bias)
        fillUniform(network.inputTensor, batch: batch, seed: 2)
        network.forward(batch: batch, mode: .training)
        let trained = network.outputTensor.values(batch: batch)
        network.forward(batch: batch, mode: .evaluation)
        let geometry = try #require(conv.geometry)
        // Winograd's sums (evaluation of 5x5 channel-vector layers) are further from the exact
        // ones than the direct sums' rounding, and differ from training's.
        let winograd = try winogradServes(c)
        let tolerance = winograd ? 5e-5 : 1e-5
        #expect((network.outputTensor.values(batch: batch) != trained) == winograd, "evaluation ran Winograd's path")
        for i in 0..<batch {
            let x = Array(UnsafeBufferPointer(start: network.inputTensor.sample(i), count: c.input.count))
            let sums = naiveConvolution(x, conv.weight.values, bias, geometry)
            let expected =
                switch setting.activation {
                case .identity: sums
                case .tanh: sums.map { Foundation.tanh($0) }
                case .sigmoid: sums.map { 1 / (1 + Foundation.exp(-$0)) }
                case .relu: sums.map { max(0, $0) }
                }
            let got = UnsafeBufferPointer(start: network.outputTensor.sample(i), count: geometry.output.count)
            let worst = zip(expected, got).map { abs($0 - Double($1)) }.max()!
            #expect(worst < tolerance, "sample \(i): largest difference \(worst)")
        }
    }

    @Test(arguments: convCases + directCases + directForwardCases + vectorCases, [1, 2])
    func backwardMatchesFiniteDifferences(_ c: ConvCase, threads: Int) throws {
        let (network, probe) = try probedNetwork(input: c.input)
        try network.add(
            Conv2D(
                name: "conv", inputChannels: c.input.channels, outputChannels: c.outputChannels,
                kernel: c.kernel, stride: c.stride, padding: c.padding, activation: .tanh))
        network.plan(capacity: 3, threads: threads, options: .gradientCheck)
        network.initialize(seed: 3)
        for p in network.parameters where p.initializer == .zeros { p.load(p.values.map { _ in 0.1 }) }
        fillUniform(network.inputTensor, batch: 3, seed: 4)
        let report = GradientCheck().run(network, batch: 3, probe: probe)
        print("Conv2D \(c.testDescription): \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    /// The register-blocked transpose against the definition, on whole 8 x 8 blocks and ragged edges.
    @Test(arguments: [(8, 8), (32, 800), (361, 32), (13, 21), (5, 3)])
    func transposeMatchesTheDefinition(_ rows: Int, _ columns: Int) {
        let src = (0..<(rows * columns)).map { Float($0) }
        var dst = [Float](repeating: -1, count: rows * columns)
        src.withUnsafeBufferPointer { s in
            dst.withUnsafeMutableBufferPointer {
                ChannelVectorConvolution.transpose(s.baseAddress!, rows: rows, columns: columns, into: $0.baseAddress!)
            }
        }
        let expected = (0..<(rows * columns)).map { k in src[(k % rows) * columns + k / rows] }
        #expect(dst == expected)
    }

    /// The factory's choice for each product and pass, by the algorithms' type names.
    @Test func theFactoryPicksEachAlgorithmForItsShapes() throws {
        func picked(_ c: ConvCase) throws -> [String] {
            let conv = Conv2D(
                name: "conv", inputChannels: c.input.channels, outputChannels: c.outputChannels,
                kernel: c.kernel, stride: c.stride, padding: c.padding)
            _ = try conv.outputShape(for: [c.input])
            let a = ConvolutionAlgorithms(
                try #require(conv.geometry), PlanContext(capacity: 2, pool: ThreadPool(threads: 1)), layer: "conv")
            return [a.trainingConvolution, a.evaluationConvolution, a.adjoint, a.weightGradient].map {
                "\(type(of: $0))"
            }
        }
        let (direct, vectors, im2col, winograd) = (
            "DirectConvolution", "ChannelVectorConvolution", "Im2colConvolution",
            "WinogradConvolution"
        )
        for c in directCases { #expect(try picked(c) == [direct, direct, direct, direct], "\(c.testDescription)") }
        for c in directForwardCases {
            #expect(try picked(c) == [direct, direct, im2col, im2col], "\(c.testDescription)")
        }
        // Winograd in evaluation only: training's fixed rules keep the direct sums.
        for c in vectorCases + winogradCases {
            let adjoint = c.input.channels % 32 == 0 ? vectors : im2col
            let evaluation = try winogradServes(c) ? winograd : vectors
            #expect(try picked(c) == [vectors, evaluation, adjoint, vectors], "\(c.testDescription)")
        }
        #expect(try winogradCases.allSatisfy(winogradServes))
        for c in convCases { #expect(try picked(c) == [im2col, im2col, im2col, im2col], "\(c.testDescription)") }
    }

    /// Seed 003: a valid convolution's input gradient is the full convolution of the output
    /// gradient with the kernel rotated by 180 degrees (and input/output channels swapped).
    @Test func inputGradientIsFullConvolutionWithRotatedKernel() throws {
        let (cin, cout, k) = (2, 3, 3)
        let (network, probe) = try probedNetwork(input: Shape(cin, 6, 6))
        let conv = Conv2D(name: "conv", inputChannels: cin, outputChannels: cout, kernel: k)
        try network.add(conv)
        network.plan(capacity: 1, threads: 1, options: .gradientCheck)
        network.initialize(seed: 7)
        fillUniform(network.inputTensor, batch: 1, seed: 8)
        network.forward(batch: 1, mode: .training)
        fillUniform(network.outputGradient, batch: 1, seed: 9)
        let dy = network.outputGradient.values(batch: 1)
        network.backward(batch: 1)
        let dx = try #require(network.gradient(of: probe)).values(batch: 1)

        let w = conv.weight.values
        var rotated = [Float](repeating: 0, count: w.count)  // [cin][cout][k][k], flipped
        for o in 0..<cout {
            for c in 0..<cin {
                for ky in 0..<k {
                    for kx in 0..<k {
                        rotated[((c * cout + o) * k + (k - 1 - ky)) * k + (k - 1 - kx)] =
                            w[((o * cin + c) * k + ky) * k + kx]
                    }
                }
            }
        }
        let full = try ConvolutionGeometry(
            input: Shape(cout, 4, 4), outputChannels: cin, kernel: (k, k),
            stride: (1, 1), padding: (k - 1, k - 1))
        let expected = naiveConvolution(dy, rotated, nil, full)
        let worst = zip(expected, dx).map { abs($0 - Double($1)) }.max()!
        #expect(worst < 1e-5, "largest difference \(worst)")
    }

    /// <conv(x), y> = <x, convT(y)>: the transposed convolution is the exact adjoint.
    @Test(arguments: convCases + vectorCases)
    func transposedIsAdjoint(_ c: ConvCase) throws {
        let conv = Conv2D(
            name: "conv", inputChannels: c.input.channels, outputChannels: c.outputChannels,
            kernel: c.kernel, stride: c.stride, padding: c.padding, bias: false)
        let forward = Network(input: c.input)
        try forward.add(conv)
        forward.plan(capacity: 2, threads: 2)
        forward.initialize(seed: 11)
        let backward = Network(input: forward.outputShape)
        try backward.add(TransposedConv2D(name: "convT", tiedTo: conv, bias: false))
        #expect(backward.outputShape == c.input)
        backward.plan(capacity: 2, threads: 2)
        fillUniform(forward.inputTensor, batch: 2, seed: 12)
        fillUniform(backward.inputTensor, batch: 2, seed: 13)
        forward.forward(batch: 2, mode: .evaluation)
        backward.forward(batch: 2, mode: .evaluation)
        func dot(_ a: Tensor, _ b: Tensor) -> Double {
            (0..<(2 * a.shape.count)).reduce(0.0) { $0 + Double(a.data[$1]) * Double(b.data[$1]) }
        }
        let lhs = dot(forward.outputTensor, backward.inputTensor)
        let rhs = dot(forward.inputTensor, backward.outputTensor)
        #expect(abs(lhs - rhs) <= 1e-5 * max(1, abs(lhs)), "<conv x, y> = \(lhs), <x, convT y> = \(rhs)")
    }

    @Test(arguments: convCases + vectorCases)
    func transposedBackwardMatchesFiniteDifferences(_ c: ConvCase) throws {
        let geometry = try ConvolutionGeometry(
            input: c.input, outputChannels: c.outputChannels,
            kernel: (c.kernel, c.kernel), stride: (c.stride, c.stride),
            padding: c.padding.amounts(kernel: (c.kernel, c.kernel)))
        let (network, probe) = try probedNetwork(input: geometry.output)
        try network.add(
            TransposedConv2D(
                name: "convT", inputChannels: c.outputChannels,
                outputChannels: c.input.channels, kernel: c.kernel, stride: c.stride,
                padding: c.padding, activation: .tanh,
                outputSize: (c.input.height, c.input.width)))
        network.plan(capacity: 2, threads: 1, options: .gradientCheck)
        network.initialize(seed: 21)
        fillUniform(network.inputTensor, batch: 2, seed: 22)
        let report = GradientCheck().run(network, batch: 2, probe: probe)
        print("TransposedConv2D \(c.testDescription): \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    @Test func shapeErrorsAreCaughtWhenBuilding() throws {
        let network = Network(input: Shape(1, 4, 4))
        #expect(throws: EngineError.self) {
            try network.add(Conv2D(name: "c", inputChannels: 2, outputChannels: 1, kernel: 3))
        }
        #expect(throws: EngineError.self) {
            try network.add(Conv2D(name: "c", inputChannels: 1, outputChannels: 1, kernel: 5))
        }
    }
}
