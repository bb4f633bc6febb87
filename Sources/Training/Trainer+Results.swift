extension Trainer {
    /// The test value of `best/`, the results lines in the log root, and a checkpoint that
    /// records they were written.
    func writeResults(state: inout Checkpoint, folder: RunFolder) throws(BenchError) -> Summary {
        let best = state.bestMetric ?? .nan
        let test = try Evaluator.metric(
            of: model, checkpoint: folder.bestCheckpointPath, on: data.test,
            classes: data.classNames.count, batchSize: configuration.batchSize,
            threads: configuration.threads)
        let run = "\(model.name): \(configuration.runName)"
        try ResultsFile.append("\(run) \(best)", to: configuration.logDirectory + "/validation_results.txt")
        try ResultsFile.append("\(run) \(test)", to: configuration.logDirectory + "/test_results.txt")
        state.resultsWritten = true
        try state.save(network, optimizer: optimizer, to: folder.checkpointPath)
        let metric = evaluator.metricName
        console.line("best validation \(metric) = \(best) (epoch \(state.bestEpoch)); test \(metric) = \(test)")
        return Summary(
            runDirectory: folder.path, steps: state.step, bestValidation: best, test: test,
            alreadyDone: false)
    }
}
