import Testing

@testable import Engine

/// Batch normalization: gradients against finite differences (per channel of maps and per unit
/// of a dense layer's output), the batch statistics and running averages against a hand
/// computation, and evaluation with the running averages.
@Suite struct BatchNormalizationTests {
    /// γ and β away from 1 and 0, so that their gradients and the input's are all exercised.
    static func spread(_ layer: BatchNormalization) {
        for c in 0..<layer.scale.count {
            layer.scale.value[c] = 0.5 + 0.3 * Float(c)
            layer.offset.value[c] = 0.1 * Float(c) - 0.2
        }
    }

    @Test(arguments: [Shape(3, 4, 4), Shape(5)])
    func gradientsMatchFiniteDifferences(_ input: Shape) throws {
        let (network, _) = try probedNetwork(input: input)
        let layer = BatchNormalization(name: "bn", channels: input.channels)
        try network.add(layer)
        // A nonlinearity after it: the sum of a normalised channel is constant, so a linear read
        // of the output alone would leave the input gradient nearly zero.
        try network.add(ActivationLayer(name: "after", .tanh))
        network.plan(capacity: 4, threads: 2, options: .gradientCheck)
        network.initialize(seed: 30)
        Self.spread(layer)
        fillUniform(network.inputTensor, batch: 4, low: -2, high: 2, seed: 12)
        let report = GradientCheck(epsilon: 1e-2).run(network, batch: 4, probe: Network.Node(index: 1))
        print("BatchNormalization \(input): \(report)")
        #expect(report.largest < 1e-2, "\(report)")
        #expect(report.worst.keys.contains("bn/gamma") && report.worst.keys.contains("bn/beta"), "\(report)")
    }

    @Test func trainingUsesBatchStatisticsAndMovesTheAveragesEvaluationUsesTheAverages() throws {
        let network = Network(input: Shape(2, 1, 2))
        let layer = BatchNormalization(name: "bn", channels: 2)
        try network.add(layer)
        network.plan(capacity: 2, threads: 1)
        network.initialize(seed: 1)
        // Channel 0 holds 1, 2 (sample 0) and 3, 6 (sample 1); channel 1 is constant 4.
        network.inputTensor.load([1, 2, 4, 4, 3, 6, 4, 4])
        network.forward(batch: 2, mode: .training)
        let (mean, variance) = (3.0, (4.0 + 1 + 0 + 9) / 4)
        let y = network.outputTensor.values()
        let expected = [1.0, 2, 3, 6].map { ($0 - mean) / (variance + 1e-3).squareRoot() }
        for (got, want) in zip([y[0], y[1], y[4], y[5]], expected) { #expect(abs(Double(got) - want) < 1e-5) }
        #expect([y[2], y[3], y[6], y[7]] == [0, 0, 0, 0], "a constant channel normalises to β = 0")
        // Decay 0.9 from mean 0 and variance 1, toward the unbiased variance 14 / 3.
        #expect(abs(Double(layer.movingMean.value[0]) - 0.1 * mean) < 1e-6)
        #expect(abs(Double(layer.movingVariance.value[0]) - (0.9 + 0.1 * 14 / 3)) < 1e-6)
        #expect(abs(layer.movingMean.value[1] - 0.4) < 1e-6 && abs(layer.movingVariance.value[1] - 0.9) < 1e-6)

        network.forward(batch: 2, mode: .evaluation)
        let m = layer.movingMean.values, v = layer.movingVariance.values
        let evaluated = network.outputTensor.values()
        for (i, x) in [Float(1), 2, 4, 4, 3, 6, 4, 4].enumerated() {
            let c = (i / 2) % 2
            #expect(abs(evaluated[i] - (x - m[c]) / (v[c] + 1e-3).squareRoot()) < 1e-5)
        }
        // A replay repeats training's arithmetic without moving the averages again.
        network.forward(batch: 2, mode: .replay)
        #expect(layer.movingMean.values == m && layer.movingVariance.values == v)
        #expect(network.statistics.map(\.name) == ["bn/moving_mean", "bn/moving_variance"])
        #expect(network.parameters.map(\.name) == ["bn/gamma", "bn/beta"])
    }
}
