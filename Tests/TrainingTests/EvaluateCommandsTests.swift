import DataIO
import Foundation
import Inputs
import Models
import Plugins
import Reporting
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// DTB's `evaluate_classifier` and `evaluate_autoencoder` as a user runs them, on runs the tests
/// train: DTB's line, `--all`'s values against `Evaluator`, the confusion matrices printed and
/// written, and bad input stopping with one line and nothing written.
@Suite(.serialized) struct EvaluateCommandsTests {
    static let classifierRun = "StandardCNN/MNIST_Adam_lr=0.01"
    static let confusionFiles = ["train", "validation", "test"].flatMap {
        ["confusion_\($0).csv", "confusion_\($0).png"]
    }

    static func evaluate(_ command: String, _ w: CommandTests.Workspace, _ arguments: [String]) throws -> (
        status: Int32, out: String, err: String
    ) {
        try BuiltCommand.run(
            command, ["--dataset", "MNIST", "--data_dir", w.data.directory, "--threads", "2"] + arguments)
    }

    /// A StandardCNN trained for an epoch on 16 x 16 images: 88 training, 8 validation and 16
    /// test images.
    static func classifier() throws -> CommandTests.Workspace {
        let w = CommandTests.Workspace(rows: 16, train: 96)
        try w.train(["--epochs", "1"], model: "StandardCNN", Classifiers.self)
        return w
    }

    /// `<date time>: <split> <metric> = <value>`, the date time as Python's `str(datetime.now())`.
    static func parse(_ line: Substring) -> (split: String, metric: String, value: String)? {
        guard let match = line.wholeMatch(of: #/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?: (\w+) (\w+) = (\S+)/#) else {
            return nil
        }
        return (String(match.output.2), String(match.output.3), String(match.output.4))
    }

    static func metric(_ model: any ModelPlugin.Type, _ checkpoint: String, _ images: ImageSet) throws -> Double {
        try Evaluator.metric(of: model, checkpoint: checkpoint, on: images, classes: 10, batchSize: 128, threads: 2)
    }

    @Test func aClassifiersLineIsDTBsWithThreeDecimals() throws {
        let w = try Self.classifier()
        let best = w.log + "/" + Self.classifierRun + "/best"
        let data = try MNISTLoader.load(w.data.directory)
        for (flags, split, images) in [([], "validation", data.validation), (["--test"], "test", data.test)] {
            let result = try Self.evaluate(
                "evaluate_classifier", w,
                ["--model", "StandardCNN", "--checkpoint_dir", best + "/", "--eval_device", "/gpu:0"] + flags)
            #expect(result.status == 0 && result.err.isEmpty, "\(result.err)")
            let lines = result.out.split(separator: "\n")
            let line = try #require(lines.count == 1 ? Self.parse(lines[0]) : nil, "\(result.out)")
            #expect(line.split == split && line.metric == "accuracy")
            let accuracy = try Self.metric(StandardCNN.self, best + "/checkpoint.safetensors", images)
            #expect(line.value == String(format: "%.3f", accuracy), "\(line.value) against \(accuracy)")
        }
    }

    @Test func allGivesEverySplitsAccuracyAndConfusionMatrix() throws {
        let w = try Self.classifier()
        let run = w.log + "/" + Self.classifierRun
        let result = try Self.evaluate(
            "evaluate_classifier", w, ["--model", "StandardCNN", "--checkpoint_dir", run + "/best", "--all"])
        #expect(result.status == 0 && result.err.isEmpty, "\(result.err)")
        let out = result.out.split(separator: "\n", omittingEmptySubsequences: false)
        let data = try MNISTLoader.load(w.data.directory)
        let names = (0...9).map(String.init)
        for (split, images) in [("train", data.train), ("validation", data.validation), ("test", data.test)] {
            let accuracy = try Self.metric(StandardCNN.self, run + "/best/checkpoint.safetensors", images)
            let at = try #require(out.firstIndex { Self.parse($0)?.split == split }, "no \(split) line: \(result.out)")
            let line = try #require(Self.parse(out[at]))
            #expect(line.metric == "accuracy" && Double(line.value) == accuracy, "\(line.value) against \(accuracy)")

            // The printed table: its heading, a header and a row per class, all of one width.
            #expect(out[at + 1] == "\(split) confusion matrix (rows: true class, columns: predicted class):")
            let table = out[(at + 2)..<(at + 13)]
            #expect(table.first?.hasPrefix("true \\ predicted") == true && Set(table.map(\.count)).count == 1)
            #expect(out[at + 13] == "\(split) accuracy of each class (recall):")
            #expect(out[(at + 14)..<(at + 24)].allSatisfy { $0.hasPrefix("  recall of ") })

            // The CSV in the run folder, not best/: the split's images, its diagonal the accuracy.
            let csv = try String(contentsOfFile: run + "/confusion_\(split).csv", encoding: .utf8)
            let rows = csv.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            #expect(rows.first == ["true/predicted"] + names && rows.dropFirst().map { $0[0] } == names)
            let counts = rows.dropFirst().map { $0.dropFirst().map { Int($0)! } }
            let total = counts.joined().reduce(0, +), diagonal = (0..<10).reduce(0) { $0 + counts[$1][$1] }
            #expect(total == images.count && Double(diagonal) / Double(total) == accuracy)
            #expect(table.dropFirst().map { $0.split(separator: " ").dropFirst().map { Int($0)! } } == counts)

            let png = try FileBytes.read(run + "/confusion_\(split).png")
            let picture = try ImageDecoding.decode(png, file: "confusion_\(split).png")
            let map = ConfusionHeatMap(ConfusionMatrix(classNames: names, counts: counts))
            #expect(picture.width == map.width && picture.height == map.height && picture.channels == 3)
        }
        for file in Self.confusionFiles {
            #expect(!FileManager.default.fileExists(atPath: run + "/best/" + file), "\(file) in best/")
        }
    }

    @Test func anAutoencodersLineIsDTBsAndAllGivesEverySplitsError() throws {
        let w = CommandTests.Workspace()
        try w.train(["--epochs", "1"])
        let run = w.log + "/" + CommandTests.run
        let data = try MNISTLoader.load(w.data.directory)
        let splits = [("train", data.train), ("validation", data.validation), ("test", data.test)]
        let errors = try splits.map { try Self.metric(SingleLayerCAE.self, run + "/checkpoint.safetensors", $0.1) }

        for (flags, index) in [([String](), 1), (["--test"], 2)] {
            let result = try Self.evaluate(
                "evaluate_autoencoder", w, ["--model", "SingleLayerCAE", "--checkpoint_dir", run, "--quiet"] + flags)
            #expect(result.status == 0 && result.err.isEmpty, "\(result.err)")
            let lines = result.out.split(separator: "\n")
            let line = try #require(lines.count == 1 ? Self.parse(lines[0]) : nil, "\(result.out)")
            #expect(line.split == splits[index].0 && line.metric == "error")
            #expect(line.value == String(format: "%.3f", errors[index]))
        }

        let all = try Self.evaluate(
            "evaluate_autoencoder", w, ["--model", "SingleLayerCAE", "--checkpoint_dir", run, "--all"])
        #expect(all.status == 0 && all.err.isEmpty, "\(all.err)")
        let lines = all.out.split(separator: "\n").compactMap(Self.parse)
        #expect(lines.count == 3 && all.out.split(separator: "\n").count == 3, "\(all.out)")
        #expect(lines.map(\.split) == splits.map(\.0) && lines.allSatisfy { $0.metric == "error" })
        #expect(lines.map { Double($0.value) } == errors, "\(all.out) against \(errors)")
        #expect(Self.confusionFiles.allSatisfy { !FileManager.default.fileExists(atPath: run + "/" + $0) })
    }

    /// CIFAR-10 validates on its test batch unless `--validate_on_train`, as DTB did: `--all`
    /// still prints both, with the same value and matrix, and names the classes from its meta file.
    @Test func allPrintsValidationAndTestWhereTheyAreOneSet() throws {
        let data = DatasetFiles()
        defer { data.remove() }
        data.writeCifar(perBatch: 8)
        let log = data.directory + "/log"
        try TrainingFlags<Classifiers>.parse([
            "--model", "StandardCNN", "--dataset", "Cifar10", "--data_dir", data.directory, "--log_dir", log,
            "--optimizer", "AdamOptimizer", "--optimizer_args", #"{"learning_rate": 0.01}"#, "--batch_size", "8",
            "--epochs", "1", "--threads", "2", "--quiet",
        ]).train()
        let run = log + "/StandardCNN/Cifar10_Adam_lr=0.01"
        let result = try BuiltCommand.run(
            "evaluate_classifier",
            [
                "--model", "StandardCNN", "--dataset", "Cifar10", "--data_dir", data.directory, "--checkpoint_dir", run,
                "--threads", "2", "--all",
            ])
        #expect(result.status == 0 && result.err.isEmpty, "\(result.err)")
        let lines = result.out.split(separator: "\n").compactMap(Self.parse)
        #expect(lines.map(\.split) == ["train", "validation", "test"], "\(result.out)")
        #expect(lines.count == 3 && lines[1].value == lines[2].value)
        let validation = try String(contentsOfFile: run + "/confusion_validation.csv", encoding: .utf8)
        #expect(validation == (try String(contentsOfFile: run + "/confusion_test.csv", encoding: .utf8)))
        #expect(validation.hasPrefix("true/predicted,airplane,automobile,bird,"), "\(validation)")
        #expect(
            validation.split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst() }.joined()
                .reduce(0) { $0 + Int($1)! } == 8)
    }

    @Test func badInputStopsWithOneLineAndWritesNothing() throws {
        let w = try Self.classifier()
        let run = w.log + "/" + Self.classifierRun
        func attempt(_ arguments: [String], command: String = "evaluate_classifier") throws -> (
            status: Int32, err: String
        ) {
            let r = try Self.evaluate(command, w, arguments + ["--all"])
            #expect(r.out.isEmpty, "\(arguments): \(r.out)")
            #expect(r.err.split(separator: "\n").count == 1 && r.err.hasPrefix("error: "), "\(r.err)")
            for file in Self.confusionFiles {
                #expect(!FileManager.default.fileExists(atPath: run + "/" + file), "\(arguments): wrote \(file)")
            }
            return (r.status, r.err)
        }
        let nowhere = w.data.path("nowhere")
        let missing = try attempt(["--model", "StandardCNN", "--checkpoint_dir", nowhere])
        #expect(missing.status == 66 && missing.err.contains(nowhere + "/checkpoint.safetensors"), "\(missing.err)")

        let foreign = try attempt(["--model", "LeNet", "--checkpoint_dir", run])
        #expect(foreign.status == 65 && foreign.err.contains(run + "/checkpoint.safetensors"), "\(foreign.err)")

        let unknown = try attempt(["--model", "Nope", "--checkpoint_dir", run])
        #expect(unknown.status == 64 && unknown.err.contains("--model"), "\(unknown.err)")

        let kind = try attempt(["--model", "SingleLayerCAE", "--checkpoint_dir", run])
        #expect(kind.status == 64, "\(kind.err)")
        #expect(
            kind.err.contains("SingleLayerCAE is an autoencoder, not a classifier")
                && kind.err.contains("evaluate_autoencoder"))
        let other = try attempt(["--model", "StandardCNN", "--checkpoint_dir", run], command: "evaluate_autoencoder")
        #expect(other.status == 64 && other.err.contains("evaluate it with evaluate_classifier"), "\(other.err)")

        let both = try attempt(["--model", "StandardCNN", "--checkpoint_dir", run, "--test"])
        #expect(both.status == 64 && both.err.contains("--test"), "\(both.err)")

        let data = try attempt(["--model", "StandardCNN", "--checkpoint_dir", run, "--data_dir", nowhere])
        #expect(data.status == 66 && data.err.contains(nowhere), "\(data.err)")
    }

    /// DTB's README has `--l2_penalty` without its value; every flag that takes one refuses the
    /// next flag in its place.
    @Test(arguments: [
        (
            "evaluate_classifier", ["--model", "StandardCNN", "--dataset", "MNIST", "--checkpoint_dir", "--test"],
            "--checkpoint_dir"
        ),
        ("evaluate_classifier", ["--dataset", "MNIST", "--checkpoint_dir", "x", "--model"], "--model"),
        ("evaluate_autoencoder", ["--model", "SingleLayerCAE", "--dataset", "--checkpoint_dir", "x"], "--dataset"),
        (
            "evaluate_autoencoder",
            ["--model", "SingleLayerCAE", "--dataset", "MNIST", "--checkpoint_dir", "x", "--batch_size", "--test"],
            "--batch_size"
        ),
        (
            "evaluate_autoencoder",
            ["--model", "SingleLayerCAE", "--dataset", "MNIST", "--checkpoint_dir", "x", "--eval_device", "--all"],
            "--eval_device"
        ),
        (
            "train_classifier",
            [
                "--model", "StandardCNN", "--dataset", "MNIST", "--l2_penalty", "--optimizer_args",
                #"{"learning_rate": 1e-4, "momentum": 0.5}"#, "--restart",
            ],
            "--l2_penalty"
        ),
    ])
    func aFlagWithoutItsValueIsAUsageError(_ command: String, _ arguments: [String], _ flag: String) throws {
        let result = try BuiltCommand.run(command, arguments)
        #expect(result.status == 64 && result.out.isEmpty, "\(command) \(arguments): \(result.err)")
        #expect(result.err == "error: Missing value for '\(flag) <\(flag.dropFirst(2))>'\n", "\(result.err)")
    }

    @Test func helpOffersTheCommandsModelsAndDTBsFlags() throws {
        let classifier = try BuiltCommand.run("evaluate_classifier", ["--help"])
        let autoencoder = try BuiltCommand.run("evaluate_autoencoder", ["--help"])
        #expect(classifier.status == 0 && autoencoder.status == 0)
        #expect(classifier.out.contains("StandardCNN") && !classifier.out.contains("LasagneCAE"), "\(classifier.out)")
        #expect(
            autoencoder.out.contains("LasagneCAE") && !autoencoder.out.contains("StandardCNN"), "\(autoencoder.out)")
        for help in [classifier.out, autoencoder.out] {
            for flag in [
                "--checkpoint_dir", "--test", "--batch_size", "--eval_device", "--threads", "--quiet", "--all",
            ] {
                #expect(help.contains(flag), "\(flag)")
            }
            #expect(!help.contains("--log_dir"))
        }
    }
}
