/// What follows a run as it trains: the step log (CSV, TensorBoard, console), the pictures.
/// The trainer calls every observer in order at each point below; each implements the points
/// it cares about. An observer that throws stops the run, as any failed write does.
public protocol TrainingObserver: AnyObject {
    /// The run folder is open and settled at the checkpoint's step (0 for a new run).
    func runStarted(_ run: RunStart) throws(BenchError)
    /// After every step.
    func stepTaken(_ progress: StepProgress)
    /// Every `Trainer.logEvery`th step and each epoch's last.
    func stepLogged(_ step: LoggedStep) throws(BenchError)
    /// The epoch's last step is done; validation and the checkpoint follow.
    func epochEnding()
    /// Validated, and the checkpoint that records it saved.
    func epochEnded(_ epoch: EpochResult) throws(BenchError)
    /// The run ends: its epochs done or stopped early (results written), the loss diverged, or a
    /// signal came (checkpoint saved).
    func runEnded(_ end: RunEnd) throws(BenchError)
}

extension TrainingObserver {
    public func runStarted(_ run: RunStart) throws(BenchError) {}
    public func stepTaken(_ progress: StepProgress) {}
    public func stepLogged(_ step: LoggedStep) throws(BenchError) {}
    public func epochEnding() {}
    public func epochEnded(_ epoch: EpochResult) throws(BenchError) {}
    public func runEnded(_ end: RunEnd) throws(BenchError) {}
}
