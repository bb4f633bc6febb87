import Engine
import Plugins

/// DTB's StackedCAE: nine padded conv 3x3x9 tanh / conv 3x3 tanh stages trained jointly, each
/// reconstructing its own input (the previous stage's output, gradient stopped).
public enum StackedCAE: ModelPlugin {
    public static let name = "StackedCAE"
    public static let kind = ModelKind.autoencoder
    public static let summary = "DTB's nine stacked conv 3x3x9 tanh autoencoders, trained jointly"
    public static let pixelRange = PixelRange.minusOneToOne
    public static let featureLayer = "layer0/encode"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try StackedFamily.build(
            input: input,
            StackedFamily.Variant(noise: nil, encoderActivation: .tanh, decoderDropout: false, cleanTargets: false))
    }
}
