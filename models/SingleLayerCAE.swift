import Engine
import Plugins

/// DTB's single-layer convolutional autoencoder (seed 004): zero-pad 2, conv 3x3x32 tanh, conv
/// 3x3xC tanh, both valid, so the output has the input's size. He-normal weights; only the
/// encoder's weights take `--l2_penalty`, as DTB's code did (wd = 0 for the decoder).
public enum SingleLayerCAE: ModelPlugin {
    public static let name = "SingleLayerCAE"
    public static let kind = ModelKind.autoencoder
    public static let summary = "DTB's pad 2, conv 3x3x32 tanh, conv 3x3xC tanh autoencoder"
    public static let pixelRange = PixelRange.minusOneToOne
    public static let featureLayer = "encode"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        let network = Network(input: input)
        try network.add(Pad(name: "pad", amount: 2))
        try network.add(
            Conv2D(
                name: "encode", inputChannels: input.channels, outputChannels: 32, kernel: 3,
                activation: .tanh, initializer: .heNormal, decays: true))
        try network.add(
            Conv2D(
                name: "decode", inputChannels: 32, outputChannels: input.channels, kernel: 3,
                activation: .tanh, initializer: .heNormal, decays: false))
        return network
    }
}
