extension Trainer {
    /// Whether `--early_stopping_patience` ends the run at `state` (after an epoch's end).
    func stopsEarly(_ state: Checkpoint) -> Bool {
        configuration.earlyStopping?.stops(after: state.progress) ?? false
    }

    func announceEarlyStop(after epoch: Int) {
        let patience = configuration.earlyStoppingPatience ?? 0
        console.line(
            "stopping early after epoch \(epoch): validation \(evaluator.metricName) has not improved by more than "
                + "\(pythonFloat(configuration.minDelta)) for \(patience) epochs")
    }

    /// The summary of a folder marked ended, whose command says so and trains nothing. The flags
    /// are compared first, so that another run under the same name is refused as such.
    func endedBefore(in folder: RunFolder, schedule: EpochSchedule) throws(BenchError) -> Summary? {
        try folder.checkSameRun(configuration)
        guard let ended = try EndedRun.read(runDirectory: folder.path) else { return nil }
        console.line(ended.message(runDirectory: folder.path))
        return Summary(
            runDirectory: folder.path, steps: ended.epoch * schedule.stepsPerEpoch,
            bestValidation: ended.bestMetric ?? .nan, test: .nan, alreadyDone: true)
    }

    /// Marks the folder ended, after its results lines: a run killed before the mark writes them
    /// again on resume (the same lines, which `ResultsFile` keeps once) and then marks it.
    func markStoppedEarly(_ state: Checkpoint, in folder: RunFolder, schedule: EpochSchedule) throws(BenchError) {
        try EndedRun(
            reason: .earlyStopped, epoch: state.step / schedule.stepsPerEpoch, metric: evaluator.metricName,
            bestMetric: state.bestMetric, bestEpoch: state.bestEpoch
        ).write(runDirectory: folder.path)
    }
}
