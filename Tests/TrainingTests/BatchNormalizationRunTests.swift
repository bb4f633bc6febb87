import DataIO
import Engine
import Foundation
import Inputs
import Models
import Plugins
import Testing

@testable import CLI
@testable import Training

/// A LeNetBN run: its running averages are in the checkpoint beside the weights, a network
/// loaded from it evaluates with them, and a resumed run starts from them.
@Suite(.serialized) struct BatchNormalizationRunTests {
    @Test func runningAveragesAreCheckpointedAndRestored() throws {
        let w = CommandTests.Workspace(rows: 16, train: 48)
        try w.train(["--epochs", "1"], model: "LeNetBN", Classifiers.self)
        let run = w.log + "/LeNetBN/MNIST_Adam_lr=0.01"
        let path = run + "/" + Checkpoint.fileName
        let saved = try SafeTensors.decode(FileBytes.read(path), path: path).tensors
        let names = ["conv1/bn", "conv2/bn", "fc1/bn"].flatMap { ["\($0)/moving_mean", "\($0)/moving_variance"] }
        for name in names {
            let values = try #require(saved[name], "\(name) is not in the checkpoint").values
            #expect(values.contains { $0 != 0 && $0 != 1 }, "\(name) never moved: \(values.prefix(4))")
        }
        #expect(
            !saved.keys.contains { $0.hasPrefix("optimizer/") && $0.contains("moving") }, "statistics are not trained")

        let network = try ModelLoader(LeNetBN.self, input: Shape(1, 16, 16), classes: 10)
            .loaded(checkpoint: path, capacity: 4, threads: 1, training: false)
        for s in network.statistics { #expect(s.values == saved[s.name]?.values, "\(s.name)") }
        let test = try MNIST.load(DatasetOptions(directory: w.data.directory)).test
        let accuracy = try Evaluator.metric(
            of: LeNetBN.self, checkpoint: path, on: test, classes: 10, batchSize: 16, threads: 2)
        #expect(accuracy >= 0 && accuracy <= 1)

        // A resumed run reads them back, then moves them on from there.
        try w.train(["--epochs", "2"], model: "LeNetBN", Classifiers.self)
        let resumed = try SafeTensors.decode(FileBytes.read(path), path: path).tensors
        for name in names { #expect(resumed[name]?.values != saved[name]?.values, "\(name) did not move on") }
    }
}
