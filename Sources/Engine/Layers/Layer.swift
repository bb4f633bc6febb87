/// What a forward pass is for.
public enum Mode: Sendable {
    /// Dropout draws a new mask, max pools record their arg-max for the backward pass.
    case training
    /// Outputs only: dropout passes values through, fused operators may leave their inner nodes
    /// unwritten and take faster, differently rounded paths (Winograd).
    case evaluation
    /// As evaluation, but every node's output is written: pictures of a layer's maps read them.
    case inspection
    /// A training pass that repeats the last one's choices (dropout's mask, each pool's arg-max),
    /// so that finite differences see one smooth function; networks planned without fusion.
    case replay

    /// Whether a backward pass may follow.
    var trains: Bool { self == .training || self == .replay }
}

/// What a layer is planned with: the batch capacity, the threads, which algorithms to use, whether
/// training steps will run (or only evaluation's forward passes), and the products' precision.
public struct PlanContext: Sendable {
    public let capacity: Int
    public let pool: ThreadPool
    public let algorithms: AlgorithmChoice
    public let trains: Bool
    public let precision: Precision

    public init(
        capacity: Int, pool: ThreadPool, algorithms: AlgorithmChoice = .fastest, trains: Bool = true,
        precision: Precision = .float32
    ) {
        (self.capacity, self.pool, self.algorithms) = (capacity, pool, algorithms)
        (self.trains, self.precision) = (trains, precision)
    }

    /// The same context with the fixed rules in place of timing: for a layer that a fused operator
    /// runs, whose own algorithms serve only the passes that bypass the operator (pictures).
    var untuned: PlanContext {
        guard case .tuned = algorithms else { return self }
        return PlanContext(capacity: capacity, pool: pool, algorithms: .fastest, trains: trains, precision: precision)
    }
}

/// One node's computation, forward and backward side by side, in the style of Caffe and llm.c.
/// A network calls `outputShape` once when it is built (all shape checks happen there), `plan`
/// once per batch capacity (all scratch is allocated there), then `forward` and `backward` every
/// step with the first `batch` samples of tensors it owns; neither allocates. A layer is the
/// specification: FusionPass may run a chain of layers as one fused operator instead, which is
/// checked against the layers.
public protocol Layer: AnyObject {
    var name: String { get }
    /// Trainable parameters, shared objects where weights are tied.
    var parameters: [Parameter] { get }
    /// Arrays the layer keeps that are not trained but belong with the weights (batch
    /// normalization's running averages): checkpoints save and restore them.
    var statistics: [Parameter] { get }
    /// Checks the input shapes and returns the output shape.
    func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape
    /// Allocates scratch for the context's capacity and threads.
    func plan(_ context: PlanContext)
    func forward(_ inputs: [Tensor], into output: Tensor, batch: Int, mode: Mode)
    /// Adds the parameter gradients and writes each non-nil input gradient. May overwrite
    /// `outputGradient` (activation derivatives are applied to it in place).
    func backward(
        _ inputs: [Tensor], output: Tensor, outputGradient: Tensor,
        inputGradients: [Tensor?], batch: Int)
    /// Multiply-adds of one sample's forward pass, for FLOP counts.
    var multiplyAdds: Int { get }
    /// Whether a gradient flows through to its inputs (not through a stop-gradient, nor into
    /// the input's corruption).
    var passesGradient: Bool { get }
}

/// A layer that draws random numbers in training passes (dropout's masks): the network gives each
/// its own stream from the run's seed. `firstSample`: the batch's first sample is that sample of a
/// larger batch split between processes, whose draws it takes, so the split draws what one whole
/// batch would.
public protocol RandomLayer: Layer {
    func reseed(_ seed: UInt64, firstSample: Int)
}

extension Layer {
    public func plan(_ context: PlanContext) {}
    public var parameters: [Parameter] { [] }
    public var statistics: [Parameter] { [] }
    public var multiplyAdds: Int { 0 }
    public var passesGradient: Bool { true }
}

/// A layer with one input, which is most of them.
func single(_ inputs: [Shape], _ layer: String) throws(EngineError) -> Shape {
    guard inputs.count == 1 else {
        throw .invalidConfiguration("\(layer) takes one input, got \(inputs.count)")
    }
    return inputs[0]
}

/// The tensors of the pass in progress. A layer keeps them here for its parallel jobs, which it
/// makes once (`lazy`) so that no step allocates a closure.
struct Pass {
    var x: Tensor!
    var y: Tensor!
    var dy: Tensor!
    var dx: Tensor?
    var batch = 0
    var mode = Mode.training
}
