import DataIO
import Foundation

extension Trainer {
    /// Rank 0, once it holds the run folder and knows where it stands, tells the other processes
    /// whether there are steps to train (they then load its checkpoint) or nothing to do.
    func announce(training: Bool) {
        guard let group = exchange?.group else { return }
        _ = group.broadcast(training ? 1 : 0)
    }

    /// A process other than rank 0: it waits for rank 0 to claim the run folder, starts from the
    /// weights rank 0 starts from (the folder's checkpoint, the source's, or the seed's), and
    /// trains its share of every step alike, writing nothing.
    func follow() throws(BenchError) -> Summary {
        let runDirectory = configuration.runDirectory
        var batcher = Batcher(data.train, batchSize: configuration.batchSize)
        let schedule = try EpochSchedule(epochs: configuration.epochs, stepsPerEpoch: batcher.batchesPerEpoch)
        let summary = Summary(runDirectory: runDirectory, steps: 0, bestValidation: .nan, test: .nan, alreadyDone: true)
        guard exchange!.group.broadcast(0) == 1 else { return summary }
        try startFromSourceWeights(restart: false)
        var state = Checkpoint(model: model.name)
        let checkpoint = runDirectory + "/" + Checkpoint.fileName
        if FileBytes.exists(checkpoint) {
            state = try Checkpoint.load(checkpoint, into: network, optimizer: optimizer)
        }
        try trainEpochs(&state, batcher: &batcher, schedule: schedule, folder: nil, observers: [])
        return Summary(
            runDirectory: runDirectory, steps: state.step, bestValidation: state.bestMetric ?? .nan, test: .nan,
            alreadyDone: false)
    }
}
