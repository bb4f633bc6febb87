import Foundation
import Models
import TestSupport
import Testing

@testable import CLI
@testable import Training

/// `sweep`: the grid and random samples, the comments and optimizer_args it writes, every usage
/// error, the job array script, and sweeps run end to end through the built command.
@Suite struct SweepTests {
    static let base = ["train_autoencoder", "--model", "SingleLayerCAE", "--dataset", "MNIST"]

    static func flags(_ sweep: [String], _ command: [String] = base) throws -> SweepFlags {
        try SweepFlags.parse(sweep + ["--"] + command)
    }

    static func plan(_ sweep: [String], _ command: [String] = base, threads: Int? = nil) throws -> [SweepRun] {
        try flags(sweep, command).plan(threads: threads)
    }

    /// A run's value of `--name`.
    static func value(_ run: SweepRun, _ name: String) -> String? { SweepArguments(run.arguments).value(of: name) }

    @Test func gridAndSamplesMultiply() throws {
        #expect(try Self.plan(["--grid", "l2_penalty=0,1e-4", "--grid", "batch_size=16,32,64"]).count == 6)
        #expect(try Self.plan(["--random", "5", "--sample", "learning_rate=logu:1e-4:1e-1"]).count == 5)
        let runs = try Self.plan([
            "--grid", "batch_size=16,32", "--random", "4", "--sample", "learning_rate=logu:1e-4:1e-1",
        ])
        #expect(runs.count == 8)
        // Each sample crossed with the whole grid, the grid varying fastest.
        #expect(runs.map { Self.value($0, "batch_size") } == Array(repeating: ["16", "32"], count: 4).flatMap { $0 })
        #expect(Set(runs.map { Self.value($0, "optimizer_args") }).count == 4)
    }

    @Test func samplesAreReproducibleAndWithinBounds() throws {
        func draw(_ seed: UInt64) throws -> [[SweepValue]] {
            try SweepSpace(
                grid: [], samples: ["momentum=uniform:0.5:0.99", "learning_rate=logu:1e-4:1e-1"], random: 300,
                seed: seed
            ).runs()
        }
        let runs = try draw(42)
        #expect(try draw(42) == runs)
        #expect(try draw(7) != runs)
        let momenta = runs.map { Double($0[0].value)! }, rates = runs.map { Double($0[1].value)! }
        #expect(momenta.allSatisfy { (0.5...0.99).contains($0) } && rates.allSatisfy { (1e-4...1e-1).contains($0) })
        // Log-uniform: each decade holds about a third of the rates; uniform would put 90% in the last.
        for decade in [1e-4, 1e-3, 1e-2] {
            let share = Double(rates.filter { $0 >= decade && $0 < decade * 10 }.count) / 300
            #expect(share > 0.25 && share < 0.42, "\(decade): \(share)")
        }
        // Real samples keep 4 significant digits, for readable run names.
        #expect(runs.allSatisfy { $0[0].value.count <= 6 })
    }

    @Test func integerSamplesAreRounded() throws {
        let space = try SweepSpace(
            grid: [], samples: ["batch_size=uniform:16:128", "epochs=logu:1:20", "seed=choice:1,2,3"], random: 50,
            seed: 1)
        for run in space.runs() {
            let batch = try #require(Int(run[0].value)), epochs = try #require(Int(run[1].value))
            #expect((16...128).contains(batch) && (1...20).contains(epochs) && ["1", "2", "3"].contains(run[2].value))
        }
    }

    @Test func commentsTellApartWhatRunNamesDoNot() throws {
        let runs = try Self.plan(["--grid", "batch_size=32,64", "--grid", "momentum=0.5,0.9"])
        #expect(
            runs.map { Self.value($0, "comment") } == [
                "batch_size=32_momentum=0.5", "batch_size=32_momentum=0.9", "batch_size=64_momentum=0.5",
                "batch_size=64_momentum=0.9",
            ])
        #expect(Set(runs.map(\.directory)).count == 4)
        #expect(runs[0].directory == "log/SingleLayerCAE/MNIST_Momentum_lr=0.01_batch_size=32_momentum=0.5")
        // The run name tells learning rates and L2 penalties apart: no comment.
        let named = try Self.plan(["--grid", "l2_penalty=0,1e-4", "--grid", "learning_rate=0.1,0.01"])
        #expect(named.allSatisfy { Self.value($0, "comment") == nil } && Set(named.map(\.directory)).count == 4)
        // Only the flag the name misses: momentum, not the learning rate.
        let mixed = try Self.plan(["--grid", "learning_rate=0.1,0.01", "--grid", "momentum=0.5,0.9"])
        #expect(
            mixed.map { Self.value($0, "comment") } == ["momentum=0.5", "momentum=0.9", "momentum=0.5", "momentum=0.9"])
        // Appended to the command's own comment; a path's slashes become dashes.
        let commented = try Self.plan(["--grid", "data_dir=/a/b,/c"], Self.base + ["--comment", "try2"])
        #expect(commented.map { Self.value($0, "comment") } == ["try2_data_dir=-a-b", "try2_data_dir=-c"])
    }

    @Test func optimizerArgumentsMergeIntoTheCommandsJSON() throws {
        let defaults = try Self.plan(["--grid", "momentum=0.5"])
        #expect(Self.value(defaults[0], "optimizer_args") == #"{"learning_rate": 0.01, "momentum": 0.5}"#)
        let adam = ["--optimizer", "AdamOptimizer", "--optimizer_args", #"{"learning_rate": 1e-3, "beta2": 0.99}"#]
        let given = try Self.plan(["--grid", "beta1=0.8,0.9", "--grid", "learning_rate=1e-2"], Self.base + adam)
        #expect(given[0].arguments.filter { $0 == "--optimizer_args" }.count == 1)
        #expect(Self.value(given[0], "optimizer_args") == #"{"beta1": 0.8, "beta2": 0.99, "learning_rate": 0.01}"#)
        #expect(given[0].directory == "log/SingleLayerCAE/MNIST_Adam_lr=0.01_beta1=0.8")
        // A swept optimizer decides the defaults each run starts from.
        let swept = try Self.plan(["--grid", "optimizer=GradientDescentOptimizer", "--grid", "learning_rate=0.5"])
        #expect(Self.value(swept[0], "optimizer_args") == #"{"learning_rate": 0.5}"#)
        let nesterov = try Self.plan(["--grid", "use_nesterov=true,false"])
        #expect(nesterov.map { Self.value($0, "optimizer_args")!.contains(#""use_nesterov": true"#) } == [true, false])
    }

    @Test func flagsAreReplacedAndThreadsDivided() throws {
        let runs = try Self.plan(
            ["--grid", "batch_size=16", "--grid", "lr_decay=true,false"], Self.base + ["--batch_size=8", "--lr_decay"],
            threads: 3)
        #expect(
            runs[0].arguments == Array(Self.base.dropFirst()) + ["--batch_size", "16", "--lr_decay", "--threads", "3"])
        #expect(runs[1].arguments == Array(Self.base.dropFirst()) + ["--batch_size", "16", "--threads", "3"])
        let own = try Self.plan(["--grid", "seed=1,2"], Self.base + ["--threads", "1"], threads: 3)
        #expect(own.allSatisfy { Self.value($0, "threads") == "1" && !$0.arguments.contains("3") })
        #expect(try Self.plan(["--grid", "seed=1"]).allSatisfy { !$0.arguments.contains("--threads") })
    }

    @Test func aChoiceDrawnTwiceRunsOnce() throws {
        let runs = try Self.plan(["--random", "20", "--sample", "seed=choice:1,2"])
        #expect(runs.count == 2 && Set(runs.map { Self.value($0, "comment") }) == ["seed=1", "seed=2"])
    }

    /// The usage errors, each one line naming the flag, exit 64.
    @Test(arguments: [
        (["--grid", "foo=1"], [String](), "--grid foo: not a training flag"),
        (["--grid", "batch_size"], [], "--grid: 'batch_size' must be FLAG=V1,V2,..."),
        (["--grid", "batch_size=16,,32"], [], "--grid batch_size: '16,,32' must be a comma list of values"),
        (["--grid", "seed=1", "--grid", "seed=2"], [], "--grid seed: seed is swept twice"),
        (["--grid", "lr_decay=yes"], [], "--grid lr_decay: 'yes' must be true or false"),
        (["--random", "3"], [], "--random: needs at least one --sample FLAG=DISTRIBUTION"),
        (["--sample", "momentum=uniform:0:1"], [], "--sample: needs --random N"),
        (["--random", "0", "--sample", "momentum=uniform:0:1"], [], "--random: 0 must be between 1 and 100000"),
        (
            ["--random", "2", "--sample", "momentum=normal:0:1"], [],
            "--sample momentum: 'normal:0:1' is not uniform:A:B"
        ),
        (["--random", "2", "--sample", "momentum=uniform:1:0.5"], [], "--sample momentum: uniform:1:0.5 needs A < B"),
        (["--random", "2", "--sample", "momentum=uniform:1:1"], [], "--sample momentum: uniform:1:1 needs A < B"),
        (["--random", "2", "--sample", "momentum=uniform:a:1"], [], "--sample momentum: 'uniform:a:1' must be"),
        (["--random", "2", "--sample", "learning_rate=logu:0:1"], [], "--sample learning_rate: logu:0:1 needs A > 0"),
        (["--random", "2", "--sample", "optimizer=uniform:0:1"], [], "--sample optimizer: uniform needs a numeric"),
        (
            ["--random", "2", "--sample", "learning_rate=logu:1e-3:1e-1", "--grid", "learning_rate=1"], [],
            "--sample learning_rate: learning_rate is swept twice"
        ),
        ([], [], "sweep: nothing to sweep"),
        (
            ["--grid", "seed=1"], ["bench", "--model", "LeNet"],
            "sweep: COMMAND 'bench' must be train_autoencoder or train_classifier"
        ),
        (["--grid", "seed=1", "--jobs", "0"], [], "--jobs: 0 must be between 1 and 1024"),
        (["--grid", "seed=1", "--sshloginfile", "hosts"], [], "--sshloginfile: needs --runner parallel"),
        (["--grid", "seed=1", "--slurm_args", "-p cpu"], [], "--slurm_args: needs --runner slurm"),
        (["--grid", "seed=1", "--wait"], [], "--wait: needs --runner slurm"),
        (["--grid", "seed=1", "--runner", "cloud"], [], "--runner"),
        (
            ["--grid", "batch_size=16,0"], [],
            "sweep: the run batch_size=0: --batch_size: 0 must be between 1 and 65536"
        ),
        (["--grid", "momentum=0.5"], ["--optimizer", "AdamOptimizer"], "AdamOptimizer has no argument 'momentum'"),
        (["--grid", "momentum=abc"], [], "sweep: momentum = 'abc' is not a finite number"),
        (["--grid", "model=NoSuchModel"], [], "sweep: the run model=NoSuchModel: "),
        (
            ["--grid", "input_noise=gaussian:0.1"], ["train_classifier", "--model", "LeNet", "--dataset", "MNIST"],
            "--input_noise: input noise is for autoencoders"
        ),
        (["--grid", "momentum=0.5"], ["--optimizer_args", "{"], "--optimizer_args: not a JSON object"),
        (["--grid", "seed=1,2", "--stop_after", "2"], [], "--stop_after: needs --keep F"),
        (["--grid", "seed=1,2", "--keep", "0.5"], [], "--keep: needs --stop_after E"),
        (["--grid", "seed=1,2", "--stop_after", "0", "--keep", "0.5"], [], "--stop_after: 0 must be at least 1"),
        (["--grid", "seed=1,2", "--stop_after", "1", "--keep", "0"], [], "--keep: 0.0 must be above 0 and at most 1"),
        (["--grid", "seed=1,2", "--stop_after", "1", "--keep", "1.5"], [], "--keep: 1.5 must be above 0"),
        (
            ["--grid", "seed=1,2", "--stop_after", "1", "--keep", "0.5", "--runner", "slurm"], [],
            "--stop_after: with --runner slurm needs --wait"
        ),
        (
            ["--grid", "seed=1,2", "--stop_after", "3", "--keep", "0.5"], ["--epochs", "3"],
            "--stop_after: 3 must be below the --epochs of the run seed=1 (3)"
        ),
        (
            ["--grid", "epochs=5,2", "--stop_after", "2", "--keep", "0.5"], [],
            "--stop_after: 2 must be below the --epochs of the run epochs=2 (2)"
        ),
    ])
    func usageErrors(sweep: [String], command: [String], message: String) {
        // A command of its own, or flags added to the base command.
        let commandLine = command.first?.hasPrefix("--") == false ? command : Self.base + command
        let result: (message: String, code: Int32)
        do {
            let flags = try SweepFlags.parse(sweep + ["--"] + commandLine)
            _ = try flags.plan(threads: nil)
            Issue.record("\(sweep) \(command) was accepted")
            return
        } catch let error as BenchError {
            result = (error.description, error.exitCode)
        } catch {
            result = (oneLine(SweepFlags.message(for: error)), SweepFlags.exitCode(for: error).rawValue)
        }
        #expect(result.code == 64 && result.message.contains(message) && !result.message.contains("\n"), "\(result)")
    }

    /// The first rung's commands are the runs' own with the rung's --epochs, in the same folders.
    @Test func firstRungCommandsTrainTheRungsEpochs() throws {
        let runs = try Self.plan(
            ["--grid", "l2_penalty=0,1e-4", "--stop_after", "2", "--keep", "0.5"], Self.base + ["--epochs", "6"])
        #expect(runs.map(\.epochs) == [6, 6])
        #expect(runs.map { SweepArguments($0.arguments(epochs: 2)).value(of: "epochs") } == ["2", "2"])
        #expect(runs.map { SweepArguments($0.arguments).value(of: "epochs") } == ["6", "6"])
        #expect(try Self.flags(["--grid", "seed=1", "--stop_after", "2", "--keep", "0.5"]).rung?.fraction == 0.5)
    }

    /// Every flag TrainingFlags takes can be swept, and every sweepable training flag is one of them.
    @Test func sweepableFlagsAreTheTrainingFlags() {
        // Each option's line of the help starts with its name.
        let help = TrainingFlags<Autoencoders>.helpMessage(includeHidden: true, columns: 1000)
        let options = help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2).prefix { $0 != " " }) }
        #expect(Set(options) == Set(SweepFlag.trainingFlags.keys))
        #expect(SweepFlag("momentum")?.isOptimizerArgument == true && SweepFlag("use_nesterov")?.kind == .boolean)
    }

    @Test func shellQuotingRoundTrips() throws {
        let words = ["plain/path-1.0", #"{"learning_rate": 0.01}"#, "it's", "", "a b\tc", "$HOME", "x;y", "é"]
        #expect(shellQuoted("plain/path-1.0") == "plain/path-1.0" && shellQuoted("it's") == #"'it'\''s'"#)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s\\n' " + shellCommandLine(words)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output == words.joined(separator: "\n") + "\n")
    }

    @Test func slurmJobArray() {
        let array = SlurmJobArray(
            commandsPath: "/w/log/sweeps/t/commands", count: 6, workingDirectory: "/w dir",
            outputDirectory: "/w/log/sweeps/t")
        let lines = array.script.split(separator: "\n")
        #expect(
            lines.contains("#SBATCH --array=0-5") && lines.contains("#SBATCH --output=/w/log/sweeps/t/slurm-%A_%a.out"))
        #expect(lines.contains("cd '/w dir' || exit 1"))
        #expect(lines.contains(#"eval "exec $(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" /w/log/sweeps/t/commands)""#))
        #expect(
            SlurmJobArray.sbatch(scriptPath: "/s.sbatch", slurmArguments: " --partition=cpu  --time=1:00:00")
                == ["sbatch", "--parsable", "--partition=cpu", "--time=1:00:00", "/s.sbatch"])
        #expect(
            SlurmJobArray.sbatch(scriptPath: "/s.sbatch", slurmArguments: nil) == ["sbatch", "--parsable", "/s.sbatch"])
    }

    @Test func parallelJobLogNamesFailedRuns() {
        let log = """
            Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand
            1\t:\t1.0\t2.0\t0\t0\t0\t0\t/bin/train_autoencoder --seed 1
            2\t:\t1.0\t2.0\t0\t0\t66\t0\t/bin/train_autoencoder --seed 2
            3\tnode1\t1.0\t2.0\t0\t0\t-1\t9\t/bin/train_autoencoder --comment 'a\tb'
            """
        #expect(
            ParallelJobLog(log).failures == [
                "sweep: run 2 failed (exit 66): /bin/train_autoencoder --seed 2",
                "sweep: run 3 failed (killed by signal 9): /bin/train_autoencoder --comment 'a\tb'",
            ])
    }

    @Test func slurmTaskStates() {
        let running = SlurmTaskStates(sacct: "77_0|COMPLETED|0:0\n77_1|RUNNING|0:0\n77_[2-3]|PENDING|0:0\n")
        #expect(!running.finished(count: 4) && running.failed.isEmpty)
        let done = SlurmTaskStates(
            sacct: "77_0|COMPLETED|0:0\n77_1|FAILED|1:0\n77_2|CANCELLED by 1000|0:15\n77_3|COMPLETED|0:0\n")
        #expect(done.finished(count: 4))
        #expect(done.failed.map { "\($0.task) \($0.state) \($0.exitCode)" } == ["1 FAILED 1:0", "2 CANCELLED 0:15"])
    }

    /// A cluster without accounting: `scontrol show job -o`, one line a task, the pending rest of
    /// the array as one line with a range; what was seen stays when the controller forgets it.
    @Test func slurmTaskStatesFromTheController() {
        let running = SlurmTaskStates(
            scontrol: """
                JobId=9 ArrayJobId=7 ArrayTaskId=2-3 JobName=sweep JobState=PENDING Reason=Resources ExitCode=0:0
                JobId=8 ArrayJobId=7 ArrayTaskId=1 JobName=sweep JobState=RUNNING Reason=None ExitCode=0:0
                JobId=7 ArrayJobId=7 ArrayTaskId=0 JobName=sweep JobState=FAILED Reason=NonZeroExitCode \
                DerivedExitCode=0:0 ExitCode=143:0 Command=/w/sweep.sbatch
                """)
        #expect(running.tasks.keys.sorted() == [0, 1] && !running.finished(count: 4))
        #expect(running.failed.map { "\($0.task) \($0.state) \($0.exitCode)" } == ["0 FAILED 143:0"])
        let later = running.updated(
            with: SlurmTaskStates(
                scontrol: """
                    JobId=8 ArrayJobId=7 ArrayTaskId=1 JobState=COMPLETED ExitCode=0:0
                    JobId=10 ArrayJobId=7 ArrayTaskId=2 JobState=COMPLETED ExitCode=0:0
                    JobId=9 ArrayJobId=7 ArrayTaskId=3 JobState=CANCELLED ExitCode=0:15
                    """))
        #expect(later.finished(count: 4))
        #expect(later.failed.map { "\($0.task) \($0.state)" } == ["0 FAILED", "3 CANCELLED"])
    }
}

/// `sweep` as a user runs it: the built command, tiny MNIST runs.
@Suite(.serialized) struct SweepCommandTests {
    final class Workspace {
        let data = DatasetFiles()
        var log: String { data.directory + "/log" }
        init() { data.writeIdxDataset(train: 96, test: 16, rows: 8, cols: 8, gzip: true) }
        deinit { data.remove() }

        /// `-- train_autoencoder FLAGS`: `epochs` of SingleLayerCAE on the dataset (or none).
        func command(dataDirectory: Bool = true, epochs: Int = 1) -> [String] {
            ["--", "train_autoencoder", "--model", "SingleLayerCAE", "--dataset", "MNIST"]
                + (dataDirectory ? ["--data_dir", data.directory] : [])
                + [
                    "--log_dir", log, "--optimizer", "AdamOptimizer", "--optimizer_args", #"{"learning_rate": 0.01}"#,
                    "--batch_size", "16", "--epochs", String(epochs), "--quiet",
                ]
        }

        /// The one sweep folder under the log root.
        func sweepFolder() throws -> String {
            let names = try FileManager.default.contentsOfDirectory(atPath: log + "/sweeps")
            try #require(names.count == 1, "\(names)")
            return log + "/sweeps/" + names[0]
        }

        func lines(_ path: String) -> [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    @Test func localSweepRunsEveryRun() throws {
        let w = Workspace()
        let result = try BuiltCommand.run(
            "sweep", ["--runner", "local", "--jobs", "2", "--grid", "l2_penalty=0,1e-4"] + w.command())
        #expect(result.status == 0, "\(result.err)")
        for run in ["MNIST_Adam_lr=0.01", "MNIST_Adam_lr=0.01_l2=0.0001"] {
            #expect(FileManager.default.fileExists(atPath: "\(w.log)/SingleLayerCAE/\(run)/flags.json"), "\(run)")
        }
        let folder = try w.sweepFolder()
        let commands = w.lines(folder + "/commands")
        #expect(
            commands.count == 2 && commands.allSatisfy { $0.hasPrefix(BuiltCommand.path("train_autoencoder") + " ") })
        // Two jobs share the machine's cores.
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        #expect(commands.allSatisfy { $0.contains("--threads \(threads)") && $0.contains("--l2_penalty ") })
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/sweep.json")))
        let record = try #require(json as? [String: Any])
        #expect(record["grid"] as? [String] == ["l2_penalty=0,1e-4"] && record["jobs"] as? Int == 2)
        #expect(
            record["runner"] as? String == "local" && (record["command"] as? [String])?.first == "train_autoencoder")
    }

    /// Successive halving: both runs train an epoch, the one with the lower reconstruction error
    /// trains on to two and the other is marked ended as an early-stopped run is, its results
    /// lines those of its epoch; compare_runs shows the mark and the flag that differs.
    @Test func halvingStopsTheWorseRunAndTrainsTheBetterOn() throws {
        let w = Workspace()
        let result = try BuiltCommand.run(
            "sweep",
            ["--stop_after", "1", "--keep", "0.5", "--grid", "learning_rate=0.01,0.0001"] + w.command(epochs: 2))
        #expect(result.status == 0, "\(result.err)")
        let names = ["MNIST_Adam_lr=0.01", "MNIST_Adam_lr=0.0001"]
        let runs = names.map { "\(w.log)/SingleLayerCAE/\($0)" }
        let logs = runs.map(EpochsLog.init(runDirectory:))
        let firsts = logs.map { $0.rows.first?.validation ?? .nan }
        try #require(logs.map(\.metric) == ["reconstruction_error", "reconstruction_error"] && firsts[0] != firsts[1])
        let (kept, stopped) = firsts[0] < firsts[1] ? (0, 1) : (1, 0)
        #expect(logs[kept].rows.map(\.epoch) == [1, 2] && logs[stopped].rows.map(\.epoch) == [1])
        #expect(
            try EndedRun.read(runDirectory: runs[stopped])
                == EndedRun(
                    reason: .stoppedBySweep, epoch: 1, metric: "reconstruction_error", bestMetric: firsts[stopped],
                    bestEpoch: 1))
        #expect(try EndedRun.read(runDirectory: runs[kept]) == nil)
        // The stopped run's results lines are its epoch's; the kept one's rung line, then its last.
        for file in ["validation_results.txt", "test_results.txt"] {
            let lines = w.lines(w.log + "/" + file)
            let of = { (run: Int) in lines.filter { $0.contains(" SingleLayerCAE: \(names[run]) ") } }
            #expect(of(stopped).count == 1 && of(kept).count == 2, "\(file): \(lines)")
        }
        let validation = w.lines(w.log + "/validation_results.txt")
        #expect(validation.contains { $0.hasSuffix(" SingleLayerCAE: \(names[stopped]) \(firsts[stopped])") })
        let best = try #require(logs[kept].best()?.value)
        #expect(validation.last { $0.contains(names[kept] + " ") }?.hasSuffix(" \(best)") == true)
        // The decision, in the sweep folder and in the output; the kept run's command, in full.
        let folder = try w.sweepFolder()
        #expect(
            w.lines(folder + "/rung.csv") == [
                "run,validation_reconstruction_error,verdict", "\(runs[kept]),\(firsts[kept]),kept",
                "\(runs[stopped]),\(firsts[stopped]),stopped",
            ])
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/sweep.json")))
        let record = try #require(json as? [String: Any])
        #expect(record["stop_after"] as? Int == 1 && record["keep"] as? Double == 0.5, "\(record)")
        #expect(result.out.contains("sweep: after epoch 1, 1 of 2 runs go on to their --epochs"), "\(result.out)")
        #expect(result.out.contains("  stopped    \(firsts[stopped])"), "\(result.out)")
        #expect(w.lines(folder + "/commands").allSatisfy { $0.hasSuffix("--epochs 1") })
        let again = w.lines(folder + "/kept_commands")
        #expect(
            again.count == 1 && again[0].contains("--epochs 2")
                && again[0].contains(#""learning_rate": "# + (kept == 0 ? "0.01}" : "0.0001}")))
        // compare_runs: the better run first, the stopped one marked; only the learning rate differs.
        let table = try BuiltCommand.run("compare_runs", [w.log, "--format", "csv"])
        let rows = table.out.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        try #require(table.status == 0 && rows.count == 3, "\(table)")
        #expect(rows[0].suffix(2) == ["ended", "learning_rate"])
        #expect(rows[1][1] == names[kept] && rows[1].suffix(2) == ["-", kept == 0 ? "0.01" : "0.0001"])
        #expect(rows[2][1] == names[stopped] && rows[2][3] == "1" && rows[2][8] == "stopped_by_sweep")
    }

    @Test func aFailedRunIsNamed() throws {
        let w = Workspace()
        let result = try BuiltCommand.run(
            "sweep", ["--grid", "data_dir=\(w.data.directory),/nonexistent"] + w.command(dataDirectory: false))
        #expect(result.status == 1)
        let errors = result.err.split(separator: "\n").filter { $0.contains("sweep: run") }
        #expect(errors.count == 1 && errors[0].contains("sweep: run 2 failed (exit 66): "), "\(result.err)")
        #expect(errors[0].contains("/nonexistent"))
    }

    @Test func dryRunWritesAndPrintsWithoutRunning() throws {
        let w = Workspace()
        let result = try BuiltCommand.run("sweep", ["--dry-run", "--grid", "batch_size=16,32"] + w.command())
        #expect(result.status == 0, "\(result.err)")
        let folder = try w.sweepFolder()
        #expect(result.out.split(separator: "\n").dropFirst().map(String.init) == w.lines(folder + "/commands"))
        #expect(w.lines(folder + "/commands").map { $0.contains("--comment batch_size=") } == [true, true])
        #expect(!FileManager.default.fileExists(atPath: w.log + "/SingleLayerCAE"))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/sweep.json")))
        let record = try #require(json as? [String: Any])
        #expect(record["dry_run"] as? Bool == true && record["seed"] as? Int == 42 && record["random"] == nil)
    }

    @Test func slurmDryRunWritesTheJobArray() throws {
        let w = Workspace()
        let result = try BuiltCommand.run(
            "sweep",
            [
                "--runner", "slurm", "--slurm_args", "--partition=cpu --time=2:00:00", "--dry-run", "--grid",
                "l2_penalty=0,1e-5,1e-4",
            ] + w.command())
        #expect(result.status == 0, "\(result.err)")
        let folder = try w.sweepFolder()
        let script = w.lines(folder + "/sweep.sbatch")
        #expect(script.contains("#SBATCH --array=0-2") && script.contains { $0.contains(folder + "/commands") })
        #expect(result.out.contains("sbatch --parsable --partition=cpu --time=2:00:00 \(folder)/sweep.sbatch"))
        // Slurm tasks keep every core of their allocation.
        #expect(w.lines(folder + "/commands").allSatisfy { !$0.contains("--threads") })
    }

    /// The runners' programs, stand-ins on PATH: exit 69 where one is missing; GNU parallel's command
    /// line and job log, sbatch's command line, sacct's failed task.
    @Test func runnersCallTheirPrograms() throws {
        let w = Workspace()
        let bin = w.data.directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        func sweep(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
            try BuiltCommand.run("sweep", arguments + w.command(), searchPath: bin)
        }
        func script(_ name: String, _ body: String) throws {
            try ("#!/bin/sh\n" + body).write(toFile: bin + "/" + name, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/" + name)
        }
        // A sweep without the training command built beside it.
        let lone = bin + "/sweep"
        try FileManager.default.copyItem(atPath: BuiltCommand.path("sweep"), toPath: lone)
        let alone = Process()
        alone.executableURL = URL(fileURLWithPath: lone)
        alone.arguments = ["--grid", "seed=1,2"] + w.command()
        alone.standardError = Pipe()
        try alone.run()
        alone.waitUntilExit()
        #expect(alone.terminationStatus == 69)
        #expect(!FileManager.default.fileExists(atPath: w.log + "/sweeps"), "a sweep folder without runs")
        let parallel = try sweep(["--runner", "parallel", "--grid", "seed=1,2"])
        #expect(parallel.status == 69 && parallel.err.contains("needs parallel, which is not on PATH"), "\(parallel)")
        // A stand-in GNU parallel: records its arguments and the commands, and logs run 2 as failed.
        try script(
            "parallel",
            """
            echo "$@" > \(bin)/parallel.args
            /bin/cat > \(bin)/parallel.stdin
            while [ $# -gt 0 ]; do [ "$1" = --joblog ] && log=$2; shift; done
            printf 'Seq\\tHost\\tStarttime\\tJobRuntime\\tSend\\tReceive\\tExitval\\tSignal\\tCommand\\n' > "$log"
            printf '2\\t:\\t0\\t1\\t0\\t0\\t3\\t0\\tthe command\\n' >> "$log"
            exit 1
            """)
        let hosts = w.data.path("hosts")
        let viaParallel = try sweep([
            "--runner", "parallel", "--jobs", "2", "--sshloginfile", hosts, "--grid", "seed=1,2",
        ])
        #expect(viaParallel.status == 1 && viaParallel.err.contains("sweep: run 2 failed (exit 3): the command"))
        let given = try #require(w.lines(bin + "/parallel.args").first?.split(separator: " ").map(String.init))
        let log = try #require(given.firstIndex(of: "--joblog").map { given[$0 + 1] })
        let cwd = FileManager.default.currentDirectoryPath
        #expect(
            given == [
                "--jobs", "2", "--halt", "never", "--line-buffer", "--joblog", log, "--sshloginfile", hosts,
                "--workdir",
                cwd,
            ])
        let folder = String(log.dropLast("/joblog".count))
        #expect(
            w.lines(bin + "/parallel.stdin") == w.lines(folder + "/commands")
                && w.lines(folder + "/commands").count == 2)
        // A stand-in sbatch that records its arguments and answers with a job id.
        try script("sbatch", "echo \"$@\" > \(bin)/sbatch.args\necho 4242\n")
        let slurm = try sweep(["--runner", "slurm", "--slurm_args", "-p cpu", "--grid", "seed=1,2"])
        #expect(slurm.status == 0 && slurm.out.contains("submitted job array 4242 (2 tasks)"), "\(slurm)")
        let submitted = w.lines(bin + "/sbatch.args")
        #expect(submitted.count == 1 && submitted[0].hasPrefix("--parsable -p cpu \(w.log)/sweeps/"))
        #expect(submitted.first?.hasSuffix("/sweep.sbatch") == true)
        // --wait: sacct finds task 1 failed.
        try script("sacct", "printf '4242_0|COMPLETED|0:0\\n4242_1|FAILED|2:0\\n'\n")
        let waited = try sweep(["--runner", "slurm", "--wait", "--grid", "seed=1,2"])
        #expect(waited.status == 1 && waited.err.contains("sweep: task 1 failed (FAILED, exit 2:0): "), "\(waited)")
        #expect(waited.err.contains("--seed 2") && !waited.err.contains("task 0"))
        // Without accounting (no slurmdbd), sacct fails and --wait asks the controller.
        try script("sacct", "echo 'Slurm accounting storage is disabled' >&2\nexit 1\n")
        try script(
            "scontrol",
            """
            echo "$@" > \(bin)/scontrol.args
            echo 'JobId=4243 ArrayJobId=4242 ArrayTaskId=0 JobState=COMPLETED ExitCode=0:0'
            echo 'JobId=4242 ArrayJobId=4242 ArrayTaskId=1 JobState=FAILED ExitCode=143:0'
            """)
        let controller = try sweep(["--runner", "slurm", "--wait", "--grid", "seed=1,2"])
        #expect(controller.status == 1 && controller.err.contains("following job array 4242 through scontrol"))
        #expect(controller.err.contains("sweep: task 1 failed (FAILED, exit 143:0): "), "\(controller)")
        #expect(w.lines(bin + "/scontrol.args") == ["show job -o 4242"])
    }
}
