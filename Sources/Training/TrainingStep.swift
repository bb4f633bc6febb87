import Engine

/// One training step on the batch already in the network's input: forward, loss, backward,
/// L2 decay, then (if the loss is finite) the optimizer's update. Shared by the trainer and the
/// benchmark, so what is timed is what trains.
public struct TrainingStep {
    public let network: Network
    public let evaluator: Evaluator
    public let optimizer: Optimizer
    public let l2Penalty: Float
    /// An autoencoder's target when it is not the input (`TrainingInputs.target`).
    public let target: UnsafePointer<Float>?

    public init(
        network: Network, evaluator: Evaluator, optimizer: Optimizer, l2Penalty: Float,
        target: UnsafePointer<Float>? = nil
    ) {
        self.network = network
        self.evaluator = evaluator
        self.optimizer = optimizer
        self.l2Penalty = l2Penalty
        self.target = target
    }

    /// Returns the loss (with the L2 penalty); parameters change only when it is finite.
    public func callAsFunction(batch: Int, learningRate: Float) -> Double {
        network.forward(batch: batch, mode: .training)
        var loss = evaluator.loss(network, batch: batch, gradient: true, target: target).loss
        network.backward(batch: batch)
        loss += applyWeightDecay(l2Penalty, to: optimizer.parameters)
        if loss.isFinite {
            optimizer.learningRate = learningRate
            optimizer.update()
        }
        return loss
    }
}
