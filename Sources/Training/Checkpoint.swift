import DataIO
import Engine

/// A run's saved state in one safetensors file: every parameter by name, the optimizer's slots
/// under `optimizer/`, and where training stood in the metadata. The last one sits in the run
/// folder, the best one in `best/`.
public struct Checkpoint: Equatable, Sendable {
    public static let fileName = "checkpoint.safetensors"
    static let format = "swift-training-bench/1"

    public var model: String
    /// Training steps done (batches), from which the epoch and the batch within it follow.
    public var step = 0
    public var optimizerStep = 0
    /// The best validation metric so far and the epoch that reached it.
    public var bestMetric: Double?
    public var bestEpoch = 0
    /// The current epoch's loss so far, so an interrupted epoch resumes its mean exactly.
    public var epochLossSum = 0.0
    public var epochLossCount = 0
    /// Whether the results lines of a finished run were written.
    public var resultsWritten = false
    /// Early stopping's and plateau's counts, and plateau's reductions so far.
    public var progress = ValidationProgress()
    public var plateau = PlateauState()

    public init(model: String) { self.model = model }

    static let resultsWrittenKey = "results_written"

    /// Whether the last checkpoint in `runDirectory` records the run's results lines as written
    /// (false where there is none, or it cannot be read): read from its metadata alone, without
    /// the model, by a sweep deciding which runs finished their first rung.
    public static func resultsWritten(runDirectory: String) -> Bool {
        let path = runDirectory + "/" + fileName
        guard let bytes = try? FileBytes.read(path) else { return false }
        return (try? SafeTensors.decode(bytes, path: path))?.metadata[resultsWrittenKey] == "true"
    }

    /// `directory/checkpoint.safetensors` (a run folder's last checkpoint, or its best/), which
    /// must exist.
    public static func file(in directory: String) throws(BenchError) -> String {
        let path = directory + "/" + fileName
        guard FileBytes.exists(path) else {
            throw .file(.missing(path, "no checkpoint here; pass a run folder or its best/"))
        }
        return path
    }

    public func save(_ network: Network, optimizer: Optimizer?, to path: String) throws(BenchError) {
        var file = SafeTensors.File()
        for p in network.checkpointed {
            file.tensors[p.name] = SafeTensors.Tensor(shape: p.dimensions, values: p.values)
        }
        if let optimizer {
            for (name, values) in optimizer.state {
                file.tensors["optimizer/" + name] = SafeTensors.Tensor(shape: [values.count], values: values)
            }
        }
        file.metadata = [
            "format": Self.format, "model": model, "step": "\(step)", "optimizer_step": "\(optimizerStep)",
            "best_metric": bestMetric.map { "\($0)" } ?? "none", "best_epoch": "\(bestEpoch)",
            "epoch_loss_sum": "\(epochLossSum)", "epoch_loss_count": "\(epochLossCount)",
            Self.resultsWrittenKey: "\(resultsWritten)",
            "improvement_reference": progress.reference.map { "\($0)" } ?? "none",
            "epochs_without_improvement": "\(progress.epochsWithoutImprovement)",
            "plateau_scale": "\(plateau.scale)",
            "plateau_epochs_without_improvement": "\(plateau.epochsWithoutImprovement)",
        ]
        try AtomicFile.write(SafeTensors.encode(file), to: path)
    }

    /// Reads `path` into `network` (and `optimizer`'s slots), refusing anything that is not a
    /// checkpoint of this very model: every parameter must be there with its shape.
    public static func load(_ path: String, into network: Network, optimizer: Optimizer?) throws(BenchError)
        -> Checkpoint
    {
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(path) } catch { throw .file(error) }
        return try decode(bytes, path: path, into: network, optimizer: optimizer)
    }

    /// A checkpoint from its bytes; `path` names it in errors. Nothing is loaded unless all of
    /// it checks out.
    public static func decode(_ bytes: [UInt8], path: String, into network: Network, optimizer: Optimizer?)
        throws(BenchError) -> Checkpoint
    {
        let file: SafeTensors.File
        do { file = try SafeTensors.decode(bytes, path: path) } catch { throw .file(error) }
        let meta = file.metadata
        func bad(_ why: String) -> BenchError { .file(.malformed(path, why)) }
        guard meta["format"] == format else { throw bad("not a checkpoint of this bench (no \(format) metadata)") }
        var checkpoint = Checkpoint(model: meta["model"] ?? "")
        guard let step = meta["step"].flatMap(Int.init), step >= 0,
            let optimizerStep = meta["optimizer_step"].flatMap(Int.init),
            let bestEpoch = meta["best_epoch"].flatMap(Int.init),
            let lossSum = meta["epoch_loss_sum"].flatMap(Double.init),
            let lossCount = meta["epoch_loss_count"].flatMap(Int.init)
        else {
            throw bad("its training state metadata is incomplete")
        }
        checkpoint.step = step
        checkpoint.optimizerStep = optimizerStep
        checkpoint.bestEpoch = bestEpoch
        checkpoint.bestMetric = meta["best_metric"].flatMap(Double.init)
        checkpoint.epochLossSum = lossSum
        checkpoint.epochLossCount = lossCount
        checkpoint.resultsWritten = meta[resultsWrittenKey] == "true"
        // Absent from the checkpoints of releases before early stopping and plateau: counts of 0.
        func count(_ key: String) throws(BenchError) -> Int {
            guard let text = meta[key] else { return 0 }
            guard let n = Int(text), n >= 0 else { throw bad("its metadata \(key) = \(text) is not a count") }
            return n
        }
        checkpoint.progress = ValidationProgress(
            reference: meta["improvement_reference"].flatMap(Double.init),
            epochsWithoutImprovement: try count("epochs_without_improvement"))
        let scale = meta["plateau_scale"] ?? "1.0"
        guard let plateauScale = Double(scale), plateauScale.isFinite, plateauScale > 0 else {
            throw bad("its metadata plateau_scale = \(scale) is not a factor above 0")
        }
        checkpoint.plateau = PlateauState(
            scale: plateauScale, epochsWithoutImprovement: try count("plateau_epochs_without_improvement"))

        var expected = Set<String>()
        for p in network.checkpointed {
            expected.insert(p.name)
            guard let t = file.tensors[p.name] else {
                throw bad("has no tensor \(p.name): it is not a checkpoint of this model")
            }
            guard t.shape == p.dimensions else {
                throw bad("tensor \(p.name) has shape \(t.shape), this model's is \(p.dimensions)")
            }
        }
        if let foreign = file.tensors.keys.sorted().first(where: {
            !expected.contains($0) && !$0.hasPrefix("optimizer/")
        }) {
            throw bad("has a tensor \(foreign) that this model does not have")
        }
        if let optimizer {
            let slots = file.tensors.filter { $0.key.hasPrefix("optimizer/") }
            let values = Dictionary(uniqueKeysWithValues: slots.map { (String($0.key.dropFirst(10)), $0.value.values) })
            do { try optimizer.restore(step: optimizerStep, slots: values) } catch { throw bad("\(error)") }
        }
        for p in network.checkpointed { p.load(file.tensors[p.name]!.values) }
        return checkpoint
    }
}
