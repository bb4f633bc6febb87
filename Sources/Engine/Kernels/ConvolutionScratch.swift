/// How a convolution layer computes, chosen from its geometry when it is planned.
enum ConvolutionStrategy {
    /// At most four output channels, stride 1: DirectConvolution for everything.
    case direct
    /// Few input channels (the first layers), stride 1: DirectConvolution's forward, im2col and
    /// GEMM for the gradients.
    case directForward
    /// Output channels in multiples of 32 and patches of 64 or more: ChannelVectorConvolution
    /// for the convolution and its weight gradient, and for the adjoint (input gradient,
    /// transposed forward) when the input channels are a multiple of 32 too; else im2col and
    /// GEMM for the adjoint.
    case channelVectors(ChannelVectorConvolution.Plan)
    /// im2col and GEMM (OpenBLAS) for everything.
    case im2col

    /// A TransposedConv2D (`adjoint`) runs the convolution in its backward pass only, which
    /// DirectConvolution does not cover.
    init(_ g: ConvolutionGeometry, adjoint: Bool = false) {
        let direct = !adjoint && DirectConvolution.servesForward(g)
        if direct && g.output.channels <= DirectConvolution.maxOutputChannels { self = .direct }
        else if direct && g.input.channels <= DirectConvolution.maxInputChannels { self = .directForward }
        else if ChannelVectorConvolution.serves(g) { self = .channelVectors(ChannelVectorConvolution.Plan(g)) }
        else { self = .im2col }
    }
}

/// Per-thread scratch of a convolution layer: the unrolled group of samples, the group's joined
/// output-side planes, the direct kernels' copies, and partial weight and bias gradients,
/// reduced in thread order once the batch is done. Small planes are grouped, as many samples as
/// about 1 MB of unrolled input (an L2 cache) allows; planes of `ownGEMM` positions or more take
/// one GEMM per sample, which then reads and writes the tensors in place (no gather or scatter
/// copies) while the sample is still in cache.
final class ConvolutionScratch {
    let strategy: ConvolutionStrategy
    let groupSize: Int
    let columns: ThreadPartials
    let joined: ThreadPartials
    /// Partial weight gradients: out x patch, or patch x out for `channelVectors`.
    let weights: ThreadPartials
    let biases: ThreadPartials
    /// Per-thread copies for DirectConvolution and ChannelVectorConvolution (zero borders,
    /// channels-last planes).
    let copies: ThreadPartials
    /// The weights transposed (patch x out) for `channelVectors`, and the reduced gradient in
    /// that layout.
    let transposed: Buffer<Float>

    static let columnBudget = 1 << 18
    static let ownGEMM = 256

    init(_ g: ConvolutionGeometry, biasChannels: Int, capacity: Int, threads: Int, strategy: ConvolutionStrategy) {
        let perThread = (capacity + threads - 1) / threads
        self.strategy = strategy
        var copyCount = 0, transposedCount = 0
        switch strategy {
        case .direct, .directForward: copyCount = DirectConvolution.paddedCount(g)
        case .channelVectors(let plan): (copyCount, transposedCount) = (plan.scratchCount, g.weightCount)
        case .im2col: break
        }
        copies = ThreadPartials(size: copyCount, threads: threads)
        transposed = Buffer(count: transposedCount, initialValue: 0)
        groupSize = g.positions >= Self.ownGEMM ? 1 : max(1, min(perThread, Self.columnBudget / max(g.patch * g.positions, 1)))
        let unrolls: Bool = switch strategy {
        case .direct: false
        case .channelVectors(let plan): !plan.coversAdjoint
        case .directForward, .im2col: true
        }
        columns = ThreadPartials(size: unrolls ? g.patch * g.positions * groupSize : 0, threads: threads)
        joined = ThreadPartials(size: unrolls && groupSize > 1 ? g.output.channels * g.positions * groupSize : 0, threads: threads)
        weights = ThreadPartials(size: g.weightCount, threads: threads)
        biases = ThreadPartials(size: biasChannels, threads: threads)
    }

    /// For `channelVectors`: the weights as its kernels read them (for the adjoint, or for the
    /// convolution and its weight gradient), before a parallel pass.
    func prepare(_ weight: Parameter, _ g: ConvolutionGeometry, adjoint: Bool = false) -> UnsafePointer<Float> {
        if adjoint {
            ChannelVectorConvolution.adjointLayout(weight.value, g, into: transposed.pointer)
        } else {
            ChannelVectorConvolution.transpose(weight.value, rows: g.output.channels, columns: g.patch, into: transposed.pointer)
        }
        return UnsafePointer(transposed.pointer)
    }

    /// Whether the adjoint runs through ChannelVectorConvolution (else im2col and GEMM).
    var vectorAdjoint: Bool {
        if case .channelVectors(let plan) = strategy { plan.coversAdjoint } else { false }
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
    func finishBackward(weight: Parameter, bias: Parameter?, _ g: ConvolutionGeometry) {
        if case .channelVectors = strategy {
            let sum = transposed.pointer
            sum.update(repeating: 0, count: g.weightCount)
            weights.reduce(into: sum)
            for k in 0..<g.patch {
                for o in 0..<g.output.channels { weight.gradient[o * g.patch + k] += sum[k * g.output.channels + o] }
            }
        } else {
            weights.reduce(into: weight.gradient)
        }
        if let bias { biases.reduce(into: bias.gradient) }
    }
}
