import Engine
import Models
import Plugins
import Testing

/// Every model three ways on the same weights and inputs: its layers alone on the reference
/// convolution (the plain loops), the fast algorithms without fusion, and the full fast path
/// (fast algorithms, fused operators). Outputs and every parameter gradient must agree to the
/// rounding of single-precision sums, and evaluation outputs (Winograd's) too.
@Suite struct ModelPathsTests {
    static let paths: [(name: String, options: Network.PlanOptions)] = [
        ("reference", Network.PlanOptions(fusion: false, algorithms: .reference)),
        ("fast, unfused", Network.PlanOptions(fusion: false)),
        ("fast, fused", Network.PlanOptions()),
    ]

    struct Pass {
        var trained: [Float]
        var gradients: [[Float]]
        /// Biases right before batch normalization: no gradient in exact arithmetic, only rounding.
        var beforeNormalization: Set<Int>
        var evaluated: [Float]
        var steps: [String]
    }

    /// MNIST's shape, but 16x16 for DTB's LeNet: its 5x5 convolution of 32 to 64 maps takes the
    /// reference loops of a debug build minutes at 14x14, and 8x8 has the same geometry kinds.
    static func input(for model: any ModelPlugin.Type) -> Shape {
        model.name.hasPrefix("LeNet") ? Shape(1, 16, 16) : Shape(1, 28, 28)
    }

    static func run(_ model: any ModelPlugin.Type, _ options: Network.PlanOptions, batch: Int) throws -> Pass {
        let network = try model.build(input: input(for: model), classes: 10)
        network.plan(capacity: batch, threads: 2, options: options)
        network.initialize(seed: 17)
        // Biases start at zero; make them count.
        var generator = RandomGenerator(seed: 18)
        for p in network.parameters where p.name.hasSuffix("/b") {
            p.load((0..<p.count).map { _ in generator.nextUniform() * 0.2 - 0.1 })
        }
        for i in 0..<(batch * network.inputShape.count) { network.inputTensor.data[i] = generator.nextUniform() }
        network.forward(batch: batch, mode: .training)
        let trained = network.outputTensor.values(batch: batch)
        // A gradient wherever training's loss puts one: the output, or each stage of a stack.
        let terms = network.reconstructionTerms.map { network.termGradient(of: $0.output) }
        for gradient in terms.isEmpty ? [network.outputGradient] : terms {
            for i in 0..<(batch * gradient.shape.count) { gradient.data[i] = generator.nextUniform() - 0.5 }
        }
        network.backward(batch: batch)
        let gradients = network.parameters.map(\.gradients)
        let normalized = Set(
            network.layers.filter { $0 is BatchNormalization }.map { String($0.name.dropLast(3)) + "/b" })
        let beforeNormalization = Set(
            network.parameters.indices.filter { normalized.contains(network.parameters[$0].name) })
        network.forward(batch: batch, mode: .evaluation)
        return Pass(
            trained: trained, gradients: gradients, beforeNormalization: beforeNormalization,
            evaluated: network.outputTensor.values(batch: batch),
            steps: network.stepNames)
    }

    /// The largest difference, relative to the reference's largest magnitude (at least 1).
    static func difference(_ a: [Float], _ reference: [Float]) -> Float {
        let scale = max(reference.map(abs).max() ?? 0, 1)
        return zip(a, reference).map { abs($0 - $1) }.max()! / scale
    }

    /// Models with nothing to fuse: no pool reads a convolution directly (SingleLayerCAE and the
    /// stacked autoencoders have none; dropout or batch normalization sits between them in the
    /// LeNet variants), and no upscaling feeds a transposed convolution.
    static let unfused: Set = [
        "SingleLayerCAE", "LeNetDropout", "LeNetDirectDropout", "LeNetBN", "StackedCAE",
        "StackedDenoisingCAE",
    ]

    /// DTB's VGG takes minutes a pass on the reference loops of a debug build; its 3x3 geometries
    /// are among ConvolutionTests' cases.
    static let checked = Models.all.filter { !$0.name.hasPrefix("VGG") }.map { $0.name }

    @Test(arguments: checked)
    func everyPathAgrees(_ name: String) throws {
        let model = try #require(Models.named(name))
        let passes = try Self.paths.map { try Self.run(model, $0.options, batch: 2) }
        let reference = passes[0]
        #expect(passes[2].steps.contains { $0.contains("+") } == !Self.unfused.contains(name), "\(name): fused steps")
        #expect(!passes[1].steps.contains { $0.contains("+") }, "\(name): fusion off runs the layers alone")
        for (path, pass) in zip(Self.paths, passes).dropFirst() {
            let context = "\(name), \(path.name)"
            // The stacks' nine stages compound the rounding of their convolutions.
            let tolerance: Float = name.hasPrefix("Stacked") ? 5e-5 : 1e-5
            #expect(Self.difference(pass.trained, reference.trained) < tolerance, "\(context): training output")
            #expect(Self.difference(pass.evaluated, reference.evaluated) < 1e-4, "\(context): evaluation output")
            #expect(pass.gradients.count == reference.gradients.count)
            let largest = reference.gradients.map { $0.map(abs).max() ?? 0 }.max() ?? 0
            for (k, (g, r)) in zip(pass.gradients, reference.gradients).enumerated() {
                let scale = r.map(abs).max() ?? 0, worst = zip(g, r).map { abs($0 - $1) }.max() ?? 0
                if reference.beforeNormalization.contains(k) {
                    let small = scale <= 1e-5 * largest && worst <= 1e-5 * largest
                    #expect(
                        small, "\(context): parameter \(k), before normalization, has \(scale) and differs by \(worst)")
                    continue
                }
                #expect(scale > 0, "\(context): parameter \(k) has a gradient")
                #expect(worst <= 1e-4 * scale, "\(context): parameter \(k) differs by \(worst) of \(scale)")
            }
        }
    }
}
