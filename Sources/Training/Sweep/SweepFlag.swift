/// A flag a sweep may vary: a training flag by its name without dashes, or an `--optimizer_args`
/// key by its own name, which the sweep merges into the command's JSON.
public struct SweepFlag: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Random samples are rounded to whole numbers.
        case integer
        case real
        /// Only `choice:` samples: the value is passed on as it is written.
        case text
        /// `true` or `false`: a training flag given or left out, an optimizer argument's JSON boolean.
        case boolean
    }

    public let name: String
    public let kind: Kind
    /// Whether the value goes into `--optimizer_args` rather than being a flag of its own.
    public let isOptimizerArgument: Bool

    /// The flag called `name`; nil for a name that is neither a training flag nor an optimizer argument.
    public init?(_ name: String) {
        if let kind = Self.trainingFlags[name] {
            self.init(name: name, kind: kind, isOptimizerArgument: false)
        } else if let kind = Self.optimizerArguments[name] {
            self.init(name: name, kind: kind, isOptimizerArgument: true)
        } else {
            return nil
        }
    }

    private init(name: String, kind: Kind, isOptimizerArgument: Bool) {
        self.name = name
        self.kind = kind
        self.isOptimizerArgument = isOptimizerArgument
    }

    public var isNumeric: Bool { kind == .integer || kind == .real }

    /// TrainingFlags' flags by kind; SweepTests parses each one with TrainingFlags, so that a
    /// flag added there and missing here (or renamed) fails a test.
    static let trainingFlags: [String: Kind] = [
        "model": .text, "dataset": .text, "data_dir": .text, "seed": .integer, "validate_on_train": .boolean,
        "label_mode": .text, "image_size": .text, "channels": .integer, "max_image_pixels": .integer,
        "layout": .text, "optimizer": .text, "optimizer_args": .text, "l2_penalty": .real, "batch_size": .integer,
        "epochs": .integer, "lr_decay": .boolean, "lr_decay_epochs": .integer, "lr_decay_factor": .real,
        "lr_schedule": .text, "warmup_epochs": .integer, "plateau_patience": .integer,
        "early_stopping_patience": .integer, "min_delta": .real,
        "augment": .text, "input_noise": .text, "checkpoint_path": .text, "exclude_scopes": .text,
        "trainable_scopes": .text, "restart": .boolean, "comment": .text, "log_dir": .text, "train_device": .text,
        "eval_device": .text, "threads": .integer, "quiet": .boolean, "autotune": .text, "precision": .text,
    ]

    /// Every argument of every optimizer OptimizerSpec knows; whether the command's optimizer
    /// takes it is OptimizerSpec's check, when the sweep parses each command.
    static var optimizerArguments: [String: Kind] {
        var kinds: [String: Kind] = [:]
        for (_, spec) in OptimizerSpec.known {
            for (key, range) in spec.arguments { kinds[key] = range == .flag ? .boolean : .real }
        }
        return kinds
    }
}
