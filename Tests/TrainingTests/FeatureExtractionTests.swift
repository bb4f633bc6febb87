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

/// `extract_features` as a user runs it on a small trained LasagneCAE: each format holds, row by
/// row, the output of a forward pass stopped at the layer, computed here without fusion, one
/// image at a time.
@Suite(.serialized) struct FeatureExtractionTests {
    static let run = "LasagneCAE/MNIST_Adam_lr=0.01"

    /// A 16 x 16 MNIST-format dataset (LasagneCAE needs sides of 4k + 12) and a run trained on it.
    static func trainedRun() throws -> CommandTests.Workspace {
        let w = CommandTests.Workspace(rows: 16, train: 48)
        try w.train(["--epochs", "1"], model: "LasagneCAE")
        return w
    }

    /// `layer`'s output for each test image, from a network planned without fusion for one image.
    static func expected(_ w: CommandTests.Workspace, layer: String) throws -> (shape: Shape, values: [Float]) {
        let test = try MNIST.load(DatasetOptions(directory: w.data.directory)).test
        let network = try LasagneCAE.build(input: test.shape, classes: 10)
        network.plan(capacity: 1, threads: 1, training: false, options: Network.PlanOptions(fusion: false))
        _ = try Checkpoint.load(w.log + "/" + run + "/checkpoint.safetensors", into: network, optimizer: nil)
        let layer = try #require(network.layers.first { $0.name == layer })
        let node = try #require(network.nodes(of: layer)).output
        var values: [Float] = []
        for i in 0..<test.count {
            network.inputTensor.load(test.bytes(of: i).map { Float($0) / 255 })
            network.forward(batch: 1, mode: .evaluation)
            values += network.tensor(of: node).values(batch: 1)
        }
        return (network.shape(of: node), values)
    }

    static func extract(_ w: CommandTests.Workspace, _ extra: [String]) throws -> (
        status: Int32, out: String, err: String
    ) {
        try BuiltCommand.run(
            "extract_features",
            [
                "--model", "LasagneCAE", "--dataset", "MNIST", "--data_dir", w.data.directory, "--checkpoint_dir",
                w.log + "/" + run, "--threads", "2", "--batch_size", "5",
            ] + extra)
    }

    static func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }
    }

    @Test func everyFormatHoldsTheLayersOutputForEachImage() throws {
        let w = try Self.trainedRun()
        let labels = try MNIST.load(DatasetOptions(directory: w.data.directory)).test.labels

        // The default layer: the code, dense1 (256 units), as .npy.
        let npy = w.data.path("code.npy")
        let first = try Self.extract(w, ["--output", npy])
        #expect(first.status == 0, "\(first.err)")
        let code = try Self.expected(w, layer: "dense1")
        let array = try NpyReader.read(npy)
        #expect(array.shape == [16, 256] && code.shape == Shape(256))
        let stored = stride(from: array.bytes.startIndex, to: array.bytes.endIndex, by: 4).map { k in
            Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(array.bytes[k + $1]) << (8 * $1) })
        }
        #expect(array.dtype.size == 4 && Self.close(stored, code.values))

        // A fused convolution's inner node (conv2, before its pool), as .safetensors.
        let safetensors = w.data.path("conv2.safetensors")
        let second = try Self.extract(w, ["--layer", "conv2", "--output", safetensors])
        #expect(second.status == 0, "\(second.err)")
        let conv2 = try Self.expected(w, layer: "conv2")
        let file = try SafeTensors.decode(FileBytes.read(safetensors), path: safetensors)
        let features = try #require(file.tensors["features"])
        #expect(features.shape == [16, 32, 2, 2] && conv2.shape == Shape(32, 2, 2))
        #expect(Self.close(features.values, conv2.values))
        #expect(file.tensors["labels"]?.values == labels.map(Float.init))

        // The first pool, as .csv.
        let csv = w.data.path("pool1.csv")
        let third = try Self.extract(w, ["--layer", "pool1", "--split", "test", "--output", csv])
        #expect(third.status == 0, "\(third.err)")
        let pool1 = try Self.expected(w, layer: "pool1")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "label," + (0..<(32 * 6 * 6)).map { "f\($0)" }.joined(separator: ","))
        #expect(rows.count == 17)
        let cells = rows.dropFirst().map { $0.split(separator: ",") }
        #expect(cells.map { Int32($0[0])! } == labels)
        #expect(Self.close(cells.flatMap { $0.dropFirst().map { Float($0)! } }, pool1.values))
    }

    @Test func anUnknownLayerOrFormatIsAUsageErrorAndWritesNothing() throws {
        let w = try Self.trainedRun()
        let output = w.data.path("features.npy")
        let unknown = try Self.extract(w, ["--layer", "conv9", "--output", output])
        #expect(unknown.status == 64, "\(unknown.err)")
        #expect(unknown.err.contains("conv9") && unknown.err.contains("conv1, pool1, conv2, pool2, drop1, dense1"))
        #expect(unknown.err.split(separator: "\n").count == 1)
        let format = try Self.extract(w, ["--output", w.data.path("features.txt")])
        #expect(format.status == 64 && format.err.contains(".npy, .safetensors, .csv"), "\(format.err)")
        for path in [output, w.data.path("features.txt")] { #expect(!FileManager.default.fileExists(atPath: path)) }
    }
}
