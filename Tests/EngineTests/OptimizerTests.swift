import Testing

@testable import Engine

#if canImport(Glibc)
import Glibc
#endif

/// Two steps of each TensorFlow 1 optimizer on one weight against the update written out by
/// hand from TensorFlow's documented formulas (in Double).
@Suite struct OptimizerTests {
    static let gradients: [Double] = [0.5, -0.25]

    func run(_ rule: UpdateRule, learningRate: Float) -> Double {
        let p = Parameter(name: "w", dimensions: [1], initializer: .zeros, fanIn: 1, fanOut: 1, decays: false)
        p.load([1])
        let optimizer = Optimizer(rule, learningRate: learningRate, parameters: [p])
        for g in Self.gradients {
            p.gradient[0] = Float(g)
            optimizer.update()
        }
        return Double(p.value[0])
    }

    @Test func gradientDescent() {
        #expect(abs(run(GradientDescent(), learningRate: 0.1) - (1 - 0.1 * 0.5 + 0.1 * 0.25)) < 1e-6)
    }

    @Test func momentumAndNesterov() {
        // a1 = 0.5, a2 = 0.9 * 0.5 - 0.25 = 0.2
        #expect(abs(run(Momentum(momentum: 0.9), learningRate: 0.1) - (1 - 0.1 * 0.5 - 0.1 * 0.2)) < 1e-6)
        let nesterov = 1 - 0.1 * (0.5 + 0.9 * 0.5) - 0.1 * (-0.25 + 0.9 * 0.2)
        #expect(abs(run(Momentum(momentum: 0.9, useNesterov: true), learningRate: 0.1) - nesterov) < 1e-6)
    }

    @Test func adam() {
        var w = 1.0, m = 0.0, v = 0.0
        for (t, g) in Self.gradients.enumerated() {
            let step = Double(t + 1)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            w -= 0.01 * (1 - pow(0.999, step)).squareRoot() / (1 - pow(0.9, step)) * m / (v.squareRoot() + 1e-8)
        }
        #expect(abs(run(Adam(), learningRate: 0.01) - w) < 1e-6)
    }

    @Test func rmsPropStartsItsMeanSquareAtOne() {
        var w = 1.0, ms = 1.0, mom = 0.0
        for g in Self.gradients {
            ms = 0.9 * ms + 0.1 * g * g
            mom = 0.5 * mom + 0.01 * g / (ms + 1e-10).squareRoot()
            w -= mom
        }
        #expect(abs(run(RMSProp(momentum: 0.5), learningRate: 0.01) - w) < 1e-6)
    }

    @Test func adagradStartsItsAccumulatorAtOneTenth() {
        var w = 1.0, acc = 0.1
        for g in Self.gradients {
            acc += g * g
            w -= 0.1 * g / acc.squareRoot()
        }
        #expect(abs(run(Adagrad(), learningRate: 0.1) - w) < 1e-6)
    }

    @Test func adadelta() {
        var w = 1.0, acc = 0.0, accU = 0.0
        for g in Self.gradients {
            acc = 0.95 * acc + 0.05 * g * g
            let u = (accU + 1e-8).squareRoot() / (acc + 1e-8).squareRoot() * g
            accU = 0.95 * accU + 0.05 * u * u
            w -= 1.0 * u
        }
        #expect(abs(run(Adadelta(), learningRate: 1.0) - w) < 1e-6)
    }

    /// A parameter large enough to be split between threads ends bit for bit where one thread
    /// takes it.
    @Test func threadsDoNotChangeTheUpdate() throws {
        func run(threads: Int) -> [Float] {
            let p = Parameter(
                name: "w", dimensions: [Optimizer.parallelCount + 37], initializer: .zeros, fanIn: 1,
                fanOut: 1, decays: false)
            let optimizer = Optimizer(Adam(), learningRate: 0.1, parameters: [p], pool: ThreadPool(threads: threads))
            for step in 0..<3 {
                for i in 0..<p.count { p.gradient[i] = Float((i * 7 + step) % 11) - 5 }
                optimizer.update()
            }
            return p.values
        }
        let one = run(threads: 1)
        #expect(one.contains { $0 != 0 } && one == run(threads: 2))
    }

    @Test func stateRoundTrips() throws {
        let p = Parameter(name: "w", dimensions: [2], initializer: .zeros, fanIn: 1, fanOut: 1, decays: false)
        let a = Optimizer(Adam(), learningRate: 0.1, parameters: [p])
        p.gradient.update(repeating: 0.3, count: 2)
        a.update()
        let b = Optimizer(Adam(), learningRate: 0.1, parameters: [p])
        try b.restore(step: a.step, slots: a.state)
        #expect(b.state == a.state && b.step == 1)
        #expect(throws: EngineError.self) { try b.restore(step: 1, slots: [:]) }
    }
}
