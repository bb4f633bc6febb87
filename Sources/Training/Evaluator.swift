import DataIO
import Engine
import Plugins

/// Runs a model over an image set in evaluation mode and returns DTB's metric: the
/// reconstruction error (mean over images of MSE / 2) for autoencoders, accuracy for classifiers.
public struct Evaluator {
    public let kind: ModelKind
    public let range: PixelRange
    private let labels: Buffer<Int32>

    public init(kind: ModelKind, range: PixelRange, capacity: Int) {
        self.kind = kind
        self.range = range
        labels = Buffer(count: capacity, initialValue: 0)
    }

    /// Lower is better for reconstruction error, higher for accuracy.
    public var higherIsBetter: Bool { kind == .classifier }
    public var metricName: String { kind == .classifier ? "accuracy" : "reconstruction_error" }

    public func isBetter(_ value: Double, than best: Double?) -> Bool {
        guard let best else { return true }
        return higherIsBetter ? value > best : value < best
    }

    /// The loss of the batch already in `network.inputTensor` (with `labels` for classifiers),
    /// writing its gradient when `gradient` is set; the count of correct predictions too. An
    /// autoencoder's target is its input unless `target` holds other images (a denoising run's
    /// clean ones); in training, a model's reconstruction terms (`Network.reconstructs`) replace
    /// the output's, their losses summed.
    public func loss(
        _ network: Network, batch: Int, gradient: Bool, target: UnsafePointer<Float>? = nil
    ) -> (loss: Double, correct: Int) {
        let g = gradient ? network.outputGradient : nil
        switch kind {
        case .autoencoder:
            let images = target ?? UnsafePointer(network.inputTensor.data)
            // Training minimises the model's own terms where it declares them; the metric is
            // always the final reconstruction's, comparable between models.
            guard gradient, !network.reconstructionTerms.isEmpty else {
                return (MeanSquaredError()(network.outputTensor, target: images, batch: batch, gradient: g), 0)
            }
            let terms = network.reconstructionTerms.reduce(0.0) { sum, term in
                let reference =
                    term.target == network.input ? images : UnsafePointer(network.tensor(of: term.target).data)
                return sum
                    + MeanSquaredError()(
                        network.tensor(of: term.output), target: reference, batch: batch,
                        gradient: network.termGradient(of: term.output))
            }
            return (terms, 0)
        case .classifier:
            return SoftmaxCrossEntropy()(network.outputTensor, labels: labels.pointer, batch: batch, gradient: g)
        }
    }

    public var labelBuffer: UnsafeMutablePointer<Int32> { labels.pointer }

    public func metric(_ network: Network, on images: ImageSet) -> Double {
        let batcher = Batcher(images, batchSize: network.capacity)
        var total = 0.0
        for b in 0..<batcher.batchesPerEpoch {
            let n = batcher.fill(batch: b, into: network.inputTensor, labels: labels.pointer, range: range)
            network.forward(batch: n, mode: .evaluation)
            let (value, correct) = loss(network, batch: n, gradient: false)
            total += kind == .classifier ? Double(correct) : value * Double(n)
        }
        return total / Double(images.count)
    }

    /// The metric of the checkpoint at `path` for `model`, in a network of its own.
    public static func metric(
        of model: any ModelPlugin.Type, checkpoint path: String, on images: ImageSet,
        classes: Int, batchSize: Int, threads: Int
    ) throws(BenchError) -> Double {
        let network = try ModelLoader(model, input: images.shape, classes: classes)
            .loaded(checkpoint: path, capacity: batchSize, threads: threads, training: false)
        return Evaluator(kind: model.kind, range: model.pixelRange, capacity: batchSize).metric(network, on: images)
    }
}
