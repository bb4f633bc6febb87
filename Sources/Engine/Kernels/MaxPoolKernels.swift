/// Max pooling's vector kernels, which MaxPool2D and PooledConvolution call per plane: the
/// window maxima of a plane without arg-max (passes that need no backward), and 2x2 windows of
/// stride 2 with their arg-max (every seed model's first pool). Ties keep the first maximum in
/// window order, as MaxPool2D's scalar loop does.
enum MaxPoolKernels {
    /// Every window's maximum of plane `src` (shape `input`) into `dst` (shape `output`).
    static func maxima(
        _ src: UnsafePointer<Float>, input: Shape, output: Shape, size: Int, stride: Int,
        into dst: UnsafeMutablePointer<Float>
    ) {
        if size == 2 && stride == 2 {
            for oy in 0..<output.height {
                let vectorized = maxima2x2(src, input.width, oy, output.width, dst)
                for ox in vectorized..<output.width {
                    // The first maximum in window order, as the vector lanes take it.
                    var value = src[2 * oy * input.width + 2 * ox]
                    for ky in 0..<2 {
                        let row = src + (2 * oy + ky) * input.width + 2 * ox
                        for kx in 0..<2 { value = row[kx] > value ? row[kx] : value }
                    }
                    dst[oy * output.width + ox] = value
                }
            }
            return
        }
        // Larger windows: each output row's column maxima first, 16 columns at a time (a
        // scalar chain of size² comparisons per window leaves the vector units idle).
        withUnsafeTemporaryAllocation(of: Float.self, capacity: input.width) { columns in
            let columns = columns.baseAddress!
            for oy in 0..<output.height {
                let top = src + oy * stride * input.width
                var x = 0
                while x + 16 <= input.width {
                    var m = UnsafeRawPointer(top + x).loadUnaligned(as: SIMD16<Float>.self)
                    for ky in 1..<size {
                        m = FastMath.larger(
                            m, UnsafeRawPointer(top + ky * input.width + x).loadUnaligned(as: SIMD16<Float>.self))
                    }
                    UnsafeMutableRawPointer(columns + x).storeBytes(of: m, as: SIMD16<Float>.self)
                    x += 16
                }
                for x in x..<input.width {
                    var value = top[x]
                    for ky in 1..<size { value = top[ky * input.width + x] > value ? top[ky * input.width + x] : value }
                    columns[x] = value
                }
                for ox in 0..<output.width {
                    var value = columns[ox * stride]
                    for kx in 1..<size { value = columns[ox * stride + kx] > value ? columns[ox * stride + kx] : value }
                    dst[oy * output.width + ox] = value
                }
            }
        }
    }

    /// 2x2 windows with stride 2 (every seed model's first pooling), eight and then four at a
    /// time: returns how many outputs of row `oy` it wrote. Ties keep the first maximum in window
    /// order, as the scalar path does. The two widths are written out: a helper generic over the
    /// SIMD types compiles to lane-by-lane loops, ten times slower.
    @inline(__always)
    static func pool2x2(
        _ src: UnsafePointer<Float>, _ width: Int, _ oy: Int, _ outWidth: Int,
        _ dst: UnsafeMutablePointer<Float>, _ arg: UnsafeMutablePointer<Int32>
    ) -> Int {
        let top = UnsafeRawPointer(src + 2 * oy * width), bottom = UnsafeRawPointer(src + (2 * oy + 1) * width)
        let (out, outArg) = (UnsafeMutableRawPointer(dst + oy * outWidth), UnsafeMutableRawPointer(arg + oy * outWidth))
        let row = Int32(2 * oy * width), below = Int32(width)
        var ox = 0
        while ox + 8 <= outWidth {
            let upper = top.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD16<Float>.self)
            let lower = bottom.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD16<Float>.self)
            let first = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14) &+ (row + Int32(2 * ox))
            var (best, index) = (upper.evenHalf, first)
            var better = upper.oddHalf .> best
            best.replace(with: upper.oddHalf, where: better); index.replace(with: first &+ 1, where: better)
            better = (lower.evenHalf .> best)
            best.replace(with: lower.evenHalf, where: better); index.replace(with: first &+ below, where: better)
            better = (lower.oddHalf .> best)
            best.replace(with: lower.oddHalf, where: better); index.replace(with: first &+ (below + 1), where: better)
            out.storeBytes(of: best, toByteOffset: 4 * ox, as: SIMD8<Float>.self)
            outArg.storeBytes(of: index, toByteOffset: 4 * ox, as: SIMD8<Int32>.self)
            ox += 8
        }
        while ox + 4 <= outWidth {
            let upper = top.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD8<Float>.self)
            let lower = bottom.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD8<Float>.self)
            let first = SIMD4<Int32>(0, 2, 4, 6) &+ (row + Int32(2 * ox))
            var (best, index) = (upper.evenHalf, first)
            var better = upper.oddHalf .> best
            best.replace(with: upper.oddHalf, where: better); index.replace(with: first &+ 1, where: better)
            better = (lower.evenHalf .> best)
            best.replace(with: lower.evenHalf, where: better); index.replace(with: first &+ below, where: better)
            better = (lower.oddHalf .> best)
            best.replace(with: lower.oddHalf, where: better); index.replace(with: first &+ (below + 1), where: better)
            out.storeBytes(of: best, toByteOffset: 4 * ox, as: SIMD4<Float>.self)
            outArg.storeBytes(of: index, toByteOffset: 4 * ox, as: SIMD4<Int32>.self)
            ox += 4
        }
        return ox
    }

    /// 2x2 windows with stride 2, values only, eight and then four at a time (written out for
    /// the reason pool2x2's are): returns how many outputs of row `oy` it wrote.
    @inline(__always)
    private static func maxima2x2(
        _ src: UnsafePointer<Float>, _ width: Int, _ oy: Int, _ outWidth: Int,
        _ dst: UnsafeMutablePointer<Float>
    ) -> Int {
        let top = UnsafeRawPointer(src + 2 * oy * width), bottom = UnsafeRawPointer(src + (2 * oy + 1) * width)
        let out = UnsafeMutableRawPointer(dst + oy * outWidth)
        var ox = 0
        while ox + 8 <= outWidth {
            let upper = top.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD16<Float>.self)
            let lower = bottom.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD16<Float>.self)
            let both = FastMath.larger(upper, lower)
            out.storeBytes(
                of: FastMath.larger(both.evenHalf, both.oddHalf), toByteOffset: 4 * ox, as: SIMD8<Float>.self)
            ox += 8
        }
        while ox + 4 <= outWidth {
            let upper = top.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD8<Float>.self)
            let lower = bottom.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD8<Float>.self)
            let both = FastMath.larger(upper, lower)
            out.storeBytes(
                of: FastMath.larger(both.evenHalf, both.oddHalf), toByteOffset: 4 * ox, as: SIMD4<Float>.self)
            ox += 4
        }
        return ox
    }
}
