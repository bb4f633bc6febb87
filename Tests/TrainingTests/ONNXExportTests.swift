import DataIO
import Engine
import Foundation
import Models
import ONNXExport
import Plugins
import Protobufs
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// `export --format onnx` for every model: ONNX's checker accepts each file and onnxruntime, run
/// on the PNG files `predict` read, gives predict's probabilities or reconstruction errors (and
/// extract_features' reconstructions) within 1e-4; tied weights are one initializer.
@Suite(.serialized) struct ONNXExportTests {
    /// A models' data: 16 x 16 grey digits for the MNIST models, CIFAR-10's 32 x 32 colour images.
    final class Workspace {
        let data = DatasetFiles()
        var log: String { data.directory + "/log" }
        init() {
            data.writeIdxDataset(train: 48, test: 12, rows: 16, cols: 16, gzip: false)
            data.writeCifar(perBatch: 8)
        }
        deinit { data.remove() }

        static func dataset(of model: any ModelPlugin.Type) -> String {
            model.naturalInput.channels == 3 ? "Cifar10" : "MNIST"
        }

        /// DTB's VGG takes minutes to train in a debug build: its run folder holds its seeded
        /// initial weights instead, and it predicts two images.
        static func heavy(_ model: any ModelPlugin.Type) -> Bool { model.name.hasPrefix("VGG") }

        /// Trains `model` for one epoch (or, if heavy, saves its initial weights as a run would) and
        /// returns its run folder.
        func train(_ model: any ModelPlugin.Type) throws -> String {
            let dataset = Self.dataset(of: model)
            let arguments = [
                "--model", model.name, "--dataset", dataset, "--data_dir", data.directory, "--log_dir", log,
                "--optimizer", "AdamOptimizer", "--optimizer_args", #"{"learning_rate": 0.01}"#, "--batch_size", "8",
                "--epochs", "1", "--threads", "2", "--quiet",
            ]
            let run = "\(log)/\(model.name)/\(dataset)_Adam_lr=0.01"
            switch model.kind {
            case .classifier where Self.heavy(model):
                let flags = try TrainingFlags<Classifiers>.parse(arguments).configuration()
                let network = try ModelLoader(model, input: model.naturalInput, classes: 10)
                    .initialized(seed: flags.seed, capacity: 1, threads: 1)
                try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
                try FlagsFile(command: "train_classifier", flags: flags, provenance: Provenance(threads: 2))
                    .write(to: run + "/flags.json")
                try Checkpoint(model: model.name).save(network, optimizer: nil, to: run + "/" + Checkpoint.fileName)
            case .classifier: try TrainingFlags<Classifiers>.parse(arguments).train()
            case .autoencoder: try TrainingFlags<Autoencoders>.parse(arguments).train()
            }
            return run
        }

        /// The test split as PNG files, `<label>_<name>/<index>.png`.
        func pictures(_ dataset: String) throws -> String {
            let folder = data.path("png-" + dataset)
            if !FileManager.default.fileExists(atPath: folder) {
                let exported = try BuiltCommand.run(
                    "export_dataset",
                    ["--dataset", dataset, "--data_dir", data.directory, "--format", "png", "--output", folder])
                #expect(exported.status == 0, "\(exported.err)")
            }
            return folder + "/test"
        }

        /// The first two of the test split's PNG files, alone in a folder.
        func twoPictures(_ dataset: String) throws -> String {
            let folder = data.path("two-" + dataset)
            if !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let all = try ImagePaths.expand([try pictures(dataset)])
                for path in all.prefix(2) {
                    let name = URL(fileURLWithPath: path).lastPathComponent
                    try FileManager.default.copyItem(atPath: path, toPath: folder + "/" + name)
                }
            }
            return folder
        }
    }

    static func export(_ model: String, _ run: String, _ output: String) throws -> (status: Int32, err: String) {
        let result = try BuiltCommand.run(
            "export", ["--model", model, "--checkpoint_dir", run, "--format", "onnx", "--output", output, "--quiet"])
        return (result.status, result.err)
    }

    @Test(.enabled(if: RepositoryScript.pythonInstalled, "python3 is not installed"), .timeLimit(.minutes(15)))
    func everyModelRunsInONNXRuntimeAsPredictRunsIt() throws {
        let w = Workspace()
        var cases: [[String: Any]] = []
        for model in Models.all {
            let run = try w.train(model)
            let dataset = Workspace.dataset(of: model)
            let pictures = try Workspace.heavy(model) ? w.twoPictures(dataset) : w.pictures(dataset)
            let onnx = w.data.path(model.name + ".onnx"), predictions = w.data.path(model.name + ".csv")
            let exported = try Self.export(model.name, run, onnx)
            #expect(exported.status == 0, "\(exported.err)")
            let predicted = try BuiltCommand.run(
                "predict", ["--model", model.name, "--checkpoint_dir", run, "--output", predictions, pictures])
            #expect(predicted.status == 0, "\(predicted.err)")
            var entry: [String: Any] = ["model": model.name, "onnx": onnx, "predictions": predictions]
            if model.kind == .autoencoder {
                let last = try model.build(input: Shape(1, 16, 16), classes: 10).layers.last!.name
                let reconstructions = w.data.path(model.name + ".npy")
                let extracted = try BuiltCommand.run(
                    "extract_features",
                    [
                        "--model", model.name, "--checkpoint_dir", run, "--dataset", "MNIST", "--data_dir",
                        w.data.directory, "--layer", last, "--output", reconstructions, "--quiet",
                    ])
                #expect(extracted.status == 0, "\(extracted.err)")
                entry["reconstructions"] = reconstructions
            }
            entry["tied"] = model == LasagneCAE.self
            cases.append(entry)
        }
        let casesFile = w.data.path("cases.json")
        try JSONSerialization.data(withJSONObject: cases).write(to: URL(fileURLWithPath: casesFile))

        let (status, output) = try RepositoryScript.run("check_onnx_exports.sh", [casesFile])
        print(output)
        #expect(status == 0, "\(output)")
        for model in Models.all {
            let images = Workspace.heavy(model) ? 2 : model.naturalInput.channels == 3 ? 8 : 12
            #expect(output.contains("\(model.name): checker passed, \(images) images"), "\(output)")
        }
        #expect(output.contains("LasagneCAE: tied initializers conv1/W, conv2/W"), "\(output)")
    }

    /// The file itself, read back with swift-protobuf: each parameter once, the tied ones read by
    /// both nodes, the input and output named and shaped as the issue asks.
    @Test func lasagneCAEStoresItsTiedWeightsOnce() throws {
        let w = Workspace()
        let run = try w.train(LasagneCAE.self)
        let onnx = w.data.path("model.onnx")
        #expect(try Self.export("LasagneCAE", run, onnx).status == 0)
        let model = try Onnx_ModelProto(serializedBytes: [UInt8](FileManager.default.contents(atPath: onnx)!))
        #expect(model.opsetImport.map(\.version) == [ONNXModel.opset])
        let graph = model.graph
        let parameters = try LasagneCAE.build(input: Shape(1, 16, 16), classes: 10).parameters.map(\.name)
        #expect(graph.initializer.map(\.name).filter { $0.hasSuffix("/W") || $0.hasSuffix("/b") } == parameters)
        let readers = graph.node.filter { $0.input.contains("conv1/W") }.map(\.opType)
        #expect(readers == ["Conv", "ConvTranspose"])
        #expect(graph.input.map(\.name) == ["input"] && graph.output.map(\.name) == ["output"])
        let dimensions = graph.input[0].type.tensorType.shape.dim
        #expect(dimensions.first?.dimParam == "N" && dimensions.dropFirst().map(\.dimValue) == [1, 16, 16])
        let metadata = Dictionary(uniqueKeysWithValues: model.metadataProps.map { ($0.key, $0.value) })
        #expect(metadata["pixel_range"] == "[0,1]" && metadata["kind"] == "autoencoder")
        #expect(!graph.node.contains { $0.opType == "Dropout" })
        #expect(graph.node.filter { $0.opType == "Resize" }.count == 2)
    }

    @Test func badInputStopsWithOneLineAndWritesNothing() throws {
        let w = Workspace()
        let run = try w.train(StandardCNN.self)
        let onnx = w.data.path("model.onnx")
        let cases: [([String], Int32, String)] = [
            (["--model", "StandardCNN", "--checkpoint_dir", w.data.path("nowhere")], 66, "nowhere"),
            (["--model", "ModifiedCNN", "--checkpoint_dir", run], 65, "checkpoint"),
            (["--model", "StandardCNN", "--checkpoint_dir", run, "--format", "tflite"], 64, "--format"),
            (["--model", "Unknown", "--checkpoint_dir", run], 64, "--model"),
        ]
        for (arguments, code, named) in cases {
            let result = try BuiltCommand.run("export", arguments + ["--output", onnx])
            #expect(result.status == code, "\(arguments): \(result.err)")
            #expect(result.err.split(separator: "\n").count == 1 && result.err.contains(named), "\(result.err)")
            #expect(!FileManager.default.fileExists(atPath: onnx))
        }
        let wrongName = try BuiltCommand.run(
            "export", ["--model", "StandardCNN", "--checkpoint_dir", run, "--output", w.data.path("model.pb")])
        #expect(wrongName.status == 64 && wrongName.err.contains("--output"), "\(wrongName.err)")
    }
}
