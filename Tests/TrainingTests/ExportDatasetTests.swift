import DataIO
import Engine
import Foundation
import Inputs
import Plugins
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// `export_dataset` as a user runs it, and the image folders it writes read back by the bench:
/// the same images on the same split, and a run on them that `evaluate` reads back with the
/// run's own image flags and classes.
@Suite(.serialized) struct ExportDatasetTests {
    /// The images of a set as (label, bytes) pairs in one order, to compare sets read in others.
    static func contents(_ set: ImageSet) -> [String] {
        (0..<set.count).map { "\(set.labels[$0]) \(set.bytes(of: $0))" }.sorted()
    }

    @Test func aPNGExportReadsBackAsTheSameImagesOnTheSameSplit() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeIdxDataset(train: 48, test: 12, rows: 8, cols: 8, gzip: false)
        let output = files.path("png")
        let result = try BuiltCommand.run(
            "export_dataset",
            ["--dataset", "MNIST", "--data_dir", files.directory, "--format", "png", "--output", output])
        #expect(result.status == 0, "\(result.err)")
        let original = try MNIST.load(DatasetOptions(directory: files.directory))
        let exported = try ImageFolder.load(DatasetOptions(directory: output))
        #expect(exported.classNames == (0...9).map { "\($0)_\($0)" })
        #expect(Self.contents(exported.train) == Self.contents(original.train))
        #expect(Self.contents(exported.validation) == Self.contents(original.validation))
        #expect(Self.contents(exported.test) == Self.contents(original.test))
        #expect(FileManager.default.fileExists(atPath: output + "/train/3_3/03.png"))

        // An existing folder is never written into.
        let again = try BuiltCommand.run(
            "export_dataset",
            ["--dataset", "MNIST", "--data_dir", files.directory, "--format", "png", "--output", output])
        #expect(again.status == 64 && again.err.contains("--output") && !again.err.dropLast().contains("\n"))
        #expect(try ImageFolder.load(DatasetOptions(directory: output)).train.count == original.train.count)
    }

    @Test func aNumPyExportReadsBackIdenticalAndConvertsWhenAsked() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeIdxDataset(train: 48, test: 12, rows: 8, cols: 6, gzip: true)
        let original = try MNIST.load(DatasetOptions(directory: files.directory))
        let plain = files.path("npy"), colour = files.path("npy3")
        for (output, extra) in [(plain, [String]()), (colour, ["--channels", "3", "--image_size", "12x10"])] {
            let result = try BuiltCommand.run(
                "export_dataset",
                ["--dataset", "MNIST", "--data_dir", files.directory, "--format", "npy", "--output", output] + extra)
            #expect(result.status == 0, "\(result.err)")
        }
        let exported = try NumPy.load(DatasetOptions(directory: plain))
        for (a, b) in [(exported.train, original.train), (exported.validation, original.validation)] {
            #expect(a.shape == b.shape && a.pixels == b.pixels && a.labels == b.labels)
        }
        #expect(exported.test.pixels == original.test.pixels && exported.classNames == original.classNames)
        let converted = try NumPy.load(DatasetOptions(directory: colour))
        #expect(converted.shape == Shape(3, 10, 12))
        let expected = PillowResize(fromWidth: 6, height: 8, toWidth: 12, height: 10).resize(
            DecodedImage(width: 6, height: 8, channels: 1, planes: original.test.bytes(of: 5)).converted(toChannels: 3))
        #expect(converted.test.bytes(of: 5) == expected.pixels)
    }

    @Test func evaluateReadsTheRunsImageSizeAndClasses() throws {
        let files = DatasetFiles()
        defer { files.remove() }
        files.writeIdxDataset(train: 36, test: 10, rows: 8, cols: 8, gzip: false)
        let output = files.path("jpg")
        let export = try BuiltCommand.run(
            "export_dataset",
            [
                "--dataset", "MNIST", "--data_dir", files.directory, "--format", "jpg", "--channels", "3",
                "--output", output,
            ])
        #expect(export.status == 0, "\(export.err)")
        let log = files.path("log")
        try TrainingFlags<Classifiers>.parse([
            "--model", "StandardCNN", "--dataset", "ImageFolder", "--data_dir", output, "--image_size", "28",
            "--channels", "1", "--epochs", "1", "--batch_size", "12", "--log_dir", log, "--threads", "2", "--quiet",
        ]).train()
        let run = log + "/StandardCNN/ImageFolder_Momentum_lr=0.01"
        let classes = try String(contentsOfFile: run + "/classes.txt", encoding: .utf8)
        #expect(classes == (0...9).map { "\($0)_\($0)\n" }.joined())
        let flags = try FlagsFile.read(run + "/flags.json").flags
        #expect(flags.imageSize == ImageSize(width: 28, height: 28) && flags.channels == 1)
        let evaluated = try BuiltCommand.run(
            "evaluate",
            [
                "--model", "StandardCNN", "--dataset", "ImageFolder", "--data_dir", output, "--checkpoint_dir",
                run + "/best",
            ])
        #expect(evaluated.status == 0, "\(evaluated.err)")
        #expect(evaluated.out.hasPrefix("StandardCNN validation accuracy = "))
        // Flags given override the run's: 8x8 colour images do not fit its weights.
        let unsized = try BuiltCommand.run(
            "evaluate",
            [
                "--model", "StandardCNN", "--dataset", "ImageFolder", "--data_dir", output, "--image_size", "8",
                "--channels", "3", "--checkpoint_dir", run,
            ])
        #expect(unsized.status == 64 && unsized.err.contains("cannot take 3x8x8 images"), "\(unsized.err)")
    }
}
