/// The im2col path's pieces of a convolution over a group of consecutive samples, shared by
/// Conv2D and TransposedConv2D (whose forward is a convolution's input gradient and whose
/// backward is a convolution's forward). Small planes are grouped: the samples are unrolled side
/// by side, so each product is one GEMM over every position of every sample; large planes take
/// groups of one (ConvolutionScratch decides).
///
/// Layouts: `column` is patch x (count · positions), sample j's columns starting at
/// j · positions; `joined` is channels x (count · positions) for the convolution's output side.
enum ConvolutionKernels {
    /// Unrolls sample `x` into rows of length `ld` (its columns begin at `column`).
    static func im2col(_ x: UnsafePointer<Float>, _ g: ConvolutionGeometry, into column: UnsafeMutablePointer<Float>, ld: Int) {
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
                            if last > first { copy(src + first - g.padWidth + kx, to: line + first, count: last - first) }
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
    static func col2im(_ column: UnsafePointer<Float>, _ g: ConvolutionGeometry, ld: Int, into x: UnsafeMutablePointer<Float>) {
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
            UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: FastMath.Vector.self),
                                                        as: FastMath.Vector.self)
            i += FastMath.Vector.scalarCount
        }
        // Eight-wide planes (StandardCNN's second convolution) end in a half vector.
        if i + 8 <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self),
                                                        as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] = src[i]; i += 1 }
    }

    @inline(__always)
    private static func add(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + FastMath.Vector.scalarCount <= count {
            let sum = UnsafeRawPointer(dst + i).loadUnaligned(as: FastMath.Vector.self)
                + UnsafeRawPointer(src + i).loadUnaligned(as: FastMath.Vector.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: sum, as: FastMath.Vector.self)
            i += FastMath.Vector.scalarCount
        }
        if i + 8 <= count {
            let sum = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD8<Float>.self)
                + UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: sum, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] += src[i]; i += 1 }
    }

    /// Unrolls the group's samples of `x` (convolution-input shaped) side by side.
    static func unroll(_ x: Tensor, _ group: Range<Int>, _ g: ConvolutionGeometry, into column: UnsafeMutablePointer<Float>) {
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
    static func convolve(_ weights: UnsafePointer<Float>, _ column: UnsafePointer<Float>, count: Int, _ g: ConvolutionGeometry,
                         into joined: UnsafeMutablePointer<Float>) {
        let n = count * g.positions
        gemm(m: g.output.channels, n: n, k: g.patch, a: weights, lda: g.patch, b: column, ldb: n, c: joined, ldc: n)
    }

    /// column (patch x n) = Wᵀ · joined (out x n): the convolution's adjoint before folding.
    static func correlate(_ weights: UnsafePointer<Float>, _ joined: UnsafePointer<Float>, count: Int, _ g: ConvolutionGeometry,
                          into column: UnsafeMutablePointer<Float>) {
        let n = count * g.positions
        gemm(transA: true, m: g.patch, n: n, k: g.output.channels, a: weights, lda: g.patch, b: joined, ldb: n, c: column, ldc: n)
    }

    /// dW (out x patch) += joined (out x n) · columnᵀ: the weight gradient over the whole group.
    static func accumulateWeightGradient(_ joined: UnsafePointer<Float>, _ column: UnsafePointer<Float>, count: Int,
                                         _ g: ConvolutionGeometry, into dW: UnsafeMutablePointer<Float>) {
        let n = count * g.positions
        gemm(transB: true, m: g.output.channels, n: g.patch, k: n, a: joined, lda: n, b: column, ldb: n, beta: 1, c: dW, ldc: g.patch)
    }

    /// Adds bias[c] to channel c of each sample in the group and applies the activation, in one pass.
    static func finish(_ t: Tensor, _ group: Range<Int>, bias: UnsafePointer<Float>?, activation: Activation) {
        let (channels, plane) = (t.shape.channels, t.shape.plane)
        for i in group {
            for c in 0..<channels { activation.apply(t.sample(i) + c * plane, count: plane, bias: bias?[c] ?? 0) }
        }
    }

    /// The activation's derivative applied to a group's output gradient, and the bias gradient
    /// added (if `db`): group by group, just before the kernels read the same gradient, so it is
    /// read from cache rather than in three passes over the whole batch.
    @inline(__always)
    static func prepareGradient(_ dy: Tensor, output y: Tensor, _ group: Range<Int>, activation: Activation,
                                bias db: UnsafeMutablePointer<Float>?) {
        activation.backward(dy.sample(group.lowerBound), output: y.sample(group.lowerBound), count: group.count * dy.shape.count)
        if let db { accumulateBiasGradient(dy, group, into: db) }
    }

    /// db[c] += the sum of channel c over the group's samples, 16 partial sums at a time (a
    /// scalar running sum is one long chain of dependent adds).
    static func accumulateBiasGradient(_ t: Tensor, _ group: Range<Int>, into db: UnsafeMutablePointer<Float>) {
        let (channels, plane) = (t.shape.channels, t.shape.plane)
        typealias Vector = FastMath.Vector
        for i in group {
            for c in 0..<channels {
                let line = t.sample(i) + c * plane
                var partial = Vector(), p = 0
                while p + Vector.scalarCount <= plane {
                    partial += UnsafeRawPointer(line + p).loadUnaligned(as: Vector.self)
                    p += Vector.scalarCount
                }
                var sum = partial.sum()
                while p < plane { sum += line[p]; p += 1 }
                db[c] += sum
            }
        }
    }
}
