import Engine

/// Conv (cross-correlation, as the engine's), its bias, then the activation.
extension Conv2D: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let pad = padding.amounts(kernel: kernel)
        let weights = [graph.parameter(weight)] + (bias.map { [graph.parameter($0)] } ?? [])
        let convolution = graph.node(
            "Conv", [inputs[0].name] + weights, output: activation == .identity ? name : name + "/preactivation",
            [
                .ints("kernel_shape", [kernel.0, kernel.1]), .ints("strides", [stride.0, stride.1]),
                .ints("pads", [pad.0, pad.1, pad.0, pad.1]),
            ])
        return ONNXGraph.Value(name: graph.activation(activation, convolution, output: name), flat: false)
    }
}
