import Foundation

extension Trainer {
    /// Validates, counts the epoch for early stopping and plateau, records the epoch's row, and
    /// saves the checkpoint, which holds those counts and plateau's rate. A new best is staged
    /// before the checkpoint that records it and becomes `best/` only after, so a run killed in
    /// between never leaves a `best/` its checkpoint does not know. In a data-parallel group every
    /// process takes rank 0's validation (batch normalization's averages differ between them), so
    /// that all decide alike; only rank 0 has the `folder` and writes.
    func endEpoch(
        _ epoch: Int, state: inout Checkpoint, rates: LearningRateSchedule, folder: RunFolder?,
        seconds: Double
    ) throws(BenchError) -> EpochResult {
        let trainLoss = state.epochLossSum / Double(max(state.epochLossCount, 1))
        var validation = evaluator.metric(network, on: data.validation)
        if let group = exchange?.group { validation = group.broadcast(validation) }
        state.epochLossSum = 0
        state.epochLossCount = 0
        let improved = evaluator.isBetter(validation, than: state.bestMetric)
        let progressed = state.progress.record(
            validation, higherIsBetter: evaluator.higherIsBetter, minDelta: configuration.minDelta)
        state.plateau = rates.plateau(after: state.plateau, improved: progressed)
        if improved {
            state.bestMetric = validation
            state.bestEpoch = epoch
        }
        let result = EpochResult(
            epoch: epoch, step: state.step, trainLoss: trainLoss, validation: validation,
            improved: improved, seconds: seconds)
        guard let folder else { return result }
        if improved { try state.save(network, optimizer: nil, to: folder.pendingBestPath) }
        // The row goes first: resuming keeps the rows up to the checkpoint's epoch.
        try AtomicFile.appendLine(
            "\(epoch),\(trainLoss),\(validation),\(String(format: "%.3f", seconds))",
            to: folder.epochsCSV)
        try state.save(network, optimizer: optimizer, to: folder.checkpointPath)
        if improved { try folder.settleBest(atStep: state.step) }
        return result
    }
}
