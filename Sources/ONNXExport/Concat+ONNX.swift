import Engine

/// Concat along the channels. The layer joins inputs of one spatial size; where one of them is
/// already flat (a dense layer's output, 1 x 1), the others are flattened to match.
extension Concat: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let flat = inputs.contains(where: \.flat)
        let names = flat ? inputs.map { graph.flattened($0) } : inputs.map(\.name)
        return ONNXGraph.Value(name: graph.node("Concat", names, output: name, [.int("axis", 1)]), flat: flat)
    }
}
