/// im2col + GEMM (OpenBLAS), for every geometry and product: the fallback the other algorithms
/// are measured against, and the fastest where the product is a large matrix product but no
/// vector kernel fits (odd channel counts, strides, the gradients of first layers, whose input
/// side has one or three channels). Small planes are grouped: the samples are unrolled side by
/// side, as many as about 1 MB of unrolled input (an L2 cache) allows, so each product is one
/// GEMM over every position of every sample; planes of `ownGEMM` positions or more take one GEMM
/// per sample, which then reads and writes the tensors in place (no gather or scatter copies)
/// while the sample is still in cache.
///
/// Layouts: `column` is patch x (count · positions), sample j's columns starting at
/// j · positions; `joined` is channels x (count · positions) for the convolution's output side.
/// Its matrix products run in the plan's precision (`MatrixProducts`): the one algorithm of
/// `--precision bf16`.
final class Im2colConvolution: ConvolutionAlgorithm {
    let geometry: ConvolutionGeometry
    let groupSize: Int
    private let columns: ThreadPartials
    private let joined: ThreadPartials
    /// One sample's output per thread, for a fused consumer, where groups are of one sample
    /// (larger groups leave theirs in `joined`).
    private let staging: ThreadPartials
    /// Partial weight gradients, out x patch.
    private let partials: ThreadPartials
    /// Per thread: what its columns hold unrolled (a tensor's address, the group's first and
    /// last sample + 1), so that a transposed convolution's backward, whose weight gradient and
    /// input gradient both read its output gradient unrolled, unrolls it once.
    private let unrolled: Buffer<Int>
    private var weights: UnsafePointer<Float>?
    private let products: MatrixProducts

    static let columnBudget = 1 << 18
    static let ownGEMM = 256

    init(_ g: ConvolutionGeometry, capacity: Int, threads: Int, staged: Bool, precision: Precision = .float32) {
        geometry = g
        let perThread = (capacity + threads - 1) / threads
        groupSize =
            g.positions >= Self.ownGEMM ? 1 : max(1, min(perThread, Self.columnBudget / max(g.patch * g.positions, 1)))
        columns = ThreadPartials(size: g.patch * g.positions * groupSize, threads: threads)
        joined = ThreadPartials(size: groupSize > 1 ? g.output.channels * g.positions * groupSize : 0, threads: threads)
        staging = ThreadPartials(size: staged && groupSize == 1 ? g.output.count : 0, threads: threads)
        partials = ThreadPartials(size: g.weightCount, threads: threads)
        unrolled = Buffer(count: 3 * threads, initialValue: 0)
        let (out, n) = (g.output.channels, groupSize * g.positions)
        products = MatrixProducts(
            precision, threads: threads,
            sizes: [.init(m: out, n: n, k: g.patch), .init(m: g.patch, n: n, k: out), .init(m: out, n: g.patch, k: n)])
    }

    /// Forgets what the columns hold: a new pass brings new values.
    func prepare(_ product: ConvolutionProduct, weights: UnsafePointer<Float>) {
        self.weights = weights
        if product == .weightGradient { partials.zero() }
        unrolled.pointer.update(repeating: 0, count: unrolled.count)
    }

    /// The group of `x` unrolled into this thread's columns, unless they hold it already.
    private func unroll(_ x: Tensor, _ group: Range<Int>, chunk: Int) -> UnsafeMutablePointer<Float> {
        let column = columns.slice(chunk), held = unrolled.pointer + 3 * chunk
        let key = (Int(bitPattern: x.data), group.lowerBound, group.upperBound)
        if (held[0], held[1], held[2]) != key {
            Self.unroll(x, group, geometry, into: column)
            (held[0], held[1], held[2]) = key
        }
        return column
    }

    func convolve(_ x: Tensor, _ group: Range<Int>, chunk: Int, into y: Tensor) {
        let planes = group.count == 1 ? y.sample(group.lowerBound) : joined.slice(chunk)
        multiply(x, group, chunk: chunk, into: planes)
        if group.count > 1 { Self.scatter(planes, group, into: y) }
    }

    func convolveInScratch(_ x: Tensor, _ group: Range<Int>, chunk: Int, region: (Int, Int)) -> GroupPlanes {
        let planes = groupSize == 1 ? staging.slice(chunk) : joined.slice(chunk)
        multiply(x, group, chunk: chunk, into: planes)
        return GroupPlanes(joined: planes, geometry.output, count: group.count)
    }

    private func multiply(_ x: Tensor, _ group: Range<Int>, chunk: Int, into planes: UnsafeMutablePointer<Float>) {
        Self.convolve(
            weights!, unroll(x, group, chunk: chunk), count: group.count, geometry, into: planes,
            products: products, thread: chunk)
    }

    func adjoint(_ dy: Tensor, _ group: Range<Int>, chunk: Int, into dx: Tensor) {
        let column = columns.slice(chunk)
        unrolled.pointer[3 * chunk] = 0
        Self.correlate(
            weights!, gathered(dy, group, chunk: chunk), count: group.count, geometry, into: column,
            products: products, thread: chunk)
        Self.fold(column, group, geometry, into: dx)
    }

    func accumulateWeightGradient(x: Tensor, dy: Tensor, _ group: Range<Int>, chunk: Int) {
        let column = unroll(x, group, chunk: chunk)
        Self.accumulateWeightGradient(
            gathered(dy, group, chunk: chunk), column, count: group.count, geometry,
            into: partials.slice(chunk), products: products, thread: chunk)
    }

    func addWeightGradient(into gradient: UnsafeMutablePointer<Float>) { partials.reduce(into: gradient) }

    /// The group's planes of `t` (convolution-output shaped) side by side: the tensor itself for
    /// one sample, else a copy in this thread's joined buffer.
    private func gathered(_ t: Tensor, _ group: Range<Int>, chunk: Int) -> UnsafeMutablePointer<Float> {
        if group.count == 1 { return t.sample(group.lowerBound) }
        let joined = joined.slice(chunk)
        Self.gather(t, group, into: joined)
        return joined
    }

    /// Unrolls sample `x` into rows of length `ld` (its columns begin at `column`).
    static func im2col(
        _ x: UnsafePointer<Float>, _ g: ConvolutionGeometry, into column: UnsafeMutablePointer<Float>, ld: Int
    ) {
        let (inH, inW) = (g.input.height, g.input.width)
        let (outH, outW) = (g.output.height, g.output.width)
        var row = 0
        for c in 0..<g.input.channels {
            let plane = x + c * inH * inW
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let dst = column + row * ld
                    for oy in 0..<outH {
                        let iy = oy * g.strideHeight - g.padHeight + ky
                        let line = dst + oy * outW
                        if iy < 0 || iy >= inH {
                            line.update(repeating: 0, count: outW)
                            continue
                        }
                        let src = plane + iy * inW
                        if g.strideWidth == 1 {
                            // Contiguous run: zeros where the kernel hangs over the border.
                            let first = min(max(0, g.padWidth - kx), outW)
                            let last = max(min(outW, inW + g.padWidth - kx), first)
                            for ox in 0..<first { line[ox] = 0 }
                            if last > first {
                                copy(src + first - g.padWidth + kx, to: line + first, count: last - first)
                            }
                            for ox in last..<outW { line[ox] = 0 }
                        } else {
                            for ox in 0..<outW {
                                let ix = ox * g.strideWidth - g.padWidth + kx
                                line[ox] = (ix >= 0 && ix < inW) ? src[ix] : 0
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// The adjoint of im2col: adds every unrolled value back onto the input position it came from.
    static func col2im(
        _ column: UnsafePointer<Float>, _ g: ConvolutionGeometry, ld: Int, into x: UnsafeMutablePointer<Float>
    ) {
        let (inH, inW) = (g.input.height, g.input.width)
        let (outH, outW) = (g.output.height, g.output.width)
        x.update(repeating: 0, count: g.input.count)
        var row = 0
        for c in 0..<g.input.channels {
            let plane = x + c * inH * inW
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let src = column + row * ld
                    for oy in 0..<outH {
                        let iy = oy * g.strideHeight - g.padHeight + ky
                        if iy < 0 || iy >= inH { continue }
                        let dst = plane + iy * inW
                        let line = src + oy * outW
                        if g.strideWidth == 1 {
                            let first = min(max(0, g.padWidth - kx), outW)
                            let last = max(min(outW, inW + g.padWidth - kx), first)
                            let target = dst - g.padWidth + kx
                            add(line + first, to: target + first, count: last - first)
                        } else {
                            for ox in 0..<outW {
                                let ix = ox * g.strideWidth - g.padWidth + kx
                                if ix >= 0 && ix < inW { dst[ix] += line[ox] }
                            }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Lines here are a few dozen values: a call to memmove per line costs more than the copy.
    @inline(__always)
    private static func copy(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + FastMath.Vector.scalarCount <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(
                of: UnsafeRawPointer(src + i).loadUnaligned(as: FastMath.Vector.self),
                as: FastMath.Vector.self)
            i += FastMath.Vector.scalarCount
        }
        // Eight-wide planes (StandardCNN's second convolution) end in a half vector.
        if i + 8 <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(
                of: UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self),
                as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] = src[i]; i += 1 }
    }

    @inline(__always)
    private static func add(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + FastMath.Vector.scalarCount <= count {
            let sum =
                UnsafeRawPointer(dst + i).loadUnaligned(as: FastMath.Vector.self)
                + UnsafeRawPointer(src + i).loadUnaligned(as: FastMath.Vector.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: sum, as: FastMath.Vector.self)
            i += FastMath.Vector.scalarCount
        }
        if i + 8 <= count {
            let sum =
                UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD8<Float>.self)
                + UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: sum, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] += src[i]; i += 1 }
    }

    /// Unrolls the group's samples of `x` (convolution-input shaped) side by side.
    static func unroll(
        _ x: Tensor, _ group: Range<Int>, _ g: ConvolutionGeometry, into column: UnsafeMutablePointer<Float>
    ) {
        let ld = group.count * g.positions
        for (j, i) in group.enumerated() { im2col(x.sample(i), g, into: column + j * g.positions, ld: ld) }
    }

    /// Adds the unrolled group back into the samples of `x` (overwriting them).
    static func fold(_ column: UnsafePointer<Float>, _ group: Range<Int>, _ g: ConvolutionGeometry, into x: Tensor) {
        let ld = group.count * g.positions
        for (j, i) in group.enumerated() { col2im(column + j * g.positions, g, ld: ld, into: x.sample(i)) }
    }

    /// Lays the group's samples of `t` (channels x plane each) side by side: channels x (count · plane).
    static func gather(_ t: Tensor, _ group: Range<Int>, into joined: UnsafeMutablePointer<Float>) {
        let (channels, plane) = (t.shape.channels, t.shape.plane), ld = group.count * plane
        for (j, i) in group.enumerated() {
            for c in 0..<channels { (joined + c * ld + j * plane).update(from: t.sample(i) + c * plane, count: plane) }
        }
    }

    /// The inverse of gather.
    static func scatter(_ joined: UnsafePointer<Float>, _ group: Range<Int>, into t: Tensor) {
        let (channels, plane) = (t.shape.channels, t.shape.plane), ld = group.count * plane
        for (j, i) in group.enumerated() {
            for c in 0..<channels { (t.sample(i) + c * plane).update(from: joined + c * ld + j * plane, count: plane) }
        }
    }

    /// joined (out x n) = W (out x patch) · column (patch x n): the convolution itself.
    static func convolve(
        _ weights: UnsafePointer<Float>, _ column: UnsafePointer<Float>, count: Int, _ g: ConvolutionGeometry,
        into joined: UnsafeMutablePointer<Float>, products: MatrixProducts = .float32, thread: Int = 0
    ) {
        let n = count * g.positions
        products.multiply(
            m: g.output.channels, n: n, k: g.patch, a: weights, lda: g.patch, b: column, ldb: n, c: joined, ldc: n,
            thread: thread)
    }

    /// column (patch x n) = Wᵀ · joined (out x n): the convolution's adjoint before folding.
    static func correlate(
        _ weights: UnsafePointer<Float>, _ joined: UnsafePointer<Float>, count: Int, _ g: ConvolutionGeometry,
        into column: UnsafeMutablePointer<Float>, products: MatrixProducts, thread: Int
    ) {
        let n = count * g.positions
        products.multiply(
            transA: true, m: g.patch, n: n, k: g.output.channels, a: weights, lda: g.patch, b: joined, ldb: n,
            c: column, ldc: n, thread: thread)
    }

    /// dW (out x patch) += joined (out x n) · columnᵀ: the weight gradient over the whole group.
    static func accumulateWeightGradient(
        _ joined: UnsafePointer<Float>, _ column: UnsafePointer<Float>, count: Int,
        _ g: ConvolutionGeometry, into dW: UnsafeMutablePointer<Float>, products: MatrixProducts, thread: Int
    ) {
        let n = count * g.positions
        products.multiply(
            transB: true, m: g.output.channels, n: g.patch, k: n, a: joined, lda: n, b: column, ldb: n, beta: 1, c: dW,
            ldc: g.patch, thread: thread)
    }
}
