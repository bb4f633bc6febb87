/// Per-thread scratch of a convolution layer: the unrolled group of samples, the group's joined
/// output-side planes, and partial weight and bias gradients, reduced in thread order once the
/// batch is done. Small planes are grouped, as many samples as about 1 MB of unrolled input (an L2 cache)
/// allows; planes of `ownGEMM` positions or more take one GEMM per sample, which then reads and
/// writes the tensors in place (no gather or scatter copies) while the sample is still in cache.
final class ConvolutionScratch {
    let groupSize: Int
    let columns: ThreadPartials
    let joined: ThreadPartials
    let weights: ThreadPartials
    let biases: ThreadPartials
    /// Zero-bordered copies for DirectConvolution, when the layer takes that path.
    let padded: ThreadPartials
    let direct: Bool

    static let columnBudget = 1 << 18
    static let ownGEMM = 256

    init(_ g: ConvolutionGeometry, biasChannels: Int, capacity: Int, threads: Int, direct: Bool = false) {
        let perThread = (capacity + threads - 1) / threads
        self.direct = direct
        padded = ThreadPartials(size: direct ? DirectConvolution.paddedCount(g) : 0, threads: threads)
        groupSize = g.positions >= Self.ownGEMM ? 1 : max(1, min(perThread, Self.columnBudget / max(g.patch * g.positions, 1)))
        columns = ThreadPartials(size: direct ? 0 : g.patch * g.positions * groupSize, threads: threads)
        joined = ThreadPartials(size: groupSize > 1 ? g.output.channels * g.positions * groupSize : 0, threads: threads)
        weights = ThreadPartials(size: g.weightCount, threads: threads)
        biases = ThreadPartials(size: biasChannels, threads: threads)
    }

    /// The groups that cover `range`.
    func groups(_ range: Range<Int>) -> StrideTo<Int> { stride(from: range.lowerBound, to: range.upperBound, by: groupSize) }

    func group(at start: Int, in range: Range<Int>) -> Range<Int> { start..<min(start + groupSize, range.upperBound) }

    /// The group's planes of `t` (convolution-output shaped) side by side: the tensor itself for
    /// one sample, else a copy in this thread's joined buffer.
    func gathered(_ t: Tensor, _ group: Range<Int>, chunk: Int) -> UnsafeMutablePointer<Float> {
        if group.count == 1 { return t.sample(group.lowerBound) }
        let joined = joined.slice(chunk)
        ConvolutionKernels.gather(t, group, into: joined)
        return joined
    }

    /// Where a GEMM writes the group's convolution-output planes: in place for one sample.
    func outputPlanes(_ t: Tensor, _ group: Range<Int>, chunk: Int) -> UnsafeMutablePointer<Float> {
        group.count == 1 ? t.sample(group.lowerBound) : joined.slice(chunk)
    }

    /// Copies what `outputPlanes` returned into `t`, unless it was `t` itself.
    func scatter(_ planes: UnsafePointer<Float>, _ group: Range<Int>, into t: Tensor) {
        if group.count > 1 { ConvolutionKernels.scatter(planes, group, into: t) }
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
