import DataIO
import Foundation
import Plugins

/// The run's TensorBoard event files, `train/` and `validation/`: the step loss and learning
/// rate, each epoch's loss and validation metric, and whatever images other observers add. A
/// third, in the run folder itself, makes the run a session of TensorBoard's HParams dashboard:
/// its flags as the session start, how it ended as the session end; the dashboard finds the
/// session's metrics (the validation metric among them) in the scalars of its subfolders.
public final class TensorBoardLog: TrainingObserver {
    private var events: (train: TensorBoardEvents, validation: TensorBoardEvents, session: TensorBoardEvents)?
    private var metricName = ""

    public init() {}

    public func runStarted(_ run: RunStart) throws(BenchError) {
        metricName = run.metricName
        let folder = run.folder.path
        let session: TensorBoardEvents
        do {
            // START at the step after the checkpoint: TensorBoard drops what a killed run logged
            // beyond it, but keeps the checkpoint's own epoch-end points.
            let resumed = run.step > 0 ? run.step + 1 : nil
            session = try TensorBoardEvents(directory: folder)
            events = (
                try TensorBoardEvents(directory: folder + "/train", resumedAt: resumed),
                try TensorBoardEvents(directory: folder + "/validation", resumedAt: resumed),
                session
            )
        } catch {
            throw .cannotCreate(error.file, error.reason)
        }
        try Self.logged { () throws(FileError) in
            try session.sessionStarted(hparams: run.configuration.hparams, modelURI: folder, at: Date())
        }
        try Self.removeSessions(in: folder, except: session.path)
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

    /// Finished or stopped early is a success; a diverged run failed for good; an interrupted one
    /// has no outcome yet (TensorBoard has no status for it), as a run killed outright.
    public func runEnded(_ end: RunEnd) throws(BenchError) {
        guard let session = events?.session else { return }
        let status: TensorBoardEvents.SessionStatus =
            switch end {
            case .finished, .stoppedEarly: .success
            case .diverged: .failure
            case .interrupted: .unknown
            }
        try Self.logged { () throws(FileError) in try session.sessionEnded(status, at: Date()) }
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

    /// The session files of the run's earlier starts. TensorBoard keeps the first session start
    /// and end it reads in a folder, so a resumed run's new start beside them would be ignored
    /// and an interruption's end would outlive the resumed run's own: the latest file alone
    /// stays, with the flags the run resumed with.
    private static func removeSessions(in folder: String, except current: String) throws(BenchError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.contains(".tfevents.") && folder + "/" + name != current {
            do { try FileManager.default.removeItem(atPath: folder + "/" + name) } catch {
                throw .cannotWrite(folder + "/" + name, error.localizedDescription)
            }
        }
    }

    /// A write that failed (a full disk) stops the run like any other write.
    private static func logged(_ body: () throws(FileError) -> Void) throws(BenchError) {
        do { try body() } catch { throw .cannotWrite(error.file, error.reason) }
    }
}
