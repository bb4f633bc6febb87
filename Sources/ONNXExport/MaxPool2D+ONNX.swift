import Engine

/// MaxPool without padding; ONNX's default floor rounding drops the border as the layer does.
extension MaxPool2D: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let pooled = graph.node(
            "MaxPool", [inputs[0].name], output: name,
            [.ints("kernel_shape", [size, size]), .ints("strides", [stride, stride])])
        return ONNXGraph.Value(name: pooled, flat: false)
    }
}
