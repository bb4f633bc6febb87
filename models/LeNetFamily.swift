import Engine
import Plugins

/// DTB's LeNet-like classifier, which its LeNet* models vary only by what follows each of the
/// three hidden stages: conv 5x5x32 same relu, maxpool 2, conv 5x5x64 same relu, maxpool 2,
/// dense 1024 relu, dense to the classes (softmax in the loss). He-normal weights, zero biases;
/// `--l2_penalty` reaches the hidden layers' weights, not the logits' (DTB's `wd`).
enum LeNetFamily {
    /// What each hidden stage gets after its convolution or dense layer.
    enum Regularization {
        case none
        /// Dropout keeping 0.7, 0.6 and 0.5 of the values of the three stages.
        case dropout(Dropout.Scaling)
        /// Batch normalization between the layer (then without activation) and its relu.
        case batchNormalization
    }

    static let keepProbabilities: [Float] = [0.7, 0.6, 0.5]

    static func build(input: Shape, classes: Int, _ regularization: Regularization) throws(EngineError) -> Network {
        let network = Network(input: input)
        let normalized = if case .batchNormalization = regularization { true } else { false }
        /// The stage's layer, then its normalization, activation and dropout.
        func stage(_ index: Int, _ layer: Layer, channels: Int) throws(EngineError) {
            try network.add(layer)
            switch regularization {
            case .none: break
            case .dropout(let scaling):
                try network.add(
                    Dropout(name: "drop\(index)", probability: 1 - keepProbabilities[index - 1], scaling: scaling))
            case .batchNormalization:
                try network.add(BatchNormalization(name: "\(layer.name)/bn", channels: channels))
                try network.add(ActivationLayer(name: "\(layer.name)/relu", .relu))
            }
        }
        let activation: Activation = normalized ? .identity : .relu
        try stage(
            1,
            Conv2D(
                name: "conv1", inputChannels: input.channels, outputChannels: 32, kernel: 5, padding: .same,
                activation: activation, initializer: .heNormal),
            channels: 32)
        try network.add(MaxPool2D(name: "pool1", size: 2))
        try stage(
            2,
            Conv2D(
                name: "conv2", inputChannels: 32, outputChannels: 64, kernel: 5, padding: .same,
                activation: activation, initializer: .heNormal),
            channels: 64)
        try network.add(MaxPool2D(name: "pool2", size: 2))
        try stage(
            3,
            Dense(
                name: "fc1", inputs: network.outputShape.count, units: 1024, activation: activation,
                initializer: .heNormal),
            channels: 1024)
        try network.add(Dense(name: "logits", inputs: 1024, units: classes, initializer: .heNormal, decays: false))
        return network
    }
}
