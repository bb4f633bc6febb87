import Engine
import Plugins

/// DTB's VGG with its direct dropout (unscaled in training, times the keep probability at
/// evaluation) after every hidden layer; DTB's own file drops the first two layers' by mistake,
/// which is not copied.
public enum VGGDirectDropout: ModelPlugin {
    public static let name = "VGGDirectDropout"
    public static let kind = ModelKind.classifier
    public static let summary = "VGG with DTB's direct dropout (scaled at evaluation) after each hidden layer"
    public static let pixelRange = PixelRange.minusOneToOne
    public static let featureLayer = "fc1"
    public static let naturalInput = Shape(3, 32, 32)

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try VGGFamily.build(input: input, classes: classes, .dropout(.direct))
    }
}
