import Engine

/// Inverted dropout scales in training only, so at evaluation it is the identity: no node.
/// Direct dropout scales at evaluation: a Mul by the keep probability.
extension Dropout: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        guard scaling == .direct else { return inputs[0] }
        let keep = graph.constant(name + "/keep", floats: [1 - probability])
        return ONNXGraph.Value(name: graph.node("Mul", [inputs[0].name, keep], output: name), flat: inputs[0].flat)
    }
}
