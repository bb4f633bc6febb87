import Engine
import Foundation
import Plugins

/// Everything that defines a run, as the training commands' flags give it. It names the run
/// folder as DTB did and is saved there under the flags' own names (`batch_size`), so that
/// resuming can tell the same run from another and a script can rebuild the command line.
public struct RunConfiguration: Codable, Equatable, Sendable {
    public var model: String
    public var dataset: String
    public var dataDirectory: String?
    public var optimizer: OptimizerSpec
    public var l2Penalty: Double
    public var batchSize: Int
    public var epochs: Int
    public var lrDecay: Bool
    public var lrDecayEpochs: Int
    public var lrDecayFactor: Double
    /// `--lr_schedule`, `--warmup_epochs`, and `--plateau_patience` (set with plateau alone).
    public var lrSchedule: LearningRateSchedule.Kind?
    public var warmupEpochs: Int
    public var plateauPatience: Int?
    /// `--early_stopping_patience` and `--min_delta`, which also says what improves for plateau.
    /// The run name leaves them out, as GUIDE.md's grammar has no place for them.
    public var earlyStoppingPatience: Int?
    public var minDelta: Double
    public var comment: String?
    public var seed: UInt64
    public var threads: Int
    public var logDirectory: String
    public var validateOnTrainingSplit: Bool
    /// `--image_size` and `--channels` of image-file datasets, which later commands read back.
    public var imageSize: ImageSize?
    public var channels: Int?
    /// `--layout`, where it was given: it decides how an ambiguous NumPy image array is read.
    public var layout: ImageLayout?
    /// `--label_mode` of datasets with two labels (CIFAR-100), the default where it was not given;
    /// nil for other datasets and in the folders of releases before it.
    public var labelMode: LabelMode?
    public var augmentation: Augmentation
    public var inputNoise: InputNoise?
    /// Fine-tuning: the run folder (or its `best/`) whose weights start this run, the parameters
    /// left freshly initialised, and the only parameters trained. The run name leaves them out,
    /// as GUIDE.md's grammar has no place for them: `--comment` tells such runs apart.
    public var checkpointPath: String?
    public var excludeScopes: ParameterScopes?
    public var trainableScopes: ParameterScopes?
    /// `--precision`: bf16 runs are named `_bf16` and resume only as bf16.
    public var precision: Precision

    public init(
        model: String, dataset: String, dataDirectory: String? = nil, optimizer: OptimizerSpec,
        l2Penalty: Double = 0, batchSize: Int = 128, epochs: Int = 150, lrDecay: Bool = false,
        lrDecayEpochs: Int = 25, lrDecayFactor: Double = 0.1, lrSchedule: LearningRateSchedule.Kind? = nil,
        warmupEpochs: Int = 0, plateauPatience: Int? = nil, earlyStoppingPatience: Int? = nil, minDelta: Double = 0,
        comment: String? = nil, seed: UInt64 = 42,
        threads: Int = 1, logDirectory: String = "log", validateOnTrainingSplit: Bool = false,
        imageSize: ImageSize? = nil, channels: Int? = nil, layout: ImageLayout? = nil, labelMode: LabelMode? = nil,
        augmentation: Augmentation = Augmentation(), inputNoise: InputNoise? = nil,
        checkpointPath: String? = nil, excludeScopes: ParameterScopes? = nil, trainableScopes: ParameterScopes? = nil,
        precision: Precision = .float32
    ) {
        self.model = model
        self.dataset = dataset
        self.dataDirectory = dataDirectory
        self.optimizer = optimizer
        self.l2Penalty = l2Penalty
        self.batchSize = batchSize
        self.epochs = epochs
        self.lrDecay = lrDecay
        self.lrDecayEpochs = lrDecayEpochs
        self.lrDecayFactor = lrDecayFactor
        self.lrSchedule = lrSchedule
        self.warmupEpochs = warmupEpochs
        self.plateauPatience = plateauPatience
        self.earlyStoppingPatience = earlyStoppingPatience
        self.minDelta = minDelta
        self.comment = comment
        self.seed = seed
        self.threads = threads
        self.logDirectory = logDirectory
        self.validateOnTrainingSplit = validateOnTrainingSplit
        self.imageSize = imageSize
        self.channels = channels
        self.layout = layout
        self.labelMode = labelMode
        self.augmentation = augmentation
        self.inputNoise = inputNoise
        self.checkpointPath = checkpointPath
        self.excludeScopes = excludeScopes
        self.trainableScopes = trainableScopes
        self.precision = precision
    }

    /// DTB's run name, with GUIDE.md's later parts:
    /// `<DATASET>_<OPTIMIZER>_lr=<LR>[_exp_lr|_cosine_lr|_plateau_lr][_warmup=<N>][_l2=<L2>][_<augmentation>]`
    /// `[_<input noise>][_bf16][_<COMMENT>]`. DTB's `--lr_decay` and `--lr_schedule exponential` share `_exp_lr`;
    /// their saved flags tell them apart.
    public var runName: String {
        var name = "\(dataset)_\(optimizer.shortName)_lr=\(pythonFloat(optimizer.learningRate))"
        if lrDecay { name += "_exp_lr" }
        if let lrSchedule { name += "_" + lrSchedule.runNameTag }
        if warmupEpochs > 0 { name += "_warmup=\(warmupEpochs)" }
        if l2Penalty != 0 { name += "_l2=\(pythonFloat(l2Penalty))" }
        if !augmentation.isEmpty { name += "_" + augmentation.runNameTag }
        if let inputNoise { name += "_" + inputNoise.runNameTag }
        if precision != .float32 { name += "_" + precision.rawValue }
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
        a.checkpointPath = a.checkpointPath.map { ($0 as NSString).standardizingPath }
        b.checkpointPath = b.checkpointPath.map { ($0 as NSString).standardizingPath }
        guard a != b else { return [] }
        let mine = a.flagValues, theirs = b.flagValues
        return mine.keys.sorted().compactMap { key in
            mine[key] == theirs[key] ? nil : "\(key): saved \(theirs[key] ?? "none"), now \(mine[key] ?? "none")"
        }
    }

    /// Every flag of the run as a user types it (`--batch_size`) and its value as text (`none` where
    /// a flag without a default was not given), to compare runs by.
    public var flagValues: [String: String] {
        [
            "--model": model, "--dataset": dataset, "--data_dir": dataDirectory ?? "default",
            "--epochs": "\(epochs)", "--threads": "\(threads)", "--log_dir": logDirectory,
            "--optimizer": optimizer.name, "--optimizer_args": optimizer.canonicalJSON,
            "--l2_penalty": pythonFloat(l2Penalty), "--batch_size": "\(batchSize)", "--lr_decay": "\(lrDecay)",
            "--lr_decay_epochs": "\(lrDecayEpochs)", "--lr_decay_factor": pythonFloat(lrDecayFactor),
            "--lr_schedule": lrSchedule?.rawValue ?? "none", "--warmup_epochs": "\(warmupEpochs)",
            "--plateau_patience": plateauPatience.map { "\($0)" } ?? "none",
            "--early_stopping_patience": earlyStoppingPatience.map { "\($0)" } ?? "none",
            "--min_delta": pythonFloat(minDelta),
            "--comment": comment ?? "none", "--seed": "\(seed)", "--validate_on_train": "\(validateOnTrainingSplit)",
            "--image_size": imageSize?.description ?? "none", "--channels": channels.map { "\($0)" } ?? "none",
            "--layout": layout?.rawValue ?? "from the shape", "--label_mode": labelMode?.rawValue ?? "none",
            "--augment": augmentation.isEmpty ? "none" : augmentation.flagValue,
            "--input_noise": inputNoise?.flagValue ?? "none",
            "--checkpoint_path": checkpointPath ?? "none",
            "--exclude_scopes": excludeScopes?.flagValue ?? "none",
            "--trainable_scopes": trainableScopes?.flagValue ?? "none",
            "--precision": precision.rawValue,
        ]
    }

    /// The learning rates of a run of `epochs`: DTB's staircase (`--lr_decay`) or `--lr_schedule`'s
    /// curve, with the warmup.
    public func learningRates(over epochs: EpochSchedule) -> LearningRateSchedule {
        LearningRateSchedule(
            baseRate: optimizer.learningRate, kind: lrSchedule, staircase: lrDecay, decayEpochs: lrDecayEpochs,
            decayFactor: lrDecayFactor,
            plateauPatience: plateauPatience ?? LearningRateSchedule.defaultPlateauPatience,
            warmupEpochs: warmupEpochs, stepsPerEpoch: epochs.stepsPerEpoch, totalSteps: epochs.totalSteps)
    }

    /// `--early_stopping_patience`'s rule, if given.
    public var earlyStopping: EarlyStopping? { earlyStoppingPatience.map(EarlyStopping.init(patience:)) }
}

extension RunConfiguration {
    /// The flags as a user types them.
    enum CodingKeys: String, CodingKey {
        case model, dataset, optimizer, epochs, comment, seed, threads, layout, precision
        case dataDirectory = "data_dir"
        case optimizerArguments = "optimizer_args"
        case l2Penalty = "l2_penalty"
        case batchSize = "batch_size"
        case lrDecay = "lr_decay"
        case lrDecayEpochs = "lr_decay_epochs"
        case lrDecayFactor = "lr_decay_factor"
        case lrSchedule = "lr_schedule"
        case warmupEpochs = "warmup_epochs"
        case plateauPatience = "plateau_patience"
        case earlyStoppingPatience = "early_stopping_patience"
        case minDelta = "min_delta"
        case logDirectory = "log_dir"
        case validateOnTrainingSplit = "validate_on_train"
        case imageSize = "image_size"
        case channels
        case labelMode = "label_mode"
        case augmentation = "augment"
        case inputNoise = "input_noise"
        case checkpointPath = "checkpoint_path"
        case excludeScopes = "exclude_scopes"
        case trainableScopes = "trainable_scopes"

        /// The key's name in the first releases' files.
        var propertyName: String {
            switch self {
            case .dataDirectory: "dataDirectory"
            case .optimizerArguments: "optimizerArguments"
            case .l2Penalty: "l2Penalty"
            case .batchSize: "batchSize"
            case .lrDecay: "lrDecay"
            case .lrDecayEpochs: "lrDecayEpochs"
            case .lrDecayFactor: "lrDecayFactor"
            case .logDirectory: "logDirectory"
            case .validateOnTrainingSplit: "validateOnTrainingSplit"
            case .model, .dataset, .optimizer, .epochs, .comment, .seed, .threads, .imageSize, .channels, .layout,
                .labelMode, .augmentation, .inputNoise, .checkpointPath, .excludeScopes, .trainableScopes, .lrSchedule,
                .warmupEpochs, .plateauPatience, .earlyStoppingPatience, .minDelta, .precision:
                stringValue
            }
        }
    }

    public init(from decoder: Decoder) throws {
        let flags = try FlagsContainer(decoder)
        let name: String = try flags.decode(.optimizer)
        let optimizer: OptimizerSpec
        do {
            optimizer =
                flags.isLegacy
                ? try OptimizerSpec(name: name, json: try flags.decode(.optimizerArguments) as String)
                : try OptimizerSpec(name: name, arguments: try flags.decode(.optimizerArguments))
        } catch let error as BenchError {
            // A saved optimizer that the command line would refuse makes the file unreadable.
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [CodingKeys.optimizerArguments],
                    debugDescription: error.description))
        }
        // Absent from the folders of runs without them, and of the bench's releases before them.
        let augment: String? = try flags.decodeIfPresent(.augmentation)
        let noise: String? = try flags.decodeIfPresent(.inputNoise)
        let augmentation = try Self.saved(.augmentation) { () throws(BenchError) in
            try augment.map(Augmentation.init(flag:)) ?? Augmentation()
        }
        let inputNoise = try Self.saved(.inputNoise) { () throws(BenchError) in try noise.map(InputNoise.init(flag:)) }
        let excluded: String? = try flags.decodeIfPresent(.excludeScopes)
        let trainable: String? = try flags.decodeIfPresent(.trainableScopes)
        let excludeScopes = try Self.saved(.excludeScopes) { () throws(BenchError) in
            try excluded.map { v throws(BenchError) in try ParameterScopes(v) }
        }
        let trainableScopes = try Self.saved(.trainableScopes) { () throws(BenchError) in
            try trainable.map { v throws(BenchError) in try ParameterScopes(v) }
        }
        let warmupEpochs: Int = try flags.decodeIfPresent(.warmupEpochs) ?? 0
        let plateauPatience: Int? = try flags.decodeIfPresent(.plateauPatience)
        let earlyStoppingPatience: Int? = try flags.decodeIfPresent(.earlyStoppingPatience)
        let minDelta: Double = try flags.decodeIfPresent(.minDelta) ?? 0
        let lrDecay: Bool = try flags.decode(.lrDecay)
        let lrSchedule: LearningRateSchedule.Kind? = try flags.decodeIfPresent(.lrSchedule)
        try Self.check(.lrSchedule, lrSchedule == nil || !lrDecay)
        try Self.check(.warmupEpochs, warmupEpochs >= 0)
        try Self.check(.plateauPatience, (plateauPatience ?? 1) >= 1)
        try Self.check(.earlyStoppingPatience, (earlyStoppingPatience ?? 1) >= 1)
        try Self.check(.minDelta, minDelta >= 0)
        self.init(
            model: try flags.decode(.model), dataset: try flags.decode(.dataset),
            dataDirectory: try flags.decodeIfPresent(.dataDirectory), optimizer: optimizer,
            l2Penalty: try flags.decode(.l2Penalty), batchSize: try flags.decode(.batchSize),
            epochs: try flags.decode(.epochs), lrDecay: lrDecay,
            lrDecayEpochs: try flags.decode(.lrDecayEpochs), lrDecayFactor: try flags.decode(.lrDecayFactor),
            lrSchedule: lrSchedule, warmupEpochs: warmupEpochs,
            plateauPatience: plateauPatience, earlyStoppingPatience: earlyStoppingPatience, minDelta: minDelta,
            comment: try flags.decodeIfPresent(.comment), seed: try flags.decode(.seed),
            threads: try flags.decode(.threads), logDirectory: try flags.decode(.logDirectory),
            validateOnTrainingSplit: try flags.decode(.validateOnTrainingSplit),
            imageSize: try flags.decodeIfPresent(.imageSize), channels: try flags.decodeIfPresent(.channels),
            layout: try flags.decodeIfPresent(.layout), labelMode: try flags.decodeIfPresent(.labelMode),
            augmentation: augmentation, inputNoise: inputNoise,
            checkpointPath: try flags.decodeIfPresent(.checkpointPath), excludeScopes: excludeScopes,
            trainableScopes: trainableScopes, precision: try flags.decodeIfPresent(.precision) ?? .float32)
    }

    /// A saved flag's value parsed as the command line parses it: one that the command line would
    /// refuse makes the file unreadable.
    private static func saved<T>(_ key: CodingKeys, _ parse: () throws(BenchError) -> T) throws -> T {
        do { return try parse() } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: error.description))
        }
    }

    /// A saved number out of the range that the command line allows makes the file unreadable.
    private static func check(_ key: CodingKeys, _ inRange: Bool) throws {
        guard !inRange else { return }
        throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "out of range"))
    }

    /// The saved flags under the names a user types, or, in run folders that the bench's first
    /// releases wrote, under the property names (`batchSize`, the optimizer's arguments as a
    /// JSON string), which still resume.
    private struct FlagsContainer {
        struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        let container: KeyedDecodingContainer<Key>
        let isLegacy: Bool

        init(_ decoder: Decoder) throws {
            container = try decoder.container(keyedBy: Key.self)
            isLegacy = !container.contains(Key(stringValue: CodingKeys.batchSize.stringValue))
        }

        private func key(_ key: CodingKeys) -> Key {
            Key(stringValue: isLegacy ? key.propertyName : key.stringValue)
        }

        func decode<T: Decodable>(_ key: CodingKeys) throws -> T {
            try container.decode(T.self, forKey: self.key(key))
        }

        func decodeIfPresent<T: Decodable>(_ key: CodingKeys) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: self.key(key))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(dataset, forKey: .dataset)
        try c.encodeIfPresent(dataDirectory, forKey: .dataDirectory)
        try c.encode(optimizer.name, forKey: .optimizer)
        try c.encode(optimizer.arguments, forKey: .optimizerArguments)
        try c.encode(l2Penalty, forKey: .l2Penalty)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(lrDecay, forKey: .lrDecay)
        try c.encode(lrDecayEpochs, forKey: .lrDecayEpochs)
        try c.encode(lrDecayFactor, forKey: .lrDecayFactor)
        // Only when given, so that a run without them records the flags.json of the releases before them.
        try c.encodeIfPresent(lrSchedule, forKey: .lrSchedule)
        if warmupEpochs > 0 { try c.encode(warmupEpochs, forKey: .warmupEpochs) }
        try c.encodeIfPresent(plateauPatience, forKey: .plateauPatience)
        try c.encodeIfPresent(earlyStoppingPatience, forKey: .earlyStoppingPatience)
        if minDelta != 0 { try c.encode(minDelta, forKey: .minDelta) }
        try c.encodeIfPresent(comment, forKey: .comment)
        try c.encode(seed, forKey: .seed)
        try c.encode(threads, forKey: .threads)
        try c.encode(logDirectory, forKey: .logDirectory)
        try c.encode(validateOnTrainingSplit, forKey: .validateOnTrainingSplit)
        try c.encodeIfPresent(imageSize, forKey: .imageSize)
        try c.encodeIfPresent(channels, forKey: .channels)
        try c.encodeIfPresent(layout, forKey: .layout)
        try c.encodeIfPresent(labelMode, forKey: .labelMode)
        if !augmentation.isEmpty { try c.encode(augmentation.flagValue, forKey: .augmentation) }
        try c.encodeIfPresent(inputNoise?.flagValue, forKey: .inputNoise)
        // Only when given, so that the folders of runs without them still resume.
        try c.encodeIfPresent(checkpointPath, forKey: .checkpointPath)
        try c.encodeIfPresent(excludeScopes?.flagValue, forKey: .excludeScopes)
        try c.encodeIfPresent(trainableScopes?.flagValue, forKey: .trainableScopes)
        try c.encode(precision, forKey: .precision)
    }
}
