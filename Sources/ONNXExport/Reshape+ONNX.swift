import Engine

/// Reshape to the layer's target with the batch kept (a 0 in ONNX's shape copies that dimension).
extension Reshape: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let shape = graph.constant(
            name + "/shape", int64s: [0, Int64(target.channels), Int64(target.height), Int64(target.width)])
        return ONNXGraph.Value(name: graph.node("Reshape", [inputs[0].name, shape], output: name), flat: false)
    }
}
