import Engine
import Plugins

/// DTB's LeNet with batch normalization (decay 0.9, epsilon 1e-3) between each hidden layer and its
/// relu.
public enum LeNetBN: ModelPlugin {
    public static let name = "LeNetBN"
    public static let kind = ModelKind.classifier
    public static let summary = "LeNet with batch normalization before each hidden relu"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "fc1/relu"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try LeNetFamily.build(input: input, classes: classes, .batchNormalization)
    }
}
