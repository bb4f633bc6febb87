import Engine
import Foundation
import Plugins

/// The run an observer follows, as it starts or resumes.
public struct RunStart {
    public let folder: RunFolder
    public let configuration: RunConfiguration
    public let network: Network
    public let kind: ModelKind
    public let range: PixelRange
    public let metricName: String
    public let validation: ImageSet
    /// Steps already done (the checkpoint's), 0 for a new run.
    public let step: Int
}

/// Where a run stands after one step, for a progress display.
public struct StepProgress {
    /// 1-based, as are `batch` and its count `batches`.
    public let epoch: Int
    public let epochs: Int
    public let batch: Int
    public let batches: Int
    public let batchSize: Int
    public let loss: Double
    public let epochStarted: Date
}

/// A step as the logs record it, with the speed since the step logged before it.
public struct LoggedStep {
    public let step: Int
    /// 1-based.
    public let epoch: Int
    public let loss: Double
    public let learningRate: Double
    public let examplesPerSecond: Double
    public let secondsPerBatch: Double
}

/// An epoch's numbers once its checkpoint is saved.
public struct EpochResult {
    /// 1-based.
    public let epoch: Int
    public let step: Int
    public let trainLoss: Double
    public let validation: Double
    /// Whether `validation` is the best so far (and so in `best/`).
    public let improved: Bool
    public let seconds: Double
}

/// How a run's training ends.
public enum RunEnd: Sendable {
    /// All its epochs trained, its results written.
    case finished
    /// `--early_stopping_patience` ended it, its results written.
    case stoppedEarly
    /// The loss became NaN or infinite.
    case diverged
    /// SIGINT or SIGTERM: its checkpoint saved, to be resumed.
    case interrupted
}
