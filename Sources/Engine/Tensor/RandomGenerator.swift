#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// xoshiro256** seeded through SplitMix64: small, fast, and the same numbers on every machine,
/// so a seed reproduces a run.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        state = (Self.splitMix(seed, 0), Self.splitMix(seed, 1), Self.splitMix(seed, 2), Self.splitMix(seed, 3))
    }

    /// Value `index` of the SplitMix64 stream from `seed`: any one of them without the others
    /// (counter-based), so that threads can draw parts of one stream.
    @inline(__always)
    public static func splitMix(_ seed: UInt64, _ index: Int) -> UInt64 {
        var z = seed &+ (UInt64(truncatingIfNeeded: index) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits, exact in Float.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Standard normal by Box-Muller.
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let radius = (-2.0 * log(max(u1, .leastNonzeroMagnitude))).squareRoot()
        return Float(radius * cos(2.0 * .pi * u2))
    }

    /// A generator for a sub-stream (a layer, a data shuffle) that does not disturb this one.
    public func derived(_ stream: UInt64) -> RandomGenerator {
        RandomGenerator(seed: state.0 ^ (stream &* 0x9E37_79B9_7F4A_7C15))
    }
}
