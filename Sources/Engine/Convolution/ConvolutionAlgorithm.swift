/// The three products that every convolution-like layer is made of, for a geometry g (as Caffe's
/// `forward_cpu_gemm`, `backward_cpu_gemm` and `weight_cpu_gemm`). A Conv2D's forward is the
/// convolution and its backward the other two; a TransposedConv2D's forward is the adjoint, its
/// backward the weight gradient (x and dy swapping roles) and the convolution.
public enum ConvolutionProduct: Sendable, CaseIterable {
    /// y = x ⋆ w: each output value sums the weights times the input under the kernel.
    case convolution
    /// dx = wᵀ ⋆ dy: each output value's gradient sent back to the input values it read.
    case adjoint
    /// dW += dy ⊗ x: each weight sums, over the positions, the output gradient times the input
    /// under its tap.
    case weightGradient
}

/// Where the outputs of a group of samples lie in a buffer: channel `c` of the group's `s`-th
/// sample is `positions` floats from `base + s · sampleStride + c · channelStride`.
struct GroupPlanes {
    let base: UnsafeMutablePointer<Float>
    let sampleStride: Int
    let channelStride: Int

    /// Samples one after the other, each channel after channel (a Tensor's layout).
    init(samples base: UnsafeMutablePointer<Float>, _ shape: Shape) {
        (self.base, sampleStride, channelStride) = (base, shape.count, shape.plane)
    }

    /// Channel after channel, each holding `count` samples' planes side by side (im2col's).
    init(joined base: UnsafeMutablePointer<Float>, _ shape: Shape, count: Int) {
        (self.base, sampleStride, channelStride) = (base, shape.plane, shape.plane * count)
    }

    @inline(__always)
    func plane(_ s: Int, _ c: Int) -> UnsafeMutablePointer<Float> { base + s * sampleStride + c * channelStride }
}

/// One way to compute a geometry's products (ConvolutionAlgorithms picks which). An instance is
/// made for one geometry when a network is planned and owns all of its scratch: buffers per
/// thread, indexed by the `chunk` that ThreadPool hands a job, and partial weight gradients per
/// thread, reduced in thread order so that a seed and a thread count reproduce a run bit for bit.
/// Calls take a group of consecutive samples, at most `groupSize`; none allocates.
///
/// A pass runs `prepare` on the calling thread, the products on the pool's threads, then (for
/// the weight gradient) `addWeightGradient`. Biases and activations are the layers' business.
protocol ConvolutionAlgorithm: AnyObject {
    var geometry: ConvolutionGeometry { get }
    /// Samples one call takes at most.
    var groupSize: Int { get }
    /// Before a parallel pass that runs `product`: the weights w[out][in][ky][kx] as its kernels
    /// read them (kept until the next `prepare`), and for the weight gradient its partial sums zeroed.
    func prepare(_ product: ConvolutionProduct, weights: UnsafePointer<Float>)
    /// y = x ⋆ w for the group's samples of `y`.
    func convolve(_ x: Tensor, _ group: Range<Int>, chunk: Int, into y: Tensor)
    /// y = x ⋆ w for the group, left in this thread's scratch (made with `staged`) for a fused
    /// consumer to read while it is in cache; at least the first `region` rows and columns.
    func convolveInScratch(_ x: Tensor, _ group: Range<Int>, chunk: Int, region: (Int, Int)) -> GroupPlanes
    /// Whether `convolvePooled` runs here.
    var poolsInKernel: Bool { get }
    /// The 2x2, stride 2 max pool of x ⋆ w for the group's samples of `pooled`, taken before the
    /// sums leave the kernels.
    func convolvePooled(_ x: Tensor, _ group: Range<Int>, chunk: Int, into pooled: Tensor)
    /// dx = wᵀ ⋆ dy for the group's samples of `dx`.
    func adjoint(_ dy: Tensor, _ group: Range<Int>, chunk: Int, into dx: Tensor)
    /// This thread's partial dW += dy ⊗ x over the group.
    func accumulateWeightGradient(x: Tensor, dy: Tensor, _ group: Range<Int>, chunk: Int)
    /// After the pass: gradient[out][in][ky][kx] += the partial sums, thread 0 first.
    func addWeightGradient(into gradient: UnsafeMutablePointer<Float>)
}

extension ConvolutionAlgorithm {
    func convolve(_ x: Tensor, _ group: Range<Int>, chunk: Int, into y: Tensor) {
        preconditionFailure("\(Self.self) does not compute the convolution")
    }

    func convolveInScratch(_ x: Tensor, _ group: Range<Int>, chunk: Int, region: (Int, Int)) -> GroupPlanes {
        preconditionFailure("\(Self.self) does not compute the convolution")
    }

    var poolsInKernel: Bool { false }

    func convolvePooled(_ x: Tensor, _ group: Range<Int>, chunk: Int, into pooled: Tensor) {
        preconditionFailure("\(Self.self) does not pool inside its kernels")
    }

    func adjoint(_ dy: Tensor, _ group: Range<Int>, chunk: Int, into dx: Tensor) {
        preconditionFailure("\(Self.self) does not compute a convolution's adjoint")
    }

    func accumulateWeightGradient(x: Tensor, dy: Tensor, _ group: Range<Int>, chunk: Int) {
        preconditionFailure("\(Self.self) does not compute weight gradients")
    }

    func addWeightGradient(into gradient: UnsafeMutablePointer<Float>) {
        preconditionFailure("\(Self.self) does not compute weight gradients")
    }
}

/// The consecutive groups of at most `size` samples that cover `range` (a struct, so that a
/// step's loops allocate nothing).
struct SampleGroups: Sequence, IteratorProtocol {
    private var start: Int
    private let end: Int
    private let size: Int

    init(_ range: Range<Int>, size: Int) {
        precondition(size > 0, "groups of \(size) samples")
        (start, end, self.size) = (range.lowerBound, range.upperBound, size)
    }

    mutating func next() -> Range<Int>? {
        guard start < end else { return nil }
        let group = start..<Swift.min(start + size, end)
        start = group.upperBound
        return group
    }
}
