import Testing

@testable import Engine

/// The fused operator PooledConvolution (a convolution read by a max pool alone) against the same
/// network planned without fusion, on the same weights and inputs: its outputs must equal the
/// separate layers' exactly, and its gradients (arg-max lists, PooledConvolutionGradient), to
/// rounding, the layers' dense backward, which the finite-difference tests check.
@Suite struct PooledConvolutionTests {
    struct Case: CustomStringConvertible {
        var input: Shape
        /// The first convolution (rows layout: no input gradient).
        var first: (channels: Int, kernel: Int, stride: Int, padding: Padding, activation: Activation)
        var firstPool: (size: Int, stride: Int)
        /// The second convolution (channels-last layout, with an input gradient), if any.
        var second: (channels: Int, kernel: Int, padding: Padding, activation: Activation)?
        var secondPool = (size: 2, stride: 2)
        var description: String { "\(input) first \(first) pool \(firstPool) second \(String(describing: second))" }
    }

    static let cases: [Case] = [
        // StandardCNN's shape in miniature: 2x2 pools, ReLU, valid padding.
        Case(
            input: Shape(1, 14, 14), first: (16, 3, 1, .valid, .relu), firstPool: (2, 2),
            second: (5, 3, .valid, .relu)),
        // Padded channels-last copy, two 16-channel blocks per tap, tanh, an odd plane.
        Case(
            input: Shape(1, 13, 13), first: (32, 4, 1, .same, .tanh), firstPool: (2, 2),
            second: (3, 3, .same, .tanh)),
        // Three input channels and a stride of 2; a 3x3 pool that drops the border, sigmoid;
        // overlapping windows (size 3, stride 2) after the second convolution.
        Case(
            input: Shape(3, 15, 15), first: (16, 3, 2, .explicit(1, 1), .sigmoid), firstPool: (3, 3),
            second: (4, 2, .full, .identity), secondPool: (3, 2)),
        // ModifiedCNN's branch: a wide kernel and a 5x5 pool, no second convolution; the direct
        // forward computes the 15 of 16 rows and columns the windows read.
        Case(input: Shape(1, 25, 25), first: (6, 10, 1, .valid, .relu), firstPool: (5, 5), second: nil),
        // Direct forward over 17 of 18 rows and columns (a one-lane last segment, an overlapping
        // last block of rows), two input channels.
        Case(
            input: Shape(2, 20, 20), first: (16, 3, 1, .valid, .tanh), firstPool: (3, 2),
            second: (4, 3, .valid, .relu)),
        // Direct forward and 2x2 pools taken in registers outside training: a last segment of
        // 4 lanes; an odd plane (18 of 19 rows and columns, a 2-lane segment, an overlapping
        // block of rows) with six channels (overlapping channel tiles), no activation.
        Case(input: Shape(1, 22, 22), first: (8, 3, 1, .valid, .relu), firstPool: (2, 2), second: nil),
        Case(input: Shape(1, 21, 21), first: (6, 3, 1, .valid, .identity), firstPool: (2, 2), second: nil),
        // 3x3 second convolutions of 32 channels (patches of 144), pooled inside Winograd's
        // blocks outside training: 4x4 and 5x5 (border dropped) planes.
        Case(
            input: Shape(1, 14, 14), first: (16, 3, 1, .valid, .relu), firstPool: (2, 2), second: (32, 3, .valid, .relu)
        ),
        Case(
            input: Shape(1, 16, 16), first: (16, 3, 1, .valid, .identity), firstPool: (2, 2),
            second: (32, 3, .valid, .identity)),
        // StandardCNN's second layer (5x5, 32 channels): in evaluation Winograd's 4x4 blocks
        // pooled as 2x2 windows each, over a padded odd plane (9x9, the last row and column
        // dropped); LasagneCAE's (tanh): Winograd's output pooled after the activation, blocks
        // cut by a 6x6 plane.
        Case(
            input: Shape(1, 20, 20), first: (16, 3, 1, .valid, .relu), firstPool: (2, 2), second: (32, 5, .same, .relu)
        ),
        Case(
            input: Shape(1, 22, 22), first: (16, 3, 1, .valid, .relu), firstPool: (2, 2), second: (32, 5, .valid, .tanh)
        ),
        // A pooled block cut by the edge: 7x7 outputs pooled to 3x3 (CifarCNN's 10x10 to 5x5).
        Case(
            input: Shape(1, 24, 24), first: (16, 3, 1, .valid, .relu), firstPool: (2, 2), second: (32, 5, .valid, .relu)
        ),
    ]

    static func network(_ c: Case) throws -> Network {
        let network = Network(input: c.input)
        try network.add(
            Conv2D(
                name: "a", inputChannels: c.input.channels, outputChannels: c.first.channels,
                kernel: c.first.kernel, stride: c.first.stride, padding: c.first.padding,
                activation: c.first.activation))
        try network.add(MaxPool2D(name: "poolA", size: c.firstPool.size, stride: c.firstPool.stride))
        if let s = c.second {
            try network.add(
                Conv2D(
                    name: "b", inputChannels: c.first.channels, outputChannels: s.channels, kernel: s.kernel,
                    padding: s.padding, activation: s.activation))
            try network.add(MaxPool2D(name: "poolB", size: c.secondPool.size, stride: c.secondPool.stride))
        }
        try network.add(Reshape.flatten(name: "flat", count: network.outputShape.count))
        try network.add(Dense(name: "out", inputs: network.outputShape.count, units: 3, activation: .tanh))
        return network
    }

    /// How many convolutions run fused with their pools.
    static func fusedCount(_ network: Network) -> Int {
        network.stepNames.filter { $0.hasSuffix("+poolA") || $0.hasSuffix("+poolB") }.count
    }

    /// The output and parameter gradients of one training pass, and how many operators ran
    /// fused; `dense` plans the network without fusion.
    static func gradients(_ c: Case, dense: Bool, threads: Int, batch: Int) throws -> ([Float], [[Float]], Int) {
        let network = try network(c)
        network.plan(capacity: batch, threads: threads, options: Network.PlanOptions(fusion: !dense))
        network.initialize(seed: 5)
        // Biases start at zero; the fused path must add them too.
        var generator = RandomGenerator(seed: 4)
        for p in network.parameters where p.name.hasSuffix("/b") {
            p.load((0..<p.count).map { _ in generator.nextUniform() - 0.5 })
        }
        fillUniform(network.inputTensor, batch: batch, low: -1, high: 1, seed: 6)
        network.forward(batch: batch, mode: .training)
        fillUniform(network.outputGradient, batch: batch, seed: 7)
        network.backward(batch: batch)
        return (network.outputTensor.values(batch: batch), network.parameters.map(\.gradients), fusedCount(network))
    }

    @Test(arguments: cases.indices, [1, 2])
    func matchesTheDenseBackward(_ index: Int, threads: Int) throws {
        let c = Self.cases[index]
        let (fusedOutput, sparse, linked) = try Self.gradients(c, dense: false, threads: threads, batch: 3)
        let (output, dense, reference) = try Self.gradients(c, dense: true, threads: threads, batch: 3)
        #expect(linked == (c.second == nil ? 1 : 2), "every pool should be fused with its convolution: \(c)")
        #expect(reference == 0, "a plan without fusion keeps the layers apart")
        #expect(fusedOutput == output, "pooling inside the convolution changes no value: \(c)")
        expectSameGradients(sparse, dense, c)
    }

    /// Evaluation passes pool inside the convolution too; inspection passes write every node.
    @Test(arguments: cases.indices)
    func evaluationMatchesTheSeparateLayers(_ index: Int) throws {
        let c = Self.cases[index]
        func outputs(dense: Bool, mode: Mode) throws -> (output: [Float], convolved: [Float]) {
            let network = try Self.network(c)
            network.plan(capacity: 3, threads: 2, options: Network.PlanOptions(fusion: !dense))
            network.initialize(seed: 8)
            fillUniform(network.inputTensor, batch: 3, low: -1, high: 1, seed: 9)
            network.tensor(of: network.nodes(of: network.layers[0])!.output).zero(batch: 3)
            network.forward(batch: 3, mode: mode)
            return (
                network.outputTensor.values(batch: 3),
                network.tensor(of: network.nodes(of: network.layers[0])!.output).values(batch: 3)
            )
        }
        let reference = try outputs(dense: true, mode: .training)
        let evaluated = try outputs(dense: false, mode: .evaluation)
        let inspected = try outputs(dense: false, mode: .inspection)
        // The second convolutions of 32 channels run Winograd's in evaluation (all 3x3 or 5x5 at
        // stride 1, on planes of 4 or more), whose sums differ from the direct ones by rounding.
        if c.second?.channels == 32 {
            let worst = zip(evaluated.output, reference.output).map { abs($0 - $1) }.max()!
            #expect(worst < 5e-5 && evaluated.output != reference.output, "\(c): largest difference \(worst)")
        } else {
            #expect(evaluated.output == reference.output, "\(c)")
        }
        #expect(
            evaluated.convolved.allSatisfy { $0 == 0 },
            "an evaluation pass leaves the pooled convolution's output unwritten")
        #expect(inspected.output == reference.output && inspected.convolved == reference.convolved, "\(c)")
    }

    /// A convolution whose input needs a gradient but whose input channels are not a multiple
    /// of 16 keeps the dense backward, and so does one whose output has a second reader.
    @Test func fallsBackWhereTheListsDoNotServe() throws {
        let chain = Network(input: Shape(1, 12, 12))
        try chain.add(Conv2D(name: "a", inputChannels: 1, outputChannels: 3, kernel: 3, activation: .relu))
        try chain.add(MaxPool2D(name: "poolA", size: 2))
        try chain.add(Conv2D(name: "b", inputChannels: 3, outputChannels: 4, kernel: 2, activation: .relu))
        try chain.add(MaxPool2D(name: "poolB", size: 2))
        chain.plan(capacity: 2, threads: 1)
        #expect(
            chain.stepNames == ["a+poolA", "b", "poolB"],
            "a first layer takes the rows layout; b has 3 input channels and its input needs a gradient")
        let evaluation = Network(input: Shape(1, 12, 12))
        for layer in chain.layers { try evaluation.add(layer) }
        evaluation.plan(capacity: 2, threads: 1, training: false)
        #expect(evaluation.stepNames == ["a+poolA", "b+poolB"], "a network that only evaluates needs no backward")

        let fork = Network(input: Shape(1, 12, 12))
        let a = try fork.add(Conv2D(name: "a", inputChannels: 1, outputChannels: 2, kernel: 3, activation: .relu))
        let pooled = try fork.add(MaxPool2D(name: "pool", size: 2))
        let flatPooled = try fork.add(Reshape.flatten(name: "flatPooled", count: fork.shape(of: pooled).count), pooled)
        let flatA = try fork.add(Reshape.flatten(name: "flatA", count: fork.shape(of: a).count), a)
        try fork.add(Concat(name: "join"), flatPooled, flatA)
        fork.plan(capacity: 2, threads: 1)
        #expect(!fork.stepNames.contains("a+pool"), "a's output is read twice")
    }
}
