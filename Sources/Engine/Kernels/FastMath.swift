/// Vectorised exp, tanh and sigmoid for the activations: libm's scalar calls cost more than the
/// convolutions around them. exp uses Cody-Waite range reduction to r in [-ln2/2, ln2/2] and a
/// degree-6 Taylor polynomial (relative error about 1e-7), then scales by 2^n through the
/// exponent bits.
enum FastMath {
    typealias Vector = SIMD16<Float>

    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        // Compare-and-replace inlines; the standard library's clamped(lowerBound:upperBound:) does not.
        var clamped = x.replacing(with: -87, where: x .< -87)
        clamped.replace(with: 88, where: clamped .> 88)
        // Adding 1.5 * 2^23 rounds to the nearest integer and leaves it in the low mantissa bits,
        // without the per-lane library calls that rounding and conversion cost on baseline x86-64.
        let magic: Float = 12_582_912
        let t = clamped * 1.442_695_04 + magic
        let n = t - magic
        // ln 2 split so that n * hi is exact in Float.
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = Vector(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let bits = (unsafeBitCast(t, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: Vector.self)
    }

    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        // Odd symmetry keeps the result exact in sign and bounded by 1.
        let e = exp(-2 * abs(x))
        let magnitude = (1 - e) / (1 + e)
        return magnitude.replacing(with: -magnitude, where: x .< 0)
    }

    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector { 1 / (1 + exp(-x)) }

    /// Lane by lane, `b` where it is larger, else `a`: the max pools' comparison. (The standard
    /// library's pointwiseMax follows IEEE's NaN rules one lane at a time, and a version generic
    /// over the widths compiles to lane-by-lane loops too.)
    @inline(__always)
    static func larger(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a.replacing(with: b, where: b .> a) }
    @inline(__always)
    static func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .> a) }
    @inline(__always)
    static func larger(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> { a.replacing(with: b, where: b .> a) }

    @inline(__always)
    private static func abs(_ x: Vector) -> Vector { x.replacing(with: -x, where: x .< 0) }

    /// Applies `f` in place to `count` values, a vector at a time; the tail goes through the same
    /// vector code, so a value's result does not depend on where it sits in the buffer.
    @inline(__always)
    static func map(_ x: UnsafeMutablePointer<Float>, count: Int, _ f: (Vector) -> Vector) {
        var i = 0
        while i + Vector.scalarCount <= count {
            let raw = UnsafeMutableRawPointer(x + i)
            raw.storeBytes(of: f(raw.loadUnaligned(as: Vector.self)), as: Vector.self)
            i += Vector.scalarCount
        }
        if i < count {
            var tail = Vector()
            for k in 0..<(count - i) { tail[k] = x[i + k] }
            let y = f(tail)
            for k in 0..<(count - i) { x[i + k] = y[k] }
        }
    }

    /// gradient[i] = f(gradient[i], output[i]) for `count` values, a vector at a time.
    @inline(__always)
    static func update(
        _ gradient: UnsafeMutablePointer<Float>, with output: UnsafePointer<Float>, count: Int,
        _ f: (Vector, Vector) -> Vector
    ) {
        var i = 0
        while i + Vector.scalarCount <= count {
            let g = UnsafeMutableRawPointer(gradient + i)
            let y = UnsafeRawPointer(output + i).loadUnaligned(as: Vector.self)
            g.storeBytes(of: f(g.loadUnaligned(as: Vector.self), y), as: Vector.self)
            i += Vector.scalarCount
        }
        while i < count {
            gradient[i] = f(Vector(repeating: gradient[i]), Vector(repeating: output[i]))[0]
            i += 1
        }
    }
}
