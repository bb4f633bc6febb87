/// How many steps a run takes: ceil(images / batch) an epoch, as DTB counted, for every epoch.
public struct EpochSchedule: Sendable {
    public let epochs: Int
    public let stepsPerEpoch: Int
    public let totalSteps: Int

    public init(epochs: Int, stepsPerEpoch: Int) throws(BenchError) {
        let (total, overflow) = epochs.multipliedReportingOverflow(by: stepsPerEpoch)
        guard !overflow else { throw .usage("--epochs: \(epochs) epochs of \(stepsPerEpoch) steps is too many steps") }
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
        totalSteps = total
    }

    /// 0-based epoch and batch within it of the step after `step` steps.
    public func position(afterSteps step: Int) -> (epoch: Int, batch: Int) {
        (step / stepsPerEpoch, step % stepsPerEpoch)
    }
}
