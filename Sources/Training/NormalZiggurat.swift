import Engine
import Foundation

/// Gaussian noise from standard normal numbers drawn by Marsaglia and Tsang's ziggurat (2000),
/// 128 layers. Number i of a key's stream comes from value i of the SplitMix64 stream from the
/// key: the draw's low 7 bits pick the layer and its high 32 bits are a signed abscissa (the
/// original took both from the same bits, the flaw Doornik found). 98.8 % are accepted at once,
/// a multiplication and a comparison where Box-Muller takes a logarithm, a square root and a
/// cosine (three times the time a pixel: 5-8 % of a denoising step here). The rest (the wedges,
/// and the tail beyond r) draws from a generator seeded by the key and i, so number i still
/// depends on nothing else, whichever thread draws it.
enum NormalZiggurat {
    /// Where the tail begins.
    static let r = 3.442619855899

    /// Layer i's acceptance bound on |abscissa| (k), its width per abscissa unit (w), and the
    /// density at its upper edge (f); buffers, so the hot loop indexes them without bounds checks
    /// (the index is 7 bits).
    final class Tables: Sendable {
        let k = Buffer<UInt32>(count: 128, initialValue: 0)
        let w = Buffer<Double>(count: 128, initialValue: 0)
        let f = Buffer<Double>(count: 128, initialValue: 0)
    }

    /// Marsaglia and Tsang's `zigset` for RNOR: layers of equal area v.
    static let tables: Tables = {
        let tables = Tables()
        let (k, w, f) = (tables.k.pointer, tables.w.pointer, tables.f.pointer)
        let m = 2_147_483_648.0, v = 9.91256303526217e-3
        var d = r, previous = r
        let q = v / exp(-0.5 * d * d)
        k[0] = UInt32(d / q * m)
        w[0] = q / m
        w[127] = d / m
        f[0] = 1
        f[127] = exp(-0.5 * d * d)
        for i in stride(from: 126, through: 1, by: -1) {
            d = (-2 * log(v / d + exp(-0.5 * d * d))).squareRoot()
            k[i + 1] = UInt32(d / previous * m)
            previous = d
            f[i] = exp(-0.5 * d * d)
            w[i] = d / m
        }
        return tables
    }()

    /// Adds `scale` times values 0..<count of the normal stream from `key` to `values`, clipped
    /// to `low...high`.
    static func add(
        to values: UnsafeMutablePointer<Float>, count: Int, scale: Float, low: Float, high: Float, key: UInt64
    ) {
        let t = tables
        let (k, w) = (UnsafePointer(t.k.pointer), UnsafePointer(t.w.pointer))
        for i in 0..<count {
            let draw = RandomGenerator.splitMix(key, i)
            let layer = Int(draw & 127), abscissa = Int32(truncatingIfNeeded: draw >> 32)
            let normal =
                abscissa.magnitude < k[layer]
                ? Float(Double(abscissa) * w[layer]) : rare(key: key, index: i, layer: layer, abscissa: abscissa, t)
            values[i] = min(high, max(low, values[i] + scale * normal))
        }
    }

    /// The wedges and the tail: Marsaglia and Tsang's `nfix`.
    @inline(never)
    static func rare(key: UInt64, index: Int, layer: Int, abscissa: Int32, _ t: Tables) -> Float {
        var generator = RandomGenerator(seed: RandomGenerator.splitMix(key ^ 0x2545_F491_4F6C_DD1D, index))
        func uniform() -> Double { Double((generator.next() >> 11) + 1) * 0x1p-53 }
        var (layer, abscissa) = (layer, abscissa)
        let (k, w, f) = (t.k.pointer, t.w.pointer, t.f.pointer)
        while true {
            let x = Double(abscissa) * w[layer]
            if layer == 0 {
                var tail: Double, y: Double
                repeat {
                    tail = -log(uniform()) / r
                    y = -log(uniform())
                } while y + y < tail * tail
                return Float(abscissa > 0 ? r + tail : -r - tail)
            }
            if f[layer] + uniform() * (f[layer - 1] - f[layer]) < exp(-0.5 * x * x) { return Float(x) }
            let draw = generator.next()
            (layer, abscissa) = (Int(draw & 127), Int32(truncatingIfNeeded: draw >> 32))
            if abscissa.magnitude < k[layer] { return Float(Double(abscissa) * w[layer]) }
        }
    }
}
