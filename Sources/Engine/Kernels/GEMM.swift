import CBLAS

/// Row-major C = alpha * op(A) * op(B) + beta * C through OpenBLAS, or, for the products OpenBLAS
/// would give its allocating small-matrix kernels, through CKernels' small SGEMM.
@inline(__always)
func gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if OpenBLASSmallMatrices.inUse && OpenBLASSmallMatrices.permits(transA: transA, transB: transB, m: m, n: n, k: k)
        && OpenBLASSmallMatrices.multiply(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
            c: c, ldc: ldc)
    {
        return
    }
    cblas_sgemm(
        CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
