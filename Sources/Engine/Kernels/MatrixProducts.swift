import CKernels

/// Row-major C = alpha · op(A) · op(B) + beta · C in a plan's precision: OpenBLAS's SGEMM for
/// float32; for bf16, A and B rounded to bfloat16 into the calling thread's packing scratch, then
/// multiplied on `vdpbf16ps` (CKernels' bf16 GEMM). A layer makes one when it is planned, from the
/// largest product each thread runs, so that no product allocates.
final class MatrixProducts: @unchecked Sendable {
    /// The size of one product: C is m x n, the sums k deep.
    struct Size {
        let m: Int, n: Int, k: Int
    }

    let precision: Precision
    private let strideA: Int, strideB: Int
    private let packedA: Buffer<UInt16>, packedB: Buffer<UInt16>

    /// Plain float32 products, with no scratch.
    static let float32 = MatrixProducts(.float32, threads: 1, sizes: [])

    /// For `threads` threads, each running products no larger than `sizes`.
    init(_ precision: Precision, threads: Int, sizes: [Size]) {
        self.precision = precision
        let bf16 = precision == .bf16
        let a = bf16 ? sizes.map { bench_bf16_packed_a_size(Int32($0.m), Int32($0.k)) }.max() ?? 0 : 0
        let b = bf16 ? sizes.map { bench_bf16_packed_b_size(Int32($0.k), Int32($0.n)) }.max() ?? 0 : 0
        strideA = Buffer<UInt16>.wholeLines(Int(a))
        strideB = Buffer<UInt16>.wholeLines(Int(b))
        packedA = Buffer(count: strideA * threads, initialValue: 0)
        packedB = Buffer(count: strideB * threads, initialValue: 0)
    }

    /// As `gemm`, on `thread`'s scratch.
    @inline(__always)
    func multiply(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, thread: Int
    ) {
        guard precision == .bf16 else {
            gemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
            return
        }
        let (m32, n32, k32) = (Int32(m), Int32(n), Int32(k))
        precondition(
            Int(bench_bf16_packed_a_size(m32, k32)) <= strideA && Int(bench_bf16_packed_b_size(k32, n32)) <= strideB,
            "a \(m) x \(n) x \(k) product larger than the plan's")
        let pa = packedA.pointer + thread * strideA, pb = packedB.pointer + thread * strideB
        bench_bf16_pack_a(m32, k32, a, Int32(lda), transA ? 1 : 0, pa)
        bench_bf16_pack_b(k32, n32, b, Int32(ldb), transB ? 1 : 0, pb)
        bench_bf16_gemm_packed(m32, n32, k32, alpha, pa, pb, beta, c, Int32(ldc))
    }
}
