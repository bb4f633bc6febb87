/// Max pooling with the border dropped (Lasagne's ignore_border=True): the gradient goes to the
/// first arg-max of each window, remembered from the forward pass.
public final class MaxPool2D: Layer {
    public let name: String
    public let size: Int
    public let stride: Int
    private var input = Shape(1)
    private var output = Shape(1)
    private var pool = ThreadPool(threads: 1)
    private var argmax: Buffer<Int32>?
    /// Whether the last forward left an arg-max for a backward pass (training and replays do; the
    /// others only need the values, which take a third of the work).
    private var routed = false
    /// Whether this pass repeats the recorded arg-max instead of searching.
    private var replays = false
    private var pass = Pass()
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardPlanes($1) }
    private lazy var backwardJob: ParallelJob = { [unowned self] in backwardPlanes($1) }

    public init(name: String, size: Int, stride: Int? = nil) {
        self.name = name
        self.size = size
        self.stride = stride ?? size
    }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        let x = try single(inputs, name)
        guard size > 0, stride > 0 else { throw .invalidConfiguration("\(name): pool size \(size), stride \(stride)") }
        guard x.height >= size, x.width >= size else {
            throw .shapeMismatch("\(name): pool \(size) is larger than its input \(x)")
        }
        input = x
        output = Shape(x.channels, (x.height - size) / stride + 1, (x.width - size) / stride + 1)
        return output
    }

    /// The rows and columns of the input that some window reads (with the border dropped, the
    /// last ones may be read by none).
    var windowsCover: (Int, Int) { ((output.height - 1) * stride + size, (output.width - 1) * stride + size) }

    public func plan(_ context: PlanContext) {
        pool = context.pool
        argmax = Buffer(count: context.capacity * output.count, initialValue: 0)
    }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        routed = mode.trains
        replays = mode == .replay
        pass = Pass(x: inputs[0], y: y)
        pool.parallelFor(batch * output.channels, forwardJob)
    }

    private func forwardPlanes(_ range: Range<Int>) {
        let x = pass.x!, y = pass.y!
        for plane in range { poolPlane(x.data + plane * input.plane, plane, into: y, routes: routed, replays: replays) }
    }

    /// Channel `c` of sample `i`, read from `src` (a plane a fused convolution computed into its
    /// own scratch), pooled into `y`, with the arg-max recorded if `routes`.
    func pool(_ src: UnsafePointer<Float>, sample i: Int, channel c: Int, into y: Tensor, routes: Bool) {
        poolPlane(src, i * output.channels + c, into: y, routes: routes, replays: false)
    }

    /// Sample `i`'s arg-max (positions in its input planes) from the last pass that recorded it.
    func argmax(sample i: Int) -> UnsafePointer<Int32> { UnsafePointer(argmax!.pointer + i * output.count) }

    /// Plane `plane` (sample · channels + channel) of the output, from its input plane `src`,
    /// and its arg-max if `routes`; or the values at the recorded arg-max if `replays`.
    @inline(__always)
    private func poolPlane(_ src: UnsafePointer<Float>, _ plane: Int, into y: Tensor, routes: Bool, replays: Bool) {
        let (input, output, size, stride) = (input, output, size, stride)
        let dst = y.data + plane * output.plane
        let arg = argmax!.pointer + plane * output.plane
        if replays {
            for o in 0..<output.plane { dst[o] = src[Int(arg[o])] }
            return
        }
        if !routes {
            MaxPoolKernels.maxima(src, input: input, output: output, size: size, stride: stride, into: dst)
            return
        }
        for oy in 0..<output.height {
            let vectorized =
                size == 2 && stride == 2 ? MaxPoolKernels.pool2x2(src, input.width, oy, output.width, dst, arg) : 0
            for ox in vectorized..<output.width {
                var best = Int32(oy * stride * input.width + ox * stride)
                var value = src[Int(best)]
                for ky in 0..<size {
                    let row = (oy * stride + ky) * input.width + ox * stride
                    for kx in 0..<size {
                        // Selects, not branches: which value wins is a coin toss on real data.
                        let candidate = src[row + kx], better = candidate > value
                        value = better ? candidate : value
                        best = better ? Int32(row + kx) : best
                    }
                }
                dst[oy * output.width + ox] = value
                arg[oy * output.width + ox] = best
            }
        }
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        precondition(routed, "\(name): backward needs a training forward (evaluation passes keep no arg-max)")
        guard let dx = inputGradients[0] else { return }
        pass = Pass(dy: dy, dx: dx)
        pool.parallelFor(batch * output.channels, backwardJob)
    }

    private func backwardPlanes(_ range: Range<Int>) {
        let dy = pass.dy!, dx = pass.dx!, argmax = argmax!.pointer
        let (input, output) = (input, output)
        do {
            for plane in range {
                let dst = dx.data + plane * input.plane
                dst.update(repeating: 0, count: input.plane)
                let src = dy.data + plane * output.plane
                let arg = argmax + plane * output.plane
                for o in 0..<output.plane { dst[Int(arg[o])] += src[o] }
            }
        }
    }
}
