import Foundation

/// A run folder's `validation/epochs.csv` read back: the validation metric's name and one row an
/// epoch. `compare_runs` tabulates and plots it; a sweep's successive halving ranks runs by it, so
/// a run that trained on another machine counts once its folder is here (or shared) at its path.
public struct EpochsLog: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public var epoch: Int
        public var validation: Double
        public var seconds: Double

        public init(epoch: Int, validation: Double, seconds: Double) {
            self.epoch = epoch
            self.validation = validation
            self.seconds = seconds
        }
    }

    /// `accuracy` or `reconstruction_error`, from the header; nil where there is no file.
    public var metric: String?
    public var rows: [Row]

    public init(metric: String?, rows: [Row]) {
        self.metric = metric
        self.rows = rows
    }

    /// The log of the run in `runDirectory`; empty where it has none yet.
    public init(runDirectory: String) {
        let text = (try? String(contentsOfFile: runDirectory + "/validation/epochs.csv", encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n")
        // The header is RunFolder.epochsHeader's: epoch,train_loss,validation_<metric>,seconds.
        metric = lines.first.flatMap { $0.split(separator: ",").dropFirst(2).first }
            .map { String($0.dropFirst("validation_".count)) }
        rows = lines.dropFirst().compactMap { line in
            let fields = line.split(separator: ",")
            guard fields.count == 4, let epoch = Int(fields[0]), let value = Double(fields[2]) else { return nil }
            return Row(epoch: epoch, validation: value, seconds: Double(fields[3]) ?? 0)
        }
    }

    /// Accuracy rises as a run improves; reconstruction error falls.
    public static func higherIsBetter(_ metric: String?) -> Bool { metric == "accuracy" }

    public var higherIsBetter: Bool { Self.higherIsBetter(metric) }

    /// The best validation value of the epochs up to `epoch` (all of them by default) and the
    /// first epoch that reached it, as the trainer keeps `best/`; NaN values never count.
    public func best(throughEpoch epoch: Int = .max) -> (value: Double, epoch: Int)? {
        var best: (value: Double, epoch: Int)?
        for row in rows where row.epoch <= epoch && !row.validation.isNaN {
            let better = best.map { higherIsBetter ? row.validation > $0.value : row.validation < $0.value } ?? true
            if better { best = (row.validation, row.epoch) }
        }
        return best
    }
}
