import Testing

@testable import Engine

/// `--precision bf16`: products from bfloat16 inputs summed in float32. Against the definition
/// (inputs rounded to bfloat16 here, products and sums in Double), and layers planned in bf16
/// against the same layers in float32 on inputs that are bfloat16 numbers already, which the
/// rounding leaves alone: there the two must agree to float32's rounding of the sums.
@Suite(.enabled(if: Precision.bf16.isAvailable, "the processor has no AVX512_BF16"))
struct MixedPrecisionTests {
    /// Round to nearest, ties to even, on the top 16 bits (NaN left out: the tests draw none).
    static func bfloat16(_ x: Float) -> Float {
        let bits = x.bitPattern
        let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000
        return Float(bitPattern: rounded)
    }

    static func random(_ count: Int, _ generator: inout RandomGenerator) -> [Float] {
        (0..<count).map { _ in generator.nextUniform() * 2 - 1 }
    }

    @Test(arguments: [(1, 1, 1), (7, 33, 5), (16, 64, 31), (9, 70, 128), (40, 3, 65)])
    func productsMatchTheDefinition(_ size: (Int, Int, Int)) {
        let (m, n, k) = size
        var generator = RandomGenerator(seed: UInt64(m * 1000 + n * 10 + k))
        let products = MatrixProducts(.bf16, threads: 2, sizes: [.init(m: m, n: n, k: k)])
        for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = Self.random(m * k, &generator), b = Self.random(k * n, &generator)
            let start = Self.random(m * n, &generator)
            for beta: Float in [0, 1] {
                var c = beta == 0 ? [Float](repeating: .nan, count: m * n) : start
                products.multiply(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: transA ? m : k,
                    b: b, ldb: transB ? k : n, beta: beta, c: &c, ldc: n, thread: 1)
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0, scale = 0.0
                        for p in 0..<k {
                            let x = Double(Self.bfloat16(transA ? a[p * m + i] : a[i * k + p]))
                            let y = Double(Self.bfloat16(transB ? b[j * k + p] : b[p * n + j]))
                            sum += x * y
                            scale += abs(x * y)
                        }
                        let expected = 0.5 * sum + Double(beta) * Double(start[i * n + j])
                        #expect(
                            abs(Double(c[i * n + j]) - expected) <= 1e-5 * (scale + 1),
                            "\(m)x\(n)x\(k) transA \(transA) transB \(transB) beta \(beta) at (\(i), \(j))")
                    }
                }
            }
        }
    }

    struct Outputs {
        var y: [Float], dx: [Float], gradients: [[Float]]
    }

    /// One layer, identity activation; with `rounded`, its weights, input and output gradient
    /// bfloat16 numbers.
    static func run(_ layer: Layer, input: Shape, precision: Precision, rounded: Bool, batch: Int = 3) throws
        -> Outputs
    {
        let round = { (x: Float) in rounded ? Self.bfloat16(x) : x }
        let n = Network(input: input)
        // An identity first, so that the layer's input is a node with a gradient.
        let source = try n.add(ActivationLayer(name: "identity", .identity))
        try n.add(layer)
        n.plan(
            capacity: batch, threads: 2,
            options: Network.PlanOptions(fusion: false, gradientsForEveryNode: true, precision: precision))
        n.initialize(seed: 3)
        var generator = RandomGenerator(seed: 4)
        for p in n.parameters { p.load(p.values.map { round($0 + generator.nextUniform() * 0.1) }) }
        for i in 0..<(batch * input.count) { n.inputTensor.data[i] = round(generator.nextUniform() - 0.5) }
        n.forward(batch: batch, mode: .training)
        let y = n.outputTensor.values(batch: batch)
        for i in 0..<(batch * n.outputShape.count) {
            n.outputGradient.data[i] = round(generator.nextUniform() - 0.5)
        }
        n.backward(batch: batch)
        return Outputs(
            y: y, dx: try #require(n.gradient(of: source)).values(batch: batch),
            gradients: n.parameters.map(\.gradients))
    }

    static let layers: [(String, @Sendable () -> Layer, Shape)] = [
        ("dense", { Dense(name: "d", inputs: 75, units: 40) }, Shape(3, 5, 5)),
        (
            "conv 3x3 same", { Conv2D(name: "c", inputChannels: 4, outputChannels: 32, kernel: 3, padding: .same) },
            Shape(4, 9, 9)
        ),
        (
            "conv 5x5 stride 2", { Conv2D(name: "c", inputChannels: 2, outputChannels: 6, kernel: 5, stride: 2) },
            Shape(2, 16, 16)
        ),
        (
            "transposed", { TransposedConv2D(name: "t", inputChannels: 8, outputChannels: 3, kernel: 3, stride: 2) },
            Shape(8, 5, 5)
        ),
    ]

    @Test func denseAndConvolutionsOnBFloat16NumbersMatchFloat32() throws {
        for (what, make, input) in Self.layers {
            let mixed = try Self.run(make(), input: input, precision: .bf16, rounded: true)
            let plain = try Self.run(make(), input: input, precision: .float32, rounded: true)
            #expect(Self.close(mixed.y, plain.y, 1e-5), "\(what): output")
            #expect(Self.close(mixed.dx, plain.dx, 1e-5), "\(what): input gradient")
            for (g, f) in zip(mixed.gradients, plain.gradients) { #expect(Self.close(g, f, 1e-5), "\(what): gradient") }
        }
    }

    /// On float32 values every product rounds its inputs: the results move by about bfloat16's
    /// precision (8 bits), far more than float32's rounding, and far less than the values.
    @Test func onFloat32ValuesEveryProductRoundsItsInputs() throws {
        for (what, make, input) in Self.layers {
            let mixed = try Self.run(make(), input: input, precision: .bf16, rounded: false)
            let plain = try Self.run(make(), input: input, precision: .float32, rounded: false)
            let weight = try #require(mixed.gradients.first), plainWeight = try #require(plain.gradients.first)
            for (name, a, b) in [
                ("output", mixed.y, plain.y), ("input gradient", mixed.dx, plain.dx),
                ("weight gradient", weight, plainWeight),
            ] {
                #expect(!Self.close(a, b, 1e-5) && Self.close(a, b, 3e-2), "\(what): \(name)")
            }
        }
    }

    static func close(_ a: [Float], _ b: [Float], _ tolerance: Float) -> Bool {
        let scale = max(b.map(abs).max() ?? 0, 1e-6)
        return a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * scale }
    }
}
