import DataIO
import Engine
import Foundation
import Plugins

/// The pictures of a run, refreshed every epoch: inputs beside their reconstructions (DTB's
/// input_output), the first convolution's filters, one image's first-layer activation maps
/// before and after the non-linearity, and the loss curves. Each also goes to TensorBoard.
public struct RunPictures {
    public static let pairs = 8

    public struct Picture {
        public let name: String
        public let grid: ImageGrid
    }

    /// Every picture for the network's current weights, from the first images of `images`.
    public static func draw(_ network: Network, kind: ModelKind, range: PixelRange, images: ImageSet) -> [Picture] {
        let shape = images.shape
        let n = min(pairs, images.count, network.capacity)
        let batcher = Batcher(images.subset(0..<n), batchSize: network.capacity)
        _ = batcher.fill(batch: 0, into: network.inputTensor, labels: nil, range: range)
        network.forward(batch: n, mode: .inspection)
        func unit(_ v: Float) -> Float { range == .zeroToOne ? v : (v + 1) / 2 }
        var result: [Picture] = []
        if kind == .autoencoder {
            var grid = ImageGrid(
                tileHeight: shape.height, tileWidth: shape.width, channels: shape.channels, columns: 8, scale: 2)
            for i in 0..<n {
                grid.add(Array(UnsafeBufferPointer(start: network.inputTensor.sample(i), count: shape.count)).map(unit))
                grid.add(
                    Array(UnsafeBufferPointer(start: network.outputTensor.sample(i), count: shape.count)).map {
                        min(1, max(0, unit($0)))
                    })
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
