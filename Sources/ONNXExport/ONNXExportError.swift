/// Why a network cannot be written as ONNX.
public enum ONNXExportError: Error, CustomStringConvertible {
    /// A layer type with no ONNX form in this bench.
    case unsupportedLayer(name: String, type: String)

    public var description: String {
        switch self {
        case .unsupportedLayer(let name, let type): "\(name): a \(type) layer has no ONNX export"
        }
    }
}
