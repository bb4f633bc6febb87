import DataIO

extension Trainer {
    /// `--checkpoint_path`: a new run starts from the source's weights, checked before the run
    /// folder is claimed so that a bad source leaves nothing behind. A run folder that has a
    /// checkpoint of its own resumes from that instead, and needs the source no more.
    func startFromSourceWeights(restart: Bool) throws(BenchError) {
        guard let source = configuration.checkpointPath else { return }
        guard restart || !FileBytes.exists(configuration.runDirectory + "/" + Checkpoint.fileName) else { return }
        try Checkpoint.loadWeights(from: source, into: network, excluding: configuration.excludeScopes)
        console.line("starting from the weights of \(source)")
    }
}
