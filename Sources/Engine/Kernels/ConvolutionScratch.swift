/// Per-thread scratch of a convolution layer: the unrolled group of samples, the group's joined
/// output-side planes, and partial weight and bias gradients, reduced in thread order once the
/// batch is done. Groups are as large as about 4 MB of unrolled input allows.
final class ConvolutionScratch {
    let groupSize: Int
    let columns: ThreadPartials
    let joined: ThreadPartials
    let weights: ThreadPartials
    let biases: ThreadPartials

    static let columnBudget = 1 << 20

    init(_ g: ConvolutionGeometry, biasChannels: Int, capacity: Int, threads: Int) {
        let perThread = (capacity + threads - 1) / threads
        groupSize = max(1, min(perThread, Self.columnBudget / max(g.patch * g.positions, 1)))
        columns = ThreadPartials(size: g.patch * g.positions * groupSize, threads: threads)
        joined = ThreadPartials(size: g.output.channels * g.positions * groupSize, threads: threads)
        weights = ThreadPartials(size: g.weightCount, threads: threads)
        biases = ThreadPartials(size: biasChannels, threads: threads)
    }

    /// The groups that cover `range`.
    func groups(_ range: Range<Int>) -> StrideTo<Int> { stride(from: range.lowerBound, to: range.upperBound, by: groupSize) }

    func group(at start: Int, in range: Range<Int>) -> Range<Int> { start..<min(start + groupSize, range.upperBound) }

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
