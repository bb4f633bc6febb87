import DataIO
import Engine
import Foundation
import Plugins
import Training

/// The pictures of a run, refreshed every epoch: inputs beside their reconstructions (DTB's
/// input_output; for a denoising run, rows of noisy inputs, clean targets and reconstructions),
/// the first convolution's filters, one image's first-layer activation maps before and after the
/// non-linearity, and the loss curves. Each also goes to TensorBoard.
public struct RunPictures {
    public static let pairs = 8

    public struct Picture {
        public let name: String
        public let grid: ImageGrid
    }

    /// Every picture for the network's current weights, from the first images of `images`; with
    /// `noise`, the inputs corrupted as the run `seed`'s training corrupts them (the same noise
    /// every epoch, so that the pictures compare).
    public static func draw(
        _ network: Network, kind: ModelKind, range: PixelRange, images: ImageSet, noise: InputNoise? = nil,
        seed: UInt64 = 0
    ) -> [Picture] {
        let shape = images.shape
        let n = min(pairs, images.count, network.capacity)
        let batcher = Batcher(images.subset(0..<n), batchSize: network.capacity)
        _ = batcher.fill(batch: 0, into: network.inputTensor, labels: nil, range: range)
        let clean = noise.map { _ in network.inputTensor.values(batch: n) }
        for i in 0..<n {
            noise?.corrupt(
                network.inputTensor.sample(i), count: shape.count, range: range,
                key: TrainingInputs.pictureNoiseKey(seed: seed, image: i))
        }
        network.forward(batch: n, mode: .inspection)
        /// A picture's tile: `shape.count` values of the model's range, in [0, 1].
        func tile(_ values: UnsafePointer<Float>) -> [Float] {
            UnsafeBufferPointer(start: values, count: shape.count).map {
                min(1, max(0, range == .zeroToOne ? $0 : ($0 + 1) / 2))
            }
        }
        var result: [Picture] = []
        if kind == .autoencoder {
            // Pairs of input and reconstruction, four a row; with noise, a row each of the noisy
            // inputs, the clean targets and the reconstructions.
            var grid = ImageGrid(
                tileHeight: shape.height, tileWidth: shape.width, channels: shape.channels,
                columns: clean == nil ? 8 : max(n, 1), scale: 2)
            if let clean {
                for i in 0..<n { grid.add(tile(network.inputTensor.sample(i))) }
                clean.withUnsafeBufferPointer { for i in 0..<n { grid.add(tile($0.baseAddress! + i * shape.count)) } }
                for i in 0..<n { grid.add(tile(network.outputTensor.sample(i))) }
            } else {
                for i in 0..<n {
                    grid.add(tile(network.inputTensor.sample(i)))
                    grid.add(tile(network.outputTensor.sample(i)))
                }
            }
            result.append(Picture(name: "input_output", grid: grid))
        }
        if let conv = network.layers.lazy.compactMap({ $0 as? Conv2D }).first, let g = conv.geometry {
            let k = conv.kernel
            let colour = conv.inputChannels == 3
            var filters = ImageGrid(tileHeight: k.0, tileWidth: k.1, channels: colour ? 3 : 1, columns: 8, scale: 6)
            let w = conv.weight.values, patch = conv.inputChannels * k.0 * k.1
            for o in 0..<conv.outputChannels {
                let filter = Array(w[(o * patch)..<((o + 1) * patch)])
                filters.addNormalized(colour ? filter : Array(filter[0..<(k.0 * k.1)]))
            }
            result.append(Picture(name: "filters", grid: filters))

            let (node, inputs) = network.nodes(of: conv)!
            var before = [Float](repeating: 0, count: g.output.count)
            before.withUnsafeMutableBufferPointer {
                conv.preActivation(of: network.tensor(of: inputs[0]).sample(0), into: $0.baseAddress!)
            }
            let after = Array(UnsafeBufferPointer(start: network.tensor(of: node).sample(0), count: g.output.count))
            var maps = ImageGrid(
                tileHeight: g.output.height, tileWidth: g.output.width, channels: 1, columns: 8, scale: 2)
            for values in [before, after] {
                for c in 0..<g.output.channels {
                    maps.addNormalized(Array(values[(c * g.output.plane)..<((c + 1) * g.output.plane)]))
                }
            }
            result.append(Picture(name: "activations", grid: maps))
        }
        return result
    }

    /// Train loss and validation metric against epoch, as an SVG line plot.
    public static func lossPlot(epochs: [(epoch: Int, train: Double, validation: Double)], metric: String) -> String {
        SVGPlot(
            title: "loss and validation \(metric)", xLabel: "epoch",
            series: [
                ("train loss", "#1f77b4", epochs.map { (Double($0.epoch), $0.train) }),
                ("validation \(metric)", "#d62728", epochs.map { (Double($0.epoch), $0.validation) }),
            ]
        ).svg
    }
}
