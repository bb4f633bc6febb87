import Engine
import Foundation
import Protobufs

/// An ONNX graph as it is written, node by node in the network's order. Each parameter becomes
/// one initializer under its own name however many layers read it, so the weights a transposed
/// convolution shares with its convolution are stored once and feed both nodes.
public struct ONNXGraph {
    /// A tensor flowing between nodes: its name in the graph and whether it is still N x C x H x W
    /// or already flat (N x features), as a dense layer leaves it.
    public struct Value {
        public let name: String
        public let flat: Bool
    }

    public private(set) var nodes: [Onnx_NodeProto] = []
    public private(set) var initializers: [Onnx_TensorProto] = []
    private var stored: Set<ObjectIdentifier> = []

    /// The parameter's initializer, added the first time a layer reads it.
    public mutating func parameter(_ p: Parameter) -> String {
        if stored.insert(ObjectIdentifier(p)).inserted {
            initializers.append(Self.tensor(p.name, dimensions: p.dimensions, floats: p.values))
        }
        return p.name
    }

    /// A constant vector of 64-bit integers (shapes, pads) named `name`.
    public mutating func constant(_ name: String, int64s values: [Int64]) -> String {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = [Int64(values.count)]
        tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        tensor.rawData = values.map(\.littleEndian).withUnsafeBufferPointer { Data(buffer: $0) }
        initializers.append(tensor)
        return name
    }

    /// A constant vector of floats (scales) named `name`.
    public mutating func constant(_ name: String, floats values: [Float]) -> String {
        initializers.append(Self.tensor(name, dimensions: [values.count], floats: values))
        return name
    }

    /// Adds a node whose single output is named `output`, and returns that name.
    @discardableResult
    public mutating func node(
        _ operation: String, _ inputs: [String], output: String, _ attributes: [Onnx_AttributeProto] = []
    ) -> String {
        var node = Onnx_NodeProto()
        node.opType = operation
        node.name = output
        node.input = inputs
        node.output = [output]
        node.attribute = attributes
        nodes.append(node)
        return output
    }

    /// Applies `activation` to `input` as its own node named `output` (nothing for the identity).
    public mutating func activation(_ activation: Activation, _ input: String, output: String) -> String {
        guard let operation = activation.onnxOperation else { return input }
        return node(operation, [input], output: output)
    }

    /// `value` as N x features, flattening it if it still has planes.
    public mutating func flattened(_ value: Value) -> String {
        value.flat ? value.name : node("Flatten", [value.name], output: value.name + "/flat", [.int("axis", 1)])
    }

    private static func tensor(_ name: String, dimensions: [Int], floats: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dimensions.map(Int64.init)
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.rawData = floats.map(\.bitPattern.littleEndian).withUnsafeBufferPointer { Data(buffer: $0) }
        return tensor
    }
}
