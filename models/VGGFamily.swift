import Engine
import Plugins

/// DTB's VGG for 32x32 CIFAR images, which its VGG* models vary only by what follows each hidden
/// layer (`HiddenStage`): thirteen conv 3x3 same relu layers in five blocks (64, 64 | 128, 128 |
/// 256 x3 | 512 x3 | 512 x3), each block ending in maxpool 2, so 32x32 becomes 1x1x512; dense 512
/// relu; dense to the classes (softmax in the loss). Dropout keeps 0.7 after the first layer,
/// 0.6 after the other convolutions and 0.5 after the dense one. He-normal weights, zero biases;
/// `--l2_penalty` reaches every hidden layer's weights, not the logits'.
enum VGGFamily {
    static let blocks = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]

    static func build(input: Shape, classes: Int, _ stage: HiddenStage) throws(EngineError) -> Network {
        let network = Network(input: input)
        var (channels, index) = (input.channels, 0)
        for (b, block) in blocks.enumerated() {
            for width in block {
                index += 1
                try stage.add(
                    Conv2D(
                        name: "conv\(index)", inputChannels: channels, outputChannels: width, kernel: 3,
                        padding: .same, activation: stage.activation, initializer: .heNormal),
                    channels: width, keep: index == 1 ? 0.7 : 0.6, to: network)
                channels = width
            }
            try network.add(MaxPool2D(name: "pool\(b + 1)", size: 2))
        }
        try stage.addClassifierHead(units: 512, classes: classes, to: network)
        return network
    }
}
