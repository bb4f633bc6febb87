// Small float32 products straight from the caller's matrices, with no packing and no scratch (layout
// and contract in CKernels.h). With B's rows contiguous along n, MR rows of C take two zmm registers
// of columns each, and every k step broadcasts one value of A per row against two vectors of B. With
// B transposed, both operands run contiguously along k: one row of A against four rows of Bᵀ, sixteen
// values of k a step, each sum reduced across its lanes at the end.

#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static inline float value_at(const float *x, int ld, int trans, int row, int column) {
    return trans ? x[(size_t)column * ld + row] : x[(size_t)row * ld + column];
}

void bench_small_sgemm_reference(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                                 int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int p = 0; p < k; p++)
                sum += (double)value_at(a, lda, trans_a, i, p) * (double)value_at(b, ldb, trans_b, p, j);
            float *out = c + (size_t)i * ldc + j;
            *out = beta == 0.0f ? alpha * (float)sum : alpha * (float)sum + beta * *out;
        }
    }
}

#if defined(__x86_64__)

#define AVX512 __attribute__((target("avx512f")))
#define INLINE static inline __attribute__((always_inline))
#define MR 8

static inline __mmask16 lanes(int count) {
    return count >= 16 ? (__mmask16)0xffff : count <= 0 ? 0 : (__mmask16)((1u << count) - 1);
}

// Where beta is 0, C is not read (it may hold anything, NaN included), as BLAS defines.
AVX512 INLINE void store(float *out, __mmask16 mask, __m512 sum, __m512 alpha, float beta) {
    __m512 result = _mm512_mul_ps(sum, alpha);
    if (beta != 0.0f) result = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(mask, out), result);
    _mm512_mask_storeu_ps(out, mask, result);
}

// Rows [i, i + rows) by columns [j, j + 32) of C, B not transposed; `rows` is a constant where inlined.
AVX512 INLINE void rows_by_32(const int rows, int i, int j, int columns, int k, float alpha, const float *a, int lda,
                              int trans_a, const float *b, int ldb, float beta, float *c, int ldc) {
    const __mmask16 low = lanes(columns), high = lanes(columns - 16);
    __m512 left[MR], right[MR];
    for (int r = 0; r < rows; r++) left[r] = right[r] = _mm512_setzero_ps();
    for (int p = 0; p < k; p++) {
        const float *line = b + (size_t)p * ldb + j;
        const __m512 b0 = _mm512_maskz_loadu_ps(low, line), b1 = _mm512_maskz_loadu_ps(high, line + 16);
        for (int r = 0; r < rows; r++) {
            const __m512 x = _mm512_set1_ps(value_at(a, lda, trans_a, i + r, p));
            left[r] = _mm512_fmadd_ps(x, b0, left[r]);
            right[r] = _mm512_fmadd_ps(x, b1, right[r]);
        }
    }
    const __m512 scale = _mm512_set1_ps(alpha);
    for (int r = 0; r < rows; r++) {
        float *out = c + (size_t)(i + r) * ldc + j;
        store(out, low, left[r], scale, beta);
        if (high) store(out + 16, high, right[r], scale, beta);
    }
}

AVX512 static void product_b_rows(int trans_a, int m, int n, int k, float alpha, const float *a, int lda,
                                  const float *b, int ldb, float beta, float *c, int ldc) {
    for (int j = 0; j < n; j += 32) {
        const int columns = n - j < 32 ? n - j : 32;
        int i = 0;
        for (; i + MR <= m; i += MR) rows_by_32(MR, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc);
        switch (m - i) {
        case 7: rows_by_32(7, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
        case 6: rows_by_32(6, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
        case 5: rows_by_32(5, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
        case 4: rows_by_32(4, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
        case 3: rows_by_32(3, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
        case 2: rows_by_32(2, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
        case 1: rows_by_32(1, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
        default: break;
        }
    }
}

// C[i][j..j+columns) from row i of A and rows j.. of Bᵀ (both contiguous along k); `columns` <= 4.
AVX512 INLINE void row_by_4(const int columns, int i, int j, int k, float alpha, const float *a, int lda,
                            const float *b, int ldb, float beta, float *c, int ldc) {
    __m512 sums[4];
    for (int q = 0; q < columns; q++) sums[q] = _mm512_setzero_ps();
    const float *row = a + (size_t)i * lda;
    for (int p = 0; p < k; p += 16) {
        const __mmask16 mask = lanes(k - p);
        const __m512 x = _mm512_maskz_loadu_ps(mask, row + p);
        for (int q = 0; q < columns; q++)
            sums[q] = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(mask, b + (size_t)(j + q) * ldb + p), sums[q]);
    }
    for (int q = 0; q < columns; q++) {
        float *out = c + (size_t)i * ldc + j + q;
        const float sum = alpha * _mm512_reduce_add_ps(sums[q]);
        *out = beta == 0.0f ? sum : sum + beta * *out;
    }
}

AVX512 static void product_b_transposed(int m, int n, int k, float alpha, const float *a, int lda, const float *b,
                                        int ldb, float beta, float *c, int ldc) {
    for (int i = 0; i < m; i++) {
        int j = 0;
        for (; j + 4 <= n; j += 4) row_by_4(4, i, j, k, alpha, a, lda, b, ldb, beta, c, ldc);
        switch (n - j) {
        case 3: row_by_4(3, i, j, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
        case 2: row_by_4(2, i, j, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
        case 1: row_by_4(1, i, j, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
        default: break;
        }
    }
}

int bench_small_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, float beta, float *c, int ldc) {
    if (!bench_cpu_has_avx512f() || (trans_a && trans_b)) return 0;
    if (m <= 0 || n <= 0) return 1;
    if (trans_b)
        product_b_transposed(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    else
        product_b_rows(trans_a, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return 1;
}

#else

int bench_small_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, float beta, float *c, int ldc) {
    (void)trans_a, (void)trans_b, (void)m, (void)n, (void)k, (void)alpha, (void)a, (void)lda, (void)b, (void)ldb;
    (void)beta, (void)c, (void)ldc;
    return 0;
}

#endif
