/// How the validation metric has moved, for `--early_stopping_patience` and `--lr_schedule
/// plateau`: an epoch improves when its metric beats the reference by more than `--min_delta`
/// in the metric's own direction (accuracy up, reconstruction error down), and only such an
/// epoch moves the reference, so that many small gains below `--min_delta` do not add up to
/// progress one epoch at a time. The checkpoint carries it, so a resumed run counts on.
public struct ValidationProgress: Equatable, Sendable {
    /// The metric of the last epoch that improved; nil before the first epoch, which always does.
    public var reference: Double?
    public var epochsWithoutImprovement: Int

    public init(reference: Double? = nil, epochsWithoutImprovement: Int = 0) {
        self.reference = reference
        self.epochsWithoutImprovement = epochsWithoutImprovement
    }

    /// Counts an epoch's metric; returns whether it improved. A NaN metric never improves.
    public mutating func record(_ value: Double, higherIsBetter: Bool, minDelta: Double) -> Bool {
        let improved: Bool
        if let reference {
            improved = higherIsBetter ? value > reference + minDelta : value < reference - minDelta
        } else {
            improved = !value.isNaN
        }
        if improved {
            reference = value
            epochsWithoutImprovement = 0
        } else {
            epochsWithoutImprovement += 1
        }
        return improved
    }
}

/// `--early_stopping_patience N`: a run whose validation metric has not improved for N epochs
/// ends there, as a finished run does (its `best/` and its results lines), and its folder is
/// marked ended (`EndedRun`) so that running the command again does not train it on.
public struct EarlyStopping: Equatable, Sendable {
    public var patience: Int

    public init(patience: Int) { self.patience = patience }

    public func stops(after progress: ValidationProgress) -> Bool {
        progress.epochsWithoutImprovement >= patience
    }
}
