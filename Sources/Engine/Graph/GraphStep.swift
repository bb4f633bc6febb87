/// One operator of a planned network: a layer on its own (LayerStep) or a fused operator that
/// computes a chain of layers at once (FusionPass makes those). It is bound to its tensors when
/// the network is planned, so a step passes nothing but the batch and the mode.
protocol GraphStep: AnyObject {
    /// The layer's name, or the fused layers' names joined by "+".
    var name: String { get }
    /// The node it writes last: the one whose gradient its backward reads.
    var output: Int { get }
    func plan(_ context: PlanContext)
    func forward(batch: Int, mode: Mode)
    func backward(batch: Int)
}

/// A node of the built graph: the layer that writes it (nil for the input), the nodes it reads.
struct GraphEntry {
    let layer: Layer?
    let inputs: [Int]
    let shape: Shape
}

/// The built graph as FusionPass reads it.
struct GraphView {
    let entries: [GraphEntry]
    /// The network's output node.
    let output: Int
    /// How many layers read each node.
    let readers: [Int]
    /// Whether backward passes will run.
    let training: Bool
    /// Whether a gradient flows into each node.
    let needsGradient: [Bool]

    func layer(_ node: Int) -> Layer? { entries[node].layer }

    /// Whether only one layer reads `node` and it is not the network's output: a fused operator
    /// may then keep it to itself.
    func isPrivate(_ node: Int) -> Bool { readers[node] == 1 && node != output }
}

/// The tensors of a planned network, which steps bind to.
struct StepTensors {
    /// Each node's output.
    let outputs: [Tensor]
    /// Each node's gradient, nil where none flows.
    let gradients: [Tensor?]
    /// Per node, per input: where its layer writes that input's gradient (the input's own, or
    /// its reader's share where several read it), nil where none is needed.
    let inputGradients: [[Tensor?]]
}

/// A layer on its own.
final class LayerStep: GraphStep {
    let layer: Layer
    let output: Int
    private let inputs: [Tensor]
    private let result: Tensor
    private let gradient: Tensor?
    private let inputGradients: [Tensor?]

    init(_ layer: Layer, node: Int, inputs: [Int], _ tensors: StepTensors) {
        self.layer = layer
        output = node
        self.inputs = inputs.map { tensors.outputs[$0] }
        result = tensors.outputs[node]
        gradient = tensors.gradients[node]
        inputGradients = tensors.inputGradients[node]
    }

    var name: String { layer.name }

    func plan(_ context: PlanContext) { layer.plan(context) }

    func forward(batch: Int, mode: Mode) { layer.forward(inputs, into: result, batch: batch, mode: mode) }

    func backward(batch: Int) {
        guard let gradient else { return }
        layer.backward(inputs, output: result, outputGradient: gradient, inputGradients: inputGradients, batch: batch)
    }
}
