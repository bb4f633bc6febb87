// Small float32 products straight from the caller's matrices, with no packing and no scratch (layout
// and contract in CKernels.h). With B's rows contiguous along n, MR = 4 rows of C take four zmm
// registers of columns each, and every k step broadcasts one value of A per row against those four
// vectors of B. With B transposed, both operands run contiguously along k: four
// rows of A against four rows of Bᵀ, sixteen values of k a step, each sum reduced across its lanes
// at the end.

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
#define MR 4

static inline __mmask16 lanes(int count) {
    return count >= 16 ? (__mmask16)0xffff : count <= 0 ? 0 : (__mmask16)((1u << count) - 1);
}

// Where beta is 0, C is not read (it may hold anything, NaN included), as BLAS defines.
AVX512 INLINE void store(float *out, __mmask16 mask, __m512 sum, __m512 alpha, float beta) {
    __m512 result = _mm512_mul_ps(sum, alpha);
    if (beta != 0.0f) result = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(mask, out), result);
    _mm512_mask_storeu_ps(out, mask, result);
}

// Rows [i, i + rows) by columns [j, j + 16 * vectors) of C, B not transposed; `rows` (at most MR)
// and `vectors` (at most 4) are constants where inlined.
AVX512 INLINE void block(const int rows, const int vectors, int i, int j, int columns, int k, float alpha,
                         const float *a, int lda, int trans_a, const float *b, int ldb, float beta, float *c, int ldc) {
    __mmask16 mask[4];
    for (int v = 0; v < vectors; v++) mask[v] = lanes(columns - 16 * v);
    __m512 sums[MR][4];
    for (int r = 0; r < rows; r++) {
        for (int v = 0; v < vectors; v++) sums[r][v] = _mm512_setzero_ps();
    }
    for (int p = 0; p < k; p++) {
        const float *line = b + (size_t)p * ldb + j;
        __m512 y[4];
        for (int v = 0; v < vectors; v++) y[v] = _mm512_maskz_loadu_ps(mask[v], line + 16 * v);
        for (int r = 0; r < rows; r++) {
            const __m512 x = _mm512_set1_ps(value_at(a, lda, trans_a, i + r, p));
            for (int v = 0; v < vectors; v++) sums[r][v] = _mm512_fmadd_ps(x, y[v], sums[r][v]);
        }
    }
    const __m512 scale = _mm512_set1_ps(alpha);
    for (int r = 0; r < rows; r++) {
        float *out = c + (size_t)(i + r) * ldc + j;
        for (int v = 0; v < vectors; v++) {
            if (mask[v]) store(out + 16 * v, mask[v], sums[r][v], scale, beta);
        }
    }
}

// Rows [i, i + rows) over columns [j, j + columns), columns <= 64: as many vectors as they fill.
AVX512 INLINE void rows_by_64(const int rows, int trans_a, int i, int j, int columns, int k, float alpha,
                              const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    switch ((columns + 15) / 16) {
    case 4: block(rows, 4, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
    case 3: block(rows, 3, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
    case 2: block(rows, 2, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
    default: block(rows, 1, i, j, columns, k, alpha, a, lda, trans_a, b, ldb, beta, c, ldc); break;
    }
}

// Blocks of MR rows by 64 columns (16 sums in registers; four loads of B and four broadcasts of A
// for every 16 multiply-adds), then the rows left.
AVX512 static void product_b_rows(int trans_a, int m, int n, int k, float alpha, const float *a, int lda,
                                  const float *b, int ldb, float beta, float *c, int ldc) {
    for (int j = 0; j < n; j += 64) {
        const int columns = n - j < 64 ? n - j : 64;
        int i = 0;
        for (; i + MR <= m; i += MR) rows_by_64(MR, trans_a, i, j, columns, k, alpha, a, lda, b, ldb, beta, c, ldc);
        switch (m - i) {
        case 3: rows_by_64(3, trans_a, i, j, columns, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
        case 2: rows_by_64(2, trans_a, i, j, columns, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
        case 1: rows_by_64(1, trans_a, i, j, columns, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
        default: break;
        }
    }
}

// C[i..i+rows)[j..j+columns) from rows of A and rows of Bᵀ (both contiguous along k), sixteen values
// of k a step; `rows` and `columns` (at most 4 each) are constants where inlined.
AVX512 INLINE void dot_block(const int rows, const int columns, int i, int j, int k, float alpha, const float *a,
                             int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    __m512 sums[4][4];
    for (int r = 0; r < rows; r++) {
        for (int q = 0; q < columns; q++) sums[r][q] = _mm512_setzero_ps();
    }
    for (int p = 0; p < k; p += 16) {
        const __mmask16 mask = lanes(k - p);
        __m512 y[4];
        for (int q = 0; q < columns; q++) y[q] = _mm512_maskz_loadu_ps(mask, b + (size_t)(j + q) * ldb + p);
        for (int r = 0; r < rows; r++) {
            const __m512 x = _mm512_maskz_loadu_ps(mask, a + (size_t)(i + r) * lda + p);
            for (int q = 0; q < columns; q++) sums[r][q] = _mm512_fmadd_ps(x, y[q], sums[r][q]);
        }
    }
    for (int r = 0; r < rows; r++) {
        for (int q = 0; q < columns; q++) {
            float *out = c + (size_t)(i + r) * ldc + j + q;
            const float sum = alpha * _mm512_reduce_add_ps(sums[r][q]);
            *out = beta == 0.0f ? sum : sum + beta * *out;
        }
    }
}

// Rows [i, i + rows) of C, four columns a block, then the rest.
AVX512 INLINE void dot_rows(const int rows, int i, int n, int k, float alpha, const float *a, int lda, const float *b,
                            int ldb, float beta, float *c, int ldc) {
    int j = 0;
    for (; j + 4 <= n; j += 4) dot_block(rows, 4, i, j, k, alpha, a, lda, b, ldb, beta, c, ldc);
    switch (n - j) {
    case 3: dot_block(rows, 3, i, j, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
    case 2: dot_block(rows, 2, i, j, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
    case 1: dot_block(rows, 1, i, j, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
    default: break;
    }
}

AVX512 static void product_b_transposed(int m, int n, int k, float alpha, const float *a, int lda, const float *b,
                                        int ldb, float beta, float *c, int ldc) {
    int i = 0;
    for (; i + 4 <= m; i += 4) dot_rows(4, i, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    switch (m - i) {
    case 3: dot_rows(3, i, n, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
    case 2: dot_rows(2, i, n, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
    case 1: dot_rows(1, i, n, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
    default: break;
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
