import Engine
import Plugins

/// Seed 000's modified CNN: StandardCNN plus a branch straight from the input (conv 10x10x32
/// relu, maxpool 5, border dropped) whose features join the 256 dense units before the last
/// dropout and the softmax.
public enum ModifiedCNN: ModelPlugin {
    public static let name = "ModifiedCNN"
    public static let kind = ModelKind.classifier
    public static let summary = "StandardCNN plus a conv 10x10x32 / maxpool 5 branch from the input, concatenated"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "join"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        let network = Network(input: input)
        let features = try StandardCNN.convolutions(network, input: input)
        try network.add(Dropout(name: "drop1", probability: 0.5))
        let dense = try network.add(
            Dense(name: "dense", inputs: network.shape(of: features).count, units: 256, activation: .relu))
        try network.add(
            Conv2D(name: "branch", inputChannels: input.channels, outputChannels: 32, kernel: 10, activation: .relu),
            network.input)
        try network.add(MaxPool2D(name: "branchPool", size: 5))
        let branch = try network.add(Reshape.flatten(name: "branchFlat", count: network.outputShape.count))
        try network.add(Concat(name: "join"), dense, branch)
        try network.add(Dropout(name: "drop2", probability: 0.5))
        try network.add(Dense(name: "logits", inputs: network.outputShape.count, units: classes))
        return network
    }
}
