import Engine
import Plugins

/// DTB's LeNet-like classifier without additional layers (as DTB's LeNet.py has it: no dropout).
public enum LeNet: ModelPlugin {
    public static let name = "LeNet"
    public static let kind = ModelKind.classifier
    public static let summary =
        "DTB's LeNet: conv 5x5x32, conv 5x5x64 (same, relu, maxpool 2), dense 1024, softmax; no dropout"
    public static let pixelRange = PixelRange.zeroToOne
    public static let featureLayer = "fc1"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try LeNetFamily.build(input: input, classes: classes, .plain)
    }
}
