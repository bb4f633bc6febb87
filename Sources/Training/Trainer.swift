import DataIO
import Engine
import Plugins

/// DTB's training procedure: epochs of shuffled batches, a validation pass and a checkpoint
/// after each, `best/` kept at the best validation metric, and at the end (the last epoch, or
/// early stopping's) one line each in `validation_results.txt` and `test_results.txt`, the test
/// value from `best/`. Under `mpirun`, each process trains on its share of every batch and rank 0
/// alone holds the run folder (`Trainer+DataParallel.swift`).
public final class Trainer {
    public let configuration: RunConfiguration
    public let model: any ModelPlugin.Type
    public let data: DatasetSplits
    public let network: Network
    public let optimizer: Optimizer
    public let evaluator: Evaluator
    /// `--augment` and `--input_noise` on each training batch.
    public let inputs: TrainingInputs
    /// Run-level lines (resuming, finished, the results); the steps go to the observers.
    public var console: Console
    /// Log a step every this many steps (and at each epoch's last).
    public var logEvery = 10
    /// The data-parallel group this process trains in, nil alone.
    public let exchange: GradientExchange?
    /// This process's part of each batch.
    let share: BatchShare
    /// How the network's algorithms were chosen (`--autotune`); the run folder keeps its record.
    let autotuning: Autotuning

    public struct Summary: Equatable {
        public var runDirectory: String
        public var steps: Int
        public var bestValidation: Double
        public var test: Double
        public var alreadyDone: Bool
    }

    public init(
        configuration: RunConfiguration, model: any ModelPlugin.Type, data: DatasetSplits,
        console: Console = Console(), group: (any Collective)? = nil, autotune: AutotuneMode = .off,
        cache: AutotuneCache = AutotuneCache(), restart: Bool = false
    ) throws(BenchError) {
        self.configuration = configuration
        self.model = model
        self.data = data
        self.console = console
        share = group.map { BatchShare(index: $0.rank, count: $0.size) } ?? .whole
        let capacity = share.capacity(forBatchSize: configuration.batchSize)
        // A run resumed in its folder plans with the algorithms it ran with.
        let saved = restart ? [:] : try AlgorithmRecord.saved(in: configuration.runDirectory)
        autotuning = Autotuning(autotune, saved: saved, cache: cache, warn: console.warning)
        network = try ModelLoader(model, input: data.shape, classes: data.classNames.count)
            .initialized(
                seed: configuration.seed, capacity: capacity, threads: configuration.threads,
                options: autotuning.options(precision: configuration.precision),
                trainable: configuration.trainableScopes)
        if let line = autotuning.finish(warn: console.warning) { console.line(line) }
        try configuration.excludeScopes?.check(against: network, flag: "--exclude_scopes")
        let spec = configuration.optimizer
        // Frozen parameters get no slots: nothing would ever move them.
        let trained = network.parameters.filter { !$0.frozen }
        optimizer = Optimizer(
            spec.rule, learningRate: Float(spec.learningRate), parameters: trained, pool: network.threadPool)
        exchange = group.map { GradientExchange(group: $0, parameters: trained) }
        evaluator = Evaluator(kind: model.kind, range: model.pixelRange, capacity: capacity)
        try configuration.augmentation.check(for: data.shape)
        if configuration.inputNoise != nil && model.kind != .autoencoder {
            throw .usage("--input_noise: \(model.name) is a classifier; input noise is for autoencoders")
        }
        inputs = TrainingInputs(
            augmentation: configuration.augmentation, noise: configuration.inputNoise, seed: configuration.seed,
            range: model.pixelRange, network: network)
    }

    /// Trains in the run folder (resuming it, or from scratch with `restart`), `observers`
    /// following every step and epoch in their order.
    public func run(restart: Bool, observers: [any TrainingObserver]) throws(BenchError) -> Summary {
        if let group = exchange?.group, !group.writesRun { return try follow() }
        try startFromSourceWeights(restart: restart)
        let folder = try RunFolder(configuration, restart: restart)
        var batcher = Batcher(data.train, batchSize: configuration.batchSize)
        let schedule = try EpochSchedule(epochs: configuration.epochs, stepsPerEpoch: batcher.batchesPerEpoch)
        if let ended = try endedBefore(in: folder, schedule: schedule) {
            announce(training: false)
            return ended
        }
        try folder.claim(
            for: configuration, command: model.kind.trainingCommand,
            provenance: Provenance(threads: configuration.threads))
        try autotuning.record?.write(in: folder.path)
        // The labels' names, in label order, for the commands that read the run back.
        if !data.classNames.isEmpty {
            try AtomicFile.write(
                data.classNames.map { $0 + "\n" }.joined(), to: folder.path + "/" + SavedRun.classesFile)
        }
        var state: Checkpoint
        switch try resume(in: folder, schedule: schedule) {
        case .finished(let finished):
            announce(training: false)
            console.line(
                "\(folder.path) has finished its \(configuration.epochs) epochs; "
                    + "pass more --epochs to train on, or --restart")
            return Summary(
                runDirectory: folder.path, steps: finished.step, bestValidation: finished.bestMetric ?? .nan,
                test: .nan, alreadyDone: true)
        case .training(let resumed):
            announce(training: true)
            state = resumed
        }
        let start = RunStart(
            folder: folder, configuration: configuration, network: network, kind: model.kind,
            range: evaluator.range, metricName: evaluator.metricName, validation: data.validation,
            step: state.step)
        for observer in observers { try observer.runStarted(start) }
        try trainEpochs(&state, batcher: &batcher, schedule: schedule, folder: folder, observers: observers)
        let summary = try writeResults(state: &state, folder: folder)
        let stoppedEarly = stopsEarly(state)
        if stoppedEarly { try markStoppedEarly(state, in: folder, schedule: schedule) }
        for observer in observers { try observer.runEnded(stoppedEarly ? .stoppedEarly : .finished) }
        return summary
    }
}
