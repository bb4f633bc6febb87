import ArgumentParser
import Foundation
import Plugins
import Reporting
import Training

extension LearningRateSchedule.Kind: ExpressibleByArgument {}

/// DTB's training flags, spelled as DTB spelled them, shared by train_autoencoder
/// (`TrainingFlags<Autoencoders>`) and train_classifier (`TrainingFlags<Classifiers>`).
public struct TrainingFlags<Choices: ModelChoices>: ParsableArguments {
    @OptionGroup var source: ModelDataFlags<Choices>

    @Option(name: .customLong("optimizer"), help: "TensorFlow's optimizer name.")
    var optimizer = OptimizerChoice(argument: "MomentumOptimizer")!

    @Option(
        name: .customLong("optimizer_args"),
        help: """
            The optimizer's arguments as JSON, TensorFlow's names \
            (default {"learning_rate": 1e-2, "momentum": 0.9}).
            """
    )
    var optimizerArguments: String?

    @Option(
        name: .customLong("l2_penalty"),
        help: "L2 weight decay: adds l2 * sum(W^2) / 2 over the model's decayed weights.")
    var l2Penalty = 0.0

    @Option(name: .customLong("batch_size"), help: "Images per step.")
    var batchSize = 128

    @Option(name: .customLong("epochs"), help: "Epochs to train (a resumed run may raise it).")
    var epochs = 150

    @Flag(name: .customLong("lr_decay"), help: "Staircase learning-rate decay.")
    var lrDecay = false

    @Option(
        name: .customLong("lr_decay_epochs"),
        help: "With --lr_decay or --lr_schedule exponential: epochs between drops (the decay's period).")
    var lrDecayEpochs = 25

    @Option(
        name: .customLong("lr_decay_factor"),
        help: "With --lr_decay, --lr_schedule exponential or plateau: the factor of each drop.")
    var lrDecayFactor = 0.1

    @Option(
        name: .customLong("lr_schedule"),
        help: """
            Instead of --lr_decay's staircase: exponential (lr * factor^(epoch / --lr_decay_epochs), continuous), \
            cosine (lr * (1 + cos(pi * step / steps of --epochs)) / 2) or plateau (lr times --lr_decay_factor \
            after --plateau_patience epochs without improvement).
            """)
    var lrSchedule: LearningRateSchedule.Kind?

    @Option(
        name: .customLong("plateau_patience"),
        help: "With --lr_schedule plateau: epochs without improvement before the rate drops (default 5).")
    var plateauPatience: Int?

    @Option(
        name: .customLong("warmup_epochs"),
        help: "Ramp the rate linearly from 0 over the first W epochs, multiplying the schedule's rate.")
    var warmupEpochs = 0

    @Option(
        name: .customLong("early_stopping_patience"),
        help: "End the run once its validation metric has not improved for N epochs (best/ and results kept).")
    var earlyStoppingPatience: Int?

    @Option(
        name: .customLong("min_delta"),
        help: """
            With --early_stopping_patience or --lr_schedule plateau: an improvement must beat the last one \
            by more than this, in the metric's direction (default 0).
            """)
    var minDelta: Double?

    @Option(
        name: .customLong("augment"),
        help: """
            Training passes only, a comma list: flip (mirror left-right, half the images), crop:P \
            (pad P black pixels each side, crop back to the size at random).
            """,
        transform: { try Augmentation(flag: $0) })
    var augment: Augmentation?

    @Option(
        name: .customLong("input_noise"),
        help: ArgumentHelp(
            """
            Autoencoders: corrupt the training inputs, the target staying clean. gaussian:SIGMA \
            (in the model's pixel units, clipped to its range) or masking:P (pixels to the range's minimum).
            """,
            visibility: Choices.kind == .classifier ? .hidden : .default),
        transform: { try InputNoise(flag: $0) })
    var inputNoise: InputNoise?

    @Option(
        name: .customLong("checkpoint_path"),
        help: "Start from the weights of this run folder (or its best/): not its optimizer state or step.")
    var checkpointPath: String?

    @Option(
        name: .customLong("exclude_scopes"),
        help: "With --checkpoint_path: parameter name prefixes (comma list, e.g. logits) left freshly initialised.",
        transform: { try ParameterScopes($0) })
    var excludeScopes: ParameterScopes?

    @Option(
        name: .customLong("trainable_scopes"),
        help: "Train only the parameters whose names start with these prefixes (comma list); freeze the rest.",
        transform: { try ParameterScopes($0) })
    var trainableScopes: ParameterScopes?

    @Flag(name: .customLong("restart"), help: "Delete the run folder and start over.")
    var restart = false

    @Option(name: .customLong("comment"), help: "Appended to the run name, to tell runs with the same flags apart.")
    var comment: String?

    @Option(name: .customLong("log_dir"), help: "Root of the run folders and the results files.")
    var logDirectory = "log"

    @Option(name: .customLong("train_device"), help: "Accepted for DTB scripts; the bench trains on the CPU.")
    var trainDevice: String?

    @Option(name: .customLong("eval_device"), help: "Accepted for DTB scripts; the bench evaluates on the CPU.")
    var evalDevice: String?

    @OptionGroup var tuning: AutotuneFlags
    @OptionGroup var arithmetic: PrecisionFlags
    @OptionGroup var common: CommonFlags

    public init() {}

    public func validate() throws {
        guard batchSize > 0, batchSize <= 65_536 else {
            throw ValidationError("--batch_size: \(batchSize) must be between 1 and 65536")
        }
        guard epochs > 0, epochs <= 1_000_000 else {
            throw ValidationError("--epochs: \(epochs) must be between 1 and 1000000")
        }
        guard l2Penalty.isFinite, l2Penalty >= 0 else {
            throw ValidationError("--l2_penalty: \(l2Penalty) must be a finite number at least 0")
        }
        guard lrDecayEpochs > 0, lrDecayEpochs <= 1_000_000 else {
            throw ValidationError("--lr_decay_epochs: \(lrDecayEpochs) must be at least 1")
        }
        guard lrDecayFactor.isFinite, lrDecayFactor > 0 else {
            throw ValidationError("--lr_decay_factor: \(lrDecayFactor) must be above 0")
        }
        try validateScheduleAndStopping()
        if let comment {
            guard !comment.isEmpty, !comment.contains("/"), !comment.hasPrefix("."), !comment.contains(where: isControl)
            else {
                throw ValidationError(
                    "--comment: '\(comment)' must be a non-empty name without '/', a leading '.' "
                        + "or control characters")
            }
        }
        guard !logDirectory.isEmpty, !logDirectory.contains(where: isControl) else {
            throw ValidationError("--log_dir: '\(logDirectory)' must be a non-empty path without control characters")
        }
        if inputNoise != nil && Choices.kind == .classifier {
            throw ValidationError("--input_noise: input noise is for autoencoders (train_autoencoder), not classifiers")
        }
        if excludeScopes != nil && checkpointPath == nil {
            throw ValidationError("--exclude_scopes: needs --checkpoint_path, whose weights it leaves out")
        }
        if let checkpointPath {
            guard !checkpointPath.isEmpty, !checkpointPath.contains(where: isControl) else {
                throw ValidationError(
                    "--checkpoint_path: '\(checkpointPath)' must be a non-empty path without control characters")
            }
        }
        do { _ = try optimizerSpec() } catch { throw ValidationError(error.description) }
    }

    /// `--lr_schedule` and its companions, `--warmup_epochs`, early stopping.
    private func validateScheduleAndStopping() throws {
        if lrSchedule != nil && lrDecay {
            throw ValidationError("--lr_schedule: cannot be given with --lr_decay (DTB's staircase); choose one")
        }
        if let plateauPatience {
            guard lrSchedule == .plateau else {
                throw ValidationError("--plateau_patience: needs --lr_schedule plateau")
            }
            guard plateauPatience >= 1, plateauPatience <= 1_000_000 else {
                throw ValidationError("--plateau_patience: \(plateauPatience) must be between 1 and 1000000")
            }
        }
        guard warmupEpochs >= 0, warmupEpochs < epochs else {
            throw ValidationError("--warmup_epochs: \(warmupEpochs) must be at least 0 and below --epochs (\(epochs))")
        }
        if let earlyStoppingPatience {
            guard earlyStoppingPatience >= 1, earlyStoppingPatience <= 1_000_000 else {
                throw ValidationError(
                    "--early_stopping_patience: \(earlyStoppingPatience) must be between 1 and 1000000")
            }
        }
        if let minDelta {
            guard minDelta.isFinite, minDelta >= 0 else {
                throw ValidationError("--min_delta: \(minDelta) must be a finite number at least 0")
            }
            guard earlyStoppingPatience != nil || lrSchedule == .plateau else {
                throw ValidationError("--min_delta: needs --early_stopping_patience or --lr_schedule plateau")
            }
        }
    }

    func optimizerSpec() throws(BenchError) -> OptimizerSpec {
        try OptimizerSpec(name: optimizer.name, json: optimizerArguments)
    }

    /// The run these flags define.
    func configuration() throws(BenchError) -> RunConfiguration {
        RunConfiguration(
            model: source.modelPlugin.name, dataset: source.data.plugin.name, dataDirectory: source.data.dataDirectory,
            optimizer: try optimizerSpec(), l2Penalty: l2Penalty, batchSize: batchSize, epochs: epochs,
            lrDecay: lrDecay, lrDecayEpochs: lrDecayEpochs, lrDecayFactor: lrDecayFactor, lrSchedule: lrSchedule,
            warmupEpochs: warmupEpochs,
            plateauPatience: lrSchedule == .plateau
                ? plateauPatience ?? LearningRateSchedule.defaultPlateauPatience : nil,
            earlyStoppingPatience: earlyStoppingPatience, minDelta: minDelta ?? 0, comment: comment,
            seed: source.data.seed,
            threads: common.threads, logDirectory: logDirectory, validateOnTrainingSplit: source.data.validateOnTrain,
            imageSize: source.data.image.size, channels: source.data.image.channels,
            layout: source.data.image.layout, labelMode: source.data.recordedLabelMode,
            augmentation: augment ?? Augmentation(), inputNoise: inputNoise, checkpointPath: checkpointPath,
            excludeScopes: excludeScopes, trainableScopes: trainableScopes, precision: arithmetic.precision)
    }

    /// Loads the data, trains, and prints; throws what should stop the command. Under `mpirun`
    /// every process trains its share of each batch and rank 0 alone logs and writes.
    public func train() throws(BenchError) {
        let configuration = try configuration()
        let group = try ProcessGroup.fromEnvironment()
        let writes = group?.writesRun ?? true
        let console = Console(quiet: common.quiet || !writes)
        let started = Date()
        let data = try source.load()
        console.line(
            String(
                format: "%@: %d training, %d validation, %d test images of %@ (loaded in %.3f s)", data.name,
                data.train.count, data.validation.count, data.test.count, data.shape.description,
                Date().timeIntervalSince(started)))
        let trainer = try Trainer(
            configuration: configuration, model: source.modelPlugin, data: data, console: console, group: group,
            autotune: tuning.chosen, restart: restart)
        let tensorBoard = TensorBoardLog()
        let observers: [any TrainingObserver] =
            writes ? [StepsCSVLog(), tensorBoard, RunPicturesLog(tensorBoard: tensorBoard), ConsoleLog(console)] : []
        // A process that fails exits without MPI_Finalize, which would wait for the others:
        // mpirun then ends the whole group.
        let summary = try trainer.run(restart: restart, observers: observers)
        group?.finish()
        if common.quiet && writes && !summary.alreadyDone {
            print("\(summary.runDirectory): validation \(summary.bestValidation), test \(summary.test)")
        }
    }
}

/// C0 and C1 control characters, which must not reach a file name or a terminal.
private func isControl(_ c: Character) -> Bool {
    c.unicodeScalars.contains { $0.value < 32 || $0.value == 127 || (0x80..<0xA0).contains($0.value) }
}
