import DataIO
import Plugins

/// The run's TensorBoard event files, `train/` and `validation/`: the step loss and learning
/// rate, each epoch's loss and validation metric, and whatever images other observers add.
public final class TensorBoardLog: TrainingObserver {
    private var events: (train: TensorBoardEvents, validation: TensorBoardEvents)?
    private var metricName = ""

    public init() {}

    public func runStarted(_ run: RunStart) throws(BenchError) {
        metricName = run.metricName
        do {
            // START at the step after the checkpoint: TensorBoard drops what a killed run logged
            // beyond it, but keeps the checkpoint's own epoch-end points.
            let resumed = run.step > 0 ? run.step + 1 : nil
            events = (
                try TensorBoardEvents(directory: run.folder.path + "/train", resumedAt: resumed),
                try TensorBoardEvents(directory: run.folder.path + "/validation", resumedAt: resumed)
            )
        } catch {
            throw .cannotCreate(error.file, error.reason)
        }
    }

    public func stepLogged(_ step: LoggedStep) throws(BenchError) {
        guard let events else { return }
        try Self.logged { () throws(FileError) in
            try events.train.scalar("loss", Float(step.loss), step: step.step)
            try events.train.scalar("learning_rate", Float(step.learningRate), step: step.step)
        }
    }

    public func epochEnded(_ epoch: EpochResult) throws(BenchError) {
        guard let events else { return }
        try Self.logged { () throws(FileError) in
            try events.validation.scalar(metricName, Float(epoch.validation), step: epoch.step)
            try events.train.scalar("epoch_loss", Float(epoch.trainLoss), step: epoch.step)
        }
    }

    /// A picture as an image summary in `train/`.
    public func image(
        _ name: String, png: [UInt8], width: Int, height: Int, channels: Int,
        step: Int
    ) throws(BenchError) {
        guard let events else { return }
        try Self.logged { () throws(FileError) in
            try events.train.image(name, png: png, width: width, height: height, channels: channels, step: step)
        }
    }

    /// A write that failed (a full disk) stops the run like any other write.
    private static func logged(_ body: () throws(FileError) -> Void) throws(BenchError) {
        do { try body() } catch { throw .cannotWrite(error.file, error.reason) }
    }
}
