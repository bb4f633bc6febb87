import Engine

/// A stop-gradient changes nothing at evaluation: no node.
extension StopGradient: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        inputs[0]
    }
}
