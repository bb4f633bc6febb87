import DataIO
import Engine
import Foundation
import Inputs
import Models
import Plugins
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// `--checkpoint_path`, `--exclude_scopes` and `--trainable_scopes` end to end, in process, on
/// 16x16 images (StandardCNN and LasagneCAE both take them): weights start from another run's,
/// frozen ones never move, and a classifier trained on real Fashion-MNIST images moves to a
/// dataset with other classes.
@Suite(.serialized) struct FineTuningTests {
    typealias Workspace = CommandTests.Workspace
    static let run = "StandardCNN/MNIST_Adam_lr=0.01"

    static func tensors(_ path: String) throws -> SafeTensors.File {
        try SafeTensors.decode(try FileBytes.read(path), path: path)
    }

    /// A StandardCNN trained for an epoch on the workspace's MNIST files, the run folder returned.
    static func source(_ w: Workspace) throws -> String {
        try w.train(["--epochs", "1", "--comment", "source"], model: "StandardCNN", Classifiers.self)
        return w.log + "/" + run + "_source"
    }

    /// How a classifier's training stopped, if it did not finish: message and exit code.
    static func failure(_ arguments: [String]) -> (message: String, exitCode: Int32)? {
        typealias Flags = TrainingFlags<Classifiers>
        let flags: Flags
        do { flags = try Flags.parse(arguments) } catch {
            return (Flags.message(for: error), Flags.exitCode(for: error).rawValue)
        }
        do { try flags.train() } catch { return (error.description, error.exitCode) }
        return nil
    }

    @Test func frozenWeightsStayBitIdenticalAndTheRestTrain() throws {
        let w = Workspace(rows: 16, train: 48)
        try w.train(["--epochs", "2", "--trainable_scopes", "dense,logits"], model: "StandardCNN", Classifiers.self)
        let folder = w.log + "/" + Self.run
        let saved = try Self.tensors(folder + "/" + Checkpoint.fileName).tensors
        let flags = try FlagsFile.read(folder + "/flags.json").flags
        #expect(flags.trainableScopes?.flagValue == "dense,logits")
        #expect(try String(contentsOfFile: folder + "/flags.json", encoding: .utf8).contains(#""trainable_scopes""#))
        let initial = try ModelLoader(StandardCNN.self, input: Shape(1, 16, 16), classes: 10)
            .initialized(seed: flags.seed, capacity: 1, threads: 1)
        for p in initial.parameters {
            let trained = try #require(saved[p.name]).values
            if p.name.hasPrefix("conv") {
                #expect(trained == p.values, "\(p.name) is frozen but moved")
            } else {
                #expect(trained != p.values, "\(p.name) is trainable but did not move")
            }
        }
        // Frozen parameters have no optimizer slots at all, so nothing can move them.
        let slots = saved.keys.filter { $0.hasPrefix("optimizer/") }.sorted()
        #expect(
            slots
                == ["dense/W", "dense/b", "logits/W", "logits/b"].flatMap {
                    ["optimizer/\($0)/m", "optimizer/\($0)/v"]
                })
    }

    @Test func checkpointPathLoadsTheWeightsButNotTheStepNorTheOptimizer() throws {
        let w = Workspace(rows: 16, train: 48)
        let source = try Self.source(w)
        let best = try Self.tensors(source + "/best/" + Checkpoint.fileName)
        let flags = try TrainingFlags<Classifiers>.parse(
            ["--model", "StandardCNN"] + w.arguments + ["--epochs", "1", "--checkpoint_path", source + "/best"])
        let trainer = try Trainer(
            configuration: try flags.configuration(), model: StandardCNN.self, data: try flags.source.load())
        try trainer.startFromSourceWeights(restart: false)
        for p in trainer.network.parameters { #expect(p.values == best.tensors[p.name]?.values, "\(p.name)") }
        #expect(trainer.optimizer.step == 0)
        #expect(trainer.optimizer.state.values.allSatisfy { $0.allSatisfy { $0 == 0 } })

        _ = try trainer.run(restart: false, observers: [])
        // 44 training images in batches of 16: the source took 3 steps, and so does this run.
        let tuned = try Self.tensors(w.log + "/" + Self.run + "/" + Checkpoint.fileName).metadata
        #expect(best.metadata["step"] == "3" && tuned["step"] == "3" && tuned["optimizer_step"] == "3")
        let saved = try FlagsFile.read(w.log + "/" + Self.run + "/flags.json").flags
        #expect(saved.checkpointPath == source + "/best")
        // Written only when given: a run without it keeps the file that older benches resume.
        #expect(!(try String(contentsOfFile: source + "/flags.json", encoding: .utf8)).contains("checkpoint_path"))

        // The same run folder with another source refuses, naming the flag.
        let other = try #require(
            Self.failure(["--model", "StandardCNN"] + w.arguments + ["--epochs", "1", "--checkpoint_path", source]))
        #expect(other.exitCode == 64 && other.message.contains("--checkpoint_path"), "\(other)")
    }

    /// Three classes of 16x16 grey images, told apart by which half is bright (left, right,
    /// top), with noise: `perClass` training and a third as many test images per class.
    static func writeHalves(into folder: String, perClass: Int) throws {
        var generator = RandomGenerator(seed: 11)
        for (split, count) in [("train", perClass), ("test", perClass / 3)] {
            for (label, name) in ["left", "right", "top"].enumerated() {
                let directory = "\(folder)/\(split)/\(name)"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for i in 0..<count {
                    let pixels = (0..<256).map { k -> UInt8 in
                        let (y, x) = (k / 16, k % 16)
                        let bright = [x < 8, x >= 8, y < 8][label]
                        return UInt8((bright ? 150 : 0) + Int(generator.next() % 100))
                    }
                    let png = PNGEncoder.encode(DecodedImage(width: 16, height: 16, channels: 1, planes: pixels))
                    _ = FileManager.default.createFile(atPath: "\(directory)/\(i).png", contents: Data(png))
                }
            }
        }
    }

    /// The first `train` and `test` images of the real Fashion-MNIST (Debian's
    /// dataset-fashion-mnist), written as its idx files in `folder`: a source small enough to
    /// train in a debug build.
    static func writeFashionMNISTSubset(into folder: String, train: Int, test: Int) throws {
        let data = try FashionMNIST.load(DatasetOptions())
        for (prefix, images) in [("train", data.train.subset(0..<train)), ("t10k", data.test.subset(0..<test))] {
            let pixels = (0..<images.count).flatMap { images.bytes(of: $0) }
            let dimensions = [images.count, images.shape.height, images.shape.width]
            for (name, bytes) in [
                ("images-idx3-ubyte", DatasetFiles.idx(dimensions: dimensions, payload: pixels)),
                (
                    "labels-idx1-ubyte",
                    DatasetFiles.idx(dimensions: [images.count], payload: images.labels.map(UInt8.init))
                ),
            ] {
                try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(prefix)-\(name)"))
            }
        }
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory),
            "Fashion-MNIST is not installed (scripts/setup.sh installs it)"))
    func aFashionMNISTClassifierMovedToOtherClassesWithItsLogitsExcludedLearnsThem() throws {
        let w = Workspace()
        let fashion = w.data.path("fashion")
        try FileManager.default.createDirectory(atPath: fashion, withIntermediateDirectories: true)
        try Self.writeFashionMNISTSubset(into: fashion, train: 600, test: 100)
        let common = [
            "--model", "StandardCNN", "--log_dir", w.log, "--optimizer", "AdamOptimizer", "--batch_size", "16",
            "--threads", "2", "--quiet",
        ]
        try TrainingFlags<Classifiers>.parse(
            common + [
                "--dataset", "FashionMNIST", "--data_dir", fashion, "--optimizer_args", #"{"learning_rate": 0.001}"#,
                "--epochs", "2", "--validate_on_train",
            ]
        ).train()
        let source = w.log + "/StandardCNN/FashionMNIST_Adam_lr=0.001"
        let folder = w.data.path("halves")
        try Self.writeHalves(into: folder, perClass: 36)
        // The 16 x 16 pictures resized to Fashion-MNIST's 28 x 28, so every layer but the logits fits.
        let arguments =
            common + [
                "--dataset", "ImageFolder", "--data_dir", folder, "--image_size", "28", "--optimizer_args",
                #"{"learning_rate": 0.001}"#, "--epochs", "4", "--checkpoint_path", source,
            ]
        let mismatch = try #require(Self.failure(arguments), "loaded 10 classes' logits into 3")
        #expect(mismatch.exitCode == 65)
        #expect(
            mismatch.message == source + "/checkpoint.safetensors: tensor logits/W has shape [10, 256] in this "
                + "checkpoint of StandardCNN, [3, 256] in this model; leave it initialised with --exclude_scopes")
        #expect(!FileManager.default.fileExists(atPath: w.log + "/StandardCNN/ImageFolder_Adam_lr=0.001"))

        try TrainingFlags<Classifiers>.parse(arguments + ["--exclude_scopes", "logits"]).train()
        let results = try String(contentsOfFile: w.log + "/test_results.txt", encoding: .utf8).split(separator: "\n")
        let accuracy = { (run: String) throws -> Double in
            let line = try #require(results.last { $0.contains(run) })
            return try #require(Double(line.split(separator: " ").last!))
        }
        let (fashionAccuracy, moved) = (try accuracy("FashionMNIST_Adam"), try accuracy("ImageFolder_Adam"))
        print(
            "source: 600 Fashion-MNIST images, test accuracy \(fashionAccuracy) on 100 (10 classes); fine-tuned "
                + "with --exclude_scopes logits: test accuracy \(moved) on 3 classes")
        #expect(fashionAccuracy >= 0.5, "chance is 1/10")
        #expect(moved >= 0.8, "chance is 1/3")
    }

    /// LasagneCAE's encoder (conv1, conv2) has StandardCNN's names and shapes: it starts the
    /// classifier, whose dense layers have no counterpart and stay freshly initialised.
    @Test func anAutoencodersEncoderStartsAClassifier() throws {
        let w = Workspace(rows: 16, train: 48)
        try w.train(["--epochs", "1"], model: "LasagneCAE")
        let encoder = w.log + "/LasagneCAE/MNIST_Adam_lr=0.01"
        let base = ["--model", "StandardCNN"] + w.arguments + ["--epochs", "1", "--checkpoint_path", encoder]
        let missing = try #require(Self.failure(base), "loaded an autoencoder into a classifier whole")
        #expect(missing.exitCode == 65)
        #expect(
            missing.message == encoder + "/checkpoint.safetensors: this checkpoint of LasagneCAE has no tensor "
                + "dense/W; leave it initialised with --exclude_scopes")

        try TrainingFlags<Classifiers>.parse(
            base + ["--exclude_scopes", "dense,logits", "--trainable_scopes", "dense,logits"]
        )
        .train()
        let cae = try Self.tensors(encoder + "/" + Checkpoint.fileName).tensors
        let cnn = try Self.tensors(w.log + "/" + Self.run + "/" + Checkpoint.fileName).tensors
        for name in ["conv1/W", "conv1/b", "conv2/W", "conv2/b"] {
            #expect(cnn[name]?.values == cae[name]?.values, "\(name)")
        }
    }

    /// Flags added to a StandardCNN run, the exit code, the message (SOURCE: the source run
    /// folder; LOG: the log root, where a SingleLayerCAE run was trained too).
    static let badInputs: [([String], Int32, String)] = [
        (
            ["--trainable_scopes", "conv9"], 64,
            "--trainable_scopes: 'conv9' is the start of no parameter's name; this model's layers are "
                + "conv1, conv2, dense, logits"
        ),
        (
            ["--checkpoint_path", "SOURCE", "--exclude_scopes", "logits,fc"], 64,
            "--exclude_scopes: 'fc' is the start of no parameter's name; this model's layers are "
                + "conv1, conv2, dense, logits"
        ),
        (
            ["--exclude_scopes", "logits"], 64,
            "--exclude_scopes: needs --checkpoint_path, whose weights it leaves out"
        ),
        (
            ["--trainable_scopes", "dense,"], 64,
            "The value 'dense,' is invalid for '--trainable_scopes <trainable_scopes>': "
                + "'dense,' must be a comma list of parameter name prefixes, none empty"
        ),
        (
            ["--checkpoint_path", "SOURCE/nowhere"], 66,
            "SOURCE/nowhere/checkpoint.safetensors: no checkpoint here; pass a run folder or its best/"
        ),
        (
            ["--checkpoint_path", "LOG/SingleLayerCAE/MNIST_Adam_lr=0.01"], 65,
            "LOG/SingleLayerCAE/MNIST_Adam_lr=0.01/checkpoint.safetensors: this checkpoint of SingleLayerCAE "
                + "has no tensor conv1/W; leave it initialised with --exclude_scopes"
        ),
    ]

    @Test(arguments: badInputs)
    func badFineTuningInputIsOneLineAndLeavesNoRunFolder(_ extra: [String], _ code: Int32, _ message: String) throws {
        let w = Workspace(rows: 16, train: 48)
        let flags = extra.joined(separator: " ")
        let source = flags.contains("SOURCE") ? try Self.source(w) : ""
        if flags.contains("LOG") { try w.train(["--epochs", "1"]) }
        func placed(_ s: String) -> String {
            s.replacingOccurrences(of: "SOURCE", with: source).replacingOccurrences(of: "LOG", with: w.log)
        }
        let error = try #require(
            Self.failure(["--model", "StandardCNN"] + w.arguments + ["--epochs", "1"] + extra.map(placed)),
            "accepted \(extra)")
        #expect(error.exitCode == code)
        #expect(error.message == placed(message), "\(error.message)")
        #expect(!error.message.contains("\n"))
        #expect(!FileManager.default.fileExists(atPath: w.log + "/" + Self.run), "a refused run left its folder")
    }
}
