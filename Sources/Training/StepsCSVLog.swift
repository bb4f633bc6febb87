import Foundation

/// `train/steps.csv`: one row per logged step (step, epoch, loss, learning rate, examples/sec).
/// Resuming has already dropped the rows a killed run logged after its checkpoint.
public final class StepsCSVLog: TrainingObserver {
    private var path = ""

    public init() {}

    public func runStarted(_ run: RunStart) throws(BenchError) {
        path = run.folder.stepsCSV
    }

    public func stepLogged(_ step: LoggedStep) throws(BenchError) {
        let rate = String(format: "%.1f", step.examplesPerSecond)
        try AtomicFile.appendLine(
            "\(step.step),\(step.epoch),\(step.loss),\(pythonFloat(step.learningRate)),\(rate)",
            to: path)
    }
}
