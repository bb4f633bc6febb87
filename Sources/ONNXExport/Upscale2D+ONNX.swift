import Engine

/// Resize by the integer factor, nearest neighbour: with asymmetric coordinates and floor
/// rounding, output pixel (y, x) reads input (y / f, x / f), as the layer copies them.
extension Upscale2D: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let scales = graph.constant(name + "/scales", floats: [1, 1, Float(factor), Float(factor)])
        let resized = graph.node(
            "Resize", [inputs[0].name, "", scales], output: name,
            [
                .string("mode", "nearest"), .string("coordinate_transformation_mode", "asymmetric"),
                .string("nearest_mode", "floor"),
            ])
        return ONNXGraph.Value(name: resized, flat: false)
    }
}
