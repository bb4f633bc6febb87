import Engine

/// The input's corruption happens in training only: no node.
extension UniformNoise: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        inputs[0]
    }
}
