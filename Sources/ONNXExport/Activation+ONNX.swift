import Engine

extension Activation {
    /// The ONNX operator of this non-linearity; nil for the identity, which needs no node.
    var onnxOperation: String? {
        switch self {
        case .identity: nil
        case .tanh: "Tanh"
        case .relu: "Relu"
        case .sigmoid: "Sigmoid"
        }
    }
}
