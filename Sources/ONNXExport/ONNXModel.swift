import Engine
import Foundation
import Plugins
import Protobufs

/// A trained network as an ONNX model (opset 13, IR version 7, which every current runtime
/// reads): input `input`, float32 N x C x H x W with a dynamic batch, in the model's pixel range;
/// output `output`, a classifier's probabilities (Softmax of its logits) or an autoencoder's
/// reconstruction. The metadata says how pixels become the input and names the classes.
public enum ONNXModel {
    public static let opset: Int64 = 13
    public static let irVersion: Int64 = 7

    public static func build(
        _ network: Network, model: any ModelPlugin.Type, classNames: [String]
    ) throws(ONNXExportError) -> Onnx_ModelProto {
        var graph = ONNXGraph()
        var values = [network.input.index: ONNXGraph.Value(name: "input", flat: false)]
        for layer in network.layers {
            guard let exportable = layer as? any ONNXExportable, let nodes = network.nodes(of: layer) else {
                throw .unsupportedLayer(name: layer.name, type: String(describing: type(of: layer)))
            }
            values[nodes.output.index] = exportable.export(
                nodes.inputs.map { values[$0.index]! }, shapes: nodes.inputs.map(network.shape(of:)), into: &graph)
        }
        let last = values[network.output.index]!
        let outputShape: [Int]
        switch model.kind {
        case .classifier:
            graph.node("Softmax", [graph.flattened(last)], output: "output", [.int("axis", 1)])
            outputShape = [network.outputShape.count]
        case .autoencoder:
            let shape = network.outputShape
            outputShape = [shape.channels, shape.height, shape.width]
            graph.node("Identity", [last.name], output: "output")
        }

        var proto = Onnx_GraphProto()
        proto.name = model.name
        proto.docString = model.summary
        proto.node = graph.nodes
        proto.initializer = graph.initializers
        let input = network.inputShape
        proto.input = [valueInfo("input", [input.channels, input.height, input.width])]
        proto.output = [valueInfo("output", outputShape)]

        var onnx = Onnx_ModelProto()
        onnx.irVersion = irVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Self.opset
        onnx.opsetImport = [opset]
        onnx.producerName = "swift-training-bench"
        onnx.graph = proto
        onnx.metadataProps = metadata(model, classNames: classNames).map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        return onnx
    }

    /// A float32 tensor N x `dimensions`, N named "N" so that any batch size runs.
    private static func valueInfo(_ name: String, _ dimensions: [Int]) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "N"
        shape.dim =
            [batch]
            + dimensions.map { size in
                var dimension = Onnx_TensorShapeProto.Dimension()
                dimension.dimValue = Int64(size)
                return dimension
            }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.shape = shape
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensor
        return info
    }

    private static func metadata(_ model: any ModelPlugin.Type, classNames: [String]) -> [(String, String)] {
        let scaling =
            switch model.pixelRange {
            case .zeroToOne: "pixel / 255"
            case .minusOneToOne: "pixel * 2 / 255 - 1"
            }
        var entries = [
            ("model", model.name), ("kind", model.kind.rawValue), ("pixel_range", model.pixelRange.rawValue),
            ("input_scaling", scaling),
        ]
        if model.kind == .classifier, let json = try? JSONSerialization.data(withJSONObject: classNames) {
            entries.append(("classes", String(decoding: json, as: UTF8.self)))
        }
        return entries
    }
}
