/// Nearest-neighbour upscaling by repetition (Lasagne's Upscale2DLayer, the "unpool" of the
/// seeds' autoencoders); its gradient sums each block.
public final class Upscale2D: Layer {
    public let name: String
    public let factor: Int
    private var input = Shape(1)
    private var pool = ThreadPool(threads: 1)
    private var pass = Pass()
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardPlanes($1) }
    private lazy var backwardJob: ParallelJob = { [unowned self] in backwardPlanes($1) }

    public init(name: String, factor: Int) {
        self.name = name
        self.factor = factor
    }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        input = try single(inputs, name)
        guard factor > 0 else { throw .invalidConfiguration("\(name): scale factor \(factor)") }
        return Shape(input.channels, input.height * factor, input.width * factor)
    }

    public func plan(_ context: PlanContext) { pool = context.pool }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        pass = Pass(x: inputs[0], y: y)
        pool.parallelFor(batch * input.channels, forwardJob)
    }

    private func forwardPlanes(_ range: Range<Int>) {
        let x = pass.x!, y = pass.y!, (input, f) = (input, factor)
        let outW = input.width * f
        do {
            for plane in range {
                let src = x.data + plane * input.plane
                let dst = y.data + plane * input.plane * f * f
                for iy in 0..<input.height {
                    let row = dst + iy * f * outW
                    for ix in 0..<input.width {
                        let v = src[iy * input.width + ix]
                        for k in 0..<f { row[ix * f + k] = v }
                    }
                    for r in 1..<f { (row + r * outW).update(from: row, count: outW) }
                }
            }
        }
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        guard let dx = inputGradients[0] else { return }
        pass = Pass(dy: dy, dx: dx)
        pool.parallelFor(batch * input.channels, backwardJob)
    }

    private func backwardPlanes(_ range: Range<Int>) {
        let dy = pass.dy!, dx = pass.dx!, (input, f) = (input, factor)
        let outW = input.width * f
        do {
            for plane in range {
                let src = dy.data + plane * input.plane * f * f
                let dst = dx.data + plane * input.plane
                for iy in 0..<input.height {
                    let vectorized =
                        f == 2
                        ? Self.sum2x2(src + 2 * iy * outW, outW, into: dst + iy * input.width, count: input.width) : 0
                    for ix in vectorized..<input.width {
                        var sum: Float = 0
                        for ry in 0..<f {
                            let row = src + (iy * f + ry) * outW + ix * f
                            for rx in 0..<f { sum += row[rx] }
                        }
                        dst[iy * input.width + ix] = sum
                    }
                }
            }
        }
    }

    /// Factor 2 (LasagneCAE's), eight outputs at a time, summed in the scalar path's order:
    /// returns how many outputs of the row it wrote.
    @inline(__always)
    private static func sum2x2(
        _ top: UnsafePointer<Float>, _ outW: Int, into dst: UnsafeMutablePointer<Float>, count: Int
    ) -> Int {
        let (upper, lower) = (UnsafeRawPointer(top), UnsafeRawPointer(top + outW))
        var ix = 0
        while ix + 8 <= count {
            let a = upper.loadUnaligned(fromByteOffset: 8 * ix, as: SIMD16<Float>.self)
            let b = lower.loadUnaligned(fromByteOffset: 8 * ix, as: SIMD16<Float>.self)
            let sum = a.evenHalf + a.oddHalf + b.evenHalf + b.oddHalf
            UnsafeMutableRawPointer(dst + ix).storeBytes(of: sum, as: SIMD8<Float>.self)
            ix += 8
        }
        return ix
    }
}
