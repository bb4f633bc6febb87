import ArgumentParser
import CLI
import DataIO
import Engine
import Foundation
import Inputs
import Models
import Training

/// `visualize --model CifarCNN --dataset Cifar10 --checkpoint_dir DIR --layer 2`: one PNG per
/// chosen feature, projected back to pixels as seed 003 does, beside the input image.
struct Visualize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visualize",
        abstract: "Project a trained classifier's convolution features back to pixel space, one PNG per feature.")

    @Option(name: .customLong("model"), help: "A classifier with two convolutions (StandardCNN, CifarCNN, ModifiedCNN).")
    var model: String

    @Option(name: .customLong("dataset"), help: "The dataset, one of: \(Datasets.names.joined(separator: ", ")).")
    var dataset: String

    @Option(name: .customLong("data_dir"), help: "Folder of the dataset's files (default: the dataset's own).")
    var dataDirectory: String?

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
            guard let plugin = Models.named(model), plugin.kind == .classifier else {
                throw .usage("--model: '\(model)' is not a classifier; one of \(Models.all.filter { $0.kind == .classifier }.map { $0.name }.joined(separator: ", "))")
            }
            guard let source = Datasets.named(dataset) else {
                throw .usage("--dataset: unknown dataset '\(dataset)'; one of \(Datasets.names.joined(separator: ", "))")
            }
            guard layer == 1 || layer == 2 else { throw .usage("--layer: \(layer) must be 1 or 2") }
            let path = checkpointDirectory + "/" + Checkpoint.fileName
            guard FileBytes.exists(path) else { throw .file(.missing(path, "no checkpoint here; pass a run folder or its best/")) }
            let data = try Self.load(source, directory: dataDirectory)
            guard image >= 0, image < data.test.count else { throw .usage("--image: \(image) is outside 0..<\(data.test.count)") }
            let loaded = try Self.load(plugin, checkpoint: path, shape: data.shape, classes: data.classNames.count)
            let network = loaded.0, projection = loaded.1
            let channels = projection.convolutions[layer - 1].outputChannels
            let chosen = features.map { $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
                ?? Array(0..<min(8, channels))
            guard !chosen.isEmpty, chosen.allSatisfy({ $0 >= 0 && $0 < channels }) else {
                throw .usage("--features: '\(features ?? "")' must list channels in 0..<\(channels)")
            }
            _ = Batcher(data.test.subset(image..<(image + 1)), batchSize: 1)
                .fill(batch: 0, into: network.inputTensor, labels: nil, range: plugin.pixelRange)
            network.forward(batch: 1, mode: .evaluation)
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
    static func load(_ source: any DatasetPlugin.Type, directory: String?) throws(BenchError) -> DatasetSplits {
        do { return try source.load(DatasetOptions(directory: directory)) } catch { throw .file(error) }
    }

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
