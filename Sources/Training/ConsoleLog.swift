import Foundation

/// The run on the console: DTB's step lines (or a progress bar on a terminal), how long the
/// process took to its first step, and each epoch's numbers.
public final class ConsoleLog: TrainingObserver {
    private let console: Console
    private var epochs = 0
    private var metricName = ""
    private var reportedFirstStep = false

    public init(_ console: Console) {
        self.console = console
    }

    public func runStarted(_ run: RunStart) throws(BenchError) {
        epochs = run.configuration.epochs
        metricName = run.metricName
    }

    public func stepTaken(_ progress: StepProgress) {
        if !reportedFirstStep {
            if let seconds = ProcessClock.secondsSinceStart() {
                console.line(String(format: "first training step done %.2f s after the process started", seconds))
            }
            reportedFirstStep = true
        }
        guard console.isTerminal else { return }
        let elapsed = Date().timeIntervalSince(progress.epochStarted)
        let rate = Double(progress.batch * progress.batchSize) / max(elapsed, 1e-9)
        console.progress(
            epoch: progress.epoch, epochs: progress.epochs, batch: progress.batch,
            batches: progress.batches, loss: progress.loss, examplesPerSecond: rate,
            secondsLeft: elapsed / Double(progress.batch) * Double(progress.batches - progress.batch))
    }

    public func stepLogged(_ step: LoggedStep) throws(BenchError) {
        console.step(
            step.step, loss: step.loss, examplesPerSecond: step.examplesPerSecond,
            secondsPerBatch: step.secondsPerBatch)
    }

    public func epochEnding() {
        console.endProgress()
    }

    public func epochEnded(_ epoch: EpochResult) throws(BenchError) {
        console.line(
            String(
                format: "epoch %d/%d: train loss = %.6f, validation %@ = %.6f%@ (%.1f s)", epoch.epoch,
                epochs, epoch.trainLoss, metricName, epoch.validation, epoch.improved ? " (best)" : "",
                epoch.seconds))
    }

    public func runEnded(_ end: RunEnd) {
        switch end {
        // Mid-epoch: the progress line is still open.
        case .diverged, .interrupted: console.endProgress()
        case .finished, .stoppedEarly: break
        }
    }
}
