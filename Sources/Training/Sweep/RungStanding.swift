/// Where a run of a sweep stands once the first rung of successive halving has run, read from its
/// folder: its validation log, whether its results lines are written (its checkpoint records
/// it), and the mark of a run that has ended. Only files are read, so a run that trained on
/// another machine counts once its folder is at the same path here (a shared file system).
public struct RungStanding: Equatable, Sendable {
    public var directory: String
    public var log: EpochsLog
    public var resultsWritten: Bool
    public var ended: EndedRun?

    public init(directory: String, log: EpochsLog, resultsWritten: Bool, ended: EndedRun? = nil) {
        self.directory = directory
        self.log = log
        self.resultsWritten = resultsWritten
        self.ended = ended
    }

    /// The run in `runDirectory`; an ended mark that cannot be read stops the sweep, naming it.
    public static func read(runDirectory: String) throws(BenchError) -> RungStanding {
        RungStanding(
            directory: runDirectory, log: EpochsLog(runDirectory: runDirectory),
            resultsWritten: Checkpoint.resultsWritten(runDirectory: runDirectory),
            ended: try EndedRun.read(runDirectory: runDirectory))
    }

    /// Whether the run trained `epochs` epochs and wrote its results lines: a run that failed, or
    /// that early stopping ended, did not. A run this sweep stopped before (the same sweep run
    /// again) did, and is decided again alike.
    func finished(epochs: Int) -> Bool {
        let endedByOthers = ended.map { $0.reason != .stoppedBySweep } ?? false
        return resultsWritten && !endedByOthers && (log.rows.last?.epoch ?? 0) >= epochs
    }
}
