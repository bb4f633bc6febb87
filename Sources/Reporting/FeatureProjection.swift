import DataIO
import Engine

/// Seed 003's picture of what a classifier's convolution features respond to: one image's
/// feature map, all channels but one zeroed, taken back to pixels through the transposed
/// convolutions with the layers' own weights (for the second layer: relu, transposed conv 2,
/// unpool, relu, transposed conv 1).
public struct FeatureProjection {
    public let classifier: Network
    public let convolutions: [Conv2D]
    private let projections: [Network]

    /// `classifier` must already hold trained weights; its first two convolutions are projected.
    public init(classifier: Network) throws(EngineError) {
        self.classifier = classifier
        let convolutions = Array(classifier.layers.compactMap { $0 as? Conv2D }.prefix(2))
        guard convolutions.count == 2, let first = convolutions[0].geometry, let second = convolutions[1].geometry
        else {
            throw .invalidConfiguration("the model needs two convolutions to project features")
        }
        self.convolutions = convolutions
        let one = Network(input: first.output)
        try one.add(ActivationLayer(name: "relu1", .relu))
        try one.add(TransposedConv2D(name: "project1", tiedTo: convolutions[0], bias: false))
        let two = Network(input: second.output)
        try two.add(ActivationLayer(name: "relu2", .relu))
        try two.add(TransposedConv2D(name: "project2", tiedTo: convolutions[1], bias: false))
        let pooled = two.outputShape
        guard first.output.height % pooled.height == 0 else {
            throw .shapeMismatch("cannot unpool \(pooled) back to \(first.output)")
        }
        try two.add(Upscale2D(name: "unpool", factor: first.output.height / pooled.height))
        try two.add(ActivationLayer(name: "relu1", .relu))
        try two.add(TransposedConv2D(name: "project1", tiedTo: convolutions[0], bias: false))
        for p in [one, two] { p.plan(capacity: 1, threads: classifier.threads) }
        projections = [one, two]
    }

    /// Feature `feature` of convolution `layer` (1 or 2) for the image in sample 0 of the
    /// classifier's last `.inspection` pass, in pixel space (the input's shape).
    public func project(layer: Int, feature: Int) -> [Float] {
        let conv = convolutions[layer - 1]
        let map = classifier.tensor(of: classifier.nodes(of: conv)!.output)
        let projection = projections[layer - 1]
        let plane = map.shape.plane
        projection.inputTensor.zero(batch: 1)
        (projection.inputTensor.data + feature * plane).update(from: map.data + feature * plane, count: plane)
        projection.forward(batch: 1, mode: .evaluation)
        return projection.outputTensor.values(batch: 1)
    }
}
