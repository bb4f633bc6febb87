import Testing

@testable import Reporting
@testable import Training

/// `compare_runs`' table: the flags that differ between the runs it lists, as columns, and the
/// runs that ended before their epochs.
@Suite struct RunRecordTests {
    static func record(_ name: String, flags: [String: String], ended: EndedRun.Reason? = nil) -> RunRecord {
        RunRecord(
            model: "LeNet", name: name, directory: "log/LeNet/" + name, kind: "accuracy", epochsDone: 2,
            bestValidation: 0.5, test: 0.25, examplesPerSecond: nil, seconds: 3, curve: [], flags: flags, ended: ended)
    }

    /// A run's columns are its flags under the names `sweep --grid` takes, each optimizer argument
    /// by its own name; the model and the epochs have columns of their own.
    @Test func aRunsFlagsAreNamedAsTheSweepNamesThem() throws {
        let optimizer = try OptimizerSpec(name: "MomentumOptimizer", json: #"{"learning_rate": 0.1, "momentum": 0.5}"#)
        let flags = RunConfiguration(model: "LeNet", dataset: "MNIST", optimizer: optimizer, l2Penalty: 1e-5)
        let columns = RunRecord.columns(of: flags)
        #expect(columns["learning_rate"] == "0.1" && columns["momentum"] == "0.5")
        #expect(
            columns["l2_penalty"] == "1e-05" && columns["batch_size"] == "128"
                && columns["optimizer"] == "MomentumOptimizer")
        #expect(columns["model"] == nil && columns["epochs"] == nil && columns["optimizer_args"] == nil)
        #expect(columns["--seed"] == nil && columns["seed"] == "42")
    }

    /// Only flags whose values are not all equal become columns; a flag one run lacks differs.
    @Test func onlyChangedFlagsBecomeColumns() {
        let runs = [
            Self.record("a", flags: ["seed": "1", "batch_size": "16", "learning_rate": "0.1"]),
            Self.record("b", flags: ["seed": "2", "batch_size": "16", "learning_rate": "0.1", "comment": "x"]),
            Self.record("c", flags: ["seed": "3", "batch_size": "16", "learning_rate": "0.1"], ended: .stoppedBySweep),
        ]
        #expect(RunTable.changedFlags(runs) == ["comment", "seed"])
        #expect(RunTable.changedFlags(Array(runs.prefix(1))) == [])
        let csv = RunTable.render(runs, as: .csv).split(separator: "\n")
        #expect(
            csv == [
                "model,run,metric,epochs,best_validation,test,examples_per_sec,wall_seconds,ended,comment,seed",
                "LeNet,a,accuracy,2,0.5,0.25,-,3.0,-,-,1", "LeNet,b,accuracy,2,0.5,0.25,-,3.0,-,x,2",
                "LeNet,c,accuracy,2,0.5,0.25,-,3.0,stopped_by_sweep,-,3",
            ])
        let markdown = RunTable.render(runs, as: .markdown).split(separator: "\n")
        #expect(
            markdown[0].hasSuffix("| ended | comment | seed |") && markdown[4].hasSuffix("| stopped_by_sweep | - | 3 |")
        )
    }
}
