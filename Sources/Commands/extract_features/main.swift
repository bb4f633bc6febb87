import ArgumentParser
import CLI
import Foundation
import Training

/// `extract_features --model M --checkpoint_dir DIR --dataset D [--split S] [--layer NAME] --output FILE`:
/// one layer's output for every image of a split, as `.npy`, `.safetensors` or `.csv`.
struct ExtractFeatures: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract_features",
        abstract: "Write a layer's output for every image of a dataset split (.npy, .safetensors or .csv).")

    @OptionGroup var source: ModelDataFlags<AllModels>

    @OptionGroup var checkpoint: CheckpointFlags

    @Option(name: .customLong("split"), help: "The split to read.")
    var split = SplitChoice.test

    @Option(name: .customLong("layer"), help: "The layer's name in the model file (default: the model's features).")
    var layer: String?

    @Option(name: .customLong("output"), help: "The file to write: .npy, .safetensors or .csv.")
    var output: String

    @Option(name: .customLong("batch_size"), help: "Images per forward pass.")
    var batchSize = 256

    @OptionGroup var common: CommonFlags

    func validate() throws {
        guard batchSize > 0, batchSize <= 65_536 else {
            throw ValidationError("--batch_size: \(batchSize) must be between 1 and 65536")
        }
        do { _ = try FeatureFile(path: output) } catch { throw ValidationError(error.description) }
    }

    func execute() throws(BenchError) {
        let plugin = source.modelPlugin
        let format = try FeatureFile(path: output)
        let file = try checkpoint.file()
        let data = try source.load(savedRun: checkpoint.savedRun())
        let images = split.images(of: data)
        let name = layer ?? plugin.featureLayer
        let network = try ModelLoader(plugin, input: images.shape, classes: data.classNames.count)
            .loaded(
                checkpoint: file, capacity: min(batchSize, max(images.count, 1)), threads: common.threads,
                training: false)
        let node = try LayerFeatures.node(named: name, in: network, model: plugin.name)
        let start = Date()
        let features = LayerFeatures(
            layer: name, node: node, network: network, images: images, range: plugin.pixelRange)
        let seconds = -start.timeIntervalSinceNow
        try AtomicFile.write(format.encode(features), to: output)
        if !common.quiet {
            Console().line(
                "\(output): \(images.count) x \(features.dimensions.map(String.init).joined(separator: "x")) "
                    + "from \(name) in \(String(format: "%.2f", seconds)) s")
        }
    }
}

ExtractFeatures.main()
