import Foundation

extension Trainer {
    /// Where a run folder stands when a run opens it.
    enum Resumption {
        /// Every epoch trained and the results written: nothing to do.
        case finished(Checkpoint)
        /// Steps left to train from this state (the checkpoint's, or a new run's).
        case training(Checkpoint)
    }

    /// Loads the folder's checkpoint into the network and optimizer, if it has one, and brings
    /// the folder back to it: CSV rows logged after it dropped, a staged best settled or dropped.
    func resume(in folder: RunFolder, schedule: EpochSchedule) throws(BenchError) -> Resumption {
        var state = Checkpoint(model: model.name)
        if FileManager.default.fileExists(atPath: folder.checkpointPath) {
            state = try Checkpoint.load(folder.checkpointPath, into: network, optimizer: optimizer)
            console.line("resuming \(folder.path) from step \(state.step)")
        }
        try folder.resetCSV(folder.stepsCSV, header: RunFolder.stepsHeader, keepingThrough: state.step)
        try folder.resetCSV(
            folder.epochsCSV, header: RunFolder.epochsHeader(metric: evaluator.metricName),
            keepingThrough: state.step / schedule.stepsPerEpoch)
        // A run that early stopping ends at its last epoch is not done until its folder is marked.
        if state.step >= schedule.totalSteps && state.resultsWritten && !stopsEarly(state) { return .finished(state) }
        // More epochs than the finished run had: its results will be written again at the end.
        if state.step < schedule.totalSteps { state.resultsWritten = false }
        try folder.settleBest(atStep: state.step)
        return .training(state)
    }
}
