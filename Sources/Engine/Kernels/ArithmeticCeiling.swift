import CKernels

/// What the processor's vector units can do at most, on `threads` cores at once: CKernels' loops
/// of independent multiply-adds on registers only (no memory traffic, no dependency stalls), the
/// ceiling a kernel's GFLOP/s is read against. nil where the processor lacks the extension.
public struct ArithmeticCeiling: Codable, Sendable {
    public let threads: Int
    /// 512-bit FMAs (vfmadd231ps on zmm), GFLOP/s.
    public let avx512: Double?
    /// 256-bit FMAs (Haswell's), GFLOP/s.
    public let avx2: Double?
    /// vdpbf16ps on zmm, two bfloat16 products per float lane, GFLOP/s.
    public let bf16: Double?

    /// Each loop on every thread at once, long enough (about `seconds`) to settle the clock.
    public static func measure(threads: Int, seconds: Double = 0.3) -> ArithmeticCeiling {
        let pool = ThreadPool(threads: threads)
        // Per iteration, per accumulator: 16 or 8 lanes, 2 flops an FMA, 4 a vdpbf16ps (two products).
        func rate(flopsPerIteration: Int32, _ loop: @escaping @Sendable (Int) -> Double) -> Double? {
            guard loop(1) >= 0 else { return nil }
            // Calibrate on one thread, then time every thread at once.
            var iterations = 1 << 16
            while true {
                let start = MonotonicClock.seconds()
                _ = loop(iterations)
                let elapsed = MonotonicClock.seconds() - start
                if elapsed > seconds / 10 {
                    iterations = Int(Double(iterations) * seconds / elapsed)
                    break
                }
                iterations *= 4
            }
            let count = iterations
            let start = MonotonicClock.seconds()
            pool.parallelFor(threads) { _, range in for _ in range { _ = loop(count) } }
            let elapsed = MonotonicClock.seconds() - start
            return Double(threads) * Double(count) * Double(flopsPerIteration) / elapsed / 1e9
        }
        return ArithmeticCeiling(
            threads: threads,
            avx512: rate(flopsPerIteration: BENCH_FMA_AVX512_ACCUMULATORS * 16 * 2) {
                bench_fma_loop_avx512($0)
            },
            avx2: rate(flopsPerIteration: BENCH_FMA_AVX2_ACCUMULATORS * 8 * 2) { bench_fma_loop_avx2($0) },
            bf16: rate(flopsPerIteration: BENCH_DPBF16_AVX512_ACCUMULATORS * 16 * 4) {
                bench_dpbf16_loop_avx512($0)
            })
    }

    /// The float32 ceiling of this build's kernels: 512-bit FMAs where the processor has them.
    public var float32: Double? { avx512 ?? avx2 }
}
