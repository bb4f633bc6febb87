import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

@Suite struct LossTests {
    @Test func meanSquaredErrorIsHalfTheMeanAndItsGradientMatches() throws {
        let (network, probe) = try probedNetwork(input: Shape(1, 3, 3))
        network.plan(capacity: 2, threads: 1, options: .gradientCheck)
        fillUniform(network.inputTensor, batch: 2, seed: 51)
        var g = RandomGenerator(seed: 52)
        let target = (0..<18).map { _ in g.nextUniform() }
        let mse = MeanSquaredError()
        let report = GradientCheck(epsilon: 1e-2).run(
            network, batch: 2, probe: probe,
            loss: { n in
                target.withUnsafeBufferPointer {
                    mse(n.outputTensor, target: $0.baseAddress!, batch: 2, gradient: n.outputGradient)
                }
            })
        print("MeanSquaredError: \(report)")
        #expect(report.largest < 1e-3, "\(report)")

        network.forward(batch: 2, mode: .evaluation)
        let y = network.outputTensor.values(batch: 2)
        let expected = zip(y, target).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / 18 / 2
        let got = target.withUnsafeBufferPointer { mse(network.outputTensor, target: $0.baseAddress!, batch: 2) }
        #expect(abs(got - expected) < 1e-7)
    }

    @Test func softmaxCrossEntropyGradientMatches() throws {
        let (network, probe) = try probedNetwork(input: Shape(5))
        network.plan(capacity: 3, threads: 1, options: .gradientCheck)
        fillUniform(network.inputTensor, batch: 3, low: -3, high: 3, seed: 53)
        let labels: [Int32] = [0, 4, 2]
        let loss = SoftmaxCrossEntropy()
        let report = GradientCheck(epsilon: 1e-2).run(
            network, batch: 3, probe: probe,
            loss: { n in
                labels.withUnsafeBufferPointer {
                    loss(n.outputTensor, labels: $0.baseAddress!, batch: 3, gradient: n.outputGradient).loss
                }
            })
        print("SoftmaxCrossEntropy: \(report)")
        #expect(report.largest < 1e-3, "\(report)")
    }

    @Test func softmaxCrossEntropyOfUniformLogitsIsLogClasses() {
        let logits = Tensor(shape: Shape(10), capacity: 2)
        let labels: [Int32] = [3, 7]
        let (value, _) = labels.withUnsafeBufferPointer {
            SoftmaxCrossEntropy()(logits, labels: $0.baseAddress!, batch: 2)
        }
        #expect(abs(value - log(10.0)) < 1e-6)
    }

    @Test func weightDecayAddsHalfTheSquaredNormTimesTheRate() {
        let w = Parameter(name: "w", dimensions: [3], initializer: .zeros, fanIn: 1, fanOut: 1, decays: true)
        let b = Parameter(name: "b", dimensions: [1], initializer: .zeros, fanIn: 1, fanOut: 1, decays: false)
        w.load([1, -2, 3])
        b.load([5])
        let penalty = applyWeightDecay(0.1, to: [w, b])
        #expect(abs(penalty - 0.1 * 14 / 2) < 1e-6)
        #expect(w.gradients.elementsEqual([0.1, -0.2, 0.3]) { abs($0 - $1) < 1e-7 })
        #expect(b.gradients == [0])
    }
}

@Suite struct FastMathTests {
    /// The vectorised activations against libm over the whole range that matters.
    @Test func tanhAndSigmoidMatchLibm() {
        let xs = stride(from: -20.0 as Float, through: 20, by: 0.001).map { $0 }
        var t = xs, s = xs
        t.withUnsafeMutableBufferPointer { Activation.tanh.apply($0.baseAddress!, count: $0.count) }
        s.withUnsafeMutableBufferPointer { Activation.sigmoid.apply($0.baseAddress!, count: $0.count) }
        var worstTanh: Float = 0, worstSigmoid: Float = 0
        for (i, x) in xs.enumerated() {
            worstTanh = max(worstTanh, abs(t[i] - tanhf(x)))
            worstSigmoid = max(worstSigmoid, abs(s[i] - 1 / (1 + expf(-x))))
        }
        #expect(worstTanh < 3e-7, "tanh error \(worstTanh)")
        #expect(worstSigmoid < 3e-7, "sigmoid error \(worstSigmoid)")
        #expect(t.allSatisfy { abs($0) <= 1 })
    }

    /// tanh over every binade of the floats, both signs, infinities included: a bit pattern in
    /// every 40 009 (about 54 000 per sign, each exponent about 200 times), within 1e-6 of libm.
    @Test func tanhIsWithinAMillionthOverTheWholeFloatRange() {
        var xs: [Float] = [.infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 0]
        for bits in stride(from: UInt32(0), to: 0x7F80_0000, by: 40_009) {
            xs.append(Float(bitPattern: bits))
            xs.append(-Float(bitPattern: bits))
        }
        var t = xs
        t.withUnsafeMutableBufferPointer { Activation.tanh.apply($0.baseAddress!, count: $0.count) }
        var worst = 0.0, at: Float = 0
        for (x, y) in zip(xs, t) where abs(Double(y) - tanh(Double(x))) > worst {
            worst = abs(Double(y) - tanh(Double(x)))
            at = x
        }
        #expect(worst <= 1e-6, "tanh is \(worst) off at \(at)")
        #expect(t.allSatisfy { abs($0) <= 1 })
    }
}
