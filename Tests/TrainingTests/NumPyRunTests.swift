import DataIO
import Foundation
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// The NumPy dataset end to end: the digits of an idx dataset saved as `.npy` arrays train a
/// seeded classifier to the very weights and numbers the idx files give, and `--layout` is part
/// of the run's flags.
@Suite(.serialized) struct NumPyRunTests {
    static func arguments(_ dataset: String, _ directory: String, log: String) -> [String] {
        [
            "--model", "StandardCNN", "--dataset", dataset, "--data_dir", directory, "--log_dir", log,
            "--optimizer", "MomentumOptimizer", "--optimizer_args", #"{"learning_rate": 0.01, "momentum": 0.9}"#,
            "--batch_size", "16", "--epochs", "2", "--threads", "2", "--quiet",
        ]
    }

    @Test func arraysTrainToTheNumbersTheirIdxFilesGive() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeIdxDataset(train: 48, test: 16, rows: 28, cols: 28, gzip: true)
        let arrays = files.directory + "/arrays"
        try FileManager.default.createDirectory(atPath: arrays, withIntermediateDirectories: true)
        for (prefix, n) in [("train", 48), ("test", 16)] {
            let images = NpyWriter.encode(DatasetFiles.pixels(count: n, size: 784), shape: [n, 28, 28])
            let labels = NpyWriter.encode((0..<n).map { Int64($0 % 10) }, shape: [n])
            files.write("arrays/\(prefix)_images.npy", images)
            files.write("arrays/\(prefix)_labels.npy", labels)
        }
        let log = files.directory + "/log"
        try TrainingFlags<Classifiers>.parse(Self.arguments("MNIST", files.directory, log: log)).train()
        try TrainingFlags<Classifiers>.parse(Self.arguments("NumPy", arrays, log: log)).train()
        let runs = ["MNIST", "NumPy"].map { log + "/StandardCNN/\($0)_Momentum_lr=0.01" }
        let checkpoints = try runs.map { run in
            try SafeTensors.decode(FileBytes.read(run + "/best/checkpoint.safetensors"), path: run).tensors
        }
        #expect(checkpoints[0].count >= 8 && Set(checkpoints[0].keys) == Set(checkpoints[1].keys))
        for (name, tensor) in checkpoints[0] {
            #expect(tensor.values == checkpoints[1][name]?.values, "\(name) differs")
        }
        // Every column of epochs.csv but the wall time.
        let epochs = try runs.map { run in
            try String(contentsOfFile: run + "/validation/epochs.csv", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        }
        #expect(epochs[0].count == 3 && epochs[0] == epochs[1], "\(epochs)")
    }

    @Test func theLayoutIsARunFlagAndBadArraysStopBeforeTheRunFolder() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        // 3 x 8 x 3: the second and the last axis could both be the channels.
        for (prefix, n) in [("train", 24), ("test", 4)] {
            let images = NpyWriter.encode(DatasetFiles.pixels(count: n, size: 72), shape: [n, 3, 8, 3])
            files.write("\(prefix)_images.npy", images)
            files.write("\(prefix)_labels.npy", NpyWriter.encode((0..<n).map { Int64($0 % 2) }, shape: [n]))
        }
        let log = files.directory + "/log"
        let arguments = [
            "--model", "SingleLayerCAE", "--dataset", "NumPy", "--data_dir", files.directory, "--log_dir", log,
            "--batch_size", "8", "--epochs", "1", "--threads", "2", "--quiet",
        ]
        let ambiguous = try TrainingFlags<Autoencoders>.parse(arguments)
        do {
            try ambiguous.train()
            Issue.record("an ambiguous layout trained")
        } catch {
            #expect(
                error.exitCode == 65 && error.description.contains("pass --layout nhwc or --layout nchw"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: log), "bad data must not create the log folder")
        try TrainingFlags<Autoencoders>.parse(arguments + ["--layout", "nhwc"]).train()
        let flags = try String(
            contentsOfFile: log + "/SingleLayerCAE/NumPy_Momentum_lr=0.01/flags.json", encoding: .utf8)
        #expect(flags.contains(#""layout" : "nhwc""#) || flags.contains(#""layout":"nhwc""#), "\(flags)")
        let other = try TrainingFlags<Autoencoders>.parse(arguments + ["--layout", "nchw", "--epochs", "2"])
        do {
            try other.train()
            Issue.record("resumed with another layout")
        } catch {
            #expect(error.description.contains("--layout: saved nhwc, now nchw"), "\(error)")
        }
    }
}
