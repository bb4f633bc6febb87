import Testing

@testable import Engine

/// Moving gradients into one buffer keeps their values, lays them out in the parameters' order,
/// and a backward pass then writes into that buffer.
@Suite struct GradientArenaTests {
    @Test func gradientsMoveInOrderKeepTheirValuesAndBackwardWritesThere() throws {
        let network = Network(input: Shape(3))
        try network.add(Dense(name: "a", inputs: 3, units: 2, activation: .tanh))
        try network.add(Dense(name: "b", inputs: 2, units: 1))
        network.plan(capacity: 2, threads: 1)
        network.initialize(seed: 3)
        let parameters = network.parameters
        for (k, p) in parameters.enumerated() { for i in 0..<p.count { p.gradient[i] = Float(10 * k + i) } }
        let before = parameters.map(\.gradients)
        let arena = GradientArena(parameters, extra: 2)
        #expect(arena.gradientCount == parameters.reduce(0) { $0 + $1.count })
        #expect(Array(arena.values.prefix(arena.gradientCount)) == before.flatMap { $0 })
        #expect(arena.extra.count == 2)

        network.inputTensor.load([0.5, -1, 2, 1, 0, -0.5])
        network.forward(batch: 2, mode: .training)
        network.outputGradient.load([1, -1])
        network.backward(batch: 2)
        #expect(Array(arena.values.prefix(arena.gradientCount)) == parameters.flatMap(\.gradients))
        #expect(parameters.flatMap(\.gradients) != before.flatMap { $0 })
    }
}
