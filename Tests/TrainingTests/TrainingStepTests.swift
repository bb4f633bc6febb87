import DataIO
import Models
import Testing

@testable import Engine
@testable import Training

/// `--l2_penalty` reaches the step: the loss grows by wd · Σ W² / 2 over the decayed (encoder)
/// weights only, and the update differs accordingly.
@Suite struct TrainingStepTests {
    func step(l2: Float) throws -> (loss: Double, network: Network) {
        let network = try SingleLayerCAE.build(input: Shape(1, 8, 8), classes: 10)
        network.plan(capacity: 4, threads: 1)
        network.initialize(seed: 9)
        fillInputs(network)
        let evaluator = Evaluator(kind: .autoencoder, range: .minusOneToOne, capacity: 4)
        let optimizer = Optimizer(GradientDescent(), learningRate: 0.1, parameters: network.parameters)
        let loss = TrainingStep(network: network, evaluator: evaluator, optimizer: optimizer, l2Penalty: l2)(
            batch: 4, learningRate: 0.1)
        return (loss, network)
    }

    func fillInputs(_ network: Network) {
        var g = RandomGenerator(seed: 10)
        for i in 0..<(4 * 64) { network.inputTensor.data[i] = g.nextUniform() * 2 - 1 }
    }

    @Test func l2PenaltyAddsToTheLossAndTheUpdate() throws {
        let plain = try step(l2: 0), decayed = try step(l2: 0.1)
        let fresh = try SingleLayerCAE.build(input: Shape(1, 8, 8), classes: 10)
        fresh.plan(capacity: 4, threads: 1)
        fresh.initialize(seed: 9)
        let encoder = fresh.parameters.first { $0.name == "encode/W" }!
        let penalty = 0.1 * encoder.values.reduce(0.0) { $0 + Double($1 * $1) } / 2
        #expect(
            abs((decayed.loss - plain.loss) - penalty) < 1e-5 * max(1, penalty),
            "\(decayed.loss - plain.loss) vs \(penalty)")
        // Gradient descent: the decayed encoder weights moved further by lr · wd · W; the decoder's did not.
        let a = plain.network.parameters, b = decayed.network.parameters
        #expect(a[0].values != b[0].values)
        #expect(
            zip(a[0].values, b[0].values).enumerated().allSatisfy { i, pair in
                abs((pair.0 - pair.1) - 0.1 * 0.1 * encoder.values[i]) < 1e-6
            })
        #expect(a[2].values == b[2].values, "the decoder takes no L2, as in DTB")
    }
}
