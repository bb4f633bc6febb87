import DataIO
import Foundation
import Models
import Plugins
import Reporting
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// The training commands end to end, in process: tiny models for an epoch or two on idx files
/// the tests write, then the run folder, CSVs, results lines, resume and every usage error.
@Suite(.serialized) struct CommandTests {
    /// An MNIST-format dataset of 8x8 images (96 training = 88 + 8 validation, 16 test) and a log root.
    final class Workspace {
        let data = DatasetFiles()
        let log: String
        init(rows: Int = 8, train: Int = 96) {
            data.writeIdxDataset(train: train, test: 16, rows: rows, cols: rows, gzip: true)
            log = data.directory + "/log"
        }
        deinit { data.remove() }

        var arguments: [String] {
            [
                "--dataset", "MNIST", "--data_dir", data.directory, "--log_dir", log, "--optimizer", "AdamOptimizer",
                "--optimizer_args", #"{"learning_rate": 0.01}"#, "--batch_size", "16", "--threads", "2", "--quiet",
            ]
        }

        func train<Choices: ModelChoices>(
            _ extra: [String], model: String = "SingleLayerCAE",
            _ choices: Choices.Type = Autoencoders.self
        ) throws {
            try TrainingFlags<Choices>.parse(["--model", model] + arguments + extra).train()
        }

        /// How training stopped, if it did not finish: a usage error of the parser or a BenchError,
        /// with its message and exit code.
        func failure(_ extra: [String], model: String = "SingleLayerCAE") -> (message: String, exitCode: Int32)? {
            typealias Flags = TrainingFlags<Autoencoders>
            let flags: Flags
            do { flags = try Flags.parse(["--model", model] + arguments + extra) } catch {
                return (Flags.message(for: error), Flags.exitCode(for: error).rawValue)
            }
            do { try flags.train() } catch { return (error.description, error.exitCode) }
            return nil
        }

        func lines(_ path: String) -> [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    static let run = "SingleLayerCAE/MNIST_Adam_lr=0.01"

    /// `<YYYY-MM-DD HH:MM:SS> SingleLayerCAE: MNIST_Adam_lr=0.01 <number>`
    static func isResultsLine(_ line: String) -> Bool {
        let parts = line.split(separator: " ")
        guard parts.count == 5, Double(parts[4]) != nil else { return false }
        let date = parts[0].split(separator: "-"), time = parts[1].split(separator: ":")
        return date.count == 3 && date[0].count == 4 && time.count == 3 && parts[2] == "SingleLayerCAE:"
            && parts[3] == "MNIST_Adam_lr=0.01"
    }

    @Test func trainingLeavesDTBsRunFolder() throws {
        let w = Workspace()
        try w.train(["--epochs", "2"])
        let dir = w.log + "/" + Self.run
        for file in [
            "flags.json", "checkpoint.safetensors", "best/checkpoint.safetensors", "train/steps.csv",
            "validation/epochs.csv",
        ] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + file), "\(file)")
        }
        // 88 training images in batches of 16: 6 steps an epoch; a row every 10th step and at
        // each epoch's last.
        let steps = w.lines(dir + "/train/steps.csv")
        #expect(steps.first == "step,epoch,loss,learning_rate,examples_per_sec")
        #expect(steps.dropFirst().map { $0.split(separator: ",")[0] } == ["6", "10", "12"])
        let epochs = w.lines(dir + "/validation/epochs.csv")
        #expect(epochs.first == "epoch,train_loss,validation_reconstruction_error,seconds")
        #expect(epochs.count == 3)
        for results in ["validation_results.txt", "test_results.txt"] {
            let lines = w.lines(w.log + "/" + results)
            #expect(lines.count == 1 && Self.isResultsLine(lines[0]), "\(results): \(lines)")
        }
        // flags.json: the command, the flags under the names a user types, the provenance.
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/flags.json")))
                as? [String: Any])
        #expect(json["command"] as? String == "train_autoencoder")
        let flags = try #require(json["flags"] as? [String: Any])
        #expect(flags["model"] as? String == "SingleLayerCAE" && flags["batch_size"] as? Int == 16)
        #expect(
            flags["seed"] as? Int == 42 && flags["threads"] as? Int == 2
                && flags["data_dir"] as? String == w.data.directory)
        #expect((flags["optimizer_args"] as? [String: Double]) == ["learning_rate": 0.01])
        #expect(flags["batchSize"] == nil && flags["comment"] == nil && flags["label_mode"] == nil)
        let provenance = try #require(json["provenance"] as? [String: Any])
        for key in ["git_commit", "cpu", "openblas_core", "threads", "version"] {
            #expect(provenance[key] != nil, "provenance lacks \(key)")
        }
        // The test line is the best checkpoint's test error, as evaluate computes it.
        let data = try MNISTLoader.load(w.data.directory)
        let test = try Evaluator.metric(
            of: SingleLayerCAE.self, checkpoint: dir + "/best/checkpoint.safetensors", on: data.test,
            classes: 10, batchSize: 16, threads: 1)
        let written = Double(w.lines(w.log + "/test_results.txt")[0].split(separator: " ").last!)!
        #expect(abs(test - written) < 1e-6 * max(1, test))
    }

    @Test func resumingContinuesTheStepsAndEndsWhereOneRunWould() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        try w.train(["--epochs", "3"])
        let dir = w.log + "/" + Self.run
        #expect(
            w.lines(dir + "/train/steps.csv").dropFirst().map { $0.split(separator: ",")[0] } == [
                "6", "10", "12", "18",
            ])
        #expect(
            w.lines(dir + "/validation/epochs.csv").dropFirst().map { $0.split(separator: ",")[0] } == ["1", "2", "3"])
        let resumed = try SafeTensors.decode(FileBytes.read(dir + "/checkpoint.safetensors"), path: "resumed")

        let straight = Workspace()
        try FileManager.default.removeItem(atPath: straight.data.directory)
        try FileManager.default.copyItem(atPath: w.data.directory, toPath: straight.data.directory)
        try FileManager.default.removeItem(atPath: straight.log)
        try straight.train(["--epochs", "3"])
        let once = try SafeTensors.decode(
            FileBytes.read(straight.log + "/" + Self.run + "/checkpoint.safetensors"), path: "once")
        #expect(resumed.tensors == once.tensors, "a resumed run must end with the weights of an uninterrupted one")
        #expect(resumed.metadata["step"] == "18")

        // Running the finished command again trains nothing and writes no second results line.
        try w.train(["--epochs", "3"])
        #expect(w.lines(w.log + "/test_results.txt").count == 2)
    }

    @Test func resumingWithOtherFlagsRefusesAndRestartStartsOver() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        let error = try #require(w.failure(["--epochs", "1", "--batch_size", "8"]), "resumed with another batch size")
        #expect(error.exitCode == 64)
        #expect(
            error.message.contains("--batch_size: saved 16, now 8") && error.message.contains("--restart"), "\(error)")
        try w.train(["--epochs", "1", "--batch_size", "8", "--restart"])
        let steps = w.lines(w.log + "/" + Self.run + "/train/steps.csv")
        #expect(steps.dropFirst().map { $0.split(separator: ",")[0] } == ["10", "11"])
    }

    /// The same folders spelled differently are the same run, not "other flags".
    @Test func pathsAreComparedNormalised() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        try TrainingFlags<Autoencoders>.parse([
            "--model", "SingleLayerCAE", "--dataset", "MNIST",
            "--data_dir", w.data.directory + "/./", "--log_dir", w.log + "/",
            "--optimizer", "AdamOptimizer", "--optimizer_args", #"{"learning_rate": 0.01}"#,
            "--batch_size", "16", "--threads", "2", "--epochs", "2", "--quiet",
        ]).train()
        #expect(w.lines(w.log + "/" + Self.run + "/validation/epochs.csv").count == 3)
    }

    static let augmentedRun = "SingleLayerCAE/MNIST_Adam_lr=0.01_flip+crop2_masking0.25"
    static let augmentedFlags = ["--augment", "crop:2,flip", "--input_noise", "masking:0.25"]

    /// Augmentation and noise are the training passes' alone: the validation rows and the test
    /// line are the clean images' metrics of the checkpoints.
    @Test func anAugmentedDenoisingRunRecordsItsFlagsAndValidatesOnCleanImages() throws {
        let w = Workspace()
        try w.train(["--epochs", "2"] + Self.augmentedFlags)
        let dir = w.log + "/" + Self.augmentedRun
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/flags.json")))
                as? [String: Any])
        let flags = try #require(json["flags"] as? [String: Any])
        #expect(flags["augment"] as? String == "flip,crop:2" && flags["input_noise"] as? String == "masking:0.25")

        let data = try MNISTLoader.load(w.data.directory)
        func metric(_ checkpoint: String, _ images: ImageSet) throws -> Double {
            try Evaluator.metric(
                of: SingleLayerCAE.self, checkpoint: dir + "/" + checkpoint, on: images, classes: 10, batchSize: 16,
                threads: 1)
        }
        let validation = try #require(Double(w.lines(dir + "/validation/epochs.csv")[2].split(separator: ",")[2]))
        let last = try metric("checkpoint.safetensors", data.validation)
        #expect(abs(last - validation) < 1e-6 * validation, "\(last) vs \(validation)")
        let test = try #require(Double(w.lines(w.log + "/test_results.txt")[0].split(separator: " ").last!))
        let best = try metric("best/checkpoint.safetensors", data.test)
        #expect(abs(best - test) < 1e-6 * test, "\(best) vs \(test)")
        #expect(w.lines(w.log + "/test_results.txt")[0].contains(" MNIST_Adam_lr=0.01_flip+crop2_masking0.25 "))
    }

    @Test func anAugmentedDenoisingRunResumedEndsWhereOneRunWould() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"] + Self.augmentedFlags)
        try w.train(["--epochs", "3"] + Self.augmentedFlags)
        let resumed = try SafeTensors.decode(
            FileBytes.read(w.log + "/" + Self.augmentedRun + "/checkpoint.safetensors"), path: "resumed")

        let straight = Workspace()
        try FileManager.default.removeItem(atPath: straight.data.directory)
        try FileManager.default.copyItem(atPath: w.data.directory, toPath: straight.data.directory)
        try FileManager.default.removeItem(atPath: straight.log)
        try straight.train(["--epochs", "3"] + Self.augmentedFlags)
        let once = try SafeTensors.decode(
            FileBytes.read(straight.log + "/" + Self.augmentedRun + "/checkpoint.safetensors"), path: "once")
        #expect(resumed.metadata["step"] == "18")
        #expect(resumed.tensors == once.tensors, "a resumed run must end with the weights of an uninterrupted one")

        // Without augmentation and noise the same steps end elsewhere.
        try straight.train(["--epochs", "3"])
        let plain = try SafeTensors.decode(
            FileBytes.read(straight.log + "/" + Self.run + "/checkpoint.safetensors"), path: "plain")
        #expect(plain.tensors != once.tensors)
    }

    /// A comment can give another run's name: the saved flags tell the runs apart.
    @Test func resumingWithOtherAugmentationRefuses() throws {
        let w = Workspace()
        try w.train(["--epochs", "1", "--augment", "flip", "--comment", "x"])
        let error = try #require(w.failure(["--epochs", "1", "--comment", "flip_x"]), "resumed another run")
        #expect(error.exitCode == 64)
        #expect(error.message.contains("--augment: saved flip, now none"), "\(error)")
    }

    @Test func aClassifierTrainsAndReportsAccuracy() throws {
        let w = Workspace(rows: 28, train: 48)
        try w.train(
            [
                "--epochs", "1", "--optimizer", "MomentumOptimizer",
                "--optimizer_args", #"{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}"#,
            ],
            model: "StandardCNN", Classifiers.self)
        let line = try #require(w.lines(w.log + "/test_results.txt").first)
        #expect(line.contains("StandardCNN: MNIST_Momentum_lr=0.01 "))
        let accuracy = try #require(Double(line.split(separator: " ").last!))
        #expect(accuracy >= 0 && accuracy <= 1)
        #expect(
            w.lines(w.log + "/StandardCNN/MNIST_Momentum_lr=0.01/validation/epochs.csv").first
                == "epoch,train_loss,validation_accuracy,seconds")
    }

    @Test func aDivergingRunStopsWithNaN() throws {
        let w = Workspace()
        // NarrowCAE's output is linear, so nothing bounds the loss.
        let error = try #require(
            w.failure(
                [
                    "--epochs", "1", "--optimizer", "GradientDescentOptimizer",
                    "--optimizer_args", #"{"learning_rate": 1e30}"#,
                ], model: "NarrowCAE"),
            "did not diverge")
        #expect(error.message.hasPrefix("Model diverged with loss = "), "\(error)")
        #expect(error.exitCode == 1)
        let session = try TensorBoardHParamsTests.session(w.log + "/NarrowCAE/MNIST_GradientDescent_lr=1e+30")
        #expect(session.starts.count == 1 && session.ends.map(\.status) == [.failure])
    }

    @Test(arguments: [
        (["--model", "Nope"], "The value 'Nope' is invalid for '--model <model>'"),
        (
            ["--model", "StandardCNN"],
            "--model: StandardCNN is a classifier, not an autoencoder; train it with train_classifier"
        ),
        (["--dataset", "ImageNet"], "The value 'ImageNet' is invalid for '--dataset <dataset>'"),
        (["--batch_size", "0"], "--batch_size: 0 must be between 1 and 65536"),
        (["--batch_size", "1000000000"], "--batch_size: 1000000000 must be between 1 and 65536"),
        (["--epochs", "0"], "--epochs: 0 must be between 1 and 1000000"),
        (["--epochs", "9223372036854775807"], "--epochs: 9223372036854775807 must be between 1 and 1000000"),
        (["--threads", "0"], "--threads: 0 must be between 1 and 256"),
        (["--l2_penalty", "nan"], "--l2_penalty: nan must be a finite number at least 0"),
        (
            ["--comment", "../../etc"],
            "--comment: '../../etc' must be a non-empty name without '/', a leading '.' or control characters"
        ),
        (["--comment", ".."], "--comment: '..' must be"),
        (["--comment", "a\u{1B}[2Jb"], "--comment: 'a\u{1B}[2Jb' must be"),
        (["--log_dir", "log\nx"], "--log_dir: 'log\nx' must be a non-empty path without control characters"),
        (["--optimizer_args", #"{"learning_rate": NaN}"#], "--optimizer_args: not a JSON object"),
        (["--optimizer_args", #"{"learning_rate": 1e999}"#], "--optimizer_args: not a JSON object"),
        (["--epochs=-3"], "--epochs: -3 must be between 1 and 1000000"),
        (["--optimizer_args", "{}"], "--optimizer_args: AdamOptimizer needs learning_rate"),
        (["--optimizer", "Adam"], "The value 'Adam' is invalid for '--optimizer <optimizer>'"),
        (
            ["--augment", "crop:-1"],
            "The value 'crop:-1' is invalid for '--augment <augment>': "
                + "crop:P takes a whole number of pixels from 1 to 4096, not '-1'"
        ),
        (
            ["--augment", "flip,rotate"],
            "The value 'flip,rotate' is invalid for '--augment <augment>': 'rotate' is neither flip nor crop:P"
        ),
        (["--augment", "crop:8"], "--augment: crop:8 pads more than the 8x8 images hold; P must be below 8"),
        (
            ["--input_noise", "gaussian:x"],
            "The value 'gaussian:x' is invalid for '--input_noise <input_noise>': "
                + "gaussian:SIGMA takes a finite number above 0, not 'x'"
        ),
        (
            ["--input_noise", "masking:1.5"],
            "The value 'masking:1.5' is invalid for '--input_noise <input_noise>': "
                + "masking:P takes a probability above 0 and at most 1, not '1.5'"
        ),
        (
            ["--input_noise", "salt:0.1"],
            "The value 'salt:0.1' is invalid for '--input_noise <input_noise>': "
                + "'salt:0.1' is neither gaussian:SIGMA nor masking:P"
        ),
        (["--label_mode", "coarse"], "--label_mode: only Cifar100 has fine and coarse labels, not MNIST"),
    ])
    func usageErrorsNameTheFlag(_ extra: [String], _ message: String) throws {
        let w = Workspace()
        let error = try #require(w.failure(extra), "accepted \(extra)")
        #expect(error.message.hasPrefix(message), "\(error)")
        #expect(error.exitCode == 64)
        #expect(!FileManager.default.fileExists(atPath: w.log), "a usage error must not create the log folder")
    }

    @Test func aMissingDatasetFolderIsExit66() throws {
        let w = Workspace()
        let error = try #require(w.failure(["--data_dir", "/nonexistent"]), "trained without data")
        #expect(error.exitCode == 66)
        #expect(error.message == "/nonexistent: no such folder; run scripts/fetch_mnist.sh or pass --data_dir")
    }

    /// A run folder as the bench's first releases left it: flags.json with the property names.
    @Test func anOldCamelCaseRunFolderResumesAndIsCompared() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        let dir = w.log + "/" + Self.run
        let old = """
            {
              "flags" : {
                "batchSize" : 16, "dataDirectory" : "\(w.data.directory)", "dataset" : "MNIST", "epochs" : 1,
                "l2Penalty" : 0, "logDirectory" : "\(w.log)", "lrDecay" : false, "lrDecayEpochs" : 25,
                "lrDecayFactor" : 0.1, "model" : "SingleLayerCAE", "optimizer" : "AdamOptimizer",
                "optimizerArguments" : "{\\"learning_rate\\": 0.01}", "seed" : 42, "threads" : 2,
                "validateOnTrainingSplit" : false
              },
              "provenance" : {
                "cpu" : "x", "gitCommit" : "unknown", "openblasCore" : "Zen", "openblasCoretypeVariable" : "unset",
                "started" : "2026-11-20 10:00:00", "threads" : 2, "version" : "0.1.0"
              }
            }
            """
        try old.write(toFile: dir + "/flags.json", atomically: true, encoding: .utf8)
        let found = RunRecord.scan(w.log)
        #expect(found.map(\.name) == ["MNIST_Adam_lr=0.01"] && found.first?.epochsDone == 1)

        try w.train(["--epochs", "2"])
        #expect(w.lines(dir + "/validation/epochs.csv").dropFirst().map { $0.split(separator: ",")[0] } == ["1", "2"])
        let resumed = try FlagsFile.read(dir + "/flags.json")
        #expect(resumed.command == "train_autoencoder" && resumed.flags.epochs == 2)
    }

    @Test func helpOffersOnlyTheCommandsModels() throws {
        let autoencoder = try BuiltCommand.run("train_autoencoder", ["--help"])
        #expect(autoencoder.status == 0)
        #expect(
            autoencoder.out.contains("LasagneCAE") && !autoencoder.out.contains("StandardCNN"), "\(autoencoder.out)")
        #expect(autoencoder.out.contains("FashionMNIST") && autoencoder.out.contains("AdamOptimizer"))
        let classifier = try BuiltCommand.run("train_classifier", ["--help"])
        #expect(classifier.out.contains("StandardCNN") && !classifier.out.contains("LasagneCAE"), "\(classifier.out)")
        for command in ["train_autoencoder", "train_classifier"] {
            let help = try BuiltCommand.run(command, ["--help"]).out
            #expect(help.contains("--log_dir") && help.contains("--augment"), "\(command)")
        }
        #expect(autoencoder.out.contains("--input_noise") && !classifier.out.contains("--input_noise"))
        for command in ["evaluate", "visualize", "bench"] {
            let help = try BuiltCommand.run(command, ["--help"])
            #expect(help.status == 0 && help.out.contains("--threads") && !help.out.contains("--log_dir"), "\(command)")
        }
    }

    @Test(arguments: [
        ("train_autoencoder", ["--model", "Nope", "--dataset", "MNIST"], "--model"),
        (
            "train_autoencoder", ["--model", "StandardCNN", "--dataset", "MNIST"],
            "--model: StandardCNN is a classifier"
        ),
        ("train_classifier", ["--model", "StandardCNN", "--dataset", "MNIST", "--optimizer", "Adam"], "--optimizer"),
        ("train_classifier", ["--model", "StandardCNN", "--dataset", "MNIST", "--batch_size", "0"], "--batch_size"),
        (
            "train_classifier", ["--model", "StandardCNN", "--dataset", "MNIST", "--input_noise", "gaussian:0.1"],
            "--input_noise: input noise is for autoencoders (train_autoencoder), not classifiers"
        ),
        ("train_classifier", ["--model", "StandardCNN", "--dataset", "MNIST", "--augment", "crop:x"], "--augment"),
        (
            "train_classifier", ["--model", "StandardCNN", "--dataset", "Cifar10", "--label_mode", "coarse"],
            "--label_mode: only Cifar100 has fine and coarse labels, not Cifar10"
        ),
        (
            "train_classifier", ["--model", "StandardCNN", "--dataset", "Cifar100", "--label_mode", "all"],
            "--label_mode"
        ),
        (
            "evaluate",
            ["--model", "StandardCNN", "--dataset", "MNIST", "--checkpoint_dir", "x", "--label_mode", "fine"],
            "--label_mode"
        ),
        (
            "export_dataset", ["--dataset", "NumPy", "--label_mode", "fine", "--format", "png", "--output", "x"],
            "--label_mode"
        ),
        (
            "train_autoencoder", ["--model", "LasagneCAE", "--dataset", "MNIST", "--input_noise", "masking:2"],
            "--input_noise"
        ),
        ("evaluate", ["--model", "Nope", "--dataset", "MNIST", "--checkpoint_dir", "x"], "--model"),
        (
            "evaluate", ["--model", "StandardCNN", "--dataset", "MNIST", "--checkpoint_dir", "x", "--threads", "0"],
            "--threads"
        ),
        ("visualize", ["--model", "LasagneCAE", "--dataset", "MNIST", "--checkpoint_dir", "x"], "--model"),
        ("bench", ["--model", "Nope"], "--model"),
        ("compare_runs", ["--format", "html"], "--format"),
    ])
    func badFlagsExit64WithOneLineNamingTheFlag(_ command: String, _ arguments: [String], _ flag: String) throws {
        let result = try BuiltCommand.run(command, arguments)
        #expect(result.status == 64, "\(command) \(arguments): \(result.err)")
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(flag), "\(result.err)")
    }
}

enum MNISTLoader {
    static func load(_ directory: String) throws -> DatasetSplits {
        try IdxDataset.load(name: "MNIST", directory: directory, provider: "", classNames: (0...9).map(String.init))
    }
}
