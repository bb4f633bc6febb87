import Engine
import Plugins

/// DTB's VGG with (inverted) dropout after every hidden layer's relu.
public enum VGGDropout: ModelPlugin {
    public static let name = "VGGDropout"
    public static let kind = ModelKind.classifier
    public static let summary = "VGG with inverted dropout keeping 0.7 / 0.6 / 0.5 after each hidden layer"
    public static let pixelRange = PixelRange.minusOneToOne
    public static let featureLayer = "fc1"
    public static let naturalInput = Shape(3, 32, 32)

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try VGGFamily.build(input: input, classes: classes, .dropout(.inverted))
    }
}
