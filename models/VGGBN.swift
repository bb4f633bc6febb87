import Engine
import Plugins

/// DTB's VGG with batch normalization (decay 0.9, epsilon 1e-3) between every hidden layer and its
/// relu.
public enum VGGBN: ModelPlugin {
    public static let name = "VGGBN"
    public static let kind = ModelKind.classifier
    public static let summary = "VGG with batch normalization before each hidden relu"
    public static let pixelRange = PixelRange.minusOneToOne
    public static let featureLayer = "fc1/relu"
    public static let naturalInput = Shape(3, 32, 32)

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try VGGFamily.build(input: input, classes: classes, .batchNormalization)
    }
}
