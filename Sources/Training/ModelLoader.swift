import Engine
import Plugins

/// A model plug-in's network for one image shape, built and planned the one way every command
/// needs it: with fresh weights to train or time, or with a checkpoint's to evaluate or draw.
public struct ModelLoader {
    public let model: any ModelPlugin.Type
    public let input: Shape
    public let classes: Int

    public init(_ model: any ModelPlugin.Type, input: Shape, classes: Int) {
        self.model = model
        self.input = input
        self.classes = classes
    }

    /// Planned for batches of up to `capacity` on `threads` (with `options`), weights drawn from
    /// `seed`; with `trainable` (`--trainable_scopes`), every other parameter frozen before the
    /// plan, so that no step computes its gradient.
    public func initialized(
        seed: UInt64, capacity: Int, threads: Int,
        options: Network.PlanOptions = Network.PlanOptions(), trainable: ParameterScopes? = nil
    ) throws(BenchError) -> Network {
        let network = try built()
        if let trainable {
            try trainable.check(against: network, flag: "--trainable_scopes")
            for p in network.parameters { p.frozen = !trainable.contains(p) }
        }
        network.plan(capacity: capacity, threads: threads, training: true, options: options)
        network.initialize(seed: seed)
        return network
    }

    /// Planned as `initialized`, holding the weights of the checkpoint at `path`; `training`
    /// false plans for forward passes alone.
    public func loaded(
        checkpoint path: String, capacity: Int, threads: Int,
        training: Bool
    ) throws(BenchError) -> Network {
        let network = try planned(
            capacity: capacity, threads: threads, training: training, options: Network.PlanOptions())
        _ = try Checkpoint.load(path, into: network, optimizer: nil)
        return network
    }

    private func planned(
        capacity: Int, threads: Int, training: Bool,
        options: Network.PlanOptions
    ) throws(BenchError) -> Network {
        let network = try built()
        network.plan(capacity: capacity, threads: threads, training: training, options: options)
        return network
    }

    private func built() throws(BenchError) -> Network {
        do { return try model.build(input: input, classes: classes) } catch {
            throw .usage("--model \(model.name) cannot take \(input) images: \(error)")
        }
    }
}
