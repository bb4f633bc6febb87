// bfloat16 GEMM on vdpbf16ps: A and B rounded to bfloat16 and packed (layouts in CKernels.h), C in
// float32. Each vdpbf16ps adds to 16 float lanes the two products of a pair of bfloat16 values
// along k, so both packed operands keep pairs along k in 32-bit words: one word of A broadcast
// against NR/16 registers of B updates a row of the microkernel's MR x NR block of C.

#include "CKernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define NR BENCH_BF16_GEMM_NR
#define MR BENCH_BF16_GEMM_MR

// k is split into blocks of at most KC pairs and n into blocks of NC columns, so that the B block
// being multiplied (KC * NC * 4 bytes = 512 KB) stays in the 1 MB L2 of Zen 4 and 5 while the rows
// of A go past it, and the MR rows of A under one microkernel (MR * KC * 4 bytes) stay in L1.
#ifndef KC
#define KC 256
#endif
#ifndef NC
#define NC 512
#endif

static inline size_t pair_count(int k) { return (size_t)(k > 0 ? (k + 1) / 2 : 0); }

static inline uint32_t float_bits(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

// The float's bits with the bfloat16 in the top half: ties to even by adding 0x7fff plus the
// lowest kept bit; a NaN only gets its quiet bit, since the addition could carry it into infinity.
static inline uint32_t rounded_bits(uint32_t x) {
    if ((x & 0x7fffffffu) > 0x7f800000u) return x | 0x00400000u;
    return x + 0x7fffu + ((x >> 16) & 1u);
}

static inline uint16_t bf16_from_float(float x) { return (uint16_t)(rounded_bits(float_bits(x)) >> 16); }

static inline float float_from_bf16(uint16_t h) {
    const uint32_t bits = (uint32_t)h << 16;
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

static void from_float_scalar(const float *src, uint16_t *dst, long n) {
    for (long i = 0; i < n; i++) dst[i] = bf16_from_float(src[i]);
}

// Element (i, kk) of A stored as the caller describes it.
static inline float element(const float *x, int ld, int trans, int row, int column) {
    return trans ? x[(size_t)column * ld + row] : x[(size_t)row * ld + column];
}

static void pack_a_scalar(int m, int k, const float *a, int lda, int trans_a, uint16_t *packed) {
    const size_t stride = 2 * pair_count(k);
    for (int i = 0; i < m; i++) {
        uint16_t *row = packed + i * stride;
        for (int kk = 0; kk < k; kk++) row[kk] = bf16_from_float(element(a, lda, trans_a, i, kk));
        if (k & 1) row[k] = 0;
    }
}

static void pack_b_scalar(int k, int n, const float *b, int ldb, int trans_b, uint16_t *packed) {
    const size_t kp = pair_count(k), panels = ((size_t)n + NR - 1) / NR;
    for (size_t q = 0; q < panels; q++) {
        for (size_t p = 0; p < kp; p++) {
            uint16_t *out = packed + (q * kp + p) * NR * 2;
            for (int jj = 0; jj < NR; jj++) {
                const int j = (int)q * NR + jj, k0 = 2 * (int)p, k1 = k0 + 1;
                out[2 * jj] = j < n ? bf16_from_float(element(b, ldb, trans_b, k0, j)) : 0;
                out[2 * jj + 1] = j < n && k1 < k ? bf16_from_float(element(b, ldb, trans_b, k1, j)) : 0;
            }
        }
    }
}

// C = beta * C, without reading C when beta is 0.
static void scale_c(int m, int n, float beta, float *c, int ldc) {
    for (int i = 0; i < m; i++) {
        float *row = c + (size_t)i * ldc;
        for (int j = 0; j < n; j++) row[j] = beta == 0.0f ? 0.0f : beta * row[j];
    }
}

// The portable loop: one panel of NR columns and one row at a time, float sums as the kernel.
static void gemm_packed_scalar(int m, int n, int k, float alpha, const uint16_t *packed_a,
                               const uint16_t *packed_b, float beta, float *c, int ldc) {
    const size_t kp = pair_count(k);
    for (int q = 0; q * NR < n; q++) {
        const uint16_t *panel = packed_b + (size_t)q * kp * NR * 2;
        const int columns = n - q * NR < NR ? n - q * NR : NR;
        for (int i = 0; i < m; i++) {
            const uint16_t *row = packed_a + (size_t)i * kp * 2;
            float sums[NR] = {0};
            for (size_t p = 0; p < kp; p++) {
                const float a0 = float_from_bf16(row[2 * p]), a1 = float_from_bf16(row[2 * p + 1]);
                const uint16_t *pairs = panel + p * NR * 2;
                for (int jj = 0; jj < NR; jj++) {
                    sums[jj] += a0 * float_from_bf16(pairs[2 * jj]) + a1 * float_from_bf16(pairs[2 * jj + 1]);
                }
            }
            float *out = c + (size_t)i * ldc + q * NR;
            for (int jj = 0; jj < columns; jj++) {
                out[jj] = beta == 0.0f ? alpha * sums[jj] : alpha * sums[jj] + beta * out[jj];
            }
        }
    }
}

#if defined(__x86_64__)

#define AVX512 __attribute__((target("avx512f")))
#define AVX512_BF16 __attribute__((target("avx512f,avx512bf16")))
#define INLINE static inline __attribute__((always_inline))

// rounded_bits on 16 lanes.
AVX512 INLINE __m512i rounded_bits_x16(__m512 x) {
    const __m512i bits = _mm512_castps_si512(x);
    const __m512i magnitude = _mm512_and_si512(bits, _mm512_set1_epi32(0x7fffffff));
    const __mmask16 nan = _mm512_cmpgt_epu32_mask(magnitude, _mm512_set1_epi32(0x7f800000));
    const __m512i lowest_kept = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    const __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(lowest_kept, _mm512_set1_epi32(0x7fff)));
    return _mm512_mask_or_epi32(rounded, nan, bits, _mm512_set1_epi32(0x00400000));
}

// 16 floats to 16 bfloat16.
AVX512 INLINE __m256i bf16_x16(__m512 x) { return _mm512_cvtepi32_epi16(_mm512_srli_epi32(rounded_bits_x16(x), 16)); }

static inline __mmask16 first_lanes(int count) {
    return count >= 16 ? (__mmask16)0xffff : count <= 0 ? 0 : (__mmask16)((1u << count) - 1);
}

// Words (low, high) of 16 lanes: the pairs of two rows along k.
AVX512 INLINE __m512i pair_words_x16(__m512 low, __m512 high) {
    const __m512i top = _mm512_and_si512(rounded_bits_x16(high), _mm512_set1_epi32((int)0xffff0000u));
    return _mm512_or_si512(top, _mm512_srli_epi32(rounded_bits_x16(low), 16));
}

// 32 consecutive floats (fewer when count < 32; the rest read as zeros) to 16 pair words.
AVX512 INLINE __m512i pair_words_along(const float *x, int count) {
    const __m512 low = _mm512_maskz_loadu_ps(first_lanes(count), x);
    const __m512 high = _mm512_maskz_loadu_ps(first_lanes(count - 16), x + 16);
    const __m512i words = _mm512_castsi256_si512(bf16_x16(low));
    return _mm512_inserti64x4(words, bf16_x16(high), 1);
}

AVX512 static void from_float_avx512(const float *src, uint16_t *dst, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm256_storeu_si256((__m256i *)(dst + i), bf16_x16(_mm512_loadu_ps(src + i)));
    if (i < n) {
        const __mmask16 mask = first_lanes((int)(n - i));
        const __m512i rounded = rounded_bits_x16(_mm512_maskz_loadu_ps(mask, src + i));
        _mm512_mask_cvtepi32_storeu_epi16(dst + i, mask, _mm512_srli_epi32(rounded, 16));
    }
}

// Transposes a 16 x 16 matrix of 32-bit words held one row a register.
AVX512 INLINE void transpose_16x16(__m512i r[16]) {
    __m512i t[16], u[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    // u[4g + c], 128-bit lane L: column 4L + c of rows 4g .. 4g+3.
    for (int g = 0; g < 4; g++) {
        u[4 * g + 0] = _mm512_unpacklo_epi64(t[4 * g], t[4 * g + 2]);
        u[4 * g + 1] = _mm512_unpackhi_epi64(t[4 * g], t[4 * g + 2]);
        u[4 * g + 2] = _mm512_unpacklo_epi64(t[4 * g + 1], t[4 * g + 3]);
        u[4 * g + 3] = _mm512_unpackhi_epi64(t[4 * g + 1], t[4 * g + 3]);
    }
    for (int c = 0; c < 4; c++) {
        const __m512i even_low = _mm512_shuffle_i32x4(u[c], u[4 + c], 0x88);
        const __m512i even_high = _mm512_shuffle_i32x4(u[8 + c], u[12 + c], 0x88);
        const __m512i odd_low = _mm512_shuffle_i32x4(u[c], u[4 + c], 0xdd);
        const __m512i odd_high = _mm512_shuffle_i32x4(u[8 + c], u[12 + c], 0xdd);
        r[c] = _mm512_shuffle_i32x4(even_low, even_high, 0x88);
        r[8 + c] = _mm512_shuffle_i32x4(even_low, even_high, 0xdd);
        r[4 + c] = _mm512_shuffle_i32x4(odd_low, odd_high, 0x88);
        r[12 + c] = _mm512_shuffle_i32x4(odd_low, odd_high, 0xdd);
    }
}

AVX512 static void pack_a_avx512(int m, int k, const float *a, int lda, int trans_a, uint16_t *packed) {
    const size_t kp = pair_count(k), stride = 2 * kp;
    if (!trans_a) {
        for (int i = 0; i < m; i++) {
            from_float_avx512(a + (size_t)i * lda, packed + i * stride, k);
            if (k & 1) packed[i * stride + k] = 0;
        }
        return;
    }
    // A's transpose: a row of `a` is a column of A. Pair words of 16 rows of A by 16 pairs, from
    // 16-lane reads of 32 rows of `a`, then transposed so each register is 16 pairs of one row.
    for (int i0 = 0; i0 < m; i0 += 16) {
        const __mmask16 rows = first_lanes(m - i0);
        for (int p0 = 0; p0 < (int)kp; p0 += 16) {
            __m512i words[16];
            for (int t = 0; t < 16; t++) {
                const int k0 = 2 * (p0 + t), k1 = k0 + 1;
                const __m512 low = _mm512_maskz_loadu_ps(k0 < k ? rows : 0, a + (size_t)(k0 < k ? k0 : 0) * lda + i0);
                const __m512 high = _mm512_maskz_loadu_ps(k1 < k ? rows : 0, a + (size_t)(k1 < k ? k1 : 0) * lda + i0);
                words[t] = pair_words_x16(low, high);
            }
            transpose_16x16(words);
            const __mmask16 pairs = first_lanes((int)kp - p0);
            for (int r = 0; r < 16 && i0 + r < m; r++) {
                _mm512_mask_storeu_epi32(packed + (size_t)(i0 + r) * stride + 2 * p0, pairs, words[r]);
            }
        }
    }
}

AVX512 static void pack_b_avx512(int k, int n, const float *b, int ldb, int trans_b, uint16_t *packed) {
    const size_t kp = pair_count(k), panels = ((size_t)n + NR - 1) / NR;
#ifndef PACK_B_STRIPS
    if (!trans_b) {
        // Rows 2p and 2p+1 of B, 16 columns at a time, are already the pair words: both rows are
        // read front to back, and each 16 columns fill one cache line of a panel.
        for (size_t p = 0; p < kp; p++) {
            const int k0 = 2 * (int)p, k1 = k0 + 1;
            const float *low_row = b + (size_t)k0 * ldb, *high_row = b + (size_t)(k1 < k ? k1 : k0) * ldb;
            for (int j0 = 0; j0 < (int)panels * NR; j0 += 16) {
                const __mmask16 columns = first_lanes(n - j0);
                const __m512 low = _mm512_maskz_loadu_ps(columns, low_row + j0);
                const __m512 high = _mm512_maskz_loadu_ps(k1 < k ? columns : 0, high_row + j0);
                const size_t at = (((size_t)j0 / NR * kp + p) * NR + (size_t)j0 % NR) * 2;
                _mm512_storeu_si512(packed + at, pair_words_x16(low, high));
            }
        }
        return;
    }
#endif
    for (size_t q = 0; q < panels; q++) {
        uint16_t *panel = packed + q * kp * NR * 2;
        for (int v = 0; v < NR / 16; v++) {
            const int j0 = (int)q * NR + 16 * v;
            const __mmask16 columns = first_lanes(n - j0);
            if (!trans_b) {
                // Rows 2p and 2p+1 of B, 16 columns at a time, are already the pair words.
                for (size_t p = 0; p < kp; p++) {
                    const int k0 = 2 * (int)p, k1 = k0 + 1;
                    const __m512 low = _mm512_maskz_loadu_ps(columns, b + (size_t)k0 * ldb + j0);
                    const __m512 high = _mm512_maskz_loadu_ps(k1 < k ? columns : 0,
                                                              b + (size_t)(k1 < k ? k1 : 0) * ldb + j0);
                    _mm512_storeu_si512(panel + (p * NR + 16 * v) * 2, pair_words_x16(low, high));
                }
                continue;
            }
            // B's transpose: a row of `b` is a column of B, whose 32 consecutive values are 16
            // pair words; 16 such columns transposed give 16 pairs of 16 columns.
            for (int p0 = 0; p0 < (int)kp; p0 += 16) {
                __m512i words[16];
                for (int t = 0; t < 16; t++) {
                    const int j = j0 + t;
                    words[t] = j < n ? pair_words_along(b + (size_t)j * ldb + 2 * p0, k - 2 * p0)
                                     : _mm512_setzero_si512();
                }
                transpose_16x16(words);
                for (int s = 0; s < 16 && p0 + s < (int)kp; s++) {
                    _mm512_storeu_si512(panel + ((size_t)(p0 + s) * NR + 16 * v) * 2, words[s]);
                }
            }
        }
    }
}

static inline uint32_t load_word(const uint16_t *p) {
    uint32_t word;
    memcpy(&word, p, sizeof word);
    return word;
}

// C[0..rows)[0..NR) (the columns `columns` masks) = alpha * A·B + beta * C over `pairs` pairs of k:
// a points at row 0's first pair (rows a_stride uint16 apart), b at the panel's first pair. With
// rows a compile-time constant after inlining, the accumulators live in registers.
AVX512_BF16 INLINE void microkernel(const int rows, size_t pairs, const uint16_t *a, size_t a_stride,
                                    const uint16_t *b, float *c, size_t ldc, const __mmask16 columns[NR / 16],
                                    float alpha, float beta) {
    __m512 acc[MR][NR / 16];
    for (int r = 0; r < MR; r++) {
        for (int v = 0; v < NR / 16; v++) acc[r][v] = _mm512_setzero_ps();
    }
    for (size_t p = 0; p < pairs; p++) {
        __m512bh bv[NR / 16];
        for (int v = 0; v < NR / 16; v++) bv[v] = (__m512bh)_mm512_loadu_si512(b + (p * NR + 16 * v) * 2);
        for (int r = 0; r < MR; r++) {
            if (r >= rows) break;
            // Passed second so that the broadcast can fold into vdpbf16ps's memory operand.
            const __m512bh av = (__m512bh)_mm512_set1_epi32((int)load_word(a + r * a_stride + 2 * p));
            for (int v = 0; v < NR / 16; v++) acc[r][v] = _mm512_dpbf16_ps(acc[r][v], bv[v], av);
        }
    }
    const __m512 valpha = _mm512_set1_ps(alpha), vbeta = _mm512_set1_ps(beta);
    for (int r = 0; r < MR; r++) {
        if (r >= rows) break;
        float *row = c + r * ldc;
        for (int v = 0; v < NR / 16; v++) {
            __m512 result;
            if (beta == 0.0f) {
                result = _mm512_mul_ps(acc[r][v], valpha);
            } else if (beta == 1.0f) {
                result = _mm512_fmadd_ps(acc[r][v], valpha, _mm512_maskz_loadu_ps(columns[v], row + 16 * v));
            } else {
                const __m512 old = _mm512_maskz_loadu_ps(columns[v], row + 16 * v);
                result = _mm512_fmadd_ps(acc[r][v], valpha, _mm512_mul_ps(old, vbeta));
            }
            _mm512_mask_storeu_ps(row + 16 * v, columns[v], result);
        }
    }
}

#define MICROKERNEL_CASE(ROWS) \
    case ROWS: microkernel(ROWS, pairs, a, a_stride, b, c, ldc, columns, alpha, beta); break;

AVX512_BF16 static void microkernel_rows(int rows, size_t pairs, const uint16_t *a, size_t a_stride, const uint16_t *b,
                                         float *c, size_t ldc, const __mmask16 columns[NR / 16], float alpha,
                                         float beta) {
    switch (rows) {
#if MR > 16
#error "microkernel_rows handles at most 16 rows"
#endif
#if MR >= 16
        MICROKERNEL_CASE(16)
#endif
#if MR >= 15
        MICROKERNEL_CASE(15)
#endif
#if MR >= 14
        MICROKERNEL_CASE(14)
#endif
#if MR >= 13
        MICROKERNEL_CASE(13)
#endif
#if MR >= 12
        MICROKERNEL_CASE(12)
#endif
#if MR >= 11
        MICROKERNEL_CASE(11)
#endif
#if MR >= 10
        MICROKERNEL_CASE(10)
#endif
#if MR >= 9
        MICROKERNEL_CASE(9)
#endif
#if MR >= 8
        MICROKERNEL_CASE(8)
#endif
#if MR >= 7
        MICROKERNEL_CASE(7)
#endif
#if MR >= 6
        MICROKERNEL_CASE(6)
#endif
#if MR >= 5
        MICROKERNEL_CASE(5)
#endif
        MICROKERNEL_CASE(4)
        MICROKERNEL_CASE(3)
        MICROKERNEL_CASE(2)
        MICROKERNEL_CASE(1)
    default: break;
    }
}

AVX512_BF16 static void gemm_packed_avx512(int m, int n, int k, float alpha, const uint16_t *packed_a,
                                           const uint16_t *packed_b, float beta, float *c, int ldc) {
    const size_t kp = pair_count(k), a_stride = 2 * kp, panel_size = kp * NR * 2;
    // Equal k blocks, so that k just above KC does not leave a sliver.
    const size_t blocks = (kp + KC - 1) / KC, block = (kp + blocks - 1) / blocks;
    for (size_t p0 = 0; p0 < kp; p0 += block) {
        const size_t pairs = kp - p0 < block ? kp - p0 : block;
        // Later k blocks add to what the first wrote.
        const float beta_here = p0 == 0 ? beta : 1.0f;
        for (int j0 = 0; j0 < n; j0 += NC) {
            const int j_end = n - j0 < NC ? n : j0 + NC;
            for (int i0 = 0; i0 < m; i0 += MR) {
                const int rows = m - i0 < MR ? m - i0 : MR;
                const uint16_t *a = packed_a + (size_t)i0 * a_stride + 2 * p0;
                for (int j = j0; j < j_end; j += NR) {
                    __mmask16 columns[NR / 16];
                    for (int v = 0; v < NR / 16; v++) columns[v] = first_lanes(n - j - 16 * v);
                    const uint16_t *b = packed_b + (size_t)(j / NR) * panel_size + p0 * NR * 2;
                    microkernel_rows(rows, pairs, a, a_stride, b, c + (size_t)i0 * ldc + j, (size_t)ldc, columns,
                                     alpha, beta_here);
                }
            }
        }
    }
}

#endif

void bench_bf16_from_float(const float *src, uint16_t *dst, long n) {
#if defined(__x86_64__)
    if (bench_cpu_has_avx512f()) {
        from_float_avx512(src, dst, n);
        return;
    }
#endif
    from_float_scalar(src, dst, n);
}

void bench_bf16_to_float(const uint16_t *src, float *dst, long n) {
    for (long i = 0; i < n; i++) dst[i] = float_from_bf16(src[i]);
}

size_t bench_bf16_packed_a_size(int m, int k) { return (size_t)(m > 0 ? m : 0) * 2 * pair_count(k); }

size_t bench_bf16_packed_a_offset(int row, int k) { return (size_t)row * 2 * pair_count(k); }

void bench_bf16_pack_a(int m, int k, const float *a, int lda, int trans_a, uint16_t *packed) {
    if (m <= 0 || k <= 0) return;
#if defined(__x86_64__)
    if (bench_cpu_has_avx512f()) {
        pack_a_avx512(m, k, a, lda, trans_a, packed);
        return;
    }
#endif
    pack_a_scalar(m, k, a, lda, trans_a, packed);
}

size_t bench_bf16_packed_b_size(int k, int n) {
    return n > 0 ? ((size_t)n + NR - 1) / NR * NR * 2 * pair_count(k) : 0;
}

size_t bench_bf16_packed_b_offset(int column, int k) { return (size_t)(column / NR) * NR * 2 * pair_count(k); }

void bench_bf16_pack_b(int k, int n, const float *b, int ldb, int trans_b, uint16_t *packed) {
    if (n <= 0 || k <= 0) return;
#if defined(__x86_64__)
    if (bench_cpu_has_avx512f()) {
        pack_b_avx512(k, n, b, ldb, trans_b, packed);
        return;
    }
#endif
    pack_b_scalar(k, n, b, ldb, trans_b, packed);
}

int bench_bf16_available(void) { return bench_cpu_has_avx512_bf16(); }

void bench_bf16_gemm_packed(int m, int n, int k, float alpha, const uint16_t *packed_a,
                            const uint16_t *packed_b, float beta, float *c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        scale_c(m, n, beta, c, ldc);
        return;
    }
#if defined(__x86_64__)
    if (bench_bf16_available()) {
        gemm_packed_avx512(m, n, k, alpha, packed_a, packed_b, beta, c, ldc);
        return;
    }
#endif
    gemm_packed_scalar(m, n, k, alpha, packed_a, packed_b, beta, c, ldc);
}

void bench_bf16_gemm_reference(int m, int n, int k, float alpha, const float *a, int lda, int trans_a,
                               const float *b, int ldb, int trans_b, float beta, float *c, int ldc) {
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int kk = 0; kk < k; kk++) {
                const float x = float_from_bf16(bf16_from_float(element(a, lda, trans_a, i, kk)));
                const float y = float_from_bf16(bf16_from_float(element(b, ldb, trans_b, kk, j)));
                sum += (double)(x * y);
            }
            float *out = c + (size_t)i * ldc + j;
            *out = beta == 0.0f ? (float)(alpha * sum) : (float)(alpha * sum + (double)beta * *out);
        }
    }
}
