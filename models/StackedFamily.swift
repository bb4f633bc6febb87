import Engine
import Plugins

/// DTB's stacked convolutional autoencoders, trained jointly: nine stages, each zero-padding its
/// input by 2, encoding it with a 3x3 convolution to 9 maps (dropout keeping half in training)
/// and decoding with a 3x3 convolution back to the input's channels, tanh, both valid. Stage
/// k + 1 reads stage k's output through a stop-gradient, so each stage trains on its own term
/// alone; the loss is the sum of the nine terms (mean squared error / 2) and the model's
/// reconstruction is the last stage's. He-normal weights; `--l2_penalty` reaches the encoders.
enum StackedFamily {
    static let stages = 9

    /// What distinguishes the denoising variant (DTB's StackedDenoisingCAE).
    struct Variant {
        /// Uniform noise of this amplitude on the input in training, clipped to [-1, 1].
        let noise: Float?
        let encoderActivation: Activation
        /// Dropout keeping half of each stage's reconstruction (the last's excepted) in training.
        let decoderDropout: Bool
        /// Every term reconstructs the clean input, rather than the stage's own input.
        let cleanTargets: Bool
    }

    static func build(input: Shape, _ variant: Variant) throws(EngineError) -> Network {
        let network = Network(input: input)
        var stageInput = network.input
        if let amplitude = variant.noise {
            try network.add(UniformNoise(name: "noise", amplitude: amplitude, range: -1...1))
        }
        for k in 0..<stages {
            let name = "layer\(k)"
            if k > 0 { stageInput = try network.add(StopGradient(name: "\(name)/input")) }
            try network.add(Pad(name: "\(name)/pad", amount: 2))
            try network.add(
                Conv2D(
                    name: "\(name)/encode", inputChannels: input.channels, outputChannels: 9, kernel: 3,
                    activation: variant.encoderActivation, initializer: .heNormal))
            try network.add(Dropout(name: "\(name)/encode_drop", probability: 0.5))
            var reconstruction = try network.add(
                Conv2D(
                    name: "\(name)/decode", inputChannels: 9, outputChannels: input.channels, kernel: 3,
                    activation: .tanh, initializer: .heNormal, decays: false))
            if variant.decoderDropout && k < stages - 1 {
                reconstruction = try network.add(Dropout(name: "\(name)/decode_drop", probability: 0.5))
            }
            network.reconstructs(reconstruction, target: variant.cleanTargets ? network.input : stageInput)
        }
        return network
    }
}
