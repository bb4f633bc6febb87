import Foundation
/// Everything that defines a run, as the training commands' flags give it. It names the run
/// folder as DTB did and is saved there, so that resuming can tell the same run from another.
public struct RunConfiguration: Codable, Equatable, Sendable {
    public var model: String
    public var dataset: String
    public var dataDirectory: String?
    public var optimizer: String
    /// The optimizer's arguments as canonical JSON.
    public var optimizerArguments: String
    public var l2Penalty: Double
    public var batchSize: Int
    public var epochs: Int
    public var lrDecay: Bool
    public var lrDecayEpochs: Int
    public var lrDecayFactor: Double
    public var comment: String?
    public var seed: UInt64
    public var threads: Int
    public var logDirectory: String
    public var validateOnTrainingSplit: Bool

    public init(model: String, dataset: String, dataDirectory: String? = nil, optimizer: OptimizerSpec,
                l2Penalty: Double = 0, batchSize: Int = 128, epochs: Int = 150, lrDecay: Bool = false,
                lrDecayEpochs: Int = 25, lrDecayFactor: Double = 0.1, comment: String? = nil, seed: UInt64 = 42,
                threads: Int = 1, logDirectory: String = "log", validateOnTrainingSplit: Bool = false) {
        self.model = model
        self.dataset = dataset
        self.dataDirectory = dataDirectory
        self.optimizer = optimizer.name
        optimizerArguments = optimizer.canonicalJSON
        self.l2Penalty = l2Penalty
        self.batchSize = batchSize
        self.epochs = epochs
        self.lrDecay = lrDecay
        self.lrDecayEpochs = lrDecayEpochs
        self.lrDecayFactor = lrDecayFactor
        self.comment = comment
        self.seed = seed
        self.threads = threads
        self.logDirectory = logDirectory
        self.validateOnTrainingSplit = validateOnTrainingSplit
    }

    public var optimizerSpec: OptimizerSpec { try! OptimizerSpec(name: optimizer, json: optimizerArguments) }

    /// DTB's run name: `<DATASET>_<OPTIMIZER>_lr=<LR>[_exp_lr][_l2=<L2>][_<COMMENT>]`.
    public var runName: String {
        let spec = optimizerSpec
        var name = "\(dataset)_\(spec.shortName)_lr=\(pythonFloat(spec.learningRate))"
        if lrDecay { name += "_exp_lr" }
        if l2Penalty != 0 { name += "_l2=\(pythonFloat(l2Penalty))" }
        if let comment, !comment.isEmpty { name += "_\(comment)" }
        return name
    }

    /// `log/<MODEL>/<run name>`.
    public var runDirectory: String { "\(logDirectory)/\(model)/\(runName)" }

    /// Flags that may differ when a run is resumed: more epochs, another thread count.
    public func differences(from saved: RunConfiguration) -> [String] {
        // The log root is part of the folder's path already; paths compare normalised.
        var a = self, b = saved
        a.epochs = 0; b.epochs = 0
        a.threads = 0; b.threads = 0
        a.logDirectory = ""; b.logDirectory = ""
        a.dataDirectory = a.dataDirectory.map { ($0 as NSString).standardizingPath }
        b.dataDirectory = b.dataDirectory.map { ($0 as NSString).standardizingPath }
        guard a != b else { return [] }
        let mine = a.fields, theirs = b.fields
        return mine.keys.sorted().compactMap { key in
            mine[key] == theirs[key] ? nil : "\(key): saved \(theirs[key] ?? "none"), now \(mine[key] ?? "none")"
        }
    }

    private var fields: [String: String] {
        [
            "--model": model, "--dataset": dataset, "--data_dir": dataDirectory ?? "default", "--optimizer": optimizer,
            "--optimizer_args": optimizerArguments, "--l2_penalty": pythonFloat(l2Penalty), "--batch_size": "\(batchSize)",
            "--lr_decay": "\(lrDecay)", "--lr_decay_epochs": "\(lrDecayEpochs)", "--lr_decay_factor": pythonFloat(lrDecayFactor),
            "--comment": comment ?? "none", "--seed": "\(seed)",
            "--validate_on_train": "\(validateOnTrainingSplit)",
        ]
    }

    /// DTB's staircase decay: the rate drops by the factor every `lrDecayEpochs` epochs.
    public func learningRate(atStep step: Int, stepsPerEpoch: Int) -> Double {
        let base = optimizerSpec.learningRate
        guard lrDecay else { return base }
        let period = lrDecayEpochs.multipliedReportingOverflow(by: stepsPerEpoch).partialValue
        return base * pow(lrDecayFactor, Double(step / period))
    }
}
