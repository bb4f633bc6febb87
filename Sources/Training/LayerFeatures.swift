import DataIO
import Engine
import Plugins

/// The output of one named layer for every image of a set, in the set's order. The network runs
/// `.inspection` passes, which write every node (a fused operator's inner ones too), and each
/// batch's rows are copied into one array allocated up front: nothing is allocated per image.
public struct LayerFeatures {
    public let layer: String
    /// One image's output.
    public let shape: Shape
    /// `labels.count` rows of `shape.count` values.
    public let values: [Float]
    public let labels: [Int32]

    /// The node `name` writes; an unknown name is a usage error listing the model's layer names.
    public static func node(named name: String, in network: Network, model: String) throws(BenchError)
        -> Network.Node
    {
        guard let layer = network.layers.first(where: { $0.name == name }), let nodes = network.nodes(of: layer)
        else {
            let names = network.layers.map(\.name).joined(separator: ", ")
            throw .usage("--layer: \(model) has no layer \(name); its layers: \(names)")
        }
        return nodes.output
    }

    /// Runs `images` (scaled to `range`) through `network` in batches of its capacity and keeps
    /// `node`'s output, named `layer`.
    public init(layer: String, node: Network.Node, network: Network, images: ImageSet, range: PixelRange) {
        let shape = network.shape(of: node)
        let size = shape.count, count = images.count
        let batcher = Batcher(images, batchSize: network.capacity)
        let output = network.tensor(of: node)
        values = [Float](unsafeUninitializedCapacity: size * count) { buffer, initialized in
            for b in 0..<batcher.batchesPerEpoch {
                let n = batcher.fill(batch: b, into: network.inputTensor, labels: nil, range: range)
                network.forward(batch: n, mode: .inspection)
                (buffer.baseAddress! + b * batcher.batchSize * size).initialize(from: output.data, count: n * size)
            }
            initialized = size * count
        }
        self.layer = layer
        self.shape = shape
        labels = images.labels
    }

    /// One image's dimensions as an array's trailing axes: units for a dense layer's 1 x 1
    /// output, channels x height x width for a map.
    public var dimensions: [Int] {
        shape.height == 1 && shape.width == 1 ? [shape.channels] : [shape.channels, shape.height, shape.width]
    }
}
