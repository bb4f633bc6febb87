import Engine
import Plugins

/// DTB's StackedDenoisingCAE: StackedCAE's nine stages with the input corrupted in training
/// (uniform noise in [-0.5, 0.5), clipped to [-1, 1]), relu encoders, half of each stage's
/// reconstruction dropped before the next stage reads it, and every stage reconstructing the
/// clean input.
public enum StackedDenoisingCAE: ModelPlugin {
    public static let name = "StackedDenoisingCAE"
    public static let kind = ModelKind.autoencoder
    public static let summary = "StackedCAE denoising: noisy input, relu encoders, each stage rebuilds the clean image"
    public static let pixelRange = PixelRange.minusOneToOne
    public static let featureLayer = "layer0/encode"

    public static func build(input: Shape, classes: Int) throws(EngineError) -> Network {
        try StackedFamily.build(
            input: input,
            StackedFamily.Variant(noise: 0.5, encoderActivation: .relu, decoderDropout: true, cleanTargets: true))
    }
}
