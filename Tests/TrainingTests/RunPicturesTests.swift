import DataIO
import Models
import Plugins
import Reporting
import Testing

@testable import Engine
@testable import Training

/// The pictures a run draws every epoch.
@Suite struct RunPicturesTests {
    /// The activation maps come from the first convolution's own output, which a convolution
    /// that pools itself leaves unwritten in training and evaluation passes: the pictures'
    /// inspection pass must write it.
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

    /// A denoising run's input_output picture: a row of noisy inputs, one of the clean images,
    /// one of the reconstructions; without noise, pairs of input and reconstruction.
    @Test func theReconstructionPictureShowsNoisyInputsCleanTargetsAndOutputs() throws {
        let network = try SingleLayerCAE.build(input: Shape(1, 8, 8), classes: 10)
        network.plan(capacity: 16, threads: 1)
        network.initialize(seed: 11)
        var g = RandomGenerator(seed: 12)
        let images = ImageSet(
            shape: Shape(1, 8, 8), pixels: (0..<(10 * 64)).map { _ in UInt8(g.nextUniform() * 255) },
            labels: [Int32](repeating: 0, count: 10))
        func picture(_ noise: InputNoise?) throws -> ImageGrid {
            let pictures = RunPictures.draw(
                network, kind: .autoencoder, range: .minusOneToOne, images: images, noise: noise, seed: 3)
            return try #require(pictures.first { $0.name == "input_output" }).grid
        }
        let plain = try picture(nil)
        #expect(plain.tiles.count == 16 && plain.columns == 8)
        let noisy = try picture(.masking(probability: 1))
        #expect(noisy.tiles.count == 24 && noisy.columns == 8)
        #expect(noisy.tiles[0..<8].allSatisfy { $0.allSatisfy { $0 == 0 } }, "masked inputs are black")
        for i in 0..<8 {
            #expect(noisy.tiles[8 + i] == plain.tiles[2 * i], "row 2, image \(i): the clean image")
            #expect(noisy.tiles[16 + i] != plain.tiles[2 * i + 1], "row 3, image \(i): the black input's output")
        }
        let gaussian = try picture(.gaussian(sigma: 0.3)), again = try picture(.gaussian(sigma: 0.3))
        #expect(gaussian.tiles == again.tiles, "the same noise every epoch")
        #expect(gaussian.tiles[0] != plain.tiles[0] && gaussian.tiles[8] == plain.tiles[0], "noisy, then clean")
    }
}
