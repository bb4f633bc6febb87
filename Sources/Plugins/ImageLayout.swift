/// Where a 4-D image array keeps its channels, when the array alone cannot tell (both its second
/// and its last axis could be the channels): `nhwc` is TensorFlow's and Keras's order, `nchw`
/// PyTorch's and the bench's own.
public enum ImageLayout: String, Sendable, CaseIterable, Codable {
    case nhwc, nchw
}
