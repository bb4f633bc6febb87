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

/// `predict` as a user runs it: on PNG files a test writes from a dataset's test images, its
/// labels give the accuracy evaluation computes, its reconstruction errors Evaluator's per-image
/// metric; bad input stops it with one line and nothing written.
@Suite(.serialized) struct PredictTests {
    static func predict(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try BuiltCommand.run("predict", arguments + ["--threads", "2"])
    }

    static func rows(_ csv: String) -> [[Substring]] {
        csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    @Test func aClassifierOnExportedPNGsReachesEvaluationsAccuracy() throws {
        let w = CommandTests.Workspace(rows: 16, train: 96)
        try w.train(["--epochs", "2"], model: "StandardCNN", Classifiers.self)
        let run = w.log + "/StandardCNN/MNIST_Adam_lr=0.01"
        let export = w.data.path("png")
        let exported = try BuiltCommand.run(
            "export_dataset",
            ["--dataset", "MNIST", "--data_dir", w.data.directory, "--format", "png", "--output", export])
        #expect(exported.status == 0, "\(exported.err)")

        let result = try Self.predict(["--model", "StandardCNN", "--checkpoint_dir", run + "/best", export + "/test"])
        #expect(result.status == 0, "\(result.err)")
        let rows = Self.rows(result.out)
        #expect(
            rows.first?.joined(separator: ",") == "file,label,name,"
                + (0..<10).map { "prob_\($0)" }.joined(separator: ","))
        #expect(rows.count == 17)
        var correct = 0
        for row in rows.dropFirst() {
            // `<export>/test/<label>_<name>/<index>.png`
            let folder = row[0].split(separator: "/").dropLast().last!
            if folder.split(separator: "_")[0] == row[1] { correct += 1 }
            #expect(row[2] == row[1], "MNIST's class names are its digits")
            let probabilities = row[3...].map { Double($0)! }
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
            #expect(probabilities.firstIndex(of: probabilities.max()!) == Int(row[1]))
        }
        let test = try MNIST.load(DatasetOptions(directory: w.data.directory)).test
        let accuracy = try Evaluator.metric(
            of: StandardCNN.self, checkpoint: run + "/best/checkpoint.safetensors", on: test, classes: 10,
            batchSize: 128, threads: 2)
        #expect(Double(correct) / Double(test.count) == accuracy)

        // The same split read as a dataset names its rows by index and predicts the same classes.
        let direct = try Self.predict([
            "--model", "StandardCNN", "--checkpoint_dir", run, "--dataset", "MNIST", "--data_dir", w.data.directory,
        ])
        #expect(direct.status == 0, "\(direct.err)")
        let byIndex = Self.rows(direct.out).dropFirst()
        #expect(byIndex.map { String($0[0]) } == (0..<16).map { "MNIST:test:\($0)" })
        let hits = zip(byIndex, test.labels).filter { Int32($0.0[1]) == $0.1 }.count
        #expect(hits == correct)
    }

    /// A trained SingleLayerCAE on 8 x 8 images and its test images as PNG files in one folder.
    static func autoencoder() throws -> (CommandTests.Workspace, ImageSet, String) {
        let w = CommandTests.Workspace()
        try w.train(["--epochs", "1"])
        let test = try MNIST.load(DatasetOptions(directory: w.data.directory)).test
        let folder = w.data.path("pictures")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for i in 0..<test.count {
            let image = DecodedImage(width: 8, height: 8, channels: 1, planes: test.bytes(of: i))
            w.data.write("pictures/" + String(format: "%02d.png", i), PNGEncoder.encode(image))
        }
        return (w, test, folder)
    }

    @Test func anAutoencodersErrorsAreEvaluationsAndItsReconstructionsAreDrawn() throws {
        let (w, test, folder) = try Self.autoencoder()
        let run = w.log + "/" + CommandTests.run
        let csv = w.data.path("errors.csv"), pictures = w.data.path("reconstructions")
        let result = try Self.predict([
            "--model", "SingleLayerCAE", "--checkpoint_dir", run, "--output", csv, "--reconstructions", pictures,
            folder,
        ])
        #expect(result.status == 0 && result.out.isEmpty, "\(result.err)")
        let rows = Self.rows(try String(contentsOfFile: csv, encoding: .utf8))
        #expect(rows.first == ["file", "reconstruction_error"] && rows.count == 17)
        for (i, row) in rows.dropFirst().enumerated() {
            #expect(row[0] == folder + "/" + String(format: "%02d.png", i))
            let single = try Evaluator.metric(
                of: SingleLayerCAE.self, checkpoint: run + "/checkpoint.safetensors", on: test.subset(i..<(i + 1)),
                classes: 10, batchSize: 1, threads: 2)
            let error = try #require(Double(row[1]))
            #expect(abs(error - single) <= 1e-6 * single, "image \(i): \(error) against \(single)")
            let png = try FileBytes.read(pictures + String(format: "/%d_%02d.png", i, i))
            let picture = try ImageDecoding.decode(png, file: "reconstruction")
            #expect(picture.width == 16 && picture.height == 8)
            #expect(
                (0..<8).allSatisfy { y in
                    (0..<8).allSatisfy { x in picture[c: 0, y: y, x: x] == test.bytes(of: i)[y * 8 + x] }
                })
        }
    }

    @Test func badInputStopsWithOneLineAndWritesNothing() throws {
        let (w, _, folder) = try Self.autoencoder()
        let run = w.log + "/" + CommandTests.run
        let csv = w.data.path("out.csv")
        func attempt(_ inputs: [String]) throws -> (status: Int32, err: String) {
            let r = try Self.predict(["--model", "SingleLayerCAE", "--checkpoint_dir", run, "--output", csv] + inputs)
            #expect(!FileManager.default.fileExists(atPath: csv), "\(inputs): wrote \(csv)")
            #expect(r.err.split(separator: "\n").count == 1, "\(r.err)")
            return (r.status, r.err)
        }
        w.data.write("pictures/broken.png", Array("not an image".utf8))
        let broken = try attempt([folder])
        #expect(broken.status == 65 && broken.err.contains("broken.png"), "\(broken.err)")
        try FileManager.default.removeItem(atPath: folder + "/broken.png")

        let missing = try attempt([folder + "/99.png"])
        #expect(missing.status == 66 && missing.err.contains("99.png"), "\(missing.err)")

        let big = DecodedImage(width: 10, height: 10, channels: 1, planes: [UInt8](repeating: 7, count: 100))
        w.data.write("big.png", PNGEncoder.encode(big))
        let misfit = try attempt([w.data.path("big.png")])
        #expect(misfit.status == 65 && misfit.err.contains("big.png") && misfit.err.contains("--image_size"))

        // Resized to the model's input as asked, the same picture is predicted.
        let resized = try Self.predict([
            "--model", "SingleLayerCAE", "--checkpoint_dir", run, "--image_size", "8", w.data.path("big.png"),
        ])
        #expect(resized.status == 0 && Self.rows(resized.out).count == 2, "\(resized.err)")

        let both = try attempt(["--dataset", "MNIST", folder])
        #expect(both.status == 64, "\(both.err)")
        let classifier = try Self.predict([
            "--model", "StandardCNN", "--checkpoint_dir", run, "--reconstructions", w.data.path("r"), folder,
        ])
        #expect(classifier.status == 64 && classifier.err.contains("--reconstructions"), "\(classifier.err)")
    }
}
