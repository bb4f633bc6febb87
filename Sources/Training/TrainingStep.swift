import Engine

/// One training step on the batch already in the network's input: forward, loss, backward,
/// L2 decay, then (if the loss is finite) the optimizer's update. Shared by the trainer and the
/// benchmark, so what is timed is what trains.
public struct TrainingStep {
    public let network: Network
    public let evaluator: Evaluator
    public let optimizer: Optimizer
    public let l2Penalty: Float

    public init(network: Network, evaluator: Evaluator, optimizer: Optimizer, l2Penalty: Float) {
        self.network = network
        self.evaluator = evaluator
        self.optimizer = optimizer
        self.l2Penalty = l2Penalty
    }

    /// Returns the loss (with the L2 penalty); parameters change only when it is finite.
    public func callAsFunction(batch: Int, learningRate: Float) -> Double {
        network.forward(batch: batch, mode: .training)
        var loss = evaluator.loss(network, batch: batch, gradient: true).loss
        network.backward(batch: batch)
        loss += applyWeightDecay(l2Penalty, to: network.parameters)
        if loss.isFinite {
            optimizer.learningRate = learningRate
            optimizer.update()
        }
        return loss
    }
}
