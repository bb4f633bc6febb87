import Testing

@testable import Engine

/// The plan-time autotuner: which candidate it keeps, which choices it does not time again, and
/// that every algorithm it may keep computes what the fixed rules' algorithms compute.
@Suite struct AutotuneTests {
    @Test func theFastestCandidateWinsAndKnownChoicesAreNotTimed() {
        let times = ["direct": 3.0, "channelVectors": 1.0, "im2col": 2.0]
        var timed: [String] = []
        let tuner = AlgorithmTuner(saved: ["s": "im2col", "gone": "winograd"], cached: ["c": "direct", "s": "direct"])
        let time = { (name: String) -> Double in
            timed.append(name)
            return times[name]!
        }
        let all = ["direct", "channelVectors", "im2col"]
        #expect(tuner.choose(key: "t", layer: "a", candidates: all, time: time) == "channelVectors")
        #expect(timed == all)
        // The run folder's choice comes before the cache's, and neither is timed.
        #expect(tuner.choose(key: "s", layer: "b", candidates: all, time: time) == "im2col")
        #expect(tuner.choose(key: "c", layer: "c", candidates: all, time: time) == "direct")
        #expect(timed.count == 3)
        // A saved algorithm that no longer serves is timed anew; one candidate is not timed.
        #expect(tuner.choose(key: "gone", layer: "d", candidates: ["im2col", "direct"], time: time) == "im2col")
        #expect(tuner.choose(key: "one", layer: "e", candidates: ["im2col"], time: time) == "im2col")
        #expect(timed.count == 5)
        #expect(tuner.choices.map(\.source) == [.timed, .saved, .cached, .timed, .only])
        #expect(tuner.choices[0].candidates.map(\.algorithm) == ["channelVectors", "im2col", "direct"])
        // Equal times keep the fixed rules' order.
        let tie = tuner.choose(key: "tie", layer: "f", candidates: ["direct", "im2col"]) { _ in 1 }
        #expect(tie == "direct")
    }

    /// Geometries with several candidates per product: direct and im2col (one input channel),
    /// channel vectors (32 channels), Winograd (5x5 in evaluation), a staged convolution read by
    /// a pool, and a transposed convolution.
    static func network() throws -> Network {
        let n = Network(input: Shape(1, 20, 20))
        try n.add(Conv2D(name: "c1", inputChannels: 1, outputChannels: 32, kernel: 5, activation: .relu))
        try n.add(MaxPool2D(name: "p1", size: 2, stride: 2))
        try n.add(
            Conv2D(name: "c2", inputChannels: 32, outputChannels: 32, kernel: 5, padding: .same, activation: .tanh))
        try n.add(
            TransposedConv2D(
                name: "t1", inputChannels: 32, outputChannels: 32, kernel: 3, stride: 1, padding: .valid,
                activation: .identity))
        return n
    }

    struct Outputs: Equatable {
        var trained: [Float], evaluated: [Float], gradients: [[Float]], input: [Float]
    }

    static func run(_ options: Network.PlanOptions, batch: Int = 3) throws -> Outputs {
        let n = try network()
        n.plan(capacity: batch, threads: 2, options: options)
        n.initialize(seed: 5)
        var generator = RandomGenerator(seed: 6)
        for i in 0..<(batch * n.inputShape.count) { n.inputTensor.data[i] = generator.nextUniform() - 0.5 }
        n.forward(batch: batch, mode: .training)
        let trained = n.outputTensor.values(batch: batch)
        for i in 0..<(batch * n.outputShape.count) { n.outputGradient.data[i] = generator.nextUniform() - 0.5 }
        n.backward(batch: batch)
        let gradients = n.parameters.map(\.gradients)
        n.forward(batch: batch, mode: .evaluation)
        return Outputs(
            trained: trained, evaluated: n.outputTensor.values(batch: batch), gradients: gradients,
            input: n.inputTensor.values(batch: batch))
    }

    static func close(_ a: [Float], _ b: [Float], _ tolerance: Float) -> Bool {
        let scale = max(b.map(abs).max() ?? 0, 1e-6)
        return a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * scale }
    }

    /// Each candidate of each product forced in turn through the saved choices (as a resumed run's
    /// record forces it): outputs and gradients within single-precision rounding of the fixed rules'.
    @Test func everyCandidateComputesWhatTheFixedRulesCompute() throws {
        let fixed = try Self.run(Network.PlanOptions())
        let survey = AlgorithmTuner(repetitions: 1)
        _ = try Self.run(Network.PlanOptions(algorithms: .tuned(survey)))
        let contested = survey.choices.filter { $0.candidates.count > 1 }
        #expect(Set(contested.map(\.layer)) == ["c1+p1", "c2", "t1"])
        #expect(contested.contains { $0.candidates.contains { $0.algorithm == "winograd" } })
        for choice in contested {
            for candidate in choice.candidates {
                // The survey's other choices saved too, so that no other product is timed again.
                var saved = survey.choiceByKey
                saved[choice.key] = candidate.algorithm
                let forced = AlgorithmTuner(saved: saved)
                let outputs = try Self.run(Network.PlanOptions(algorithms: .tuned(forced)))
                let taken = forced.choices.first { $0.key == choice.key }
                #expect(taken?.source == .saved && taken?.algorithm == candidate.algorithm)
                let what = "\(choice.key) on \(candidate.algorithm)"
                #expect(Self.close(outputs.trained, fixed.trained, 1e-5), "\(what): training output")
                // Winograd's transforms round differently from the direct sums.
                #expect(Self.close(outputs.evaluated, fixed.evaluated, 1e-4), "\(what): evaluation output")
                for (g, f) in zip(outputs.gradients, fixed.gradients) {
                    #expect(Self.close(g, f, 1e-5), "\(what): gradient")
                }
            }
        }
    }

    @Test func anEvaluationPlanTimesOnlyTheEvaluationConvolution() throws {
        let n = try Self.network()
        let tuner = AlgorithmTuner(repetitions: 1)
        n.plan(capacity: 2, threads: 1, training: false, options: Network.PlanOptions(algorithms: .tuned(tuner)))
        #expect(!tuner.choices.isEmpty)
        #expect(tuner.choices.allSatisfy { $0.key.hasPrefix("evaluation") })
    }
}
