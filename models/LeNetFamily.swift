import Engine
import Plugins

/// DTB's LeNet-like classifier, which its LeNet* models vary only by what follows each of the
/// three hidden stages (`HiddenStage`): conv 5x5x32 same relu, maxpool 2, conv 5x5x64 same relu,
/// maxpool 2, dense 1024 relu, dense to the classes (softmax in the loss). Dropout keeps 0.7,
/// 0.6 and 0.5 of the three stages' values. He-normal weights, zero biases; `--l2_penalty`
/// reaches the hidden layers' weights, not the logits' (DTB's `wd`).
enum LeNetFamily {
    static func build(input: Shape, classes: Int, _ stage: HiddenStage) throws(EngineError) -> Network {
        let network = Network(input: input)
        try stage.add(
            Conv2D(
                name: "conv1", inputChannels: input.channels, outputChannels: 32, kernel: 5, padding: .same,
                activation: stage.activation, initializer: .heNormal),
            channels: 32, keep: 0.7, to: network)
        try network.add(MaxPool2D(name: "pool1", size: 2))
        try stage.add(
            Conv2D(
                name: "conv2", inputChannels: 32, outputChannels: 64, kernel: 5, padding: .same,
                activation: stage.activation, initializer: .heNormal),
            channels: 64, keep: 0.6, to: network)
        try network.add(MaxPool2D(name: "pool2", size: 2))
        try stage.addClassifierHead(units: 1024, classes: classes, to: network)
        return network
    }
}
