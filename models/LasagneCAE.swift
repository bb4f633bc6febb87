import Engine
import Plugins

/// The Lasagne convolutional autoencoder of seeds 000 and 001: two conv 5x5x32 tanh + maxpool
/// stages, a dropout-regularised dense 256 / 512 tanh bottleneck, then upscaling and transposed
/// convolutions whose weights are the encoder's own (tied), each with its own bias and ReLU.
public enum LasagneCAE: ModelPlugin {
    public static let name = "LasagneCAE"
    public static let kind = ModelKind.autoencoder
    public static let summary = "seed 000's Lasagne autoencoder: conv/pool x2, dense 256/512, tied deconvolutions"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "dense1"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        let network = Network(input: input)
        let conv1 = Conv2D(
            name: "conv1", inputChannels: input.channels, outputChannels: 32, kernel: 5, activation: .tanh)
        let conv2 = Conv2D(name: "conv2", inputChannels: 32, outputChannels: 32, kernel: 5, activation: .tanh)
        try network.add(conv1)
        try network.add(MaxPool2D(name: "pool1", size: 2))
        try network.add(conv2)
        try network.add(MaxPool2D(name: "pool2", size: 2))
        let encoded = network.outputShape
        try network.add(Dropout(name: "drop1", probability: 0.5))
        try network.add(Dense(name: "dense1", inputs: encoded.count, units: 256, activation: .tanh))
        try network.add(Dropout(name: "drop2", probability: 0.5))
        try network.add(Dense(name: "dense2", inputs: 256, units: encoded.count, activation: .tanh))
        try network.add(Reshape(name: "unflatten", to: encoded))
        try network.add(Upscale2D(name: "up2", factor: 2))
        try network.add(TransposedConv2D(name: "deconv2", tiedTo: conv2, activation: .relu))
        try network.add(Upscale2D(name: "up1", factor: 2))
        try network.add(TransposedConv2D(name: "deconv1", tiedTo: conv1, activation: .relu))
        guard network.outputShape == input else {
            throw .shapeMismatch(
                "LasagneCAE reconstructs \(network.outputShape) from \(input); the side must be 4k + 12 (28 for MNIST)")
        }
        return network
    }
}
