import Engine
import Plugins

/// Seed 003's CIFAR-10 classifier: conv 5x5x32 same relu, maxpool 2, conv 5x5x64 same relu,
/// maxpool 2, dense 1024 relu, dropout, dense to the classes. Its convolutions are the ones
/// `visualize` projects back to pixels.
public enum CifarCNN: ModelPlugin {
    public static let name = "CifarCNN"
    public static let kind = ModelKind.classifier
    public static let summary = "seed 003's CIFAR-10 CNN: conv 5x5x32/64 same, pools, dense 1024"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "dense"
    public static let naturalInput = Shape(3, 32, 32)

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        let network = Network(input: input)
        try network.add(
            Conv2D(
                name: "conv1", inputChannels: input.channels, outputChannels: 32, kernel: 5, padding: .same,
                activation: .relu))
        try network.add(MaxPool2D(name: "pool1", size: 2))
        try network.add(
            Conv2D(name: "conv2", inputChannels: 32, outputChannels: 64, kernel: 5, padding: .same, activation: .relu))
        try network.add(MaxPool2D(name: "pool2", size: 2))
        try network.add(Dense(name: "dense", inputs: network.outputShape.count, units: 1024, activation: .relu))
        try network.add(Dropout(name: "drop", probability: 0.5))
        try network.add(Dense(name: "logits", inputs: 1024, units: classes))
        return network
    }
}
