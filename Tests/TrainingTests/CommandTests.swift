import Foundation
import Plugins
import Testing
@testable import CLI
import DataIO
@testable import Training
import TestSupport
import Models

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

        func flags(_ extra: [String], model: String = "SingleLayerCAE") throws -> TrainingFlags {
            try TrainingFlags.parse(["--model", model, "--dataset", "MNIST", "--data_dir", data.directory, "--log_dir", log,
                                     "--optimizer", "AdamOptimizer", "--optimizer_args", #"{"learning_rate": 0.01}"#,
                                     "--batch_size", "16", "--threads", "2", "--quiet"] + extra)
        }

        func train(_ extra: [String], model: String = "SingleLayerCAE", kind: ModelKind = .autoencoder) throws {
            try flags(extra, model: model).train(kind: kind)
        }

        /// The BenchError that training stopped with, or nil if it finished.
        func failure(_ extra: [String], model: String = "SingleLayerCAE", kind: ModelKind = .autoencoder) throws -> BenchError? {
            let parsed = try flags(extra, model: model)
            do { try parsed.train(kind: kind) } catch { return error }
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
        for file in ["flags.json", "checkpoint.safetensors", "best/checkpoint.safetensors", "train/steps.csv", "validation/epochs.csv"] {
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
        let flags = try String(contentsOfFile: dir + "/flags.json", encoding: .utf8)
        for key in ["\"seed\" : 42", "\"gitCommit\"", "\"cpu\"", "\"openblasCore\"", "\"threads\" : 2", "\"version\""] {
            #expect(flags.contains(key), "flags.json lacks \(key)")
        }
        // The test line is the best checkpoint's test error, as evaluate computes it.
        let data = try MNISTLoader.load(w.data.directory)
        let test = try Evaluator.metric(of: SingleLayerCAE.self, checkpoint: dir + "/best/checkpoint.safetensors", on: data.test,
                                        classes: 10, batchSize: 16, threads: 1)
        let written = Double(w.lines(w.log + "/test_results.txt")[0].split(separator: " ").last!)!
        #expect(abs(test - written) < 1e-6 * max(1, test))
    }

    @Test func resumingContinuesTheStepsAndEndsWhereOneRunWould() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        try w.train(["--epochs", "3"])
        let dir = w.log + "/" + Self.run
        #expect(w.lines(dir + "/train/steps.csv").dropFirst().map { $0.split(separator: ",")[0] } == ["6", "10", "12", "18"])
        #expect(w.lines(dir + "/validation/epochs.csv").dropFirst().map { $0.split(separator: ",")[0] } == ["1", "2", "3"])
        let resumed = try SafeTensors.decode(FileBytes.read(dir + "/checkpoint.safetensors"), path: "resumed")

        let straight = Workspace()
        try FileManager.default.removeItem(atPath: straight.data.directory)
        try FileManager.default.copyItem(atPath: w.data.directory, toPath: straight.data.directory)
        try FileManager.default.removeItem(atPath: straight.log)
        try straight.train(["--epochs", "3"])
        let once = try SafeTensors.decode(FileBytes.read(straight.log + "/" + Self.run + "/checkpoint.safetensors"), path: "once")
        #expect(resumed.tensors == once.tensors, "a resumed run must end with the weights of an uninterrupted one")
        #expect(resumed.metadata["step"] == "18")

        // Running the finished command again trains nothing and writes no second results line.
        try w.train(["--epochs", "3"])
        #expect(w.lines(w.log + "/test_results.txt").count == 2)
    }

    @Test func resumingWithOtherFlagsRefusesAndRestartStartsOver() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        let error = try #require(try w.failure(["--epochs", "1", "--batch_size", "8"]), "resumed with another batch size")
        #expect(error.exitCode == 64)
        #expect(error.description.contains("--batch_size: saved 16, now 8") && error.description.contains("--restart"), "\(error)")
        try w.train(["--epochs", "1", "--batch_size", "8", "--restart"])
        let steps = w.lines(w.log + "/" + Self.run + "/train/steps.csv")
        #expect(steps.dropFirst().map { $0.split(separator: ",")[0] } == ["10", "11"])
    }

    /// The same folders spelled differently are the same run, not "other flags".
    @Test func pathsAreComparedNormalised() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        try TrainingFlags.parse(["--model", "SingleLayerCAE", "--dataset", "MNIST", "--data_dir", w.data.directory + "/./",
                                 "--log_dir", w.log + "/", "--optimizer", "AdamOptimizer",
                                 "--optimizer_args", #"{"learning_rate": 0.01}"#, "--batch_size", "16", "--threads", "2",
                                 "--epochs", "2", "--quiet"]).train(kind: .autoencoder)
        #expect(w.lines(w.log + "/" + Self.run + "/validation/epochs.csv").count == 3)
    }

    @Test func aClassifierTrainsAndReportsAccuracy() throws {
        let w = Workspace(rows: 28, train: 48)
        try w.train(["--epochs", "1", "--optimizer", "MomentumOptimizer",
                     "--optimizer_args", #"{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}"#],
                    model: "StandardCNN", kind: .classifier)
        let line = try #require(w.lines(w.log + "/test_results.txt").first)
        #expect(line.contains("StandardCNN: MNIST_Momentum_lr=0.01 "))
        let accuracy = try #require(Double(line.split(separator: " ").last!))
        #expect(accuracy >= 0 && accuracy <= 1)
        #expect(w.lines(w.log + "/StandardCNN/MNIST_Momentum_lr=0.01/validation/epochs.csv").first == "epoch,train_loss,validation_accuracy,seconds")
    }

    @Test func aDivergingRunStopsWithNaN() throws {
        let w = Workspace()
        // NarrowCAE's output is linear, so nothing bounds the loss.
        let error = try #require(try w.failure(["--epochs", "1", "--optimizer", "GradientDescentOptimizer",
                                                 "--optimizer_args", #"{"learning_rate": 1e30}"#], model: "NarrowCAE"),
                                 "did not diverge")
        #expect(error.description.hasPrefix("Model diverged with loss = "), "\(error)")
        #expect(error.exitCode == 1)
    }

    @Test(arguments: [
        (["--model", "Nope"], "--model: unknown model 'Nope'"),
        (["--model", "StandardCNN"], "--model: StandardCNN is a classifier, not an autoencoder; train it with train_classifier"),
        (["--dataset", "ImageNet"], "--dataset: unknown dataset 'ImageNet'"),
        (["--batch_size", "0"], "--batch_size: 0 must be between 1 and 65536"),
        (["--batch_size", "1000000000"], "--batch_size: 1000000000 must be between 1 and 65536"),
        (["--epochs", "0"], "--epochs: 0 must be between 1 and 1000000"),
        (["--epochs", "9223372036854775807"], "--epochs: 9223372036854775807 must be between 1 and 1000000"),
        (["--threads", "0"], "--threads: 0 must be between 1 and 256"),
        (["--l2_penalty", "nan"], "--l2_penalty: nan must be a finite number at least 0"),
        (["--comment", "../../etc"], "--comment: '../../etc' must be a non-empty name without '/', a leading '.' or control characters"),
        (["--comment", ".."], "--comment: '..' must be"),
        (["--comment", "a\u{1B}[2Jb"], "--comment: 'a\u{1B}[2Jb' must be"),
        (["--log_dir", "log\nx"], "--log_dir: 'log\nx' must be a non-empty path without control characters"),
        (["--optimizer_args", #"{"learning_rate": NaN}"#], "--optimizer_args: not a JSON object"),
        (["--optimizer_args", #"{"learning_rate": 1e999}"#], "--optimizer_args: not a JSON object"),
        (["--epochs=-3"], "--epochs: -3 must be between 1 and 1000000"),
        (["--optimizer_args", "{}"], "--optimizer_args: AdamOptimizer needs learning_rate"),
    ])
    func usageErrorsNameTheFlag(_ extra: [String], _ message: String) throws {
        let w = Workspace()
        let error = try #require(try w.failure(extra), "accepted \(extra)")
        #expect(error.description.hasPrefix(message), "\(error)")
        #expect(error.exitCode == 64)
        #expect(!FileManager.default.fileExists(atPath: w.log), "a usage error must not create the log folder")
    }

    @Test func aMissingDatasetFolderIsExit66() throws {
        let w = Workspace()
        let error = try #require(try w.failure(["--data_dir", "/nonexistent"]), "trained without data")
        #expect(error.exitCode == 66)
        #expect(error.description == "/nonexistent: no such folder; run scripts/fetch_mnist.sh or pass --data_dir")
    }
}

enum MNISTLoader {
    static func load(_ directory: String) throws -> DatasetSplits {
        try IdxDataset.load(name: "MNIST", directory: directory, provider: "", classNames: (0...9).map(String.init))
    }
}
