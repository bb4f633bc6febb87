import DataIO
import Engine
import Foundation
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// TensorBoard's own event reader and the safetensors package read what the bench wrote: the
/// script installs them from PyPI into a virtual environment (CI reaches PyPI).
@Suite struct PythonReaderTests {
    static let python = RepositoryScript.pythonInstalled

    @Test(.enabled(if: python, "python3 is not installed"), .timeLimit(.minutes(10)))
    func tensorBoardAndSafetensorsReadTheRun() throws {
        let data = DatasetFiles()
        defer { data.remove() }
        data.writeIdxDataset(train: 96, test: 16, rows: 8, cols: 8, gzip: false)
        let log = data.directory + "/log"
        try TrainingFlags<Autoencoders>.parse([
            "--model", "SingleLayerCAE", "--dataset", "MNIST", "--data_dir", data.directory,
            "--log_dir", log, "--optimizer", "AdamOptimizer",
            "--optimizer_args", #"{"learning_rate": 0.01}"#,
            "--batch_size", "8", "--epochs", "2", "--quiet",
        ]).train()
        let run = log + "/SingleLayerCAE/MNIST_Adam_lr=0.01"

        // What the bench itself reads back from its checkpoint, for Python to compare with.
        let file = try SafeTensors.decode(FileBytes.read(run + "/checkpoint.safetensors"), path: run)
        var expected: [String: Any] = [:]
        for (name, tensor) in file.tensors where !name.hasPrefix("optimizer/") {
            expected[name] = ["shape": tensor.shape, "values": tensor.values.map(Double.init)]
        }
        #expect(expected.count == 4)
        let expectedPath = data.directory + "/expected.json"
        try JSONSerialization.data(withJSONObject: expected).write(to: URL(fileURLWithPath: expectedPath))

        let (status, output) = try RepositoryScript.run("check_python_readers.sh", [run, expectedPath])
        print(output)
        #expect(status == 0, "\(output)")
        #expect(output.contains("checked 4 step scalars, 2 validation scalars, 4 tensors"), "\(output)")
    }

    /// A sweep's runs (two learning rates by `--lr_decay` off and on), one of them resumed for
    /// another epoch, as TensorBoard's HParams plugin reads them: a session each, whose hparams
    /// are the run's flags.json and whose validation accuracy the plugin's table shows.
    @Test(.enabled(if: python, "python3 is not installed"), .timeLimit(.minutes(10)))
    func tensorBoardFindsTheHParamsOfEveryRunOfASweep() throws {
        let data = DatasetFiles()
        defer { data.remove() }
        data.writeIdxDataset(train: 96, test: 16, rows: 16, cols: 16, gzip: false)
        let log = data.directory + "/log"
        let train = [
            "--model", "StandardCNN", "--dataset", "MNIST", "--data_dir", data.directory, "--log_dir", log,
            "--optimizer", "MomentumOptimizer", "--batch_size", "16", "--quiet",
        ]
        let sweep = try BuiltCommand.run(
            "sweep",
            [
                "--jobs", "2", "--grid", "learning_rate=0.01,0.1", "--grid", "lr_decay=false,true", "--",
                "train_classifier",
            ]
                + train + ["--optimizer_args", #"{"learning_rate": 0.05, "momentum": 0.9}"#, "--epochs", "1"])
        #expect(sweep.status == 0, "\(sweep.err)")
        let resumed = try BuiltCommand.run(
            "train_classifier",
            train + ["--optimizer_args", #"{"learning_rate": 0.1, "momentum": 0.9}"#, "--epochs", "2"])
        #expect(resumed.status == 0, "\(resumed.err)")

        let (status, output) = try RepositoryScript.run("check_hparams.sh", [log + "/StandardCNN", "4"])
        print(output)
        #expect(status == 0, "\(output)")
        #expect(output.contains("checked the hparams of 4 runs"), "\(output)")
    }
}
