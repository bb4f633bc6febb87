import Engine
import Plugins
import Testing

@testable import Training

/// Joint training of stacked autoencoders: a two-stage stack's loss and gradients, through the
/// trainer's own loss, equal those of each stage trained alone on its own input (the stage
/// before it frozen in place), which is what the stop-gradient and the per-stage terms promise.
@Suite struct StackedTrainingTests {
    static let input = Shape(2, 6, 6)

    /// pad 2, conv 3x3 to 3 maps tanh, conv 3x3 back tanh: one stage, as DTB's stacks have them.
    static func stage(_ network: Network, _ k: Int) throws(EngineError) -> Network.Node {
        try network.add(Pad(name: "s\(k)/pad", amount: 2))
        try network.add(
            Conv2D(name: "s\(k)/encode", inputChannels: 2, outputChannels: 3, kernel: 3, activation: .tanh))
        return try network.add(
            Conv2D(name: "s\(k)/decode", inputChannels: 3, outputChannels: 2, kernel: 3, activation: .tanh))
    }

    static func fill(_ network: Network, seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        for p in network.parameters { p.load((0..<p.count).map { _ in generator.nextUniform() - 0.5 }) }
    }

    @Test func aTwoStageStackTrainsEachStageOnItsOwnInput() throws {
        let batch = 3
        let stack = Network(input: Self.input)
        let first = try Self.stage(stack, 0)
        stack.reconstructs(first, target: stack.input)
        let between = try stack.add(StopGradient(name: "s1/input"))
        let second = try Self.stage(stack, 1)
        stack.reconstructs(second, target: between)
        stack.plan(capacity: batch, threads: 2)
        Self.fill(stack, seed: 5)
        var generator = RandomGenerator(seed: 6)
        let images = (0..<(batch * Self.input.count)).map { _ in generator.nextUniform() * 2 - 1 }
        stack.inputTensor.load(images)
        let evaluator = Evaluator(kind: .autoencoder, range: .minusOneToOne, capacity: batch)
        stack.forward(batch: batch, mode: .training)
        let loss = evaluator.loss(stack, batch: batch, gradient: true).loss
        stack.backward(batch: batch)

        // Each stage alone, on its own input, with the stack's weights.
        var separate = 0.0
        var stageInput = images
        for k in 0..<2 {
            let alone = Network(input: Self.input)
            _ = try Self.stage(alone, k)
            alone.plan(capacity: batch, threads: 1)
            for p in alone.parameters {
                p.load(try #require(stack.parameters.first { $0.name == p.name }).values)
            }
            alone.inputTensor.load(stageInput)
            alone.forward(batch: batch, mode: .training)
            separate += evaluator.loss(alone, batch: batch, gradient: true).loss
            alone.backward(batch: batch)
            for p in alone.parameters {
                let joint = try #require(stack.parameters.first { $0.name == p.name }).gradients
                let worst = zip(joint, p.gradients).map { abs($0 - $1) }.max()!
                #expect(worst <= 1e-6 * max(p.gradients.map(abs).max()!, 1e-3), "\(p.name) differs by \(worst)")
            }
            stageInput = alone.outputTensor.values(batch: batch)
        }
        #expect(abs(loss - separate) <= 1e-9 * separate, "joint \(loss), stages \(separate)")
        // The metric stays the final reconstruction's error against the input.
        let metric = evaluator.loss(stack, batch: batch, gradient: false).loss
        let final = zip(stack.outputTensor.values(batch: batch), images).map { Double(($0 - $1) * ($0 - $1)) }
        #expect(abs(metric - final.reduce(0, +) / Double(2 * images.count)) < 1e-9)
    }

    @Test func uniformNoiseIsBoundedClippedAndOffInEvaluation() throws {
        let network = Network(input: Shape(4096))
        try network.add(UniformNoise(name: "noise", amplitude: 0.5, range: -1...1))
        var outputs: [[Float]] = []
        for threads in [1, 2] {
            network.plan(capacity: 1, threads: threads)
            network.initialize(seed: 3)
            network.inputTensor.load((0..<4096).map { Float($0 % 5) * 0.5 - 1 })
            network.forward(batch: 1, mode: .training)
            outputs.append(network.outputTensor.values(batch: 1))
        }
        #expect(outputs[0] == outputs[1], "the noise depends on the thread count")
        let x = network.inputTensor.values(batch: 1), y = outputs[0]
        let noise = zip(y, x).filter { $1 > -0.5 && $1 < 0.5 }.map { $0 - $1 }
        #expect(noise.allSatisfy { $0 >= -0.5 && $0 < 0.5 })
        #expect(abs(noise.reduce(0, +) / Float(noise.count)) < 0.02, "mean of uniform noise")
        #expect(y.allSatisfy { $0 >= -1 && $0 <= 1 } && y.contains(-1) && y.contains(1), "clipped to the range")
        network.forward(batch: 1, mode: .evaluation)
        #expect(network.outputTensor.values(batch: 1) == x)
    }
}
