import Testing

@testable import Training

/// One rung of successive halving (`sweep --stop_after E --keep F`): how many runs go on, which
/// ones in each metric's direction, ties, and the runs that take no part.
@Suite struct SweepRungTests {
    /// A run that finished the rung with these validation values, one an epoch.
    static func run(
        _ name: String, _ values: [Double], metric: String = "accuracy", resultsWritten: Bool = true,
        ended: EndedRun? = nil
    ) -> RungStanding {
        let rows = values.enumerated().map { EpochsLog.Row(epoch: $0.offset + 1, validation: $0.element, seconds: 1) }
        return RungStanding(
            directory: "log/M/" + name, log: EpochsLog(metric: metric, rows: rows), resultsWritten: resultsWritten,
            ended: ended)
    }

    static func verdicts(_ decision: RungDecision) -> [String: RungDecision.Verdict] {
        Dictionary(
            uniqueKeysWithValues: decision.entries.map { ($0.standing.directory.dropFirst(6).description, $0.verdict) })
    }

    /// (F, runs, kept): F of the runs rounded up, at least one, floating point's 0.7 * 10 being 7.
    static let counts: [(Double, Int, Int)] = [
        (0.5, 3, 2), (0.5, 4, 2), (0.7, 10, 7), (0.3, 10, 3), (0.1, 3, 1), (0.01, 5, 1), (0.25, 4, 1), (1, 4, 4),
        (0.34, 3, 2), (0.5, 1, 1), (0.5, 0, 0),
    ]

    @Test(arguments: counts)
    func keptCountRoundsUpToAtLeastOne(fraction: Double, runs: Int, kept: Int) {
        #expect(SweepRung(epochs: 1, fraction: fraction).keptCount(of: runs) == kept)
    }

    @Test func accuracyKeepsTheHighest() {
        let rung = SweepRung(epochs: 2, fraction: 0.5)
        let decision = rung.decide([
            Self.run("a", [0.5, 0.6]), Self.run("b", [0.7, 0.9]), Self.run("c", [0.2, 0.3]), Self.run("d", [0.8, 0.4]),
        ])
        #expect(decision.metric == "accuracy")
        #expect(decision.entries.map(\.standing.directory) == ["log/M/b", "log/M/d", "log/M/a", "log/M/c"])
        #expect(decision.entries.map(\.value) == [0.9, 0.8, 0.6, 0.3])
        #expect(decision.kept == ["log/M/b", "log/M/d"])
        #expect(decision.entries.map(\.verdict) == [.kept, .kept, .stopped, .stopped])
    }

    @Test func reconstructionErrorKeepsTheLowest() {
        let rung = SweepRung(epochs: 2, fraction: 0.5)
        let error = "reconstruction_error"
        let decision = rung.decide([
            Self.run("a", [0.05, 0.04], metric: error), Self.run("b", [0.03, 0.02], metric: error),
            Self.run("c", [0.09, 0.08], metric: error),
        ])
        #expect(decision.kept == ["log/M/b", "log/M/a"])
        #expect(Self.verdicts(decision) == ["a": .kept, "b": .kept, "c": .stopped])
        #expect(decision.report[0].contains("2 of 3 runs") && decision.report[0].contains("lowest first"))
    }

    /// Equal values rank in the sweep's order, so that the earlier command goes on.
    @Test func tiesRankInTheSweepsOrder() {
        let rung = SweepRung(epochs: 1, fraction: 0.5)
        let decision = rung.decide([
            Self.run("a", [0.5]), Self.run("b", [0.7]), Self.run("c", [0.7]), Self.run("d", [0.7]),
        ])
        #expect(decision.kept == ["log/M/b", "log/M/c"])
        #expect(Self.verdicts(decision)["d"] == .stopped)
    }

    /// Only the rung's epochs count (a run kept before by the same sweep has more); a NaN is
    /// never best; runs that failed or that early stopping ended are left as they are, and the
    /// fraction is of the runs that finished the rung.
    @Test func onlyRunsThatFinishedTheRungTakePart() {
        let rung = SweepRung(epochs: 2, fraction: 0.5)
        let early = EndedRun(reason: .earlyStopped, epoch: 2, metric: "accuracy", bestMetric: 0.99, bestEpoch: 1)
        let swept = EndedRun(reason: .stoppedBySweep, epoch: 2, metric: "accuracy", bestMetric: 0.4, bestEpoch: 2)
        let decision = rung.decide([
            Self.run("failed", [0.99], resultsWritten: false),
            Self.run("unwritten", [0.99, 0.99], resultsWritten: false),
            Self.run("early", [0.99, 0.2], ended: early),
            Self.run("nan", [.nan, .nan]),
            Self.run("later", [0.1, 0.3, 0.95, 0.97]),
            Self.run("swept", [0.2, 0.4], ended: swept),
            Self.run("steady", [0.35, 0.35]),
        ])
        #expect(
            Self.verdicts(decision) == [
                "failed": .unfinished, "unwritten": .unfinished, "early": .ended, "nan": .stopped, "later": .stopped,
                "swept": .kept, "steady": .kept,
            ])
        #expect(decision.entries.first { $0.standing.directory == "log/M/nan" }?.value == nil)
        #expect(decision.entries.first { $0.standing.directory == "log/M/later" }?.value == 0.3)
        #expect(
            decision.entries.prefix(4).map(\.standing.directory) == [
                "log/M/swept", "log/M/steady", "log/M/later", "log/M/nan",
            ])
    }

    @Test func theDecisionAsCSV() {
        let decision = SweepRung(epochs: 1, fraction: 0.5).decide([
            Self.run("a,1", [0.25], metric: "reconstruction_error"),
            Self.run("b", [0.5], metric: "reconstruction_error"),
        ])
        #expect(
            decision.csv
                == "run,validation_reconstruction_error,verdict\n\"log/M/a,1\",0.25,kept\nlog/M/b,0.5,stopped\n")
    }
}
