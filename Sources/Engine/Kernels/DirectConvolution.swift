/// Stride-1 convolutions computed tap by tap on 16-wide row segments, for layers with few output
/// channels. There im2col is the expensive part: it builds Cin·k² rows per output plane (288 rows
/// for SingleLayerCAE's decoder) for a product that is one row tall, and the input gradient folds
/// just as many back. Here every tap is one multiply-add per 16 outputs straight from the input,
/// and the input gradient is the convolution of the (zero-padded) output gradient with the
/// kernel rotated by 180° and its channels swapped (seed 003's identity), which has the few
/// channels on its input side.
///
/// Inputs are first copied into a zero-bordered buffer with 16 values of slack per row, so a
/// segment never needs a mask and lanes past the width read zeros.
enum DirectConvolution {
    typealias Vector = SIMD16<Float>
    static let slack = Vector.scalarCount
    static let maxOutputChannels = 4

    /// Whether `g` (a Conv2D's geometry) takes this path for its forward and both gradients.
    static func serves(_ g: ConvolutionGeometry) -> Bool {
        g.strideHeight == 1 && g.strideWidth == 1 && g.output.channels <= maxOutputChannels
            && g.padHeight < g.kernelHeight && g.padWidth < g.kernelWidth
            && min(g.output.width, g.input.width) >= Vector.scalarCount && min(g.output.height, g.input.height) >= 4
    }

    /// Floats of the two padded copies: the input with `g`'s padding, and the output gradient
    /// with the full convolution's (kernel - 1 - padding).
    static func paddedCount(_ g: ConvolutionGeometry) -> Int {
        inputCopyCount(g) + PaddedPlanes.count(g.output, pad: fullPadding(g), slack: slack)
    }

    private static func inputCopyCount(_ g: ConvolutionGeometry) -> Int {
        PaddedPlanes.count(g.input, pad: (g.padHeight, g.padWidth), slack: slack)
    }

    private static func fullPadding(_ g: ConvolutionGeometry) -> (Int, Int) {
        (g.kernelHeight - 1 - g.padHeight, g.kernelWidth - 1 - g.padWidth)
    }

    /// Weights read as w(out, in, ky, kx) = base[out·outStride + in·inStride + ky·rowStride + kx·columnStride].
    struct Taps {
        let base: UnsafePointer<Float>
        let outStride: Int
        let inStride: Int
        let rowStride: Int
        let columnStride: Int

        @inline(__always)
        func weight(_ o: Int, _ i: Int, _ ky: Int, _ kx: Int) -> Float {
            base[o * outStride + i * inStride + ky * rowStride + kx * columnStride]
        }
    }

    /// y = x ⋆ w (cross-correlation, valid over the padded input, no bias) for one sample.
    static func forward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ g: ConvolutionGeometry,
                        into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let padded = PaddedPlanes(x, g.input, pad: (g.padHeight, g.padWidth), slack: slack, into: scratch)
        let k2 = g.kernelHeight * g.kernelWidth
        let taps = Taps(base: w, outStride: g.input.channels * k2, inStride: k2, rowStride: g.kernelWidth, columnStride: 1)
        correlate(padded, taps, kernel: (g.kernelHeight, g.kernelWidth), output: g.output, into: y)
    }

    /// One sample's backward: dW += dy ⋆ x (each weight sums, over output positions, the output
    /// gradient times the input under that tap) and, if asked, dx = dy convolved fully with the
    /// kernel rotated 180°, channels swapped.
    static func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                         _ g: ConvolutionGeometry, weightGradient dW: UnsafeMutablePointer<Float>,
                         inputGradient dx: UnsafeMutablePointer<Float>?, scratch: UnsafeMutablePointer<Float>) {
        let (kh, kw) = (g.kernelHeight, g.kernelWidth)
        let input = PaddedPlanes(x, g.input, pad: (g.padHeight, g.padWidth), slack: slack, into: scratch)
        // Bordered for the full convolution; its zeros past the width also mask the last
        // segment of the weight gradient's sums.
        let (fullH, fullW) = fullPadding(g)
        let gradient = PaddedPlanes(dy, g.output, pad: (fullH, fullW), slack: slack, into: scratch + inputCopyCount(g))
        let (outH, outW) = (g.output.height, g.output.width)
        for o in 0..<g.output.channels {
            for i in 0..<g.input.channels {
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        // Two accumulators, alternate rows, halve the chain of dependent adds.
                        var s0 = Vector(), s1 = Vector()
                        for oy in 0..<outH {
                            let d = UnsafeRawPointer(gradient.row(o, oy + fullH) + fullW)
                            let v = UnsafeRawPointer(input.row(i, oy + ky) + kx)
                            var x0 = 0
                            while x0 < outW {
                                let offset = x0 * 4
                                let product = d.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                                    * v.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                                if oy & 1 == 0 { s0 += product } else { s1 += product }
                                x0 += Vector.scalarCount
                            }
                        }
                        dW[((o * g.input.channels + i) * kh + ky) * kw + kx] += (s0 + s1).sum()
                    }
                }
            }
        }
        guard let dx else { return }
        let taps = Taps(base: w + (kh - 1) * kw + (kw - 1), outStride: kh * kw, inStride: g.input.channels * kh * kw,
                        rowStride: -kw, columnStride: -1)
        correlate(gradient, taps, kernel: (kh, kw), output: g.input, into: dx)
    }


    /// y[o] = Σ_i Σ_taps w(o, i, ky, kx) · padded[i] shifted, four output rows and one 16-wide
    /// segment at a time (four independent accumulators hide the multiply-add latency). The last
    /// block of rows overlaps the one before when the height is not a multiple of four.
    private static func correlate(_ padded: PaddedPlanes, _ taps: Taps, kernel: (Int, Int), output: Shape,
                                  into y: UnsafeMutablePointer<Float>) {
        let (outH, outW) = (output.height, output.width), pw = padded.width
        for o in 0..<output.channels {
            var block = 0
            while block < outH {
                let oy = min(block, outH - 4)
                var x0 = 0
                while x0 < outW {
                    var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
                    for i in 0..<padded.channels {
                        for ky in 0..<kernel.0 {
                            let r = UnsafeRawPointer(padded.row(i, oy + ky) + x0)
                            for kx in 0..<kernel.1 {
                                let w = Vector(repeating: taps.weight(o, i, ky, kx))
                                let offset = kx * 4
                                a0.addProduct(w, r.loadUnaligned(fromByteOffset: offset, as: Vector.self))
                                a1.addProduct(w, r.loadUnaligned(fromByteOffset: offset + pw * 4, as: Vector.self))
                                a2.addProduct(w, r.loadUnaligned(fromByteOffset: offset + 2 * pw * 4, as: Vector.self))
                                a3.addProduct(w, r.loadUnaligned(fromByteOffset: offset + 3 * pw * 4, as: Vector.self))
                            }
                        }
                    }
                    let lanes = min(Vector.scalarCount, outW - x0)
                    let out = y + (o * outH + oy) * outW + x0
                    store(a0, out, lanes)
                    store(a1, out + outW, lanes)
                    store(a2, out + 2 * outW, lanes)
                    store(a3, out + 3 * outW, lanes)
                    x0 += Vector.scalarCount
                }
                block += 4
            }
        }
    }

    /// The first `lanes` of `v` at `p`, in at most four stores of 8, 4, 2 and 1 (lane by lane,
    /// each lane was extracted on its own and these stores cost more than the multiply-adds).
    @inline(__always)
    private static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
        let raw = UnsafeMutableRawPointer(p)
        if lanes == Vector.scalarCount {
            raw.storeBytes(of: v, as: Vector.self)
            return
        }
        var (eight, at) = (v.lowHalf, 0)
        if lanes >= 8 { raw.storeBytes(of: eight, as: SIMD8<Float>.self); (eight, at) = (v.highHalf, 8) }
        var four = eight.lowHalf
        if lanes - at >= 4 { raw.storeBytes(of: four, toByteOffset: 4 * at, as: SIMD4<Float>.self); (four, at) = (eight.highHalf, at + 4) }
        var two = four.lowHalf
        if lanes - at >= 2 { raw.storeBytes(of: two, toByteOffset: 4 * at, as: SIMD2<Float>.self); (two, at) = (four.highHalf, at + 2) }
        if lanes - at >= 1 { p[at] = two[0] }
    }
}
