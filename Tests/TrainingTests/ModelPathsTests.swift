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
        var evaluated: [Float]
        var steps: [String]
    }

    static func run(_ model: any ModelPlugin.Type, _ options: Network.PlanOptions, batch: Int) throws -> Pass {
        let network = try model.build(input: Shape(1, 28, 28), classes: 10)
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
        for i in 0..<(batch * network.outputShape.count) {
            network.outputGradient.data[i] = generator.nextUniform() - 0.5
        }
        network.backward(batch: batch)
        let gradients = network.parameters.map(\.gradients)
        network.forward(batch: batch, mode: .evaluation)
        return Pass(
            trained: trained, gradients: gradients, evaluated: network.outputTensor.values(batch: batch),
            steps: network.stepNames)
    }

    /// The largest difference, relative to the reference's largest magnitude (at least 1).
    static func difference(_ a: [Float], _ reference: [Float]) -> Float {
        let scale = max(reference.map(abs).max() ?? 0, 1)
        return zip(a, reference).map { abs($0 - $1) }.max()! / scale
    }

    @Test(arguments: Models.names)
    func everyPathAgrees(_ name: String) throws {
        let model = try #require(Models.named(name))
        let passes = try Self.paths.map { try Self.run(model, $0.options, batch: 2) }
        let reference = passes[0]
        // Every model but SingleLayerCAE (two convolutions alone) has a pool or an upscaling to fuse.
        #expect(passes[2].steps.contains { $0.contains("+") } == (name != "SingleLayerCAE"), "\(name): fused steps")
        #expect(!passes[1].steps.contains { $0.contains("+") }, "\(name): fusion off runs the layers alone")
        for (path, pass) in zip(Self.paths, passes).dropFirst() {
            let context = "\(name), \(path.name)"
            #expect(Self.difference(pass.trained, reference.trained) < 1e-5, "\(context): training output")
            #expect(Self.difference(pass.evaluated, reference.evaluated) < 1e-4, "\(context): evaluation output")
            #expect(pass.gradients.count == reference.gradients.count)
            for (k, (g, r)) in zip(pass.gradients, reference.gradients).enumerated() {
                let scale = r.map(abs).max() ?? 0, worst = zip(g, r).map { abs($0 - $1) }.max() ?? 0
                #expect(scale > 0, "\(context): parameter \(k) has a gradient")
                #expect(worst <= 1e-4 * scale, "\(context): parameter \(k) differs by \(worst) of \(scale)")
            }
        }
    }
}
