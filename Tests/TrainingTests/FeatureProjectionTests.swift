import Models
import Reporting
import Testing

@testable import Engine
@testable import Training

/// Seed 003's projection is the adjoint of the convolution it undoes:
/// <project(feature k), x'> = <feature map k, conv(x') without bias> for any image x'.
@Suite struct FeatureProjectionTests {
    @Test func layerOneProjectionIsTheConvolutionsAdjoint() throws {
        let network = try StandardCNN.build(input: Shape(1, 28, 28), classes: 10)
        network.plan(capacity: 1, threads: 1)
        network.initialize(seed: 3)
        var g = RandomGenerator(seed: 4)
        for i in 0..<784 { network.inputTensor.data[i] = g.nextUniform() }
        network.forward(batch: 1, mode: .inspection)
        let projection = try FeatureProjection(classifier: network)
        let conv = projection.convolutions[0]
        let map = network.tensor(of: network.nodes(of: conv)!.output).values(batch: 1)
        let plane = 24 * 24
        // The most active channel (after ReLU some random filters are silent on a positive image).
        let k = (0..<32).max { a, b in
            map[(a * plane)..<((a + 1) * plane)].reduce(0, +) < map[(b * plane)..<((b + 1) * plane)].reduce(0, +)
        }!
        let projected = projection.project(layer: 1, feature: k)
        #expect(projected.count == 784)

        let probe = (0..<784).map { _ in g.nextUniform() - 0.5 }
        var convolved = [Float](repeating: 0, count: 32 * plane)
        probe.withUnsafeBufferPointer { x in
            convolved.withUnsafeMutableBufferPointer { conv.preActivation(of: x.baseAddress!, into: $0.baseAddress!) }
        }
        let bias = conv.bias!.values[k]
        let lhs = zip(projected, probe).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rhs = (0..<plane).reduce(0.0) {
            $0 + Double(map[k * plane + $1]) * Double(convolved[k * plane + $1] - bias)
        }
        #expect(abs(lhs - rhs) <= 1e-4 * max(1, abs(lhs)), "\(lhs) vs \(rhs)")
        #expect(projected.contains { $0 != 0 })
    }

    @Test func layerTwoProjectsBackToThePixels() throws {
        let network = try CifarCNN.build(input: Shape(3, 32, 32), classes: 10)
        network.plan(capacity: 1, threads: 1)
        network.initialize(seed: 5)
        var g = RandomGenerator(seed: 6)
        for i in 0..<(3 * 1024) { network.inputTensor.data[i] = g.nextUniform() }
        network.forward(batch: 1, mode: .inspection)
        let projection = try FeatureProjection(classifier: network)
        let image = projection.project(layer: 2, feature: 0)
        #expect(image.count == 3 * 32 * 32)
        #expect(image.allSatisfy { $0.isFinite })
    }
}
