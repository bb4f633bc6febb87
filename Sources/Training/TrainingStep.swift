import Engine

/// One training step on the batch already in the network's input: forward, loss, backward,
/// the data-parallel exchange when there is one, L2 decay, then (if the loss is finite) the
/// optimizer's update. Shared by the trainer and the benchmark, so what is timed is what trains.
public struct TrainingStep {
    public let network: Network
    public let evaluator: Evaluator
    public let optimizer: Optimizer
    public let l2Penalty: Float
    /// An autoencoder's target when it is not the input (`TrainingInputs.target`).
    public let target: UnsafePointer<Float>?
    /// The group this process trains in, nil alone.
    public let exchange: GradientExchange?

    public init(
        network: Network, evaluator: Evaluator, optimizer: Optimizer, l2Penalty: Float,
        target: UnsafePointer<Float>? = nil, exchange: GradientExchange? = nil
    ) {
        self.network = network
        self.evaluator = evaluator
        self.optimizer = optimizer
        self.l2Penalty = l2Penalty
        self.target = target
        self.exchange = exchange
    }

    /// Returns the loss (with the L2 penalty); parameters change only when it is finite.
    public func callAsFunction(batch: Int, learningRate: Float) -> Double {
        step(samples: batch, of: batch, learningRate: learningRate, stopping: false).loss
    }

    /// A step on `samples` of a batch of `total` split between the group's processes (all of it
    /// alone): returns the whole batch's loss, with the L2 penalty, and whether any process of the
    /// group was asked to stop (`stopping` is this one's answer), which all then do alike.
    public func step(samples: Int, of total: Int, learningRate: Float, stopping: Bool) -> (loss: Double, stop: Bool) {
        var loss = 0.0
        if samples > 0 {
            network.forward(batch: samples, mode: .training)
            loss = evaluator.loss(network, batch: samples, gradient: true, target: target).loss
            network.backward(batch: samples)
        }
        var stop = stopping
        if let exchange { (loss, stop) = exchange.sum(loss: loss, samples: samples, of: total, stopping: stopping) }
        loss += applyWeightDecay(l2Penalty, to: optimizer.parameters)
        if loss.isFinite {
            optimizer.learningRate = learningRate
            optimizer.update()
        }
        return (loss, stop)
    }
}
