import ArgumentParser
import CLI
import DataIO
import Engine
import Foundation
import Reporting
import Training

/// `visualize --model CifarCNN --dataset Cifar10 --checkpoint_dir DIR --layer 2`: one PNG per
/// chosen feature, projected back to pixels as seed 003 does, beside the input image.
struct Visualize: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "visualize",
        abstract: "Project a trained classifier's convolution features back to pixel space, one PNG per feature.")

    @OptionGroup var source: ModelDataFlags<Classifiers>

    @OptionGroup var checkpoint: CheckpointFlags

    @Option(name: .customLong("layer"), help: "The convolution to project: 1 or 2.")
    var layer = 1

    @Option(name: .customLong("features"), help: "Comma-separated feature (channel) numbers (default: the first 8).")
    var features: String?

    @Option(name: .customLong("image"), help: "Which test image to project.")
    var image = 0

    @Option(name: .customLong("output"), help: "Folder for the PNGs (default: <checkpoint_dir>/projections).")
    var output: String?

    @OptionGroup var common: CommonFlags

    func validate() throws {
        guard layer == 1 || layer == 2 else { throw ValidationError("--layer: \(layer) must be 1 or 2") }
        guard image >= 0 else { throw ValidationError("--image: \(image) must be at least 0") }
    }

    func execute() throws(BenchError) {
        let plugin = source.modelPlugin
        let path = try checkpoint.file()
        let data = try source.load(savedRun: checkpoint.savedRun())
        guard image < data.test.count else { throw .usage("--image: \(image) is outside 0..<\(data.test.count)") }
        let network = try ModelLoader(plugin, input: data.shape, classes: data.classNames.count)
            .loaded(checkpoint: path, capacity: 1, threads: common.threads, training: true)
        let projection: FeatureProjection
        do { projection = try FeatureProjection(classifier: network) } catch {
            throw .usage("--model \(plugin.name): \(error)")
        }
        let channels = projection.convolutions[layer - 1].outputChannels
        let chosen = try chosenFeatures(of: channels)
        _ = Batcher(data.test.subset(image..<(image + 1)), batchSize: 1)
            .fill(batch: 0, into: network.inputTensor, labels: nil, range: plugin.pixelRange)
        network.forward(batch: 1, mode: .inspection)
        let folder = output ?? checkpoint.directory + "/projections"
        try AtomicFile.makeDirectories(folder)
        try Self.save(network.inputTensor.values(batch: 1), shape: data.shape, to: "\(folder)/input_\(image).png")
        for k in chosen {
            try Self.save(
                projection.project(layer: layer, feature: k), shape: data.shape,
                to: "\(folder)/layer\(layer)_feature\(k).png")
        }
        Console(quiet: common.quiet).line("wrote \(chosen.count + 1) PNGs to \(folder)")
    }

    /// `--features` as channel numbers below `channels`; the first 8 without it.
    func chosenFeatures(of channels: Int) throws(BenchError) -> [Int] {
        guard let features else { return Array(0..<min(8, channels)) }
        let chosen = features.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) ?? -1 }
        guard !chosen.isEmpty, chosen.allSatisfy({ $0 >= 0 && $0 < channels }) else {
            throw .usage("--features: '\(features)' must list channels in 0..<\(channels)")
        }
        return chosen
    }

    static func save(_ values: [Float], shape: Shape, to path: String) throws(BenchError) {
        var grid = ImageGrid(
            tileHeight: shape.height, tileWidth: shape.width, channels: shape.channels, columns: 1,
            scale: 4)
        grid.addNormalized(values)
        try AtomicFile.write(grid.png, to: path)
    }
}

Visualize.main()
