import Engine

/// Pad with zeros, the same amount on every side of each plane.
extension Pad: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let a = Int64(amount)
        let pads = graph.constant(name + "/pads", int64s: [0, 0, a, a, 0, 0, a, a])
        let padded = graph.node("Pad", [inputs[0].name, pads], output: name, [.string("mode", "constant")])
        return ONNXGraph.Value(name: padded, flat: false)
    }
}
