import Engine
import Plugins

/// DTB's VGG for CIFAR without additional layers.
public enum VGG: ModelPlugin {
    public static let name = "VGG"
    public static let kind = ModelKind.classifier
    public static let summary =
        "DTB's VGG for 32x32 CIFAR images: thirteen 3x3 convolutions in five pooled blocks, dense 512"
    public static let pixelRange = PixelRange.minusOneToOne
    public static let featureLayer = "fc1"
    public static let naturalInput = Shape(3, 32, 32)

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try VGGFamily.build(input: input, classes: classes, .plain)
    }
}
