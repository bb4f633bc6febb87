import Engine
import Plugins

/// DTB's LeNet with its direct dropout (unscaled in training, every value times the keep
/// probability at evaluation) keeping 0.7, 0.6 and 0.5.
public enum LeNetDirectDropout: ModelPlugin {
    public static let name = "LeNetDirectDropout"
    public static let kind = ModelKind.classifier
    public static let summary = "LeNet with DTB's direct dropout (scaled at evaluation) keeping 0.7 / 0.6 / 0.5"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "fc1"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try LeNetFamily.build(input: input, classes: classes, .dropout(.direct))
    }
}
