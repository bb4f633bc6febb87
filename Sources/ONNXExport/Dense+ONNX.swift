import Engine

/// Flatten where the input still has planes, Gemm with the weights as stored (out x in, hence
/// transB), then the activation.
extension Dense: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let x = graph.flattened(inputs[0])
        let weights = [graph.parameter(weight)] + (bias.map { [graph.parameter($0)] } ?? [])
        let product = graph.node(
            "Gemm", [x] + weights, output: activation == .identity ? name : name + "/preactivation",
            [.int("transB", 1)])
        return ONNXGraph.Value(name: graph.activation(activation, product, output: name), flat: true)
    }
}
