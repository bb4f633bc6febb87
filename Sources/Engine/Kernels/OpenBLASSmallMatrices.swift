import CKernels

/// The products that OpenBLAS gives its small-matrix kernels, which run on CKernels' small SGEMM
/// instead. OpenBLAS (0.3.21, Debian's) sends every product of at most 100³ multiply-adds to
/// those kernels on its AVX-512 cores (SkylakeX, Cooperlake, SapphireRapids), and they call malloc
/// on some edges: its NN kernel once per call when n mod 16 is 1 to 8 and k is 32 or more, which
/// is a one-sample im2col convolution of 22x22 positions. A training step must not allocate.
/// The rule is OpenBLAS's `sgemm_small_kernel_permit` for those cores, in row-major terms.
enum OpenBLASSmallMatrices {
    /// Whether CKernels' small SGEMM can run here: it needs AVX-512F.
    static let kernelRuns = bench_cpu_has_avx512f() == 1

    /// Whether OpenBLAS runs its AVX-512 kernels here (OPENBLAS_CORETYPE=Haswell turns them off).
    static let inUse =
        kernelRuns && ["skylakex", "cooperlake", "sapphirerapids"].contains(BLASLibrary.coreName.lowercased())

    /// Whether OpenBLAS would take this row-major product to a small-matrix kernel. OpenBLAS is
    /// column-major: it computes Cᵀ = op(B)ᵀ op(A)ᵀ, so its first operand's transpose is `transB`.
    static func permits(transA: Bool, transB: Bool, m: Int, n: Int, k: Int) -> Bool {
        guard Double(m) * Double(n) * Double(k) <= 1e6 else { return false }
        if transA && transB { return false }
        if transB && (m * n > 1200 || k < 32) { return false }
        return true
    }

    /// C = alpha op(A) op(B) + beta C on CKernels' small SGEMM, as `gemm` takes it; false, with C
    /// untouched, where that kernel cannot run (no AVX-512F, or both operands transposed).
    @inline(__always)
    static func multiply(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) -> Bool {
        bench_small_sgemm(
            transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c,
            Int32(ldc)) == 1
    }
}
