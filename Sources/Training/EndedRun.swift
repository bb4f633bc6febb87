import DataIO
import Foundation

/// A run folder's `ended.json`: the run stopped for good before its `--epochs` were done, and
/// why. Running the command again prints `message` and trains nothing, also with more `--epochs`
/// (the run ended on its own terms, not for want of epochs); `--restart` starts it over. Early
/// stopping writes it after the results lines, so a run killed in between writes them on resume;
/// a sweep that stops a run writes it into the folder of the stopped run.
public struct EndedRun: Codable, Equatable, Sendable {
    public enum Reason: String, Codable, Sendable {
        /// `--early_stopping_patience`: the validation metric stopped improving.
        case earlyStopped = "early_stopped"
        /// A sweep's successive halving dropped the run for its validation metric.
        case stoppedBySweep = "stopped_by_sweep"

        var explanation: String {
            switch self {
            case .earlyStopped: "stopped early, its validation metric no longer improving (--early_stopping_patience)"
            case .stoppedBySweep: "stopped by its sweep (successive halving)"
            }
        }
    }

    public static let fileName = "ended.json"

    public var reason: Reason
    /// The last epoch trained (1-based).
    public var epoch: Int
    /// `accuracy` or `reconstruction_error`, and the best validation value with its epoch.
    public var metric: String
    public var bestMetric: Double?
    public var bestEpoch: Int

    public init(reason: Reason, epoch: Int, metric: String, bestMetric: Double?, bestEpoch: Int) {
        self.reason = reason
        self.epoch = epoch
        self.metric = metric
        self.bestMetric = bestMetric
        self.bestEpoch = bestEpoch
    }

    enum CodingKeys: String, CodingKey {
        case reason, epoch, metric
        case bestMetric = "best_metric"
        case bestEpoch = "best_epoch"
    }

    /// The mark in `runDirectory`, nil where there is none; one that cannot be read is `.malformed`.
    public static func read(runDirectory: String) throws(BenchError) -> EndedRun? {
        let path = runDirectory + "/" + fileName
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(path) } catch {
            guard error.kind == .missing else { throw .file(error) }
            return nil
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = Self.nonFinite
        guard let mark = try? decoder.decode(EndedRun.self, from: Data(bytes)) else {
            throw .file(.malformed(path, "not the ended mark of a run of this bench; --restart starts the run over"))
        }
        return mark
    }

    /// Marks `runDirectory` ended, in one atomic write.
    public func write(runDirectory: String) throws(BenchError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // A diverging validation pass can leave a NaN best, which plain JSON cannot hold.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try! encoder.encode(self)
        try AtomicFile.write(Array(data) + [10], to: runDirectory + "/" + Self.fileName)
    }

    private static let nonFinite = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// The one line a run that ended prints when its command runs again.
    public func message(runDirectory: String) -> String {
        let best = bestMetric.map { "best validation \(metric) \($0) at epoch \(bestEpoch)" } ?? "no validation"
        return "\(runDirectory) ended after epoch \(epoch): \(reason.explanation); \(best). "
            + "Nothing to train: --restart starts it over"
    }
}
