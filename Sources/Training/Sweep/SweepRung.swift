/// `sweep --stop_after E --keep F`: one rung of successive halving, as in ASHA. Every run trains
/// E epochs first; then, of the runs that finished those epochs, the best fraction F by their
/// best validation metric over them (in the metric's direction: accuracy up, reconstruction
/// error down) resume to their own `--epochs`, and the others end there, marked as early
/// stopping marks a run. Their results lines are the ones they wrote on finishing their E
/// epochs, as an early-stopped run's are written where it stops.
public struct SweepRung: Equatable, Sendable {
    /// E, and F in (0, 1].
    public let epochs: Int
    public let fraction: Double

    public init(epochs: Int, fraction: Double) {
        self.epochs = epochs
        self.fraction = fraction
    }

    /// How many of `count` runs go on: F of them rounded up, so that no fewer than F go on
    /// (0.5 of 3 keeps 2), and at least one. A product within rounding error of a whole number is
    /// that number: 0.7 of 10 keeps 7, although 0.7 * 10 is 7.000000000000001 in floating point.
    public func keptCount(of count: Int) -> Int {
        guard count > 0 else { return 0 }
        let share = (fraction * Double(count) * (1 - 1e-12)).rounded(.up)
        return min(count, max(1, Int(share)))
    }

    /// The verdict on every run, `standings` in the sweep's order. Equal metrics rank in that
    /// order (the earlier command first), so the same runs always give the same decision; a run
    /// whose every validation value is NaN ranks last.
    public func decide(_ standings: [RungStanding]) -> RungDecision {
        let metric = standings.lazy.compactMap(\.log.metric).first ?? "metric"
        let higherIsBetter = EpochsLog.higherIsBetter(metric)
        let finished = standings.indices.filter { standings[$0].finished(epochs: epochs) }
        let value = { (i: Int) in standings[i].log.best(throughEpoch: epochs)?.value }
        let ranked = finished.sorted { a, b in
            switch (value(a), value(b)) {
            case (let x?, let y?) where x != y: return higherIsBetter ? x > y : x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        let keep = keptCount(of: ranked.count)
        let entry = { (i: Int, verdict: RungDecision.Verdict) in
            RungDecision.Entry(standing: standings[i], value: value(i), verdict: verdict)
        }
        let left = standings.indices.filter { !finished.contains($0) }
        return RungDecision(
            rung: self, metric: metric,
            entries: ranked.prefix(keep).map { entry($0, .kept) } + ranked.dropFirst(keep).map { entry($0, .stopped) }
                + left.map { entry($0, standings[$0].ended == nil ? .unfinished : .ended) })
    }
}
