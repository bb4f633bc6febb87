import DataIO
import Foundation
import Protobufs
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// A run as a session of TensorBoard's HParams dashboard: its flags as the hyperparameters, one
/// session start and end a run folder, also after a resume.
@Suite struct TensorBoardHParamsTests {
    typealias Session = (
        files: Int, starts: [Tensorboard_Hparams_SessionStartInfo], ends: [Tensorboard_Hparams_SessionEndInfo]
    )

    /// The HParams plugin's data in the events files of the run folder itself.
    static func session(_ run: String) throws -> Session {
        let files = try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.contains(".tfevents.") }
        var session: Session = (files.count, [], [])
        for file in files {
            let records = try #require(TFRecords.split(FileBytes.read(run + "/" + file), checksum: CRC32C.masked))
            for record in records {
                for value in try Tensorboard_Event(serializedBytes: record).summary.value {
                    let data = try Tensorboard_Hparams_HParamsPluginData(
                        serializedBytes: value.metadata.pluginData.content)
                    switch data.data {
                    case .sessionStartInfo(let start): session.starts.append(start)
                    case .sessionEndInfo(let end): session.ends.append(end)
                    case .experiment, nil: Issue.record("\(file): \(value.tag) is no session start or end")
                    }
                }
            }
        }
        return session
    }

    @Test func theFlagsOfFlagsJSONAreTheHyperparameters() throws {
        let optimizer = try OptimizerSpec(
            name: "MomentumOptimizer",
            arguments: ["learning_rate": .number(0.05), "momentum": .number(0.9), "use_nesterov": .flag(true)])
        let configuration = RunConfiguration(
            model: "LeNet", dataset: "MNIST", optimizer: optimizer, lrDecay: true, comment: "a", seed: 7)
        let hparams = configuration.hparams
        #expect(hparams["learning_rate"] == .number(0.05) && hparams["momentum"] == .number(0.9))
        #expect(hparams["use_nesterov"] == .flag(true) && hparams["lr_decay"] == .flag(true))
        #expect(hparams["model"] == .text("LeNet") && hparams["comment"] == .text("a") && hparams["seed"] == .number(7))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(configuration)) as? [String: Any]
        let flags = Set(try #require(json).keys)
        #expect(flags.contains("optimizer_args") && hparams["optimizer_args"] == nil)
        #expect(
            Set(hparams.keys)
                == flags.subtracting(["optimizer_args"]).union(["learning_rate", "momentum", "use_nesterov"]))
    }

    /// A resumed run's session replaces the first one (the dashboard keeps the first start and end
    /// it reads), with the flags it resumed with.
    @Test func aResumedRunIsOneSessionWithTheFlagsItResumedWith() throws {
        let data = DatasetFiles()
        defer { data.remove() }
        data.writeIdxDataset(train: 96, test: 16, rows: 8, cols: 8, gzip: false)
        let log = data.directory + "/log"
        func train(epochs: Int) throws {
            try TrainingFlags<Autoencoders>.parse([
                "--model", "SingleLayerCAE", "--dataset", "MNIST", "--data_dir", data.directory, "--log_dir", log,
                "--optimizer", "AdamOptimizer", "--optimizer_args", #"{"learning_rate": 0.01}"#,
                "--batch_size", "16", "--epochs", "\(epochs)", "--quiet",
            ]).train()
        }
        let run = log + "/SingleLayerCAE/MNIST_Adam_lr=0.01"
        for epochs in [1, 2] {
            try train(epochs: epochs)
            let session = try Self.session(run)
            #expect(session.files == 1 && session.starts.count == 1 && session.ends.count == 1)
            #expect(session.starts.first?.hparams["epochs"]?.numberValue == Double(epochs))
            #expect(session.starts.first?.hparams["learning_rate"]?.numberValue == 0.01)
            #expect(session.ends.first?.status == .success)
        }
    }
}
