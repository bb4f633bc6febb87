import DataIO
import Engine
import Foundation
import Models
import Plugins
import TestSupport
import Testing

@testable import CLI
@testable import Training

#if canImport(Glibc)
import Glibc
#endif

/// `--lr_schedule`, `--warmup_epochs` and `--early_stopping_patience`: the rates against hand
/// computation, plateau's and early stopping's counts through checkpoints, the ended mark, and
/// runs killed and resumed on the same rates as one run.
@Suite(.serialized) struct TrainingControlTests {
    typealias Workspace = CommandTests.Workspace

    static func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(abs(a), abs(b)) }

    // MARK: The schedule, by hand

    @Test func exponentialDecaysContinuouslyOverTheDecayPeriod() {
        let rates = LearningRateSchedule(
            baseRate: 0.1, kind: .exponential, decayEpochs: 2, decayFactor: 0.5, stepsPerEpoch: 10, totalSteps: 100)
        #expect(rates.rate(atStep: 0) == 0.1)
        // 0.1 * 0.5^(10 / 20) = 0.1 / sqrt(2)
        #expect(Self.near(rates.rate(atStep: 10), 0.070_710_678_118_654_77))
        #expect(Self.near(rates.rate(atStep: 20), 0.05))
        // 0.1 * 0.5^(35 / 20) = 0.1 * 0.5^1.75
        #expect(Self.near(rates.rate(atStep: 35), 0.029_730_177_875_068_03))
    }

    @Test func cosineFallsFromTheRateToZeroOverTheRunsSteps() {
        let rates = LearningRateSchedule(baseRate: 0.1, kind: .cosine, stepsPerEpoch: 10, totalSteps: 40)
        #expect(rates.rate(atStep: 0) == 0.1)
        // 0.1 * (1 + cos(pi / 4)) / 2
        #expect(Self.near(rates.rate(atStep: 10), 0.085_355_339_059_327_38))
        #expect(Self.near(rates.rate(atStep: 20), 0.05))
        // 0.1 * (1 + cos(39 pi / 40)) / 2
        #expect(Self.near(rates.rate(atStep: 39), 0.000_154_133_313_343_601_8))
    }

    @Test func plateauIsTheRateTimesItsReductions() {
        let rates = LearningRateSchedule(baseRate: 0.1, kind: .plateau, stepsPerEpoch: 10, totalSteps: 40)
        #expect(rates.rate(atStep: 7) == 0.1)
        #expect(
            Self.near(rates.rate(atStep: 7, plateau: PlateauState(scale: 0.25, epochsWithoutImprovement: 1)), 0.025))
    }

    /// Warmup multiplies the schedule's value by min(1, (step + 1) / (W * steps per epoch)); the
    /// schedule keeps its own clock.
    @Test func warmupRampsLinearlyOnTopOfTheSchedule() {
        let constant = LearningRateSchedule(baseRate: 0.1, warmupEpochs: 2, stepsPerEpoch: 10, totalSteps: 100)
        #expect(Self.near(constant.rate(atStep: 0), 0.005))  // 0.1 * 1 / 20
        #expect(Self.near(constant.rate(atStep: 9), 0.05))  // 0.1 * 10 / 20
        #expect(constant.rate(atStep: 19) == 0.1)
        #expect(constant.rate(atStep: 25) == 0.1)
        let cosine = LearningRateSchedule(
            baseRate: 0.1, kind: .cosine, warmupEpochs: 1, stepsPerEpoch: 10, totalSteps: 40)
        // 0.1 * (1 + cos(4 pi / 40)) / 2 * 5 / 10
        #expect(Self.near(cosine.rate(atStep: 4), 0.048_776_412_907_378_84))
        #expect(Self.near(cosine.rate(atStep: 10), 0.085_355_339_059_327_38))
        let staircase = LearningRateSchedule(
            baseRate: 0.1, staircase: true, decayEpochs: 1, decayFactor: 0.5, warmupEpochs: 2, stepsPerEpoch: 10,
            totalSteps: 100)
        #expect(Self.near(staircase.rate(atStep: 14), 0.1 * 0.5 * 15 / 20))
    }

    /// The curve is the current `--epochs`'s: a run resumed with more follows the longer curve
    /// from the step it stands at.
    @Test func cosineFollowsTheLongerRunsCurveAfterAResumeWithMoreEpochs() throws {
        let adam = try OptimizerSpec(name: "AdamOptimizer", json: #"{"learning_rate": 0.01}"#)
        let c = RunConfiguration(model: "M", dataset: "D", optimizer: adam, epochs: 2, lrSchedule: .cosine)
        let two = c.learningRates(over: try EpochSchedule(epochs: 2, stepsPerEpoch: 6))
        let four = c.learningRates(over: try EpochSchedule(epochs: 4, stepsPerEpoch: 6))
        #expect(Self.near(two.rate(atStep: 6), 0.005))
        #expect(Self.near(four.rate(atStep: 12), 0.005))

        let w = Workspace()
        try w.train(["--epochs", "2", "--lr_schedule", "cosine"])
        try w.train(["--epochs", "4", "--lr_schedule", "cosine"])
        try w.train(["--epochs", "4", "--lr_schedule", "cosine", "--comment", "straight"])
        let resumed = Self.loggedRates(w.log + "/SingleLayerCAE/MNIST_Adam_lr=0.01_cosine_lr/train/steps.csv")
        let straight = Self.loggedRates(
            w.log + "/SingleLayerCAE/MNIST_Adam_lr=0.01_cosine_lr_straight/train/steps.csv")
        // A row's rate is its last step's (step - 1 steps done before it).
        #expect(resumed.map(\.step) == [6, 10, 12, 18, 20, 24])
        for (step, rate) in resumed {
            #expect(rate == (step <= 12 ? two : four).rate(atStep: step - 1), "step \(step)")
        }
        #expect(resumed.dropFirst(3).map(\.step) == straight.dropFirst(3).map(\.step))
        #expect(resumed.dropFirst(3).map(\.rate) == straight.dropFirst(3).map(\.rate))
    }

    static func loggedRates(_ path: String) -> [(step: Int, rate: Double)] {
        let rows = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
        return rows.map { row in
            let fields = row.split(separator: ",")
            return (Int(fields[0])!, Double(fields[3])!)
        }
    }

    // MARK: Plateau and improvement

    @Test func improvementsMustBeatTheLastOneByMinDeltaInTheMetricsDirection() {
        var accuracy = ValidationProgress()
        // Gains below min_delta do not move the reference: 0.512 is measured against 0.5.
        let upwards = [0.5, 0.505, 0.512, 0.3, .nan].map { accuracy.record($0, higherIsBetter: true, minDelta: 0.01) }
        #expect(upwards == [true, false, true, false, false])
        #expect(accuracy == ValidationProgress(reference: 0.512, epochsWithoutImprovement: 2))

        var error = ValidationProgress()
        let downwards = [(0.1, 0.01), (0.095, 0.01), (0.2, 0), (0.08, 0.01)].map {
            error.record($0, higherIsBetter: false, minDelta: $1)
        }
        #expect(downwards == [true, false, false, true])
        #expect(error == ValidationProgress(reference: 0.08, epochsWithoutImprovement: 0))
        #expect(!EarlyStopping(patience: 2).stops(after: ValidationProgress(reference: 1, epochsWithoutImprovement: 1)))
        #expect(EarlyStopping(patience: 2).stops(after: ValidationProgress(reference: 1, epochsWithoutImprovement: 2)))
    }

    @Test func plateauReducesAfterItsPatienceAndCountsAfresh() {
        let rates = LearningRateSchedule(
            baseRate: 0.1, kind: .plateau, decayFactor: 0.5, plateauPatience: 2, stepsPerEpoch: 10, totalSteps: 100)
        var state = PlateauState()
        var scales: [Double] = []
        for improved in [true, false, false, false, true, false, false] {
            state = rates.plateau(after: state, improved: improved)
            scales.append(state.scale)
        }
        #expect(scales == [1, 1, 0.5, 0.5, 0.5, 0.5, 0.25])
        #expect(state.epochsWithoutImprovement == 0)
        let cosine = LearningRateSchedule(baseRate: 0.1, kind: .cosine, stepsPerEpoch: 10, totalSteps: 100)
        #expect(cosine.plateau(after: PlateauState(), improved: false) == PlateauState())
    }

    @Test func theCountsAndPlateausRateSurviveACheckpoint() throws {
        let network = try SingleLayerCAE.build(input: Shape(1, 8, 8), classes: 10)
        network.plan(capacity: 1, threads: 1)
        let files = DatasetFiles()
        defer { files.remove() }
        var state = Checkpoint(model: "SingleLayerCAE")
        state.step = 42
        state.progress = ValidationProgress(reference: 0.012_5, epochsWithoutImprovement: 3)
        state.plateau = PlateauState(scale: 0.010_000_000_000_000_002, epochsWithoutImprovement: 2)
        let path = files.path("checkpoint.safetensors")
        try state.save(network, optimizer: nil, to: path)
        #expect(try Checkpoint.load(path, into: network, optimizer: nil) == state)

        // A checkpoint of the releases before them has no counts: none, and a plateau factor of 1.
        var file = try SafeTensors.decode(FileBytes.read(path), path: path)
        for key in [
            "improvement_reference", "epochs_without_improvement", "plateau_scale",
            "plateau_epochs_without_improvement",
        ] {
            file.metadata[key] = nil
        }
        try AtomicFile.write(SafeTensors.encode(file), to: path)
        let old = try Checkpoint.load(path, into: network, optimizer: nil)
        #expect(old.progress == ValidationProgress() && old.plateau == PlateauState() && old.step == 42)

        file.metadata["plateau_scale"] = "-1"
        try AtomicFile.write(SafeTensors.encode(file), to: path)
        #expect(throws: BenchError.self) { try Checkpoint.load(path, into: network, optimizer: nil) }
    }

    /// `--min_delta 1000`: nothing after the first epoch improves, so plateau (patience 1) divides
    /// the rate by 10 after every epoch from the second on.
    @Test func aPlateauRunDropsItsRateAndRecordsItsFlags() throws {
        let w = Workspace()
        let flags = ["--lr_schedule", "plateau", "--plateau_patience", "1", "--min_delta", "1000"]
        try w.train(["--epochs", "4"] + flags)
        let dir = w.log + "/SingleLayerCAE/MNIST_Adam_lr=0.01_plateau_lr"
        let rates = Self.loggedRates(dir + "/train/steps.csv")
        #expect(rates.map(\.step) == [6, 10, 12, 18, 20, 24])
        let expected = [0.01, 0.01, 0.01, 0.001, 0.000_1, 0.000_1]
        #expect(zip(rates, expected).allSatisfy { Self.near($0.rate, $1) }, "\(rates)")
        let state = try SafeTensors.decode(FileBytes.read(dir + "/checkpoint.safetensors"), path: dir).metadata
        #expect(state["plateau_scale"].flatMap(Double.init).map { Self.near($0, 0.001) } == true, "\(state)")

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/flags.json")))
                as? [String: Any])
        let saved = try #require(json["flags"] as? [String: Any])
        #expect(saved["lr_schedule"] as? String == "plateau" && saved["plateau_patience"] as? Int == 1)
        #expect(saved["min_delta"] as? Double == 1000 && saved["early_stopping_patience"] == nil)
        #expect(saved["warmup_epochs"] == nil)

        let error = try #require(w.failure(["--epochs", "5", "--lr_schedule", "plateau", "--min_delta", "1000"]))
        #expect(error.exitCode == 64 && error.message.contains("--plateau_patience: saved 1, now 5"), "\(error)")
    }

    // MARK: Early stopping and the ended mark

    static let stoppedRun = "SingleLayerCAE/MNIST_Adam_lr=0.01"
    static let stopping = ["--early_stopping_patience", "2", "--min_delta", "1000"]

    /// Nothing improves after the first epoch: the run ends after 3 of its 10 epochs as a
    /// finished run does, and its folder is marked.
    @Test func earlyStoppingEndsARunThatCannotImprove() throws {
        let w = Workspace()
        try w.train(["--epochs", "10"] + Self.stopping)
        let dir = w.log + "/" + Self.stoppedRun
        let epochs = w.lines(dir + "/validation/epochs.csv").dropFirst()
        #expect(epochs.map { $0.split(separator: ",")[0] } == ["1", "2", "3"])
        #expect(FileManager.default.fileExists(atPath: dir + "/best/checkpoint.safetensors"))
        for results in ["validation_results.txt", "test_results.txt"] {
            let lines = w.lines(w.log + "/" + results)
            #expect(lines.count == 1 && CommandTests.isResultsLine(lines[0]), "\(results): \(lines)")
        }
        let ended = try #require(try EndedRun.read(runDirectory: dir))
        let validations = epochs.map { Double($0.split(separator: ",")[2])! }
        #expect(ended.reason == .earlyStopped && ended.epoch == 3 && ended.metric == "reconstruction_error")
        #expect(ended.bestMetric == validations.min() && validations[ended.bestEpoch - 1] == validations.min())
        let bestLine = w.lines(w.log + "/validation_results.txt")[0]
        #expect(bestLine.hasSuffix(" \(validations.min()!)"), "\(bestLine)")
        let json = try String(contentsOfFile: dir + "/" + EndedRun.fileName, encoding: .utf8)
        #expect(json.contains(#""reason" : "early_stopped""#), "\(json)")
        let state = try SafeTensors.decode(FileBytes.read(dir + "/checkpoint.safetensors"), path: dir).metadata
        #expect(
            state["step"] == "18" && state["epochs_without_improvement"] == "2" && state["results_written"] == "true")

        // Again, with more epochs too: one line saying it ended, nothing trained or written.
        let before = try Self.snapshot(w, dir)
        let binary = try BuiltCommand.run(
            "train_autoencoder",
            ["--model", "SingleLayerCAE"] + w.arguments.filter { $0 != "--quiet" }
                + ["--epochs", "20"] + Self.stopping)
        #expect(binary.status == 0, "\(binary.err)")
        let said = binary.out.split(separator: "\n").filter { $0.contains("ended") }
        #expect(said.count == 1, "\(binary.out)")
        #expect(
            said.first?.hasPrefix("\(dir) ended after epoch 3: stopped early") == true
                && said.first?.contains("--restart") == true, "\(said)")
        #expect(!binary.out.contains("step "), "\(binary.out)")
        #expect(try Self.snapshot(w, dir) == before)

        // --restart starts over, the mark gone with the rest of the folder.
        try w.train(["--epochs", "1", "--restart"] + Self.stopping)
        #expect(try EndedRun.read(runDirectory: dir) == nil)
        #expect(w.lines(dir + "/validation/epochs.csv").count == 2)
    }

    /// The files a resumed run must leave as they were.
    static func snapshot(_ w: Workspace, _ dir: String) throws -> [String] {
        try [
            "/train/steps.csv", "/validation/epochs.csv", "/checkpoint.safetensors", "/flags.json", "/ended.json",
        ].map { String(decoding: try FileBytes.read(dir + $0), as: UTF8.self) }
            + [w.lines(w.log + "/validation_results.txt").joined(), w.lines(w.log + "/test_results.txt").joined()]
    }

    /// A sweep marks the runs it stops the same way: the run's command says so and trains nothing.
    @Test func aRunStoppedByItsSweepSaysSoAndDoesNotTrain() throws {
        let w = Workspace()
        try w.train(["--epochs", "1"])
        let dir = w.log + "/" + Self.stoppedRun
        try EndedRun(reason: .stoppedBySweep, epoch: 1, metric: "reconstruction_error", bestMetric: 0.25, bestEpoch: 1)
            .write(runDirectory: dir)
        let before = try Self.snapshot(w, dir)
        let binary = try BuiltCommand.run(
            "train_autoencoder",
            ["--model", "SingleLayerCAE"] + w.arguments.filter { $0 != "--quiet" } + ["--epochs", "3"])
        #expect(binary.status == 0, "\(binary.err)")
        #expect(
            binary.out.contains(
                "\(dir) ended after epoch 1: stopped by its sweep (successive halving); "
                    + "best validation reconstruction_error 0.25 at epoch 1."), "\(binary.out)")
        #expect(try Self.snapshot(w, dir) == before)
        // Another run under the same name is refused as such, not reported ended.
        let other = try #require(w.failure(["--epochs", "3", "--batch_size", "8"]))
        #expect(other.exitCode == 64 && other.message.contains("--batch_size: saved 16, now 8"), "\(other)")

        try AtomicFile.write("{}", to: dir + "/" + EndedRun.fileName)
        let bad = try #require(w.failure(["--epochs", "3"]))
        #expect(bad.exitCode == 65 && bad.message.hasPrefix(dir + "/ended.json: "), "\(bad)")
    }

    @Test func earlyStoppingFlagsAreRecordedAndCompared() throws {
        let w = Workspace()
        try w.train(["--epochs", "1", "--early_stopping_patience", "3"])
        let saved = try FlagsFile.read(w.log + "/" + Self.stoppedRun + "/flags.json").flags
        #expect(saved.earlyStoppingPatience == 3 && saved.minDelta == 0)
        let changed = try #require(w.failure(["--epochs", "2", "--early_stopping_patience", "4"]))
        #expect(changed.exitCode == 64, "\(changed)")
        #expect(changed.message.contains("--early_stopping_patience: saved 3, now 4"), "\(changed)")
        let dropped = try #require(w.failure(["--epochs", "2"]))
        #expect(dropped.message.contains("--early_stopping_patience: saved 3, now none"), "\(dropped)")
        let delta = try #require(w.failure(["--epochs", "2", "--early_stopping_patience", "3", "--min_delta", "0.1"]))
        #expect(delta.message.contains("--min_delta: saved 0.0, now 0.1"), "\(delta)")
        // An explicit 0 is the default: the same run.
        try w.train(["--epochs", "2", "--early_stopping_patience", "3", "--min_delta", "0"])
        #expect(w.lines(w.log + "/" + Self.stoppedRun + "/validation/epochs.csv").count == 3)
    }

    // MARK: Killed and resumed

    /// Records every step's rate (`logEvery` 1) and stops the run like a kill: by throwing at a
    /// step's log line (no checkpoint saved) or after an epoch's checkpoint.
    final class RateRecorder: TrainingObserver {
        var rates: [Int: Double]
        let killAtStep: Int?
        let killAfterEpoch: Int?

        init(rates: [Int: Double], killAtStep: Int? = nil, killAfterEpoch: Int? = nil) {
            self.rates = rates
            self.killAtStep = killAtStep
            self.killAfterEpoch = killAfterEpoch
        }

        func stepLogged(_ step: LoggedStep) throws(BenchError) {
            rates[step.step] = step.learningRate
            if step.step == killAtStep { throw .interrupted(SIGKILL) }
        }

        func epochEnded(_ epoch: EpochResult) throws(BenchError) {
            if epoch.epoch == killAfterEpoch { throw .interrupted(SIGKILL) }
        }
    }

    /// A fresh trainer each time, as a new process has.
    static func trainer(_ w: Workspace, _ extra: [String]) throws -> Trainer {
        let flags = try TrainingFlags<Autoencoders>.parse(["--model", "SingleLayerCAE"] + w.arguments + extra)
        let trainer = try Trainer(
            configuration: try flags.configuration(), model: SingleLayerCAE.self, data: try flags.source.load(),
            console: Console(quiet: true))
        trainer.logEvery = 1
        return trainer
    }

    /// Warmup, plateau and early stopping at once (6 steps an epoch): the first epoch ramps up,
    /// the rate drops tenfold after each later one, and the run ends after epoch 4 of 8. Killed in
    /// the first epoch, at the last step of the second (before its checkpoint), in the fourth, and
    /// after the fourth's checkpoint (before its results), it resumes on the same rates, step for
    /// step, and ends with the same weights, results and mark.
    @Test func aKilledAndResumedRunTakesTheRatesOfOneRun() throws {
        let w = Workspace()
        let flags = [
            "--epochs", "8", "--warmup_epochs", "1", "--lr_schedule", "plateau", "--plateau_patience", "1",
            "--early_stopping_patience", "3", "--min_delta", "1000",
        ]
        let straight = RateRecorder(rates: [:])
        _ = try Self.trainer(w, flags + ["--comment", "straight"]).run(restart: false, observers: [straight])

        var rates: [Int: Double] = [:]
        for (step, epoch) in [(4, nil), (12, nil), (21, nil), (nil, 4)] as [(Int?, Int?)] {
            let recorder = RateRecorder(rates: rates, killAtStep: step, killAfterEpoch: epoch)
            #expect(throws: BenchError.interrupted(SIGKILL)) {
                try Self.trainer(w, flags + ["--comment", "killed"]).run(restart: false, observers: [recorder])
            }
            rates = recorder.rates
        }
        let killedDir = w.log + "/SingleLayerCAE/MNIST_Adam_lr=0.01_plateau_lr_warmup=1_killed"
        #expect(try EndedRun.read(runDirectory: killedDir) == nil)
        let last = RateRecorder(rates: rates)
        _ = try Self.trainer(w, flags + ["--comment", "killed"]).run(restart: false, observers: [last])

        #expect(straight.rates.keys.sorted() == Array(1...24))
        #expect(last.rates == straight.rates)
        let expected = (0..<24).map { step in
            0.01 * [min(1, Double(step + 1) / 6), 1, 0.1, 0.01][step / 6]
        }
        #expect(zip(expected, (1...24).map { straight.rates[$0]! }).allSatisfy { Self.near($0, $1) })

        let straightDir = w.log + "/SingleLayerCAE/MNIST_Adam_lr=0.01_plateau_lr_warmup=1_straight"
        func tensors(_ dir: String) throws -> SafeTensors.File {
            try SafeTensors.decode(FileBytes.read(dir + "/checkpoint.safetensors"), path: dir)
        }
        #expect(try tensors(killedDir).tensors == tensors(straightDir).tensors)
        #expect(try tensors(killedDir).metadata == tensors(straightDir).metadata)
        #expect(try EndedRun.read(runDirectory: killedDir) == EndedRun.read(runDirectory: straightDir))
        #expect(try EndedRun.read(runDirectory: killedDir)?.epoch == 4)
        for file in ["validation_results.txt", "test_results.txt"] {
            let values = w.lines(w.log + "/" + file).map { $0.split(separator: " ").last! }
            #expect(values.count == 2 && values[0] == values[1], "\(file): \(values)")
        }
    }

    /// kill -9 of the built command, as `ReliabilityTests` does: the steps log (rates included),
    /// the weights and the mark are an uninterrupted run's.
    @Test func aPlateauRunKilledAndResumedEndsLikeOneRun() throws {
        typealias Run = ReliabilityTests.Workspace
        try #require(FileManager.default.isExecutableFile(atPath: ReliabilityTests.binary), "build the package first")
        let flags = [
            "--warmup_epochs", "2", "--lr_schedule", "plateau", "--plateau_patience", "2",
            "--early_stopping_patience", "6", "--min_delta", "1000",
        ]
        let straight = Run(extra: flags, nameSuffix: "_plateau_lr_warmup=2")
        #expect(try straight.run(epochs: 12).0 == 0)
        let killed = Run(extra: flags, nameSuffix: "_plateau_lr_warmup=2")
        // Killed a random moment after its 2nd, 4th and 5th epochs' rows: before and after
        // plateau's first drop (after epoch 3), and in the last epochs of its patience.
        var generator = RandomGenerator(seed: UInt64(Date().timeIntervalSince1970))
        var kills = 0
        for epochs in [2, 4, 5] {
            let (process, _) = try killed.start(epochs: 12)
            for _ in 0..<20_000 where process.isRunning {
                if killed.lines(killed.run + "/validation/epochs.csv").count > epochs { break }
                usleep(1_000)
            }
            usleep(useconds_t(generator.next() % 30_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
        }
        let (status, err) = try killed.run(epochs: 12)
        #expect(status == 0, "\(err)")
        #expect(kills == 3, "the run ended before it was killed")
        let steps = { (r: Run) in r.lines(r.run + "/train/steps.csv").map { $0.split(separator: ",")[0...3] } }
        #expect(steps(killed) == steps(straight))
        #expect(try killed.tensors() == straight.tensors())
        #expect(try EndedRun.read(runDirectory: killed.run) == EndedRun.read(runDirectory: straight.run))
        // Epoch 1 improves, 2 to 7 do not.
        #expect(try EndedRun.read(runDirectory: straight.run)?.epoch == 7)
    }

    // MARK: Usage errors

    @Test(arguments: [
        (["--lr_decay", "--lr_schedule", "cosine"], "--lr_schedule: cannot be given with --lr_decay"),
        (["--lr_schedule", "linear"], "The value 'linear' is invalid for '--lr_schedule <lr_schedule>'"),
        (["--plateau_patience", "3"], "--plateau_patience: needs --lr_schedule plateau"),
        (
            ["--lr_schedule", "plateau", "--plateau_patience", "0"],
            "--plateau_patience: 0 must be between 1 and 1000000"
        ),
        (["--early_stopping_patience", "0"], "--early_stopping_patience: 0 must be between 1 and 1000000"),
        (["--early_stopping_patience", "2", "--min_delta=-1"], "--min_delta: -1.0 must be a finite number at least 0"),
        (["--early_stopping_patience", "2", "--min_delta", "inf"], "--min_delta: inf must be a finite number"),
        (["--min_delta", "0.1"], "--min_delta: needs --early_stopping_patience or --lr_schedule plateau"),
        (["--epochs", "3", "--warmup_epochs=-1"], "--warmup_epochs: -1 must be at least 0 and below --epochs (3)"),
        (["--epochs", "3", "--warmup_epochs", "3"], "--warmup_epochs: 3 must be at least 0 and below --epochs (3)"),
    ])
    func usageErrorsNameTheFlag(_ extra: [String], _ message: String) throws {
        let w = Workspace()
        let error = try #require(w.failure(extra), "accepted \(extra)")
        #expect(error.message.hasPrefix(message), "\(error)")
        #expect(error.exitCode == 64)
        #expect(!FileManager.default.fileExists(atPath: w.log), "a usage error must not create the log folder")
    }

    @Test(arguments: [
        (["--lr_decay", "--lr_schedule", "exponential"], "--lr_schedule"),
        (["--lr_schedule", "plateau", "--plateau_patience", "-2"], "--plateau_patience"),
        (["--early_stopping_patience", "x"], "--early_stopping_patience"),
    ])
    func theCommandExits64WithOneLine(_ extra: [String], _ flag: String) throws {
        let result = try BuiltCommand.run("train_classifier", ["--model", "StandardCNN", "--dataset", "MNIST"] + extra)
        #expect(result.status == 64, "\(extra): \(result.err)")
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(flag), "\(result.err)")
    }
}
