import CBLAS

/// What the rest of the bench needs to know of OpenBLAS, so that only the engine links against
/// it: the kernels it chose for this processor (a result's provenance) and its own
/// multithreaded SGEMM (the rate `bench --gemm` compares the engine with).
public enum BLASLibrary {
    /// OpenBLAS's name for the kernels it runs on this processor ("Haswell", "SkylakeX", ...).
    public static var coreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// C = A B for row-major n x n matrices on `threads` of OpenBLAS's own threads; OpenBLAS is
    /// single-threaded again afterwards, as the engine's kernels call it.
    public static func multiplySquare(_ a: [Float], _ b: [Float], into c: inout [Float], n: Int, threads: Int) {
        precondition(a.count == n * n && b.count == n * n && c.count == n * n, "matrices must be \(n) x \(n)")
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n),
            0, &c, Int32(n))
    }
}
