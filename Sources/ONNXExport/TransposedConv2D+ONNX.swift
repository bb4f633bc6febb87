import Engine
import Protobufs

/// ConvTranspose reading the same initializer as the convolution it is tied to (ONNX lays its
/// weights out as in x out x kh x kw, which is the convolution's out x in), with the padding of
/// that convolution and, where the layer asks for a larger output than the stride gives, the
/// difference as output_padding.
extension TransposedConv2D: ONNXExportable {
    public func export(_ inputs: [ONNXGraph.Value], shapes: [Shape], into graph: inout ONNXGraph) -> ONNXGraph.Value {
        let pad = padding.amounts(kernel: kernel), x = shapes[0]
        let natural = (
            (x.height - 1) * stride.0 + kernel.0 - 2 * pad.0, (x.width - 1) * stride.1 + kernel.1 - 2 * pad.1
        )
        let size = outputSize ?? natural
        let weights = [graph.parameter(weight)] + (bias.map { [graph.parameter($0)] } ?? [])
        var attributes: [Onnx_AttributeProto] = [
            .ints("kernel_shape", [kernel.0, kernel.1]), .ints("strides", [stride.0, stride.1]),
            .ints("pads", [pad.0, pad.1, pad.0, pad.1]),
        ]
        if size != natural { attributes.append(.ints("output_padding", [size.0 - natural.0, size.1 - natural.1])) }
        let convolution = graph.node(
            "ConvTranspose", [inputs[0].name] + weights,
            output: activation == .identity ? name : name + "/preactivation", attributes)
        return ONNXGraph.Value(name: graph.activation(activation, convolution, output: name), flat: false)
    }
}
