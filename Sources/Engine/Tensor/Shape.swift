/// The shape of one sample, channels first (NCHW without the N): a dense layer's output is
/// `Shape(units, 1, 1)`, so flattening is free.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(_ channels: Int, _ height: Int = 1, _ width: Int = 1) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Values in one sample.
    public var count: Int { channels * height * width }
    /// Values in one channel plane.
    public var plane: Int { height * width }

    public var description: String { "\(channels)x\(height)x\(width)" }
}
