/// Whether a pass trains (dropout drops) or evaluates. `inspection` evaluates and keeps every
/// node's output, for pictures of a layer's maps: the other passes may leave an output that only
/// its consumer needs unwritten (a convolution pooling its own output).
public enum Mode: Sendable { case training, evaluation, inspection }

/// One node's computation, forward and backward side by side, in the style of Caffe and llm.c.
/// A network calls `outputShape` once when it is built (all shape checks happen there), `plan`
/// once per batch capacity (all scratch is allocated there), then `forward` and `backward` every
/// step with the first `batch` samples of tensors it owns; neither allocates.
public protocol Layer: AnyObject {
    var name: String { get }
    /// Trainable parameters, shared objects where weights are tied.
    var parameters: [Parameter] { get }
    /// Checks the input shapes and returns the output shape.
    func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape
    /// Allocates scratch for `capacity` samples over `pool`'s threads.
    func plan(capacity: Int, pool: ThreadPool)
    func forward(_ inputs: [Tensor], into output: Tensor, batch: Int, mode: Mode)
    /// Adds the parameter gradients and writes each non-nil input gradient. May overwrite
    /// `outputGradient` (activation derivatives are applied to it in place).
    func backward(_ inputs: [Tensor], output: Tensor, outputGradient: Tensor,
                  inputGradients: [Tensor?], batch: Int)
    /// Multiply-adds of one sample's forward pass, for FLOP counts.
    var multiplyAdds: Int { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var multiplyAdds: Int { 0 }
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
    /// A convolution's weights as its channel-vector kernels read them, for this pass.
    var wt: UnsafePointer<Float>?
    var mode = Mode.training
}
