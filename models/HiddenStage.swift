import Engine

/// What DTB's model variants put after a hidden convolution or dense layer: nothing (the layer
/// applies its relu), dropout of either kind after the relu, or batch normalization between the
/// layer (then linear) and its relu. LeNet* and VGG* differ only in this.
enum HiddenStage {
    case plain
    case dropout(Dropout.Scaling)
    case batchNormalization

    /// The activation the layer itself applies.
    var activation: Activation {
        if case .batchNormalization = self { .identity } else { .relu }
    }

    /// Adds `layer` (with `channels` outputs), then what this stage puts after it; dropout keeps
    /// `keep` of the values.
    func add(_ layer: Layer, channels: Int, keep: Float, to network: Network) throws(EngineError) {
        try network.add(layer)
        switch self {
        case .plain: break
        case .dropout(let scaling):
            try network.add(Dropout(name: "\(layer.name)/drop", probability: 1 - keep, scaling: scaling))
        case .batchNormalization:
            try network.add(BatchNormalization(name: "\(layer.name)/bn", channels: channels))
            try network.add(ActivationLayer(name: "\(layer.name)/relu", .relu))
        }
    }

    /// DTB's classifier head on the features so far: dense `units` relu (`fc1`, this stage's
    /// dropout keeping half), then the logits, which `--l2_penalty` does not reach.
    func addClassifierHead(units: Int, classes: Int, to network: Network) throws(EngineError) {
        try add(
            Dense(
                name: "fc1", inputs: network.outputShape.count, units: units, activation: activation,
                initializer: .heNormal),
            channels: units, keep: 0.5, to: network)
        try network.add(Dense(name: "logits", inputs: units, units: classes, initializer: .heNormal, decays: false))
    }
}
