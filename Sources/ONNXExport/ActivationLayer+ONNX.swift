import Engine

extension ActivationLayer: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        ONNXGraph.Value(name: graph.activation(activation, inputs[0].name, output: name), flat: inputs[0].flat)
    }
}
