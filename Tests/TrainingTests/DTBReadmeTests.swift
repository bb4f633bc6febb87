import Foundation
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// DTB's README at commit 9915800, command by command, with `python X.py` renamed to the bench's
/// `X`: the training commands give DTB's run folders (parsed, not run: they train for DTB's
/// default 150 epochs), its line with `--l2_penalty` and no value is a usage error, and its
/// evaluation commands print DTB's line for a LeNet trained here on MNIST-format files.
@Suite(.serialized) struct DTBReadmeTests {
    static let training: [(String, String)] = [
        ("--model LeNet --dataset MNIST", "MNIST_Momentum_lr=0.01"),
        ("--model LeNet --dataset MNIST --l2_penalty 1e-5", "MNIST_Momentum_lr=0.01_l2=1e-05"),
        ("--model LeNet --dataset MNIST --l2_penalty 1e-2", "MNIST_Momentum_lr=0.01_l2=0.01"),
        (
            #"--model LeNet --dataset MNIST --l2_penalty 1e-2 --optimizer_args {"learning_rate":1e-4,"momentum":0.5}"#,
            "MNIST_Momentum_lr=0.0001_l2=0.01"
        ),
    ]

    static func arguments(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }

    @Test(arguments: training)
    func trainingCommandsNameDTBsRunFolders(_ line: String, _ run: String) throws {
        let flags = try TrainingFlags<Classifiers>.parse(Self.arguments(line))
        let configuration = try flags.configuration()
        #expect(configuration.runName == run)
        #expect(configuration.runDirectory == "log/LeNet/" + run)
        #expect(configuration.epochs == 150 && configuration.batchSize == 128)
    }

    @Test func theLineWithoutAnL2PenaltyIsAUsageError() throws {
        let line =
            #"--model LeNet --dataset MNIST --l2_penalty --optimizer_args {"learning_rate":1e-4,"momentum":0.5} --restart"#
        do {
            _ = try TrainingFlags<Classifiers>.parse(Self.arguments(line))
            Issue.record("parsed \(line)")
        } catch {
            #expect(TrainingFlags<Classifiers>.exitCode(for: error).rawValue == 64)
            #expect(TrainingFlags<Classifiers>.message(for: error).contains("--l2_penalty"))
        }
    }

    @Test func evaluationCommandsPrintDTBsLines() throws {
        let data = DatasetFiles()
        defer { data.remove() }
        data.writeIdxDataset(train: 48, test: 16, rows: 16, cols: 16, gzip: true)
        let log = data.directory + "/log"
        try TrainingFlags<Classifiers>.parse(
            Self.arguments(Self.training[0].0)
                + ["--data_dir", data.directory, "--log_dir", log, "--epochs", "1", "--threads", "2", "--quiet"]
        ).train()
        // DTB's README escapes the = for the shell; the trailing slash stays.
        let folder = log + "/LeNet/MNIST_Momentum_lr=0.01/"
        for (extra, split) in [([String](), "validation"), (["--test"], "test")] {
            let result = try BuiltCommand.run(
                "evaluate_classifier",
                ["--model", "LeNet", "--dataset", "MNIST", "--checkpoint_dir", folder, "--data_dir", data.directory]
                    + extra)
            #expect(result.status == 0, "\(result.err)")
            let pattern = #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?: "# + split + #" accuracy = \d\.\d{3}\n$"#
            #expect(result.out.range(of: pattern, options: .regularExpression) != nil, "\(result.out)")
        }
    }
}
