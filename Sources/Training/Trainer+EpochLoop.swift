import DataIO
import Engine
import Foundation

extension Trainer {
    /// Steps from `state` to the schedule's end: each epoch's batches in the order its seed
    /// shuffles them, each step's augmentation, input noise and dropout keyed by the step, so that
    /// a resumed run takes the very steps an uninterrupted one would. Observers hear of every step
    /// and every epoch's end; a signal saves the checkpoint and stops the run. Early stopping ends
    /// it at an epoch's end, as does the state of a run killed after it ran out of patience. A
    /// data-parallel process without the run `folder` (nil) writes nothing.
    func trainEpochs(
        _ state: inout Checkpoint, batcher: inout Batcher, schedule: EpochSchedule, folder: RunFolder?,
        observers: [any TrainingObserver]
    ) throws(BenchError) {
        Interrupt.install()
        let step = TrainingStep(
            network: network, evaluator: evaluator, optimizer: optimizer,
            l2Penalty: Float(configuration.l2Penalty), target: inputs.target, exchange: exchange)
        var shuffledEpoch = -1
        var interval = StepInterval()
        var epochStart = Date()
        let rates = configuration.learningRates(over: schedule)
        while state.step < schedule.totalSteps && !stopsEarly(state) {
            let (epoch, batch) = schedule.position(afterSteps: state.step)
            if shuffledEpoch != epoch {
                var generator = RandomGenerator(seed: configuration.seed).derived(UInt64(epoch) + 1)
                batcher.shuffle(using: &generator)
                shuffledEpoch = epoch
            }
            let learningRate = rates.rate(atStep: state.step, plateau: state.plateau)
            let n = batcher.count(ofBatch: batch)
            let first = share.samples(of: n).lowerBound
            let samples = batcher.fill(
                batch: batch, share: share, into: network.inputTensor, labels: evaluator.labelBuffer,
                range: evaluator.range)
            inputs.prepare(batch: samples, step: state.step, firstImage: first)
            network.reseedDropout(
                configuration.seed &+ UInt64(state.step) &* 0x9E37_79B9_7F4A_7C15, firstSample: first)
            let (loss, stopVoted) = step.step(
                samples: samples, of: n, learningRate: Float(learningRate), stopping: Interrupt.signal != nil)
            guard loss.isFinite else {
                for observer in observers { try observer.runEnded(.diverged) }
                throw .diverged(loss.isNaN ? "NaN" : "\(loss)")
            }
            state.step += 1
            state.optimizerStep = optimizer.step
            state.epochLossSum += loss * Double(n)
            state.epochLossCount += n
            interval.add(examples: n)

            let progress = StepProgress(
                epoch: epoch + 1, epochs: schedule.epochs, batch: batch + 1,
                batches: schedule.stepsPerEpoch, batchSize: configuration.batchSize, loss: loss,
                epochStarted: epochStart)
            for observer in observers { observer.stepTaken(progress) }
            let lastOfEpoch = batch == schedule.stepsPerEpoch - 1
            if state.step % logEvery == 0 || lastOfEpoch {
                let logged = interval.logged(step: state.step, epoch: epoch + 1, loss: loss, learningRate: learningRate)
                for observer in observers { try observer.stepLogged(logged) }
                interval = StepInterval()
            }
            if lastOfEpoch {
                for observer in observers { observer.epochEnding() }
                let result = try endEpoch(
                    epoch + 1, state: &state, rates: rates, folder: folder,
                    seconds: Date().timeIntervalSince(epochStart))
                for observer in observers { try observer.epochEnded(result) }
                if stopsEarly(state) { announceEarlyStop(after: epoch + 1) }
                epochStart = Date()
            }
            // A group stops on its vote, all at the same step; a process alone also on a signal
            // that came during the step.
            if stopVoted || (exchange == nil && Interrupt.signal != nil) {
                if let folder { try state.save(network, optimizer: optimizer, to: folder.checkpointPath) }
                for observer in observers { try observer.runEnded(.interrupted) }
                throw .interrupted(Interrupt.signal ?? SIGTERM)
            }
        }
    }
}

/// The steps since the last logged one (its logging excluded): how many examples they took and
/// how long.
struct StepInterval {
    private var start = Date()
    private var examples = 0
    private var steps = 0

    mutating func add(examples n: Int) {
        examples += n
        steps += 1
    }

    /// The step that ends the interval, with the interval's speed.
    func logged(step: Int, epoch: Int, loss: Double, learningRate: Double) -> LoggedStep {
        let seconds = max(Date().timeIntervalSince(start), 1e-9)
        return LoggedStep(
            step: step, epoch: epoch, loss: loss, learningRate: learningRate,
            examplesPerSecond: Double(examples) / seconds, secondsPerBatch: seconds / Double(steps))
    }
}
