import Engine

/// BatchNormalization in inference form, with the running averages as its mean and variance.
/// A flat input (a dense layer's units) is N x C, which ONNX's operator takes as it is.
extension BatchNormalization: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let arrays = [scale, offset, movingMean, movingVariance].map { graph.parameter($0) }
        let normalized = graph.node(
            "BatchNormalization", [inputs[0].name] + arrays, output: name, [.float("epsilon", epsilon)])
        return ONNXGraph.Value(name: normalized, flat: inputs[0].flat)
    }
}
