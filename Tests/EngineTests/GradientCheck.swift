import Foundation
import Testing

@testable import Engine

/// Central finite differences against a network's backward pass. The scalar checked is
/// L = Σ output · R for a fixed random R (or a loss when one is given), accumulated in Double.
struct GradientCheck {
    var epsilon: Float = 1e-2
    /// Entries checked per parameter (spread over the whole array).
    var samplesPerParameter = 24

    struct Report: CustomStringConvertible {
        var worst: [String: Double] = [:]
        var largest: Double { worst.values.max() ?? 0 }
        var description: String {
            worst.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2e", $0.value))" }
                .joined(separator: ", ")
        }
    }

    /// Relative error with a floor, so entries whose true gradient is ~0 are judged absolutely.
    static func relativeError(_ a: Double, _ b: Double, floor: Double) -> Double {
        abs(a - b) / max(abs(a), abs(b), floor)
    }

    /// Checks every parameter and, if `probe` is given, the gradient arriving at that node
    /// (an identity layer right after the input, so perturbing the input perturbs it).
    func run(
        _ network: Network, batch: Int, probe: Network.Node? = nil,
        loss: ((Network) -> Double)? = nil, seed: UInt64 = 99
    ) -> Report {
        var generator = RandomGenerator(seed: seed)
        let outCount = batch * network.outputShape.count
        let weights = (0..<outCount).map { _ in Double(generator.nextUniform() * 2 - 1) }
        // The first pass draws dropout masks and pool routes; the perturbed ones replay them, so
        // that finite differences see one smooth function instead of its kinks.
        var mode = Mode.training
        func objective() -> Double {
            network.forward(batch: batch, mode: mode)
            if let loss { return loss(network) }
            let y = network.outputTensor.data
            return (0..<outCount).reduce(0.0) { $0 + Double(y[$1]) * weights[$1] }
        }
        // Analytic gradients (a loss closure writes outputGradient itself).
        _ = objective()
        if loss == nil {
            for i in 0..<outCount { network.outputGradient.data[i] = Float(weights[i]) }
        }
        network.backward(batch: batch)
        mode = .replay

        var report = Report()
        var targets: [(String, UnsafeMutablePointer<Float>, [Float])] = network.parameters.map {
            ($0.name, $0.value, $0.gradients)
        }
        if let probe, let g = network.gradient(of: probe) {
            let n = batch * network.inputShape.count
            targets.append(("input", network.inputTensor.data, Array(UnsafeBufferPointer(start: g.data, count: n))))
        }
        for (name, values, analytic) in targets {
            let floor = max(1e-3 * (analytic.map { Double(abs($0)) }.max() ?? 0), 1e-6)
            let stride = max(1, analytic.count / samplesPerParameter)
            var worst = 0.0
            for i in Swift.stride(from: 0, to: analytic.count, by: stride) {
                let saved = values[i]
                values[i] = saved + epsilon
                let plus = objective()
                values[i] = saved - epsilon
                let minus = objective()
                values[i] = saved
                let numeric = (plus - minus) / (2 * Double(epsilon))
                worst = max(worst, Self.relativeError(Double(analytic[i]), numeric, floor: floor))
            }
            report.worst[name] = worst
        }
        return report
    }
}

/// Two passes' parameter gradients equal to rounding: within 1e-5 of each parameter's largest
/// reference value (absolutely below 1). A parameter without any gradient checks nothing.
func expectSameGradients(
    _ actual: [[Float]], _ reference: [[Float]], _ context: some CustomStringConvertible,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == reference.count, "\(context)", sourceLocation: sourceLocation)
    for (a, r) in zip(actual, reference) {
        let scale = r.map { abs($0) }.max() ?? 0
        #expect(scale > 0, "a parameter without gradient checks nothing: \(context)", sourceLocation: sourceLocation)
        let worst = zip(a, r).map { abs($0 - $1) }.max() ?? 0
        #expect(
            worst <= 1e-5 * max(scale, 1), "\(context): gradients differ by \(worst) of \(scale)",
            sourceLocation: sourceLocation)
    }
}

/// Fills a tensor with uniform values in [low, high).
func fillUniform(_ tensor: Tensor, batch: Int, low: Float = -1, high: Float = 1, seed: UInt64) {
    var g = RandomGenerator(seed: seed)
    for i in 0..<(batch * tensor.shape.count) { tensor.data[i] = low + (high - low) * g.nextUniform() }
}

extension Network.PlanOptions {
    /// Every layer on its own, every node's gradient kept: what finite differences observe.
    static let gradientCheck = Self(fusion: false, gradientsForEveryNode: true)
}

/// A network with an identity layer after the input, so the first real layer's input gradient
/// is observable (plan it with `.gradientCheck`); returns the network and that probe node.
func probedNetwork(input: Shape) throws -> (Network, Network.Node) {
    let network = Network(input: input)
    let probe = try network.add(ActivationLayer(name: "probe", .identity))
    return (network, probe)
}
