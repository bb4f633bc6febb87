import DataIO
import Models
import Plugins
import Reporting
import Testing

@testable import Engine
@testable import Training

/// The activation maps come from the first convolution's own output, which a convolution that
/// pools itself leaves unwritten in training and evaluation passes: the pictures' inspection
/// pass must write it.
@Suite struct RunPicturesTests {
    @Test func activationMapsAreTheFirstConvolutionsOutput() throws {
        let network = try StandardCNN.build(input: Shape(1, 28, 28), classes: 10)
        network.plan(capacity: 4, threads: 2)
        network.initialize(seed: 11)
        var g = RandomGenerator(seed: 12)
        let images = ImageSet(
            shape: Shape(1, 28, 28), pixels: (0..<(4 * 784)).map { _ in UInt8(g.nextUniform() * 255) },
            labels: [0, 1, 2, 3])
        let conv = try #require(network.layers.compactMap { $0 as? Conv2D }.first)
        let output = network.tensor(of: network.nodes(of: conv)!.output)
        output.zero(batch: 4)
        let pictures = RunPictures.draw(network, kind: .classifier, range: StandardCNN.pixelRange, images: images)
        #expect(pictures.contains { $0.name == "activations" })
        let g1 = try #require(conv.geometry)
        var before = [Float](repeating: 0, count: g1.output.count)
        before.withUnsafeMutableBufferPointer {
            conv.preActivation(of: network.inputTensor.sample(0), into: $0.baseAddress!)
        }
        let after = Array(UnsafeBufferPointer(start: output.sample(0), count: g1.output.count))
        let worst = zip(before, after).map { abs(max(0, $0) - $1) }.max()!
        #expect(worst < 1e-5, "relu(pre-activation) against the drawn output: \(worst)")
        #expect(after.contains { $0 > 0 })
    }
}
