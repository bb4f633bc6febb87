// C kernels of the training bench: processor feature checks, the arithmetic ceiling of one core, a
// small float32 GEMM that needs no scratch, and a bfloat16 GEMM (inputs rounded to bfloat16,
// products and sums in float32, as Keras's mixed_bfloat16 policy computes). The library is
// compiled for baseline x86-64 (or any other architecture); each fast function is compiled for its
// own extension and runs only after the checks below say the processor and the operating system
// support it.

#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- Processor features (cpu_features.c) ----
// 1 when the processor has the extension and the operating system saves its registers (XCR0),
// else 0 (always 0 off x86-64). The environment variable BENCH_CPU_FEATURES, read at the first
// call, hides features so one machine can test the slower paths: "avx2" hides AVX-512, "baseline"
// hides all three.
int bench_cpu_has_avx2_fma(void);
int bench_cpu_has_avx512f(void);
int bench_cpu_has_avx512_bf16(void);

// ---- Arithmetic ceilings (peak_fma.c) ----
// Loops of independent multiply-adds on registers only; GFLOP/s = iterations * FLOPS_PER_ITERATION
// / seconds / 1e9. Each returns the sum of its accumulators (a positive number, which keeps the
// compiler from removing the loop), or -1 when the processor lacks the extension.
#define BENCH_FMA_AVX512_ACCUMULATORS 24
// vfmadd on 16 float lanes: 2 flops a lane.
#define BENCH_FMA_AVX512_FLOPS_PER_ITERATION (BENCH_FMA_AVX512_ACCUMULATORS * 16 * 2)
#define BENCH_FMA_AVX2_ACCUMULATORS 12
#define BENCH_FMA_AVX2_FLOPS_PER_ITERATION (BENCH_FMA_AVX2_ACCUMULATORS * 8 * 2)
#define BENCH_DPBF16_AVX512_ACCUMULATORS 24
// vdpbf16ps: each of 16 float lanes adds two products, 4 flops (as GEMM counts 2*m*n*k).
#define BENCH_DPBF16_AVX512_FLOPS_PER_ITERATION (BENCH_DPBF16_AVX512_ACCUMULATORS * 16 * 4)
double bench_fma_loop_avx512(long iterations);
double bench_fma_loop_avx2(long iterations);
// The ceiling of bench_bf16_gemm_packed: vdpbf16ps on zmm registers.
double bench_dpbf16_loop_avx512(long iterations);

// ---- bfloat16 GEMM (bf16_gemm.c) ----
// Rounding float to bfloat16: to nearest, ties to even, on the top 16 bits of the float (as
// TensorFlow's and PyTorch's casts round). Denormals round like any other number; infinities stay;
// a NaN stays a NaN of the same sign with its quiet bit set. (The vcvtneps2bf16 instruction would
// flush denormals to zero, hence is not used.)
void bench_bf16_from_float(const float *src, uint16_t *dst, long n);
// Exact: a bfloat16 is the top half of a float.
void bench_bf16_to_float(const uint16_t *src, float *dst, long n);

// Column width of the microkernel and of a packed B panel, and its row count (a packed A has no
// row blocks; MR only tells which row counts use the whole microkernel).
#ifndef BENCH_BF16_GEMM_NR
#define BENCH_BF16_GEMM_NR 32
#define BENCH_BF16_GEMM_MR 8
#endif

// Packed A (m x k): row i holds A[i][0..k) rounded to bfloat16, padded with a zero to an even
// count kp2 = k + (k & 1), so each 32-bit word is a pair (A[i][2p], A[i][2p+1]) that vdpbf16ps
// takes from one broadcast. Element (i, kk) sits at packed[i * kp2 + kk]. With trans_a == 0, `a` is
// A row-major with row stride lda (>= k); with trans_a != 0, `a` is A's transpose (k x m, stride
// lda >= m), as in cblas_sgemm(CblasRowMajor, ...).
size_t bench_bf16_packed_a_size(int m, int k);
// Where row `row` of a packed A starts (in uint16 elements). Threads that each take rows
// [r0, r1) of one product pass packed_a + bench_bf16_packed_a_offset(r0, k), m = r1 - r0 and
// c + r0 * ldc; any r0 works, multiples of BENCH_BF16_GEMM_MR keep every row in a full microkernel.
size_t bench_bf16_packed_a_offset(int row, int k);
void bench_bf16_pack_a(int m, int k, const float *a, int lda, int trans_a, uint16_t *packed);

// Packed B (k x n): panels of BENCH_BF16_GEMM_NR columns, the last padded with zero columns, and
// k padded with a zero row to an even count. Panel q holds, for each pair p < kp = (k + 1) / 2 and
// column jj < NR, the two uint16 B[2p][q*NR + jj], B[2p+1][q*NR + jj] at
// packed[((q * kp + p) * NR + jj) * 2 + {0, 1}]: the microkernel reads one panel front to back,
// NR/16 zmm registers (NR pairs) per pair of k. With trans_b == 0, `b` is B row-major with stride
// ldb (>= n); with trans_b != 0, `b` is B's transpose (n x k, stride ldb >= k).
size_t bench_bf16_packed_b_size(int k, int n);
// Where the panel of column `column` starts (in uint16 elements); `column` must be a multiple of
// BENCH_BF16_GEMM_NR. Threads that each take columns [j0, j1) pass packed_b +
// bench_bf16_packed_b_offset(j0, k), n = j1 - j0 and c + j0.
size_t bench_bf16_packed_b_offset(int column, int k);
void bench_bf16_pack_b(int k, int n, const float *b, int ldb, int trans_b, uint16_t *packed);

// 1 when bench_bf16_gemm_packed runs on vdpbf16ps (bench_cpu_has_avx512_bf16()).
int bench_bf16_available(void);

// C (m x n, row-major, stride ldc >= n) = alpha * A·B + beta * C, from A and B packed above with
// the same k. Products of bfloat16 are exact in float; the sums are float32. beta == 0 writes C
// without reading it (NaN there is overwritten); beta == 1 adds to it. Single-threaded; any
// m, n >= 1 and k >= 0 (k == 0 scales C by beta). vdpbf16ps treats denormal bfloat16 inputs as zero
// and flushes denormal sums to zero. Without bench_bf16_available() this runs a slow portable loop
// that gives the same result up to the order of the float sums.
void bench_bf16_gemm_packed(int m, int n, int k, float alpha, const uint16_t *packed_a,
                            const uint16_t *packed_b, float beta, float *c, int ldc);

// The plain definition, for checks: each input rounded as bench_bf16_from_float rounds, products
// in float, sums in double, then C = alpha * sum + beta * C (C not read when beta == 0).
void bench_bf16_gemm_reference(int m, int n, int k, float alpha, const float *a, int lda, int trans_a,
                               const float *b, int ldb, int trans_b, float beta, float *c, int ldc);

// ---- Small float32 GEMM (small_sgemm.c) ----
// Row-major C (m x n, stride ldc >= n) = alpha * op(A)·op(B) + beta * C, as cblas_sgemm(CblasRowMajor,
// ...) computes it, read straight from the caller's matrices: no packing, no scratch, no allocation.
// For products of up to about a million multiply-adds, where OpenBLAS's own small-matrix kernels
// (which allocate on some edges) would run. op(A) is m x k: A itself (stride lda >= k), or with
// trans_a != 0 its transpose stored k x m (lda >= m); likewise op(B), k x n. beta == 0 writes C
// without reading it. Returns 1 when it computed C, 0 when it cannot (no AVX-512F, or both
// operands transposed): the caller then uses another GEMM. Single-threaded.
int bench_small_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, float beta, float *c, int ldc);
// The plain definition, for checks: sums in double.
void bench_small_sgemm_reference(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                                 int lda, const float *b, int ldb, float beta, float *c, int ldc);

#ifdef __cplusplus
}
#endif

#endif
