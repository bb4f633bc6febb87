/// Per-thread scratch of a convolution layer: an im2col buffer and partial weight and bias
/// gradients, reduced in thread order once the batch is done.
final class ConvolutionScratch {
    let columns: ThreadPartials
    let weights: ThreadPartials
    let biases: ThreadPartials

    init(_ g: ConvolutionGeometry, biasChannels: Int, threads: Int) {
        columns = ThreadPartials(size: g.patch * g.positions, threads: threads)
        weights = ThreadPartials(size: g.weightCount, threads: threads)
        biases = ThreadPartials(size: biasChannels, threads: threads)
    }

    func beginBackward() {
        weights.zero()
        biases.zero()
    }

    /// Adds the batch's partial sums to the parameters' gradients (tied uses add up there).
    func finishBackward(weight: Parameter, bias: Parameter?) {
        weights.reduce(into: weight.gradient)
        if let bias { biases.reduce(into: bias.gradient) }
    }
}
