import Engine

/// Inverted dropout scales in training only, so at evaluation it is the identity: no node.
extension Dropout: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        inputs[0]
    }
}
