import DataIO
import Engine
import Foundation
import Plugins

/// What a trained model says about each image of a set, in the set's order, from evaluation
/// passes in batches of the network's capacity: a classifier's class (the first largest logit,
/// as `SoftmaxCrossEntropy` counts a prediction correct) and softmax probabilities; an
/// autoencoder's reconstruction error (mean over pixels of squared error / 2, accumulated as
/// `MeanSquaredError` does, so one image's value is `Evaluator`'s metric of that image alone) and,
/// when kept, its reconstruction.
public struct Predictions {
    public let kind: ModelKind
    public let classes: Int
    public private(set) var labels: [Int] = []
    /// `labels.count` rows of `classes` probabilities.
    public private(set) var probabilities: [Float] = []
    public private(set) var errors: [Double] = []
    /// One image after another, in the model's pixel range; empty unless kept.
    public private(set) var reconstructions: [Float] = []

    public init(
        network: Network, images: ImageSet, model: any ModelPlugin.Type, keepReconstructions: Bool
    ) {
        let batcher = Batcher(images, batchSize: network.capacity)
        let output = network.outputTensor, input = network.inputTensor
        kind = model.kind
        classes = output.shape.count
        let size = images.shape.count
        switch model.kind {
        case .classifier:
            labels.reserveCapacity(images.count)
            probabilities.reserveCapacity(images.count * classes)
        case .autoencoder:
            errors.reserveCapacity(images.count)
            if keepReconstructions { reconstructions.reserveCapacity(images.count * size) }
        }
        for b in 0..<batcher.batchesPerEpoch {
            let n = batcher.fill(batch: b, into: input, labels: nil, range: model.pixelRange)
            network.forward(batch: n, mode: .evaluation)
            for i in 0..<n {
                let y = output.sample(i)
                switch model.kind {
                case .classifier: classify(y)
                case .autoencoder:
                    let x = input.sample(i)
                    var sum: Double = 0
                    for k in 0..<size {
                        let d = y[k] - x[k]
                        sum += Double(d * d)
                    }
                    errors.append(sum / Double(2 * size))
                    if keepReconstructions {
                        reconstructions.append(contentsOf: UnsafeBufferPointer(start: y, count: size))
                    }
                }
            }
        }
    }

    private mutating func classify(_ z: UnsafeMutablePointer<Float>) {
        var best = 0
        var maximum = z[0]
        for k in 1..<classes where z[k] > maximum {
            maximum = z[k]
            best = k
        }
        labels.append(best)
        var sum: Float = 0
        for k in 0..<classes { sum += expf(z[k] - maximum) }
        for k in 0..<classes { probabilities.append(expf(z[k] - maximum) / sum) }
    }
}
