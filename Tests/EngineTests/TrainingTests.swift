import Testing

@testable import Engine

/// The parts working together: optimizers drive a real loss down, and a seed with a thread
/// count reproduces a run exactly.
@Suite struct TrainingTests {
    /// A small convolutional autoencoder on fixed images (bright squares at random places).
    static func autoencoder() throws -> Network {
        let network = Network(input: Shape(1, 8, 8))
        let conv = Conv2D(name: "conv", inputChannels: 1, outputChannels: 4, kernel: 3, activation: .tanh)
        try network.add(conv)
        try network.add(TransposedConv2D(name: "deconv", tiedTo: conv, activation: .identity))
        return network
    }

    static func images(_ count: Int) -> [Float] {
        var g = RandomGenerator(seed: 81)
        var data = [Float](repeating: 0, count: count * 64)
        for i in 0..<count {
            let (y, x) = (Int(g.next() % 5), Int(g.next() % 5))
            for dy in 0..<3 { for dx in 0..<3 { data[i * 64 + (y + dy) * 8 + x + dx] = 1 } }
        }
        return data
    }

    func train(_ rule: UpdateRule, learningRate: Float, steps: Int, threads: Int = 2) throws -> (
        first: Double, last: Double, weights: [Float]
    ) {
        let network = try Self.autoencoder()
        network.plan(capacity: 16, threads: threads)
        network.initialize(seed: 82)
        let data = Self.images(16)
        let optimizer = Optimizer(rule, learningRate: learningRate, parameters: network.parameters)
        let mse = MeanSquaredError()
        var first = 0.0, last = 0.0
        for step in 0..<steps {
            network.inputTensor.load(data)
            network.forward(batch: 16, mode: .training)
            last = data.withUnsafeBufferPointer {
                mse(network.outputTensor, target: $0.baseAddress!, batch: 16, gradient: network.outputGradient)
            }
            if step == 0 { first = last }
            network.backward(batch: 16)
            optimizer.update()
        }
        return (first, last, network.parameters.flatMap(\.values))
    }

    @Test func adamDrivesTheLossDown() throws {
        let run = try train(Adam(), learningRate: 1e-2, steps: 300)
        print("Adam: loss \(run.first) -> \(run.last)")
        #expect(run.last < 0.2 * run.first, "loss \(run.first) -> \(run.last)")
    }

    @Test func momentumDrivesTheLossDown() throws {
        let run = try train(Momentum(momentum: 0.9, useNesterov: true), learningRate: 0.1, steps: 300)
        print("Nesterov momentum: loss \(run.first) -> \(run.last)")
        #expect(run.last < 0.2 * run.first, "loss \(run.first) -> \(run.last)")
    }

    @Test func sameSeedAndThreadsReproduceTheRun() throws {
        let a = try train(Adam(), learningRate: 1e-2, steps: 20)
        let b = try train(Adam(), learningRate: 1e-2, steps: 20)
        #expect(a.weights == b.weights)
        #expect(a.last == b.last)
    }

    @Test func threadCountChangesOnlyRounding() throws {
        let one = try train(Adam(), learningRate: 1e-2, steps: 20, threads: 1)
        let two = try train(Adam(), learningRate: 1e-2, steps: 20, threads: 2)
        let worst = zip(one.weights, two.weights).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-3, "largest weight difference \(worst)")
    }
}
