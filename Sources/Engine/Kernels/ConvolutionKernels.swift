/// The three products of one sample's convolution, shared by Conv2D and TransposedConv2D (whose
/// forward is a convolution's input gradient and whose backward is a convolution's forward).
/// `column` is a per-thread scratch buffer of `geometry.patch * geometry.positions` floats.
enum ConvolutionKernels {
    /// Unrolls one sample so that the convolution becomes a matrix product (patch x positions).
    static func im2col(_ x: UnsafePointer<Float>, _ g: ConvolutionGeometry, into column: UnsafeMutablePointer<Float>) {
        let (inH, inW) = (g.input.height, g.input.width)
        let (outH, outW) = (g.output.height, g.output.width)
        var row = 0
        for c in 0..<g.input.channels {
            let plane = x + c * inH * inW
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let dst = column + row * outH * outW
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
                            let first = max(0, g.padWidth - kx)
                            let last = min(outW, inW + g.padWidth - kx)
                            if first > 0 { line.update(repeating: 0, count: min(first, outW)) }
                            if last > first {
                                (line + first).update(from: src + first - g.padWidth + kx, count: last - first)
                            }
                            if last < outW { (line + max(last, 0)).update(repeating: 0, count: outW - max(last, 0)) }
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
    static func col2im(_ column: UnsafePointer<Float>, _ g: ConvolutionGeometry, into x: UnsafeMutablePointer<Float>) {
        let (inH, inW) = (g.input.height, g.input.width)
        let (outH, outW) = (g.output.height, g.output.width)
        x.update(repeating: 0, count: g.input.count)
        var row = 0
        for c in 0..<g.input.channels {
            let plane = x + c * inH * inW
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let src = column + row * outH * outW
                    for oy in 0..<outH {
                        let iy = oy * g.strideHeight - g.padHeight + ky
                        if iy < 0 || iy >= inH { continue }
                        let dst = plane + iy * inW
                        let line = src + oy * outW
                        for ox in 0..<outW {
                            let ix = ox * g.strideWidth - g.padWidth + kx
                            if ix >= 0 && ix < inW { dst[ix] += line[ox] }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// y = W * unroll(x) (+ bias per output channel): weights are out x patch.
    static func forward(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        _ g: ConvolutionGeometry, output y: UnsafeMutablePointer<Float>,
                        column: UnsafeMutablePointer<Float>) {
        let unrolled: UnsafePointer<Float>
        if g.isPointwise {
            unrolled = x
        } else {
            im2col(x, g, into: column)
            unrolled = UnsafePointer(column)
        }
        gemm(m: g.output.channels, n: g.positions, k: g.patch, a: weights, lda: g.patch,
             b: unrolled, ldb: g.positions, c: y, ldc: g.positions)
        if let bias {
            for o in 0..<g.output.channels {
                let b = bias[o]
                let line = y + o * g.positions
                for p in 0..<g.positions { line[p] += b }
            }
        }
    }

    /// dx = unroll⁻¹(Wᵀ * dy): the gradient of `forward` with respect to its input.
    static func inputGradient(_ dy: UnsafePointer<Float>, weights: UnsafePointer<Float>, _ g: ConvolutionGeometry,
                              into dx: UnsafeMutablePointer<Float>, column: UnsafeMutablePointer<Float>) {
        if g.isPointwise {
            gemm(transA: true, m: g.patch, n: g.positions, k: g.output.channels, a: weights, lda: g.patch,
                 b: dy, ldb: g.positions, c: dx, ldc: g.positions)
            return
        }
        gemm(transA: true, m: g.patch, n: g.positions, k: g.output.channels, a: weights, lda: g.patch,
             b: dy, ldb: g.positions, c: column, ldc: g.positions)
        col2im(column, g, into: dx)
    }

    /// dW += dy * unroll(x)ᵀ: the gradient of `forward` with respect to its weights.
    static func accumulateWeightGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvolutionGeometry,
                                         into dW: UnsafeMutablePointer<Float>, column: UnsafeMutablePointer<Float>) {
        let unrolled: UnsafePointer<Float>
        if g.isPointwise {
            unrolled = x
        } else {
            im2col(x, g, into: column)
            unrolled = UnsafePointer(column)
        }
        gemm(transB: true, m: g.output.channels, n: g.patch, k: g.positions, a: dy, lda: g.positions,
             b: unrolled, ldb: g.positions, beta: 1, c: dW, ldc: g.patch)
    }

    /// db[c] += sum of dy over channel c's plane.
    static func accumulateBiasGradient(_ dy: UnsafePointer<Float>, channels: Int, plane: Int,
                                       into db: UnsafeMutablePointer<Float>) {
        for c in 0..<channels {
            let line = dy + c * plane
            var sum: Float = 0
            for p in 0..<plane { sum += line[p] }
            db[c] += sum
        }
    }
}
