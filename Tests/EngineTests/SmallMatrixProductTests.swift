import Testing

@testable import Engine

/// The products that would reach OpenBLAS's allocating small-matrix kernels run on CKernels' small
/// SGEMM: which products those are, and that kernel against the definition (sums in Double).
struct SmallMatrixProductTests {
    @Test func theRuleIsOpenBLASsPermit() {
        // NarrowCAE's first convolution, one sample: 32 x 484 x 49, the product that allocated.
        #expect(OpenBLASSmallMatrices.permits(transA: false, transB: false, m: 32, n: 484, k: 49))
        #expect(OpenBLASSmallMatrices.permits(transA: true, transB: false, m: 49, n: 484, k: 32))
        // Eleven samples side by side: past 100³ multiply-adds.
        #expect(!OpenBLASSmallMatrices.permits(transA: false, transB: false, m: 32, n: 5324, k: 49))
        #expect(!OpenBLASSmallMatrices.permits(transA: true, transB: true, m: 8, n: 8, k: 8))
        // A transposed second operand only while C is small and the sums long.
        #expect(OpenBLASSmallMatrices.permits(transA: false, transB: true, m: 30, n: 40, k: 32))
        #expect(!OpenBLASSmallMatrices.permits(transA: false, transB: true, m: 32, n: 49, k: 484))
        #expect(!OpenBLASSmallMatrices.permits(transA: false, transB: true, m: 10, n: 10, k: 31))
    }

    @Test(
        .enabled(if: OpenBLASSmallMatrices.kernelRuns, "the processor has no AVX-512F"),
        arguments: [(1, 1, 1), (7, 33, 5), (9, 17, 49), (32, 484, 49), (49, 70, 32), (30, 40, 100)])
    func theKernelMatchesTheDefinition(_ size: (Int, Int, Int)) {
        let (m, n, k) = size
        var generator = RandomGenerator(seed: UInt64(m * 1000 + n * 10 + k))
        let random = { (count: Int) in (0..<count).map { _ in generator.nextUniform() * 2 - 1 } }
        for (transA, transB) in [(false, false), (true, false), (false, true)] {
            let a = random(m * k), b = random(k * n), start = random(m * n)
            for beta: Float in [0, 1] {
                var c = beta == 0 ? [Float](repeating: .nan, count: m * n) : start
                let done = OpenBLASSmallMatrices.multiply(
                    transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: transA ? m : k, b: b,
                    ldb: transB ? k : n, beta: beta, c: &c, ldc: n)
                #expect(done)
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0, scale = 0.0
                        for p in 0..<k {
                            let x = Double(transA ? a[p * m + i] : a[i * k + p])
                            let y = Double(transB ? b[j * k + p] : b[p * n + j])
                            sum += x * y
                            scale += abs(x * y)
                        }
                        let expected = 0.5 * sum + Double(beta) * Double(start[i * n + j])
                        worst = max(worst, abs(Double(c[i * n + j]) - expected) / (scale + 1))
                    }
                }
                #expect(worst <= 1e-6, "\(m)x\(n)x\(k) transA \(transA) transB \(transB) beta \(beta): \(worst)")
            }
        }
    }
}
