/// Winograd's minimal filtering F(4x4, r x r) (Lavin and Gray, "Fast Algorithms for Convolutional
/// Neural Networks", 2016) for one kernel size r: each 4x4 block of outputs comes from an input
/// tile d of side 4 + r - 1 as Y = Aᵀ [(G w Gᵀ) ⊙ (Bᵀ d B)] A. Each transform applies its matrix
/// to one row or column of sixteen channels' values: `value(i)` reads the i-th, `put(j, v)`
/// writes the j-th result. Row j of Bᵀ holds the coefficients of the product of (x - p) over the
/// other finite interpolation points (of all of them for ∞); G's rows are the points' powers over
/// that product's value at the point; Aᵀ's rows the points' powers.
protocol WinogradTransform {
    typealias Vector = SIMD16<Float>
    /// The kernel's side r.
    static var kernel: Int { get }
    /// G applied to r taps: `side` values.
    static func filterPoints(_ value: (Int) -> Vector, _ put: (Int, Vector) -> Void)
    /// Bᵀ applied to `side` inputs.
    static func inputPoints(_ value: (Int) -> Vector, _ put: (Int, Vector) -> Void)
    /// Aᵀ applied to `side` products: the block's four outputs.
    static func outputs(_ value: (Int) -> Vector, _ put: (Int, Vector) -> Void)
}

extension WinogradTransform {
    /// Outputs per block side.
    static var block: Int { 4 }
    /// Input values per tile side.
    static var side: Int { block + kernel - 1 }
    /// Points of a transformed tile.
    static var points: Int { side * side }
}

/// F(4x4, 3x3) on the points 0, 1, -1, 2, -2 and ∞: 36 multiplies per input and output channel
/// instead of 144. The transforms scale values by factors from 1/24 to 8: with 32 channels the
/// results land a few 1e-6 of the outputs' size from the exact sums, where the direct sums' error
/// is under 1e-6.
enum WinogradF4x4Kernel3: WinogradTransform {
    static var kernel: Int { 3 }

    /// The normalizing products of the points: 4, -6, -6, 24, 24 and 1.
    @inline(__always)
    static func filterPoints(_ e: (Int) -> Vector, _ put: (Int, Vector) -> Void) {
        let (e0, e1, e2) = (e(0), e(1), e(2))
        let even = e0 + e2, even2 = e0 + 4 * e2, odd2 = 2 * e1
        put(0, 0.25 * e0)
        put(1, (-1.0 / 6) * (even + e1))
        put(2, (-1.0 / 6) * (even - e1))
        put(3, (1.0 / 24) * (even2 + odd2))
        put(4, (1.0 / 24) * (even2 - odd2))
        put(5, e2)
    }

    @inline(__always)
    static func inputPoints(_ d: (Int) -> Vector, _ put: (Int, Vector) -> Void) {
        let (d0, d1, d2, d3, d4, d5) = (d(0), d(1), d(2), d(3), d(4), d(5))
        let even1 = d4 - 4 * d2, odd1 = d3 - 4 * d1, even2 = d4 - d2, odd2 = 2 * (d3 - d1)
        put(0, 4 * d0 - 5 * d2 + d4)
        put(1, even1 + odd1)
        put(2, even1 - odd1)
        put(3, even2 + odd2)
        put(4, even2 - odd2)
        put(5, 4 * d1 - 5 * d3 + d5)
    }

    @inline(__always)
    static func outputs(_ m: (Int) -> Vector, _ put: (Int, Vector) -> Void) {
        let sum1 = m(1) + m(2), difference1 = m(1) - m(2), sum2 = m(3) + m(4), difference2 = m(3) - m(4)
        put(0, m(0) + sum1 + sum2)
        put(1, difference1 + 2 * difference2)
        put(2, sum1 + 4 * sum2)
        put(3, difference1 + 8 * difference2 + m(5))
    }
}

/// F(4x4, 5x5) on the points 0, 1, -1, 2, -2, 1/2, -1/2 and ∞: 64 multiplies per input and
/// output channel instead of 400. The transforms scale values by factors from 2⁻¹³ to 2⁹, so
/// results differ from the direct sums by more than their rounding (a few 1e-6 of the outputs'
/// size for 32 channels, where the direct sums' error is under 1e-6).
enum WinogradF4x4Kernel5: WinogradTransform {
    static var kernel: Int { 5 }

    /// The normalizing products 1, -9/2, 90, 45/32 and the last tap (∞). Even and odd powers are
    /// summed apart.
    @inline(__always)
    static func filterPoints(_ e: (Int) -> Vector, _ put: (Int, Vector) -> Void) {
        let (e0, e1, e2, e3, e4) = (e(0), e(1), e(2), e(3), e(4))
        let even1 = e0 + e2 + e4, odd1 = e1 + e3
        let even2 = e0 + 4 * e2 + 16 * e4, odd2 = 2 * e1 + 8 * e3
        let even3 = e0 + 0.25 * e2 + 0.0625 * e4, odd3 = 0.5 * e1 + 0.125 * e3
        put(0, e0)
        put(1, (-2.0 / 9) * (even1 + odd1))
        put(2, (-2.0 / 9) * (even1 - odd1))
        put(3, (1.0 / 90) * (even2 + odd2))
        put(4, (1.0 / 90) * (even2 - odd2))
        put(5, (32.0 / 45) * (even3 + odd3))
        put(6, (32.0 / 45) * (even3 - odd3))
        put(7, e4)
    }

    /// Row 0 negated, so that its normalizing product is 1.
    @inline(__always)
    static func inputPoints(_ d: (Int) -> Vector, _ put: (Int, Vector) -> Void) {
        let (d0, d1, d2, d3, d4, d5, d6, d7) = (d(0), d(1), d(2), d(3), d(4), d(5), d(6), d(7))
        let even1 = d2 + d6 - 4.25 * d4, odd1 = d1 + d5 - 4.25 * d3
        let even2 = 0.25 * d2 - 1.25 * d4 + d6, odd2 = 0.5 * d1 - 2.5 * d3 + 2 * d5
        let even3 = 4 * d2 - 5 * d4 + d6, odd3 = 2 * d1 - 2.5 * d3 + 0.5 * d5
        put(0, d0 - d6 + 5.25 * (d4 - d2))
        put(1, even1 + odd1)
        put(2, even1 - odd1)
        put(3, even2 + odd2)
        put(4, even2 - odd2)
        put(5, even3 + odd3)
        put(6, even3 - odd3)
        put(7, d7 - d1 + 5.25 * (d3 - d5))
    }

    @inline(__always)
    static func outputs(_ m: (Int) -> Vector, _ put: (Int, Vector) -> Void) {
        let sum1 = m(1) + m(2), difference1 = m(1) - m(2), sum2 = m(3) + m(4), difference2 = m(3) - m(4)
        let sum3 = m(5) + m(6), difference3 = m(5) - m(6)
        put(0, m(0) + sum1 + sum2 + sum3)
        put(1, difference1 + 2 * difference2 + 0.5 * difference3)
        put(2, sum1 + 4 * sum2 + 0.25 * sum3)
        put(3, difference1 + 8 * difference2 + 0.125 * difference3 + m(7))
    }
}
