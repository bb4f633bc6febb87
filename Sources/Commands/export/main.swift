import ArgumentParser
import CLI
import ONNXExport
import Training

/// `export --model M --checkpoint_dir DIR --format onnx --output FILE.onnx`: a trained model as a
/// file that other tools run.
struct Export: BenchCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trained model as an ONNX file (input: N x C x H x W in the model's pixel range).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case onnx
    }

    @Option(name: .customLong("model"), help: "The model.")
    var model: ModelChoice<AllModels>

    @OptionGroup var checkpoint: CheckpointFlags

    @Option(name: .customLong("format"), help: "The file format.")
    var format = Format.onnx

    @Option(name: .customLong("output"), help: "The file to write.")
    var output: String

    @OptionGroup var common: CommonFlags

    func validate() throws {
        guard output.hasSuffix(".onnx") else { throw ValidationError("--output: \(output) must end in .onnx") }
    }

    func execute() throws(BenchError) {
        let plugin = model.plugin
        let file = try checkpoint.file()
        let trained = try TrainedInput(
            checkpoint.savedRun(), checkpointDirectory: checkpoint.directory, kind: plugin.kind)
        let network = try ModelLoader(plugin, input: trained.shape, classes: trained.classNames.count)
            .loaded(checkpoint: file, capacity: 1, threads: 1, training: false)
        let bytes: [UInt8]
        do {
            bytes = try ONNXModel.build(network, model: plugin, classNames: trained.classNames).serializedBytes()
        } catch let error as ONNXExportError {
            throw .usage(error.description)
        } catch {
            throw .cannotWrite(output, "\(error)")
        }
        try AtomicFile.write(bytes, to: output)
        if !common.quiet {
            Console().line("\(output): \(plugin.name) as ONNX (opset \(ONNXModel.opset)), \(bytes.count) bytes")
        }
    }
}

Export.main()
