import Engine

/// A layer that can write itself into an ONNX graph: the nodes that compute, at evaluation, what
/// its `forward` computes, from the values of its inputs (with their shapes in the network).
public protocol ONNXExportable: Layer {
    func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value
}
