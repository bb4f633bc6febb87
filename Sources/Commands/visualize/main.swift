import ArgumentParser
import CLI
import DataIO
import Engine
import Foundation
import Inputs
import Models
import Plugins
import Reporting
import Training

/// `visualize --model CifarCNN --dataset Cifar10 --checkpoint_dir DIR --layer 2`: one PNG per
/// chosen feature, projected back to pixels as seed 003 does, beside the input image.
struct Visualize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visualize",
        abstract: "Project a trained classifier's convolution features back to pixel space, one PNG per feature.")

    @OptionGroup var source: ModelDataFlags


    @Option(name: .customLong("checkpoint_dir"), help: "A run folder or its best/ folder.")
    var checkpointDirectory: String

    @Option(name: .customLong("layer"), help: "The convolution to project: 1 or 2.")
    var layer = 1

    @Option(name: .customLong("features"), help: "Comma-separated feature (channel) numbers (default: the first 8).")
    var features: String?

    @Option(name: .customLong("image"), help: "Which test image to project.")
    var image = 0

    @Option(name: .customLong("output"), help: "Folder for the PNGs (default: <checkpoint_dir>/projections).")
    var output: String?

    func run() throws {
        runReportingErrors { () throws(BenchError) in try visualize() }
    }

    func visualize() throws(BenchError) {
            let plugin = try source.modelPlugin()
            guard plugin.kind == .classifier else {
                throw .usage("--model: \(plugin.name) is not a classifier; visualize projects a classifier's features")
            }
            guard layer == 1 || layer == 2 else { throw .usage("--layer: \(layer) must be 1 or 2") }
            let path = try ModelDataFlags.checkpoint(in: checkpointDirectory)
            let data = try source.load()
            guard image >= 0, image < data.test.count else { throw .usage("--image: \(image) is outside 0..<\(data.test.count)") }
            let loaded = try Self.load(plugin, checkpoint: path, shape: data.shape, classes: data.classNames.count)
            let network = loaded.0, projection = loaded.1
            let channels = projection.convolutions[layer - 1].outputChannels
            let tokens = features.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let chosen = tokens.map { $0.map { Int($0.trimmingCharacters(in: .whitespaces)) ?? -1 } } ?? Array(0..<min(8, channels))
            guard !chosen.isEmpty, chosen.allSatisfy({ $0 >= 0 && $0 < channels }) else {
                throw .usage("--features: '\(features ?? "")' must list channels in 0..<\(channels)")
            }
            _ = Batcher(data.test.subset(image..<(image + 1)), batchSize: 1)
                .fill(batch: 0, into: network.inputTensor, labels: nil, range: plugin.pixelRange)
            network.forward(batch: 1, mode: .inspection)
            let folder = output ?? checkpointDirectory + "/projections"
            try AtomicFile.makeDirectories(folder)
            try Self.save(network.inputTensor.values(batch: 1), shape: data.shape, to: "\(folder)/input_\(image).png")
            for k in chosen {
                try Self.save(projection.project(layer: layer, feature: k), shape: data.shape, to: "\(folder)/layer\(layer)_feature\(k).png")
            }
            print("wrote \(chosen.count + 1) PNGs to \(folder)")
    }
}

extension Visualize {

    static func save(_ values: [Float], shape: Shape, to path: String) throws(BenchError) {
        var grid = ImageGrid(tileHeight: shape.height, tileWidth: shape.width, channels: shape.channels, columns: 1, scale: 4)
        grid.addNormalized(values)
        try AtomicFile.write(grid.png, to: path)
    }

    static func load(_ plugin: any ModelPlugin.Type, checkpoint: String, shape: Shape,
                     classes: Int) throws(BenchError) -> (Network, FeatureProjection) {
        let network: Network
        do { network = try plugin.build(input: shape, classes: classes) } catch {
            throw .usage("--model \(plugin.name) cannot take \(shape) images: \(error)")
        }
        network.plan(capacity: 1, threads: 1)
        _ = try Checkpoint.load(checkpoint, into: network, optimizer: nil)
        do { return (network, try FeatureProjection(classifier: network)) } catch {
            throw .usage("--model \(plugin.name): \(error)")
        }
    }
}

Visualize.main()
