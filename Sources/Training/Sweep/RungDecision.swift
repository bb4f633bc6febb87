import Foundation

/// What one rung of successive halving decided for each run of a sweep: kept runs train on,
/// stopped ones are marked ended; `rung.csv` in the sweep folder and the sweep's output say so.
public struct RungDecision: Equatable, Sendable {
    public enum Verdict: String, Sendable {
        /// Among the best F: resumes to its full `--epochs`.
        case kept
        /// Ranked below the best F: marked ended (`stopped_by_sweep`).
        case stopped
        /// Ended before the rung's epochs (early stopping): left as it is.
        case ended
        /// Did not finish the rung's epochs (it failed): left as it is, for the sweep to report.
        case unfinished
    }

    public struct Entry: Equatable, Sendable {
        public var standing: RungStanding
        /// The best validation value over the rung's epochs, where there is one.
        public var value: Double?
        public var verdict: Verdict
    }

    public let rung: SweepRung
    /// `accuracy` or `reconstruction_error`, as the runs' logs name it.
    public let metric: String
    /// Kept runs best first, then stopped ones in rank order, then the others in the sweep's order.
    public let entries: [Entry]

    public var kept: [String] { entries.filter { $0.verdict == .kept }.map(\.standing.directory) }

    /// `rung.csv`: one row a run, in the order of `entries`.
    public var csv: String {
        let rows = entries.map { "\(csvField($0.standing.directory)),\(text($0.value)),\($0.verdict)" }
        return (["run,validation_\(metric),verdict"] + rows).map { $0 + "\n" }.joined()
    }

    /// The lines the sweep prints: what was decided and why, then each run.
    public var report: [String] {
        let direction = EpochsLog.higherIsBetter(metric) ? "highest" : "lowest"
        let ranked = entries.filter { $0.verdict == .kept || $0.verdict == .stopped }.count
        let width = entries.map { text($0.value).count }.max() ?? 0
        return [
            "sweep: after epoch \(rung.epochs), \(kept.count) of \(ranked) runs go on to their --epochs "
                + "(--keep \(rung.fraction) by best validation \(metric), \(direction) first):"
        ]
            + entries.map { entry in
                let verdict = entry.verdict.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                let value = text(entry.value).padding(toLength: width, withPad: " ", startingAt: 0)
                return "  \(verdict) \(value)  \(entry.standing.directory)"
            }
    }

    private func text(_ value: Double?) -> String { value.map { "\($0)" } ?? "-" }

    /// Marks every stopped run ended, as early stopping marks a run: its last epoch, and its best
    /// validation value and epoch, which `best/` and its results lines hold. A kept run that this
    /// sweep stopped before (the same sweep run again with a larger --keep) loses its mark, so
    /// that it trains on.
    public func mark() throws(BenchError) {
        for entry in entries {
            let directory = entry.standing.directory
            switch entry.verdict {
            case .stopped:
                let log = entry.standing.log
                let best = log.best()
                try EndedRun(
                    reason: .stoppedBySweep, epoch: log.rows.last?.epoch ?? rung.epochs, metric: metric,
                    bestMetric: best?.value, bestEpoch: best?.epoch ?? 0
                ).write(runDirectory: directory)
            case .kept where entry.standing.ended != nil:
                let path = directory + "/" + EndedRun.fileName
                guard unlink(path) == 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
            case .kept, .ended, .unfinished:
                continue
            }
        }
    }
}
