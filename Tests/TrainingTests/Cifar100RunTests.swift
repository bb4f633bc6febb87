import Engine
import Foundation
import Plugins
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// `--label_mode` through a run: flags.json records it (the default too), and the commands that
/// reload a run's dataset take it from there when they are not given it.
@Suite(.serialized) struct Cifar100RunTests {
    /// CIFAR-100 files of 24 training and 4 test records and a log root.
    final class Workspace {
        let data = DatasetFiles()
        let log: String
        init() {
            data.writeCifar100(train: 24, test: 4)
            log = data.directory + "/log"
        }
        deinit { data.remove() }

        var run: String { log + "/StandardCNN/Cifar100_Adam_lr=0.001" }

        func train(_ extra: [String]) throws {
            let arguments = [
                "--model", "StandardCNN", "--dataset", "Cifar100", "--data_dir", data.directory, "--log_dir", log,
                "--optimizer", "AdamOptimizer", "--optimizer_args", #"{"learning_rate": 0.001}"#, "--batch_size", "12",
                "--threads", "2", "--quiet",
            ]
            try TrainingFlags<Classifiers>.parse(arguments + extra).train()
        }

        func savedFlags() throws -> [String: Any] {
            let json = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: run + "/flags.json")))
            return try #require((json as? [String: Any])?["flags"] as? [String: Any])
        }
    }

    @Test func aCoarseRunRecordsItsLabelModeAndIsReadBackWithIt() throws {
        let w = Workspace()
        try w.train(["--epochs", "1", "--label_mode", "coarse"])
        #expect(try w.savedFlags()["label_mode"] as? String == "coarse")
        let classes = try String(contentsOfFile: w.run + "/" + SavedRun.classesFile, encoding: .utf8)
        #expect(classes.split(separator: "\n").map(String.init) == (0..<20).map { "coarse\($0)" })

        // evaluate, visualize, extract_features: without --label_mode the data are labelled as in training.
        let saved = try SavedRun(checkpointDirectory: w.run + "/best")
        let evaluated = try ModelDataFlags<AllModels>.parse([
            "--model", "StandardCNN", "--dataset", "Cifar100", "--data_dir", w.data.directory,
        ]).load(savedRun: saved)
        #expect(evaluated.classNames.count == 20 && evaluated.test.labels == [4, 5, 6, 7])

        // predict's image files: the classes come from the dataset as training read it when the
        // run has no classes.txt.
        try FileManager.default.removeItem(atPath: w.run + "/" + SavedRun.classesFile)
        let unnamed = try SavedRun(checkpointDirectory: w.run)
        let trained = try TrainedInput(unnamed, checkpointDirectory: w.run, kind: .classifier)
        #expect(trained.shape == Shape(3, 32, 32) && trained.classNames == (0..<20).map { "coarse\($0)" })
    }

    @Test func theDefaultIsRecordedSoGivingItLaterIsTheSameRun() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        #expect(try w.savedFlags()["label_mode"] as? String == "fine")
        try w.train(["--epochs", "2", "--label_mode", "fine"])
        #expect(try w.savedFlags()["epochs"] as? Int == 2)
        let error = try #require(throws: BenchError.self) { try w.train(["--epochs", "3", "--label_mode", "coarse"]) }
        #expect(error.exitCode == 64)
        #expect(error.description.contains("--label_mode: saved fine, now coarse"), "\(error)")
    }
}
