import Testing

@testable import Engine

/// Finite-difference checks of every non-convolution layer, each behind a probe so its input
/// gradient is checked as well as its parameters.
@Suite struct LayerGradientTests {
    func check(
        _ input: Shape, batch: Int = 3, epsilon: Float = 1e-2,
        fill: (Tensor) -> Void = { fillUniform($0, batch: 3, seed: 31) },
        _ build: (Network, Network.Node) throws -> Void
    ) throws -> GradientCheck.Report {
        let (network, probe) = try probedNetwork(input: input)
        try build(network, probe)
        network.plan(capacity: batch, threads: 2, options: .gradientCheck)
        network.initialize(seed: 30)
        fill(network.inputTensor)
        return GradientCheck(epsilon: epsilon).run(network, batch: batch, probe: probe)
    }

    /// Values spaced well apart in random order, so that a max never changes under ±epsilon.
    func distinct(_ tensor: Tensor) {
        var g = RandomGenerator(seed: 41)
        var values = (0..<(3 * tensor.shape.count)).map { Float($0) * 0.05 }
        values.shuffle(using: &g)
        tensor.load(values)
    }

    // 2x2 over 25 columns: twelve outputs a row, eight and four through the vector path.
    @Test(arguments: [
        (Shape(2, 8, 8), 2, 2), (Shape(1, 4, 25), 2, 2), (Shape(3, 7, 7), 3, 2), (Shape(1, 19, 19), 5, 5),
    ])
    func maxPool(_ input: Shape, _ size: Int, _ stride: Int) throws {
        let report = try check(input, epsilon: 1e-3, fill: distinct) { n, _ in
            try n.add(MaxPool2D(name: "pool", size: size, stride: stride))
        }
        print("MaxPool2D \(input) size \(size) stride \(stride): \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    @Test func maxPoolDropsTheBorderAndRoutesToTheArgmax() throws {
        let network = Network(input: Shape(1, 5, 5))
        try network.add(MaxPool2D(name: "pool", size: 2))
        #expect(network.outputShape == Shape(1, 2, 2))
        network.plan(capacity: 1, threads: 1)
        network.inputTensor.load((0..<25).map { Float($0) })
        network.forward(batch: 1, mode: .evaluation)
        #expect(network.outputTensor.values() == [6, 8, 16, 18])
    }

    /// Passes that do not train pool values alone (no arg-max), on the vector and scalar paths:
    /// the same outputs.
    @Test(arguments: [
        (Shape(2, 8, 8), 2, 2), (Shape(1, 4, 25), 2, 2), (Shape(3, 7, 7), 3, 2), (Shape(1, 19, 19), 5, 5),
    ])
    func maxPoolEvaluatesAsItTrains(_ input: Shape, _ size: Int, _ stride: Int) throws {
        let network = Network(input: input)
        try network.add(MaxPool2D(name: "pool", size: size, stride: stride))
        network.plan(capacity: 2, threads: 1)
        fillUniform(network.inputTensor, batch: 2, low: -1, high: 1, seed: 9)
        network.forward(batch: 2, mode: .training)
        let trained = network.outputTensor.values(batch: 2)
        network.outputTensor.zero(batch: 2)
        network.forward(batch: 2, mode: .evaluation)
        #expect(network.outputTensor.values(batch: 2) == trained)
    }

    /// Ties (few distinct values) go to the first maximum in window order, on the vector path
    /// (rows of 8 + 4 windows) and the scalar one (the last window) alike.
    @Test func maxPoolTiesRouteToTheFirstMaximum() throws {
        let input = Shape(2, 6, 26)
        let (network, probe) = try probedNetwork(input: input)
        try network.add(MaxPool2D(name: "pool", size: 2))
        network.plan(capacity: 1, threads: 1, options: .gradientCheck)
        var g = RandomGenerator(seed: 3)
        let x = (0..<input.count).map { _ in Float(Int(g.nextUniform() * 3)) }
        network.inputTensor.load(x)
        network.forward(batch: 1, mode: .training)
        fillUniform(network.outputGradient, batch: 1, seed: 4)
        network.backward(batch: 1)
        let (outH, outW) = (3, 13)
        var expected = [Float](repeating: 0, count: input.count)
        let dy = network.outputGradient.values(batch: 1)
        for c in 0..<2 {
            for oy in 0..<outH {
                for ox in 0..<outW {
                    var best = c * 156 + 2 * oy * 26 + 2 * ox
                    for (dy2, dx2) in [(0, 1), (1, 0), (1, 1)]
                    where x[c * 156 + (2 * oy + dy2) * 26 + 2 * ox + dx2] > x[best] {
                        best = c * 156 + (2 * oy + dy2) * 26 + 2 * ox + dx2
                    }
                    #expect(network.outputTensor.data[(c * outH + oy) * outW + ox] == x[best])
                    expected[best] = dy[(c * outH + oy) * outW + ox]
                }
            }
        }
        #expect(try #require(network.gradient(of: probe)).values(batch: 1) == expected)
    }

    // Eleven columns at factor 2: eight through the vector path, three through the scalar one.
    @Test(arguments: [(2, Shape(2, 3, 4)), (3, Shape(2, 3, 4)), (2, Shape(1, 2, 11))])
    func upscale(_ factor: Int, _ input: Shape) throws {
        let report = try check(input) { n, _ in try n.add(Upscale2D(name: "up", factor: factor)) }
        print("Upscale2D x\(factor) \(input): \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    @Test(arguments: Activation.allCases)
    func dense(_ activation: Activation) throws {
        // ReLU is checked on positive pre-activations, away from its kink.
        let fill: (Tensor) -> Void = {
            fillUniform($0, batch: 3, low: activation == .relu ? 0.1 : -1, high: 1, seed: 32)
        }
        let report = try check(Shape(2, 3, 2), fill: fill) { n, _ in
            let dense = Dense(name: "dense", inputs: 12, units: 5, activation: activation)
            try n.add(dense)
            if activation == .relu { dense.weight.load((0..<60).map { _ in 0.2 }) }
        }
        print("Dense \(activation): \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    @Test(arguments: Activation.allCases)
    func activation(_ activation: Activation) throws {
        let fill: (Tensor) -> Void = { t in
            fillUniform(t, batch: 3, low: 0.1, high: 1.5, seed: 33)
            for i in stride(from: 0, to: 3 * t.shape.count, by: 2) { t.data[i] = -t.data[i] }
        }
        let report = try check(Shape(2, 3, 3), fill: fill) { n, _ in try n.add(ActivationLayer(name: "f", activation)) }
        print("Activation \(activation): \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    @Test(arguments: [Dropout.Scaling.inverted, .direct])
    func dropoutWithFixedMask(_ scaling: Dropout.Scaling) throws {
        let report = try check(Shape(4, 3, 3)) { n, _ in
            try n.add(Dropout(name: "drop", probability: 0.5, scaling: scaling))
        }
        print("Dropout \(scaling): \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    @Test func dropoutIsInvertedAndOffInEvaluation() throws {
        let network = Network(input: Shape(1000))
        try network.add(Dropout(name: "drop", probability: 0.25, seed: 3))
        network.plan(capacity: 2, threads: 2)
        network.inputTensor.load([Float](repeating: 1, count: 2000))
        network.forward(batch: 2, mode: .training)
        let kept = network.outputTensor.values().filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Double(kept.count) / 2000 - 0.75) < 0.04, "kept \(kept.count) of 2000")
        network.forward(batch: 2, mode: .evaluation)
        #expect(network.outputTensor.values().allSatisfy { $0 == 1 })
    }

    @Test func directDropoutKeepsValuesUnscaledAndScalesInEvaluation() throws {
        let network = Network(input: Shape(1000))
        try network.add(Dropout(name: "drop", probability: 0.25, scaling: .direct, seed: 3))
        network.plan(capacity: 2, threads: 2)
        network.inputTensor.load([Float](repeating: 2, count: 2000))
        network.forward(batch: 2, mode: .training)
        let kept = network.outputTensor.values().filter { $0 != 0 }
        #expect(kept.allSatisfy { $0 == 2 })
        #expect(abs(Double(kept.count) / 2000 - 0.75) < 0.04, "kept \(kept.count) of 2000")
        network.forward(batch: 2, mode: .evaluation)
        #expect(network.outputTensor.values().allSatisfy { $0 == 1.5 })
    }

    /// The mask is drawn without a branch, in parts on the threads; it must be the one
    /// `uniform < p` gives for the uniforms of the SplitMix64 stream from the pass's key (the
    /// layer generator's next value), on any thread count, including probabilities that are
    /// not multiples of 2⁻²⁴.
    @Test(arguments: [Float(0.5), 0.25, 0.1, 0.3, 0.999], [1, 2])
    func dropoutMaskIsTheUniformsComparedWithP(_ p: Float, threads: Int) throws {
        let network = Network(input: Shape(4096))
        let layer = Dropout(name: "drop", probability: p)
        try network.add(layer)
        network.plan(capacity: 1, threads: threads)
        layer.reseed(11, firstSample: 0)
        network.inputTensor.load([Float](repeating: 1, count: 4096))
        network.forward(batch: 1, mode: .training)
        var generator = RandomGenerator(seed: 11)
        let key = generator.next()
        let expected = (0..<4096).map { i in
            Float(RandomGenerator.splitMix(key, i) >> 40) / 16_777_216 < p ? 0 : 1 / (1 - p)
        }
        #expect(network.outputTensor.values() == expected)
    }

    /// The first values of Vigna's splitmix64.c from state 0, drawn out of order.
    @Test func splitMixIsTheReferenceStream() {
        #expect(
            [2, 0, 1].map { RandomGenerator.splitMix(0, $0) } == [
                0x06C4_5D18_8009_454F, 0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4,
            ])
    }

    @Test func reshapePadConcat() throws {
        let report = try check(Shape(2, 4, 4)) { n, probe in
            let padded = try n.add(Pad(name: "pad", amount: 2), probe)
            let flat = try n.add(Reshape.flatten(name: "flat", count: 2 * 8 * 8), padded)
            let other = try n.add(Reshape(name: "other", to: Shape(32)), probe)
            let joined = try n.add(Concat(name: "cat"), flat, other)
            try n.add(Dense(name: "mix", inputs: 160, units: 4, activation: .tanh), joined)
        }
        print("Pad/Reshape/Concat: \(report)")
        #expect(report.largest < 1e-2, "\(report)")
    }

    @Test func padPlacesTheImageInTheMiddle() throws {
        let network = Network(input: Shape(1, 1, 2))
        try network.add(Pad(name: "pad", amount: 1))
        network.plan(capacity: 1, threads: 1)
        network.inputTensor.load([3, 4])
        network.forward(batch: 1, mode: .evaluation)
        #expect(network.outputTensor.values() == [0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0])
    }
}

@Suite struct DropoutModeTests {
    /// Backward after an evaluation forward is the identity, not the last training mask.
    @Test func backwardFollowsTheLastForwardsMode() throws {
        let (network, probe) = try probedNetwork(input: Shape(50))
        try network.add(Dropout(name: "drop", probability: 0.5, seed: 2))
        network.plan(capacity: 1, threads: 1, options: .gradientCheck)
        fillUniform(network.inputTensor, batch: 1, seed: 3)
        network.forward(batch: 1, mode: .training)
        network.forward(batch: 1, mode: .evaluation)
        network.outputGradient.load([Float](repeating: 1, count: 50))
        network.backward(batch: 1)
        #expect(network.gradient(of: probe)!.values().allSatisfy { $0 == 1 })
    }
}
