import Engine
import Plugins

/// DTB's LeNet with (inverted) dropout after each hidden stage's activation, keeping 0.7, 0.6 and
/// 0.5.
public enum LeNetDropout: ModelPlugin {
    public static let name = "LeNetDropout"
    public static let kind = ModelKind.classifier
    public static let summary = "LeNet with inverted dropout keeping 0.7 / 0.6 / 0.5 after each hidden stage"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "fc1"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try LeNetFamily.build(input: input, classes: classes, .dropout(.inverted))
    }
}
