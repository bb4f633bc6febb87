import Engine
import Plugins

/// A checkpoint loaded once into its model's network, planned for evaluation passes, and the
/// dataset its splits come from: the evaluation commands run it over one split or all three.
public struct EvaluatedCheckpoint {
    public let model: any ModelPlugin.Type
    public let data: DatasetSplits
    /// The run folder the checkpoint belongs to (also when it was named by its `best/`), where
    /// reports about it go.
    public let runDirectory: String
    private let network: Network

    public init(
        model: any ModelPlugin.Type, checkpoint path: String, data: DatasetSplits, runDirectory: String,
        batchSize: Int, threads: Int
    ) throws(BenchError) {
        self.model = model
        self.data = data
        self.runDirectory = runDirectory
        network = try ModelLoader(model, input: data.shape, classes: data.classNames.count)
            .loaded(checkpoint: path, capacity: batchSize, threads: threads, training: false)
    }

    /// DTB's metric of `images`, as `Evaluator.metric(of:checkpoint:...)` computes it.
    public func metric(on images: ImageSet) -> Double {
        Evaluator(kind: model.kind, range: model.pixelRange, capacity: network.capacity).metric(network, on: images)
    }

    /// A classifier's predictions of `images` against their labels. Predictions picks the class
    /// as the loss counts a prediction correct, in batches of the same size, so the diagonal over
    /// the total is `metric(on:)` from the same single pass.
    public func confusion(on images: ImageSet) -> ConfusionMatrix {
        precondition(model.kind == .classifier, "a confusion matrix of \(model.name), an autoencoder")
        let predictions = Predictions(network: network, images: images, model: model, keepReconstructions: false)
        return ConfusionMatrix(classNames: data.classNames, truth: images.labels, predicted: predictions.labels)
    }
}
