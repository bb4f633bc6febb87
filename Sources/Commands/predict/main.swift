import ArgumentParser
import CLI
import DataIO
import Foundation
import Plugins
import Training

/// `predict --model M --checkpoint_dir DIR [--output FILE.csv] [--reconstructions DIR] INPUT...`:
/// a trained model's answer for each image file (folders: the images under them, sorted) or
/// each image of a dataset split, as CSV.
struct Predict: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify or reconstruct image files, folders of them, or a dataset split, as CSV.")

    @Option(name: .customLong("model"), help: "The model.")
    var model: ModelChoice<AllModels>

    @OptionGroup var checkpoint: CheckpointFlags

    @Option(name: .customLong("dataset"), help: "Predict a dataset split instead of image files.")
    var dataset: DatasetChoice?

    @Option(name: .customLong("data_dir"), help: "Folder of the dataset's files (default: the dataset's own).")
    var dataDirectory: String?

    @Option(name: .customLong("split"), help: "The dataset's split to predict.")
    var split = SplitChoice.test

    @Option(name: .customLong("output"), help: "The CSV file to write (default: standard output).")
    var output: String?

    @Option(
        name: .customLong("reconstructions"),
        help: "Autoencoders: a folder for each input beside its reconstruction, <row>_<basename>.png.")
    var reconstructions: String?

    @Option(name: .customLong("batch_size"), help: "Images per forward pass.")
    var batchSize = 128

    @OptionGroup var image: ImageFlags

    @OptionGroup var common: CommonFlags

    @Argument(help: "Image files (.png, .jpg, .jpeg) or folders of them.")
    var inputs: [String] = []

    func validate() throws {
        guard batchSize > 0, batchSize <= 65_536 else {
            throw ValidationError("--batch_size: \(batchSize) must be between 1 and 65536")
        }
        guard inputs.isEmpty != (dataset == nil) else {
            throw ValidationError("give image files or folders, or --dataset, but not both")
        }
        if dataDirectory != nil && dataset == nil { throw ValidationError("--data_dir needs --dataset") }
        if reconstructions != nil && model.plugin.kind != .autoencoder {
            throw ValidationError("--reconstructions: \(model.plugin.name) is a classifier, not an autoencoder")
        }
    }

    func execute() throws(BenchError) {
        let plugin = model.plugin
        let file = try checkpoint.file()
        let run = try checkpoint.savedRun()
        let (images, files, basenames, classNames) = try dataset == nil ? imageFiles(run) : datasetImages(run)
        if plugin.kind == .classifier && classNames.count < 2 {
            throw .usage("\(checkpoint.directory): the run names no classes for \(plugin.name) to tell apart")
        }
        let network = try ModelLoader(plugin, input: images.shape, classes: classNames.count)
            .loaded(
                checkpoint: file, capacity: max(1, min(batchSize, images.count)), threads: common.threads,
                training: false)
        let predictions = Predictions(
            network: network, images: images, model: plugin, keepReconstructions: reconstructions != nil)
        if let reconstructions {
            try AtomicFile.makeDirectories(reconstructions)
            let size = images.shape.count
            for (row, name) in basenames.enumerated() {
                let picture = ReconstructionPicture.png(
                    input: images.bytes(of: row),
                    reconstruction: predictions.reconstructions[(row * size)..<((row + 1) * size)],
                    shape: images.shape, range: plugin.pixelRange)
                try AtomicFile.write(picture, to: "\(reconstructions)/\(row)_\(name).png")
            }
        }
        let csv = predictions.csv(files: files, names: classNames)
        if let output {
            try AtomicFile.write(csv, to: output)
        } else {
            FileHandle.standardOutput.write(Data(csv.utf8))
        }
    }

    /// The image files, decoded and brought to the model's input as the run's flags say.
    private func imageFiles(_ run: SavedRun) throws(BenchError)
        -> (ImageSet, [String], [String], [String])
    {
        let trained = try TrainedInput(run, checkpointDirectory: checkpoint.directory, kind: model.plugin.kind)
        let paths: [String]
        let pixels: [UInt8]
        do {
            paths = try ImagePaths.expand(inputs)
            let decoder = ImageFileDecoder(
                shape: trained.shape,
                options: ImageOptions(
                    size: image.size ?? run.configuration?.imageSize, channels: trained.shape.channels,
                    maxPixels: image.maxPixels),
                reference: "\(model.plugin.name)'s input")
            pixels = try decoder.decode(paths)
        } catch {
            throw .file(error)
        }
        let images = ImageSet(
            shape: trained.shape, pixels: pixels, labels: [Int32](repeating: 0, count: paths.count))
        let basenames = paths.map { path in
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
        }
        return (images, paths, basenames, trained.classNames)
    }

    /// A dataset's split, read as training read it where the flags are silent.
    private func datasetImages(_ run: SavedRun) throws(BenchError) -> (ImageSet, [String], [String], [String]) {
        guard let dataset else { preconditionFailure("validate() requires --dataset without image files") }
        let flags = run.configuration
        let options = DatasetOptions(
            directory: dataDirectory, seed: flags?.seed ?? 42,
            validateOnTrainingSplit: flags?.validateOnTrainingSplit ?? false,
            image: image.options(saved: run.imageOptions), classNames: run.classNames,
            layout: image.layout ?? flags?.layout, labelMode: flags?.labelMode)
        let data: DatasetSplits
        do { data = try dataset.plugin.load(options) } catch { throw .file(error) }
        let images = split.images(of: data)
        let files = (0..<images.count).map { "\(data.name):\(split.rawValue):\($0)" }
        let basenames = (0..<images.count).map { "\(data.name)_\(split.rawValue)_\($0)" }
        return (images, files, basenames, run.classNames ?? data.classNames)
    }
}

Predict.main()
