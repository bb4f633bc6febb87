import Engine
import Plugins

/// Lasagne's MNIST example CNN, seed 000's baseline: conv 5x5x32 relu, maxpool 2, conv 5x5x32
/// relu, maxpool 2, dropout, dense 256 relu, dropout, dense to the classes (softmax in the loss).
public enum StandardCNN: ModelPlugin {
    public static let name = "StandardCNN"
    public static let kind = ModelKind.classifier
    public static let summary = "Lasagne's MNIST CNN: conv/pool x2, dense 256, softmax"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "dense"

    /// The shared trunk: both convolution stages, then the flattened features.
    static func convolutions(_ network: Network, input: Shape) throws(EngineError) -> Network.Node {
        try network.add(
            Conv2D(name: "conv1", inputChannels: input.channels, outputChannels: 32, kernel: 5, activation: .relu))
        try network.add(MaxPool2D(name: "pool1", size: 2))
        try network.add(Conv2D(name: "conv2", inputChannels: 32, outputChannels: 32, kernel: 5, activation: .relu))
        return try network.add(MaxPool2D(name: "pool2", size: 2))
    }

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        let network = Network(input: input)
        let features = try convolutions(network, input: input)
        try network.add(Dropout(name: "drop1", probability: 0.5))
        try network.add(Dense(name: "dense", inputs: network.shape(of: features).count, units: 256, activation: .relu))
        try network.add(Dropout(name: "drop2", probability: 0.5))
        try network.add(Dense(name: "logits", inputs: 256, units: classes))
        return network
    }
}
