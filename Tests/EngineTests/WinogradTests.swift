import Testing

@testable import Engine

/// Both Winograd transforms against ReferenceConvolution (sums in double precision): the
/// convolution, its pooled form and the adjoint through the transposed geometry. The shapes cut
/// blocks at the output's edge, pad by nothing, half and all of the kernel less one, and make
/// groups of several samples (small planes) and of one (16 blocks a sample).
@Suite struct WinogradTests {
    static let cases: [ConvCase] = [
        ConvCase(input: Shape(16, 6, 7), outputChannels: 32, kernel: 3, stride: 1, padding: .valid),
        ConvCase(input: Shape(32, 4, 4), outputChannels: 64, kernel: 3, stride: 1, padding: .same),
        ConvCase(input: Shape(32, 4, 5), outputChannels: 32, kernel: 3, stride: 1, padding: .same),
        ConvCase(input: Shape(32, 9, 7), outputChannels: 32, kernel: 3, stride: 1, padding: .same),
        ConvCase(input: Shape(32, 16, 16), outputChannels: 32, kernel: 3, stride: 1, padding: .same),
        ConvCase(input: Shape(32, 5, 6), outputChannels: 32, kernel: 3, stride: 1, padding: .full),
        ConvCase(input: Shape(32, 8, 8), outputChannels: 32, kernel: 5, stride: 1, padding: .same),
        ConvCase(input: Shape(32, 10, 12), outputChannels: 32, kernel: 5, stride: 1, padding: .valid),
    ]

    /// Relative to the largest reference value: both land a few 1e-6 from the exact sums with 32
    /// channels (F(4x4, 3x3)'s transforms scale by up to 24, F(4x4, 5x5)'s by up to 2⁹), where
    /// a wrong coefficient or tile costs a difference of the outputs' own size.
    static func tolerance(_ kernel: Int) -> Float { kernel == 3 ? 1e-5 : 5e-5 }

    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in (generator.nextUniform() - 0.5) * scale }
    }

    static func tensor(_ shape: Shape, _ values: [Float]) -> Tensor {
        let t = Tensor(shape: shape, capacity: values.count / shape.count)
        for (i, v) in values.enumerated() { t.data[i] = v }
        return t
    }

    /// Runs `call` over `batch` samples in the algorithm's groups, on two chunks.
    static func run(_ algorithm: ConvolutionAlgorithm, batch: Int, _ call: (Range<Int>, Int) -> Void) {
        for (n, group) in SampleGroups(0..<batch, size: algorithm.groupSize).enumerated() { call(group, n % 2) }
    }

    /// `product` on `algorithm` and on the reference, each prepared with `weights` and called over
    /// the batch by `call(algorithm, group, chunk, output)`: their outputs of `shape`.
    static func outputs(
        _ product: ConvolutionProduct, _ algorithm: ConvolutionAlgorithm, _ reference: ConvolutionAlgorithm,
        _ weights: [Float], _ shape: Shape, _ batch: Int,
        _ call: (ConvolutionAlgorithm, Range<Int>, Int, Tensor) -> Void
    ) -> (got: Tensor, expected: Tensor) {
        let (got, expected) = (Tensor(shape: shape, capacity: batch), Tensor(shape: shape, capacity: batch))
        for (a, output) in [(algorithm, got), (reference, expected)] {
            weights.withUnsafeBufferPointer { a.prepare(product, weights: $0.baseAddress!) }
            run(a, batch: batch) { call(a, $0, $1, output) }
        }
        return (got, expected)
    }

    static func worst(_ got: Tensor, _ expected: Tensor, count: Int) -> Float {
        let scale = (0..<count).map { abs(expected.data[$0]) }.max()!
        return (0..<count).map { abs(got.data[$0] - expected.data[$0]) }.max()! / scale
    }

    @Test(arguments: cases)
    func theConvolutionAndItsAdjointMatchTheReference(_ c: ConvCase) throws {
        let g = try c.geometry
        #expect(WinogradConvolution.serves(g, .convolution))
        // The adjoint's output channels are the convolution's input channels.
        let servesAdjoint = WinogradAdjoint.serves(g, .adjoint)
        #expect(servesAdjoint == (c.input.channels % 32 == 0))
        let batch = 5, reference = ReferenceConvolution(g, threads: 2, staged: false)
        let weights = Self.random(g.weightCount, seed: 1, scale: 0.2)
        let x = Self.tensor(g.input, Self.random(batch * g.input.count, seed: 2))
        let dy = Self.tensor(g.output, Self.random(batch * g.output.count, seed: 3))
        let (got, expected) = Self.outputs(
            .convolution, WinogradConvolution(g, pooled: false, threads: 2, staged: false), reference, weights,
            g.output, batch
        ) { $0.convolve(x, $1, chunk: $2, into: $3) }
        let convolution = Self.worst(got, expected, count: batch * g.output.count)
        #expect(convolution < Self.tolerance(c.kernel), "convolution: largest relative difference \(convolution)")

        if servesAdjoint {
            let (dx, dxExpected) = Self.outputs(
                .adjoint, WinogradAdjoint(g, threads: 2), reference, weights, g.input, batch
            ) { $0.adjoint(dy, $1, chunk: $2, into: $3) }
            let gradient = Self.worst(dx, dxExpected, count: batch * g.input.count)
            #expect(gradient < Self.tolerance(c.kernel), "adjoint: largest relative difference \(gradient)")
        }

        let pooledShape = Shape(g.output.channels, g.output.height / 2, g.output.width / 2)
        let pooledConvolution = WinogradConvolution(g, pooled: true, threads: 2, staged: false)
        let pooled = Tensor(shape: pooledShape, capacity: batch)
        weights.withUnsafeBufferPointer { pooledConvolution.prepare(.convolution, weights: $0.baseAddress!) }
        Self.run(pooledConvolution, batch: batch) { pooledConvolution.convolvePooled(x, $0, chunk: $1, into: pooled) }
        let maxima = Tensor(shape: pooledShape, capacity: batch)
        for i in 0..<(batch * pooledShape.channels) {
            let plane = expected.data + i * g.output.plane
            for py in 0..<pooledShape.height {
                for px in 0..<pooledShape.width {
                    let at = { (y: Int, x: Int) in plane[(2 * py + y) * g.output.width + 2 * px + x] }
                    maxima.data[(i * pooledShape.height + py) * pooledShape.width + px] = max(
                        max(at(0, 0), at(0, 1)), max(at(1, 0), at(1, 1)))
                }
            }
        }
        let pooling = Self.worst(pooled, maxima, count: batch * pooledShape.count)
        #expect(pooling < Self.tolerance(c.kernel), "pooled: largest relative difference \(pooling)")
    }
}
