import Testing

@testable import Engine

/// Whole networks of the seeds' kinds, small enough for a debug build: every parameter's
/// gradient through the whole graph against finite differences.
@Suite struct GraphTests {
    /// LasagneCAE in miniature: two convolutions whose weights the two transposed convolutions
    /// reuse (tied: each weight's gradient is the sum over both uses), dropout with a fixed mask,
    /// a dense bottleneck, upscaling, and the mean squared error / 2.
    static func miniLasagneCAE() throws -> Network {
        let network = Network(input: Shape(1, 12, 12))
        let conv1 = Conv2D(name: "conv1", inputChannels: 1, outputChannels: 3, kernel: 3, activation: .tanh)
        let conv2 = Conv2D(name: "conv2", inputChannels: 3, outputChannels: 4, kernel: 2, activation: .tanh)
        try network.add(conv1)  // 3x10x10
        try network.add(MaxPool2D(name: "pool1", size: 2))  // 3x5x5
        try network.add(conv2)  // 4x4x4
        try network.add(MaxPool2D(name: "pool2", size: 2))  // 4x2x2
        try network.add(Dropout(name: "drop1", probability: 0.5))
        try network.add(Dense(name: "encode", inputs: 16, units: 8, activation: .tanh))
        try network.add(Dropout(name: "drop2", probability: 0.5))
        try network.add(Dense(name: "decode", inputs: 8, units: 16, activation: .tanh))
        try network.add(Reshape(name: "unflatten", to: Shape(4, 2, 2)))
        try network.add(Upscale2D(name: "up1", factor: 2))  // 4x4x4
        try network.add(TransposedConv2D(name: "deconv2", tiedTo: conv2, activation: .sigmoid))  // 3x5x5
        try network.add(Upscale2D(name: "up2", factor: 2))  // 3x10x10
        try network.add(TransposedConv2D(name: "deconv1", tiedTo: conv1, activation: .sigmoid))  // 1x12x12
        return network
    }

    @Test func lasagneLikeAutoencoderWithTiedWeights() throws {
        let network = try Self.miniLasagneCAE()
        #expect(network.outputShape == Shape(1, 12, 12))
        #expect(network.parameters.count == 10, "tied weights must be one parameter each")
        network.plan(capacity: 2, threads: 2, options: .gradientCheck)
        network.initialize(seed: 61)
        fillUniform(network.inputTensor, batch: 2, low: 0, high: 1, seed: 62)
        let target = network.inputTensor.values(batch: 2)
        let mse = MeanSquaredError()
        let report = GradientCheck(epsilon: 2e-2).run(
            network, batch: 2,
            loss: { n in
                target.withUnsafeBufferPointer {
                    mse(n.outputTensor, target: $0.baseAddress!, batch: 2, gradient: n.outputGradient)
                }
            })
        print("LasagneCAE-like graph: \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    /// ModifiedCNN in miniature: a second branch straight from the input, concatenated with the
    /// main branch's dense units, dropout, then softmax cross-entropy.
    @Test func modifiedCNNLikeBranchAndConcat() throws {
        let network = Network(input: Shape(1, 10, 10))
        let main = try network.add(
            Conv2D(name: "conv1", inputChannels: 1, outputChannels: 3, kernel: 3, activation: .tanh))
        try network.add(MaxPool2D(name: "pool1", size: 2), main)  // 3x4x4
        let dense = try network.add(Dense(name: "dense", inputs: 48, units: 6, activation: .tanh))
        try network.add(
            Conv2D(name: "branch", inputChannels: 1, outputChannels: 2, kernel: 4, activation: .tanh),
            network.input)  // 2x7x7
        try network.add(MaxPool2D(name: "branchPool", size: 3))  // 2x2x2
        let branch = try network.add(Reshape.flatten(name: "branchFlat", count: 8))
        try network.add(Concat(name: "join"), dense, branch)
        try network.add(Dropout(name: "drop", probability: 0.5))
        try network.add(Dense(name: "logits", inputs: 14, units: 4))
        network.plan(capacity: 3, threads: 2, options: .gradientCheck)
        network.initialize(seed: 71)
        fillUniform(network.inputTensor, batch: 3, low: 0, high: 1, seed: 72)
        let labels: [Int32] = [1, 3, 0]
        let loss = SoftmaxCrossEntropy()
        let report = GradientCheck(epsilon: 5e-3).run(
            network, batch: 3,
            loss: { n in
                labels.withUnsafeBufferPointer {
                    loss(n.outputTensor, labels: $0.baseAddress!, batch: 3, gradient: n.outputGradient).loss
                }
            })
        print("ModifiedCNN-like graph: \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    /// A node read by two layers receives the sum of both gradients.
    /// An evaluation-only plan has no gradient buffers and computes the same outputs.
    @Test func evaluationPlanMatchesTrainingPlan() throws {
        let (training, evaluation) = (try Self.miniLasagneCAE(), try Self.miniLasagneCAE())
        training.plan(capacity: 2, threads: 2)
        evaluation.plan(capacity: 2, threads: 2, training: false)
        for network in [training, evaluation] {
            network.initialize(seed: 5)
            fillUniform(network.inputTensor, batch: 2, low: 0, high: 1, seed: 6)
            network.forward(batch: 2, mode: .evaluation)
        }
        #expect(training.outputTensor.values(batch: 2) == evaluation.outputTensor.values(batch: 2))
        #expect(training.gradient(of: training.output) != nil && evaluation.gradient(of: evaluation.output) == nil)
    }

    @Test func fanOutSumsGradients() throws {
        let (network, probe) = try probedNetwork(input: Shape(3))
        let a = try network.add(ActivationLayer(name: "a", .tanh), probe)
        let b = try network.add(ActivationLayer(name: "b", .sigmoid), probe)
        try network.add(Concat(name: "join"), a, b)
        network.plan(capacity: 2, threads: 1, options: .gradientCheck)
        fillUniform(network.inputTensor, batch: 2, seed: 73)
        let report = GradientCheck().run(network, batch: 2, probe: probe)
        #expect(report.largest < 1e-3, "\(report)")
    }
}

@Suite struct GradientPlanTests {
    /// Nothing is propagated into nodes that no parameter depends on (the input's padding).
    @Test func parameterFreeNodesGetNoGradient() throws {
        let network = Network(input: Shape(1, 6, 6))
        let pad = try network.add(Pad(name: "pad", amount: 1))
        let conv = try network.add(Conv2D(name: "conv", inputChannels: 1, outputChannels: 2, kernel: 3))
        network.plan(capacity: 2, threads: 1)
        #expect(network.gradient(of: pad) == nil)
        #expect(network.gradient(of: conv) != nil)
        network.initialize(seed: 1)
        fillUniform(network.inputTensor, batch: 2, seed: 2)
        network.forward(batch: 2, mode: .training)
        fillUniform(network.outputGradient, batch: 2, seed: 3)
        network.backward(batch: 2)
        #expect(network.parameters[0].gradients.contains { $0 != 0 })
    }
}
