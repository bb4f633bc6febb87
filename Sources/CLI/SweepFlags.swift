import ArgumentParser
import Foundation
import Training

/// `sweep`'s flags: what varies (`--grid`, `--random` with `--sample`, `--seed`), where the runs
/// go (`--runner`, `--jobs`, `--sshloginfile`, `--slurm_args`, `--wait`), successive halving
/// (`--stop_after`, `--keep`), and after `--` the training command whose flags the runs start from.
public struct SweepFlags: ParsableArguments {
    @Option(
        name: .customLong("grid"),
        help: ArgumentHelp(
            "A training flag (without dashes) or an --optimizer_args key and its values; every combination runs.",
            valueName: "FLAG=V1,V2,..."))
    var grid: [String] = []

    @Option(name: .customLong("random"), help: "Random samples of the --sample flags, each crossed with the grid.")
    var random: Int?

    @Option(
        name: .customLong("sample"),
        help: ArgumentHelp(
            "A flag's distribution: uniform:A:B, logu:A:B (log-uniform) or choice:V1,V2,...",
            valueName: "FLAG=DISTRIBUTION"))
    var samples: [String] = []

    @Option(name: .customLong("seed"), help: "Seed of the random samples: the same seed draws the same runs.")
    var seed: UInt64 = 42

    @Option(name: .customLong("runner"), help: "Where the runs go.")
    public var runner = SweepRunnerChoice.local

    @Option(name: .customLong("jobs"), help: "Runs at a time (local, parallel); each gets cores / jobs threads.")
    public var jobs = 1

    @Option(name: .customLong("sshloginfile"), help: "With --runner parallel: GNU parallel's list of machines.")
    public var sshLoginFile: String?

    // Unconditional: the value itself starts with dashes (--slurm_args "--partition=cpu").
    @Option(
        name: .customLong("slurm_args"), parsing: .unconditional,
        help: "With --runner slurm: sbatch's own flags, split at spaces.")
    public var slurmArguments: String?

    @Flag(name: .customLong("wait"), help: "With --runner slurm: follow the job array to its end.")
    public var wait = false

    @Option(
        name: .customLong("stop_after"),
        help: ArgumentHelp(
            "Successive halving, with --keep: every run trains E epochs first (the command's --epochs after).",
            valueName: "E"))
    public var stopAfter: Int?

    @Option(
        name: .customLong("keep"),
        help: ArgumentHelp(
            "With --stop_after: the best fraction F of runs by validation metric train on; the others end.",
            valueName: "F"))
    public var keep: Double?

    @Flag(name: .customLong("dry-run"), help: "Write the commands file (and job script) and print, run nothing.")
    public var dryRun = false

    @Argument(
        parsing: .postTerminator,
        help: ArgumentHelp("train_autoencoder or train_classifier and its flags.", valueName: "COMMAND FLAGS"))
    public var command: [String] = []

    public init() {}

    public static let commands = ["train_autoencoder", "train_classifier"]

    public func validate() throws {
        guard let name = command.first else {
            throw ValidationError("sweep: give the training command after --: sweep ... -- train_autoencoder FLAGS...")
        }
        guard Self.commands.contains(name) else {
            throw ValidationError("sweep: COMMAND '\(name)' must be train_autoencoder or train_classifier")
        }
        guard (1...1024).contains(jobs) else { throw ValidationError("--jobs: \(jobs) must be between 1 and 1024") }
        if sshLoginFile != nil && runner != .parallel {
            throw ValidationError("--sshloginfile: needs --runner parallel, which reads it")
        }
        if slurmArguments != nil && runner != .slurm { throw ValidationError("--slurm_args: needs --runner slurm") }
        if wait && runner != .slurm {
            throw ValidationError("--wait: needs --runner slurm (local and parallel sweeps always wait)")
        }
        try validateRung()
        do { _ = try space() } catch { throw ValidationError(error.description) }
    }

    /// `--stop_after` and `--keep` come together; slurm's runs must have ended before the rung
    /// reads them, which only `--wait` knows. E below the runs' `--epochs` is `plan`'s check.
    private func validateRung() throws {
        switch (stopAfter, keep) {
        case (nil, nil): return
        case (_?, nil): throw ValidationError("--stop_after: needs --keep F, the fraction of runs that train on")
        case (nil, _?): throw ValidationError("--keep: needs --stop_after E, the epochs every run trains first")
        case (let epochs?, let fraction?):
            guard epochs >= 1 else { throw ValidationError("--stop_after: \(epochs) must be at least 1") }
            guard fraction > 0 && fraction <= 1 else {
                throw ValidationError("--keep: \(fraction) must be above 0 and at most 1")
            }
            if runner == .slurm && !wait {
                throw ValidationError("--stop_after: with --runner slurm needs --wait, to read the runs once they end")
            }
        }
    }

    /// The rung of successive halving that `--stop_after` and `--keep` ask for, if they do.
    public var rung: SweepRung? {
        guard let stopAfter, let keep else { return nil }
        return SweepRung(epochs: stopAfter, fraction: keep)
    }

    func space() throws(BenchError) -> SweepSpace {
        try SweepSpace(grid: grid, samples: samples, random: random, seed: seed)
    }

    /// The training command's flags as given after its name.
    var baseArguments: SweepArguments { SweepArguments(Array(command.dropFirst())) }

    /// The training command's log root, where `sweeps/` goes.
    public var logDirectory: String { baseArguments.value(of: "log_dir") ?? "log" }

    /// `sweep.json`: these flags, to read beside the commands file.
    public func json() -> Data {
        struct Record: Encodable {
            let grid: [String], random: Int?, sample: [String], seed: UInt64, runner: SweepRunnerChoice, jobs: Int
            let sshloginfile: String?, slurmArgs: String?, wait: Bool, stopAfter: Int?, keep: Double?, dryRun: Bool
            let command: [String]
        }
        let record = Record(
            grid: grid, random: random, sample: samples, seed: seed, runner: runner, jobs: jobs,
            sshloginfile: sshLoginFile, slurmArgs: slurmArguments, wait: wait, stopAfter: stopAfter, keep: keep,
            dryRun: dryRun, command: command)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The flags' own spelling: slurm_args, dry_run.
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding strings, numbers and booleans cannot fail.
        return (try? encoder.encode(record)) ?? Data()
    }
}
