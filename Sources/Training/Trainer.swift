import DataIO
import Engine
import Foundation
import Plugins

/// DTB's training procedure: epochs of shuffled batches, a validation pass and a checkpoint
/// after each, `best/` kept at the best validation metric, and at the end one line each in
/// `validation_results.txt` and `test_results.txt`, the test value from `best/`.
public final class Trainer {
    public let configuration: RunConfiguration
    public let model: any ModelPlugin.Type
    public let data: DatasetSplits
    public let network: Network
    public let optimizer: Optimizer
    public let evaluator: Evaluator
    public var console: Console
    /// Log a step line and CSV row every this many steps (and at each epoch's last step).
    public var logEvery = 10
    private var events: (train: TensorBoardEvents, validation: TensorBoardEvents)?

    public struct Summary: Equatable {
        public var runDirectory: String
        public var steps: Int
        public var bestValidation: Double
        public var test: Double
        public var alreadyDone: Bool
    }

    public init(configuration: RunConfiguration, model: any ModelPlugin.Type, data: DatasetSplits,
                console: Console = Console()) throws(BenchError) {
        self.configuration = configuration
        self.model = model
        self.data = data
        self.console = console
        do { network = try model.build(input: data.shape, classes: data.classNames.count) } catch {
            throw .usage("--model \(model.name) cannot take \(data.name)'s \(data.shape) images: \(error)")
        }
        network.plan(capacity: configuration.batchSize, threads: configuration.threads)
        network.initialize(seed: configuration.seed)
        let spec = configuration.optimizerSpec
        optimizer = Optimizer(spec.rule, learningRate: Float(spec.learningRate), parameters: network.parameters,
                              pool: network.threadPool)
        evaluator = Evaluator(kind: model.kind, range: model.pixelRange, capacity: configuration.batchSize)
    }

    public func run(restart: Bool) throws(BenchError) -> Summary {
        let folder = try RunFolder(configuration, restart: restart)
        try folder.claim(for: configuration, provenance: Provenance(threads: configuration.threads))
        var state = Checkpoint(model: model.name)
        if FileManager.default.fileExists(atPath: folder.checkpointPath) {
            state = try Checkpoint.load(folder.checkpointPath, into: network, optimizer: optimizer)
            console.line("resuming \(folder.path) from step \(state.step)")
        }
        var batcher = Batcher(data.train, batchSize: configuration.batchSize)
        let stepsPerEpoch = batcher.batchesPerEpoch
        let (totalSteps, overflow) = configuration.epochs.multipliedReportingOverflow(by: stepsPerEpoch)
        guard !overflow else { throw .usage("--epochs: \(configuration.epochs) epochs of \(stepsPerEpoch) steps is too many steps") }
        try folder.resetCSV(folder.stepsCSV, header: RunFolder.stepsHeader, keepingThrough: state.step)
        try folder.resetCSV(folder.epochsCSV, header: RunFolder.epochsHeader(metric: evaluator.metricName),
                            keepingThrough: state.step / stepsPerEpoch)

        if state.step >= totalSteps && state.resultsWritten {
            console.line("\(folder.path) has finished its \(configuration.epochs) epochs; pass more --epochs to train on, or --restart")
            return Summary(runDirectory: folder.path, steps: state.step, bestValidation: state.bestMetric ?? .nan,
                           test: .nan, alreadyDone: true)
        }
        // More epochs than the finished run had: its results will be written again at the end.
        if state.step < totalSteps { state.resultsWritten = false }
        try folder.settleBest(atStep: state.step)

        let events: (train: TensorBoardEvents, validation: TensorBoardEvents)
        do {
            // START at the step after the checkpoint: TensorBoard drops what a killed run logged
            // beyond it, but keeps the checkpoint's own epoch-end points.
            let resumed = state.step > 0 ? state.step + 1 : nil
            events = (try TensorBoardEvents(directory: folder.path + "/train", resumedAt: resumed),
                      try TensorBoardEvents(directory: folder.path + "/validation", resumedAt: resumed))
        } catch {
            throw .cannotCreate(error.file, error.reason)
        }
        self.events = events

        Interrupt.install()
        let step = TrainingStep(network: network, evaluator: evaluator, optimizer: optimizer,
                                l2Penalty: Float(configuration.l2Penalty))
        var shuffledEpoch = -1, reportedFirstStep = false
        var intervalStart = Date(), intervalExamples = 0, intervalSteps = 0
        var epochStart = Date()
        while state.step < totalSteps {
            let epoch = state.step / stepsPerEpoch, batch = state.step % stepsPerEpoch
            if shuffledEpoch != epoch {
                var generator = RandomGenerator(seed: configuration.seed).derived(UInt64(epoch) + 1)
                batcher.shuffle(using: &generator)
                shuffledEpoch = epoch
            }
            let learningRate = configuration.learningRate(atStep: state.step, stepsPerEpoch: stepsPerEpoch)
            let n = batcher.fill(batch: batch, into: network.inputTensor, labels: evaluator.labelBuffer, range: evaluator.range)
            network.reseedDropout(configuration.seed &+ UInt64(state.step) &* 0x9E37_79B9_7F4A_7C15)
            let loss = step(batch: n, learningRate: Float(learningRate))
            guard loss.isFinite else {
                console.endProgress()
                throw .diverged(loss.isNaN ? "NaN" : "\(loss)")
            }
            state.step += 1
            state.optimizerStep = optimizer.step
            if !reportedFirstStep {
                if let seconds = ProcessClock.secondsSinceStart() {
                    console.line(String(format: "first training step done %.2f s after the process started", seconds))
                }
                reportedFirstStep = true
            }
            state.epochLossSum += loss * Double(n)
            state.epochLossCount += n
            intervalExamples += n
            intervalSteps += 1

            let lastOfEpoch = batch == stepsPerEpoch - 1
            if state.step % logEvery == 0 || lastOfEpoch {
                let seconds = max(Date().timeIntervalSince(intervalStart), 1e-9)
                let rate = Double(intervalExamples) / seconds
                try AtomicFile.appendLine("\(state.step),\(epoch + 1),\(loss),\(pythonFloat(learningRate)),\(String(format: "%.1f", rate))",
                                          to: folder.stepsCSV)
                console.step(state.step, loss: loss, examplesPerSecond: rate, secondsPerBatch: seconds / Double(intervalSteps))
                try Self.logged { () throws(FileError) in
                    try events.train.scalar("loss", Float(loss), step: state.step)
                    try events.train.scalar("learning_rate", Float(learningRate), step: state.step)
                }
                intervalStart = Date(); intervalExamples = 0; intervalSteps = 0
            }
            if console.isTerminal {
                let elapsed = Date().timeIntervalSince(epochStart)
                console.progress(epoch: epoch + 1, epochs: configuration.epochs, batch: batch + 1, batches: stepsPerEpoch,
                                 loss: loss, examplesPerSecond: Double((batch + 1) * configuration.batchSize) / max(elapsed, 1e-9),
                                 secondsLeft: elapsed / Double(batch + 1) * Double(stepsPerEpoch - batch - 1))
            }
            if lastOfEpoch {
                console.endProgress()
                try finishEpoch(epoch + 1, state: &state, folder: folder, seconds: Date().timeIntervalSince(epochStart))
                epochStart = Date()
            }
            if let signal = Interrupt.signal {
                console.endProgress()
                try state.save(network, optimizer: optimizer, to: folder.checkpointPath)
                throw .interrupted(signal)
            }
        }
        return try writeResults(state: &state, folder: folder)
    }

    private func finishEpoch(_ epoch: Int, state: inout Checkpoint, folder: RunFolder, seconds: Double) throws(BenchError) {
        let trainLoss = state.epochLossSum / Double(max(state.epochLossCount, 1))
        let validation = evaluator.metric(network, on: data.validation)
        state.epochLossSum = 0
        state.epochLossCount = 0
        let improved = evaluator.isBetter(validation, than: state.bestMetric)
        if improved {
            state.bestMetric = validation
            state.bestEpoch = epoch
            // Staged: it becomes best/ only once the checkpoint that records it is saved.
            try state.save(network, optimizer: nil, to: folder.pendingBestPath)
        }
        try AtomicFile.appendLine("\(epoch),\(trainLoss),\(validation),\(String(format: "%.3f", seconds))", to: folder.epochsCSV)
        try state.save(network, optimizer: optimizer, to: folder.checkpointPath)
        if improved { try folder.settleBest(atStep: state.step) }
        try drawPictures(folder: folder, step: state.step, validation: validation, trainLoss: trainLoss)
        console.line(String(format: "epoch %d/%d: train loss = %.6f, validation %@ = %.6f%@ (%.1f s)", epoch,
                            configuration.epochs, trainLoss, evaluator.metricName, validation, improved ? " (best)" : "", seconds))
    }

    /// Pictures into the run folder and TensorBoard, and the epoch's scalars.
    private func drawPictures(folder: RunFolder, step: Int, validation: Double, trainLoss: Double) throws(BenchError) {
        guard let events else { return }
        try Self.logged { () throws(FileError) in
            try events.validation.scalar(evaluator.metricName, Float(validation), step: step)
            try events.train.scalar("epoch_loss", Float(trainLoss), step: step)
        }
        for picture in RunPictures.draw(network, kind: model.kind, range: evaluator.range, images: data.validation) {
            let png = picture.grid.png
            try AtomicFile.write(png, to: "\(folder.path)/\(picture.name).png")
            try Self.logged { () throws(FileError) in
                try events.train.image(picture.name, png: png, width: picture.grid.width, height: picture.grid.height,
                                       channels: picture.grid.channels, step: step)
            }
        }
        let rows = ((try? String(contentsOfFile: folder.epochsCSV, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
        let epochs = rows.compactMap { row -> (epoch: Int, train: Double, validation: Double)? in
            let f = row.split(separator: ",")
            guard f.count >= 3, let e = Int(f[0]), let t = Double(f[1]), let v = Double(f[2]) else { return nil }
            return (e, t, v)
        }
        try AtomicFile.write(RunPictures.lossPlot(epochs: epochs, metric: evaluator.metricName), to: folder.path + "/loss.svg")
    }

    /// Appends `<date time> <entry>` unless the file's last line for this run already says the
    /// same (a run killed after writing its results, before recording that, writes them once).
    private static func appendResult(_ entry: String, to path: String) throws(BenchError) {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let run = entry[..<entry.lastIndex(of: " ")!]
        if let last = existing.split(separator: "\n").last(where: { $0.dropFirst(20).hasPrefix(run + " ") }),
           last.dropFirst(20) == entry {
            return
        }
        try AtomicFile.appendLine("\(Timestamp.now()) \(entry)", to: path)
    }

    /// A TensorBoard write that failed (a full disk) stops the run like any other write.
    private static func logged(_ body: () throws(FileError) -> Void) throws(BenchError) {
        do { try body() } catch { throw .cannotWrite(error.file, error.reason) }
    }

    private func writeResults(state: inout Checkpoint, folder: RunFolder) throws(BenchError) -> Summary {
        let best = state.bestMetric ?? .nan
        let test = try Evaluator.metric(of: model, checkpoint: folder.bestCheckpointPath, on: data.test,
                                        classes: data.classNames.count, batchSize: configuration.batchSize,
                                        threads: configuration.threads)
        let run = "\(model.name): \(configuration.runName)"
        try Self.appendResult("\(run) \(best)", to: configuration.logDirectory + "/validation_results.txt")
        try Self.appendResult("\(run) \(test)", to: configuration.logDirectory + "/test_results.txt")
        state.resultsWritten = true
        try state.save(network, optimizer: optimizer, to: folder.checkpointPath)
        console.line("best validation \(evaluator.metricName) = \(best) (epoch \(state.bestEpoch)); test \(evaluator.metricName) = \(test)")
        return Summary(runDirectory: folder.path, steps: state.step, bestValidation: best, test: test, alreadyDone: false)
    }
}
