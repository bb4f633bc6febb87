/// A 2-D convolution's sizes: the input it reads, the output it writes, and how the kernel
/// walks. Conv2D uses it forwards; TransposedConv2D uses the same geometry backwards.
public struct ConvolutionGeometry: Sendable, Equatable {
    public let input: Shape
    public let output: Shape
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let strideHeight: Int
    public let strideWidth: Int
    public let padHeight: Int
    public let padWidth: Int

    /// Rows of the unrolled (im2col) input: one per weight of one output channel.
    public var patch: Int { input.channels * kernelHeight * kernelWidth }
    /// Columns of the unrolled input: one per output position.
    public var positions: Int { output.plane }
    /// Weights: output channels x patch.
    public var weightCount: Int { output.channels * patch }

    public init(
        input: Shape, outputChannels: Int, kernel: (Int, Int), stride: (Int, Int),
        padding: (Int, Int)
    ) throws(EngineError) {
        guard kernel.0 > 0, kernel.1 > 0, stride.0 > 0, stride.1 > 0, padding.0 >= 0, padding.1 >= 0,
            outputChannels > 0
        else {
            throw .invalidConfiguration(
                "convolution kernel \(kernel), stride \(stride), padding \(padding), \(outputChannels) channels")
        }
        let paddedH = input.height + 2 * padding.0
        let paddedW = input.width + 2 * padding.1
        guard paddedH >= kernel.0, paddedW >= kernel.1 else {
            throw .shapeMismatch("kernel \(kernel.0)x\(kernel.1) is larger than the padded input \(input)")
        }
        self.input = input
        output = Shape(outputChannels, (paddedH - kernel.0) / stride.0 + 1, (paddedW - kernel.1) / stride.1 + 1)
        kernelHeight = kernel.0
        kernelWidth = kernel.1
        strideHeight = stride.0
        strideWidth = stride.1
        padHeight = padding.0
        padWidth = padding.1
    }

    /// Multiply-adds of one sample's forward pass.
    public var multiplyAdds: Int { weightCount * positions }
}

/// How a convolution pads its input, as Lasagne names it.
public enum Padding: Sendable, Equatable {
    /// No padding: the output shrinks by kernel - 1.
    case valid
    /// Half the kernel on each side: stride 1 keeps the size (odd kernels).
    case same
    /// kernel - 1 on each side: the output grows by kernel - 1.
    case full
    case explicit(Int, Int)

    public func amounts(kernel: (Int, Int)) -> (Int, Int) {
        switch self {
        case .valid: (0, 0)
        case .same: (kernel.0 / 2, kernel.1 / 2)
        case .full: (kernel.0 - 1, kernel.1 - 1)
        case .explicit(let h, let w): (h, w)
        }
    }
}
