import Testing

@testable import Engine

/// Batch normalization folded into the convolution or dense layer before it, in evaluation
/// plans: the same outputs as the layers one by one, in the fused step only where it is exact.
@Suite struct FoldedNormalizationTests {
    static func network() throws -> Network {
        let network = Network(input: Shape(2, 8, 8))
        try network.add(Conv2D(name: "conv", inputChannels: 2, outputChannels: 4, kernel: 3, padding: .same))
        try network.add(BatchNormalization(name: "conv/bn", channels: 4))
        try network.add(ActivationLayer(name: "conv/relu", .relu))
        try network.add(MaxPool2D(name: "pool", size: 2))
        try network.add(Dense(name: "fc", inputs: 64, units: 5))
        try network.add(BatchNormalization(name: "fc/bn", channels: 5))
        // Not foldable: the convolution applies its own activation before the normalization.
        try network.add(Reshape(name: "planes", to: Shape(5, 1, 1)))
        try network.add(Conv2D(name: "tail", inputChannels: 5, outputChannels: 3, kernel: 1, activation: .tanh))
        try network.add(BatchNormalization(name: "tail/bn", channels: 3))
        return network
    }

    static func outputs(fusion: Bool, mode: Mode = .evaluation) throws -> ([Float], [String]) {
        let network = try network()
        network.plan(capacity: 3, threads: 2, training: false, options: Network.PlanOptions(fusion: fusion))
        network.initialize(seed: 4)
        var generator = RandomGenerator(seed: 5)
        for p in network.parameters + network.statistics {
            let values = (0..<p.count).map { _ in generator.nextUniform() }
            p.load(p.name.hasSuffix("variance") ? values.map { $0 + 0.5 } : values.map { $0 - 0.5 })
        }
        for i in 0..<(3 * network.inputShape.count) { network.inputTensor.data[i] = generator.nextUniform() * 2 - 1 }
        network.forward(batch: 3, mode: mode)
        return (network.outputTensor.values(batch: 3), network.stepNames)
    }

    @Test func foldedEvaluationMatchesTheLayers() throws {
        let (plain, plainSteps) = try Self.outputs(fusion: false)
        let (folded, steps) = try Self.outputs(fusion: true)
        #expect(!plainSteps.contains { $0.contains("+") })
        #expect(steps.contains("conv+conv/bn") && steps.contains("fc+fc/bn"), "\(steps)")
        #expect(steps.contains("tail") && steps.contains("tail/bn"), "an activation first is not folded: \(steps)")
        let scale = plain.map(abs).max()!
        let worst = zip(plain, folded).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-5 * scale, "folded outputs differ by \(worst) of \(scale)")
        // Inspection passes write every node, so they run the layers themselves.
        let (inspected, _) = try Self.outputs(fusion: true, mode: .inspection)
        #expect(zip(plain, inspected).map { abs($0 - $1) }.max()! <= 1e-6 * scale)
    }

    @Test func trainingPlansDoNotFold() throws {
        let network = try Self.network()
        network.plan(capacity: 2, threads: 1, training: true)
        #expect(!network.stepNames.contains { $0.contains("+") }, "\(network.stepNames)")
    }
}
