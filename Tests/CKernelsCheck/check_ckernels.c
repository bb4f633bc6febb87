// Checks of the CKernels target, built with plain clang by scripts/check_ckernels.sh (no SwiftPM,
// no -mavx512 flags: the library picks its paths at run time, as in the Swift binaries).
//
//   check_ckernels            rounding and GEMM checks on the paths this process selects
//   check_ckernels features   prints what bench_cpu_has_* report (after BENCH_CPU_FEATURES)
//   check_ckernels digest     prints a hash of conversions and packings, equal on every path
//
// Exit status 1 when a check fails.

#include "CKernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static int failures;
// Set while a check is fed a wrong answer on purpose, to keep its report off stderr.
static int expecting_rejection;

#define CHECK(condition, ...)                                        \
    do {                                                             \
        if (!(condition)) {                                          \
            failures++;                                              \
            if (failures <= 20 && !expecting_rejection) {            \
                fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
                fprintf(stderr, __VA_ARGS__);                        \
                fputc('\n', stderr);                                 \
            }                                                        \
        }                                                            \
    } while (0)

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

// Uniform in [-1, 1).
static float random_float(void) { return (float)((double)(next_random() >> 11) * 0x1p-52 - 1.0); }

static float from_bits(uint32_t bits) {
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

static uint32_t to_bits(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

// ---- Rounding ----

// Rounding to nearest, ties to even, written from the definition rather than with the library's
// bit trick: the two bfloat16 neighbours of x and their distances, in double (exact here).
static uint16_t bf16_by_definition(float x) {
    const uint32_t bits = to_bits(x);
    if (isnan(x)) return (uint16_t)((bits >> 16) | 0x40);
    if (isinf(x)) return (uint16_t)(bits >> 16);
    const uint16_t below = (uint16_t)(bits >> 16);  // towards zero
    if ((bits & 0xffff) == 0) return below;
    const uint16_t above = (uint16_t)(below + 1);   // away from zero; past the largest, infinity
    const double low = fabs((double)from_bits((uint32_t)below << 16));
    // Infinity as the next power of two, the distance IEEE rounding measures overflow by.
    const double high = (above & 0x7fff) == 0x7f80 ? 0x1p128 : fabs((double)from_bits((uint32_t)above << 16));
    const double value = fabs((double)x);
    if (value - low < high - value) return below;
    if (value - low > high - value) return above;
    return (below & 1) ? above : below;
}

struct rounding_case {
    uint32_t input;
    uint16_t expected;
};

static const struct rounding_case rounding_cases[] = {
    {0x00000000, 0x0000}, {0x80000000, 0x8000},            // zeros
    {0x3f800000, 0x3f80}, {0xbf800000, 0xbf80},            // ±1
    {0x3f808000, 0x3f80}, {0x3f818000, 0x3f82},            // ties: to the even neighbour
    {0xbf808000, 0xbf80}, {0xbf818000, 0xbf82},
    {0x3f808001, 0x3f81}, {0x3f807fff, 0x3f80},            // just past and short of a tie
    {0x00000001, 0x0000}, {0x80000001, 0x8000},            // smallest denormals
    {0x00008000, 0x0000}, {0x00018000, 0x0002},            // denormal ties
    {0x00008001, 0x0001}, {0x007fffff, 0x0080},            // largest denormal rounds to the smallest normal
    {0x00400000, 0x0040}, {0x807f0000, 0x807f},            // exact denormals
    {0x00800000, 0x0080},                                  // smallest normal
    {0x7f7fffff, 0x7f80}, {0xff7fffff, 0xff80},            // largest float overflows to infinity
    {0x7f7f7fff, 0x7f7f}, {0x7f7f8000, 0x7f80},            // below and at the tie past bfloat16's largest
    {0x7f7f0000, 0x7f7f},
    {0x7f800000, 0x7f80}, {0xff800000, 0xff80},            // infinities
    {0x7f800001, 0x7fc0}, {0xff800001, 0xffc0},            // signalling NaNs become quiet
    {0x7fc00000, 0x7fc0}, {0xffc12345, 0xffc1},            // quiet NaNs keep sign and top payload
    {0x7fffffff, 0x7fff}, {0xffffffff, 0xffff},            // the largest payload does not carry
    {0x7f80ffff, 0x7fc0},
};

enum { rounding_case_count = sizeof rounding_cases / sizeof rounding_cases[0] };

static int same_bits_or_report(const char *what, const float *input, const uint16_t *got, long n) {
    for (long i = 0; i < n; i++) {
        const uint16_t want = bf16_by_definition(input[i]);
        if (got[i] != want) {
            CHECK(0, "%s: 0x%08x rounds to 0x%04x, the definition says 0x%04x", what, to_bits(input[i]), got[i], want);
            return 0;
        }
    }
    return 1;
}

// Inputs for the rounding checks: the edge cases, every pattern below 2^20 (denormals and their
// ties), and 2^24 patterns spread over all 2^32 with every low half-word.
static float *rounding_inputs(long *count) {
    const long total = rounding_case_count + (1L << 20) + (1L << 24);
    float *x = malloc((size_t)total * sizeof *x);
    long n = 0;
    for (int i = 0; i < rounding_case_count; i++) x[n++] = from_bits(rounding_cases[i].input);
    for (uint32_t i = 0; i < (1u << 20); i++) x[n++] = from_bits(i);
    for (uint32_t i = 0; i < (1u << 24); i++) x[n++] = from_bits(i * 257u + (uint32_t)(next_random() & 0xff));
    *count = n;
    return x;
}

#if defined(__x86_64__)
// The instruction the library does not use, for the record: on the same inputs it agrees except
// where it flushes denormals to zero.
__attribute__((target("avx512f,avx512bf16,avx512vl")))
static long cvtneps_disagreements_outside_denormals(const float *x, const uint16_t *library, long n) {
    long disagreements = 0;
    for (long i = 0; i + 16 <= n; i += 16) {
        __m256bh h = _mm512_cvtneps_pbh(_mm512_loadu_ps(x + i));
        uint16_t hardware[16];
        memcpy(hardware, &h, sizeof hardware);
        for (int j = 0; j < 16; j++) {
            const uint32_t magnitude = to_bits(x[i + j]) & 0x7fffffff;
            if (magnitude != 0 && magnitude < 0x00800000) continue;
            if (hardware[j] != library[i + j]) disagreements++;
        }
    }
    return disagreements;
}
#endif

static void check_rounding(void) {
    for (int i = 0; i < rounding_case_count; i++) {
        const float x = from_bits(rounding_cases[i].input);
        CHECK(bf16_by_definition(x) == rounding_cases[i].expected, "definition: 0x%08x gives 0x%04x, not 0x%04x",
              rounding_cases[i].input, bf16_by_definition(x), rounding_cases[i].expected);
        uint16_t got;
        bench_bf16_from_float(&x, &got, 1);
        CHECK(got == rounding_cases[i].expected, "bench_bf16_from_float(0x%08x) = 0x%04x, not 0x%04x",
              rounding_cases[i].input, got, rounding_cases[i].expected);
    }
    long n;
    float *x = rounding_inputs(&n);
    uint16_t *h = malloc((size_t)n * sizeof *h);
    bench_bf16_from_float(x, h, n);
    same_bits_or_report("bench_bf16_from_float", x, h, n);
    // Odd lengths and offsets reach the vector path's masked tail.
    for (long length = 0; length < 40; length++) {
        uint16_t tail[48];
        memset(tail, 0xab, sizeof tail);
        bench_bf16_from_float(x + 3, tail, length);
        same_bits_or_report("bench_bf16_from_float (short)", x + 3, tail, length);
        CHECK(tail[length] == 0xabab, "bench_bf16_from_float wrote past %ld elements", length);
    }
    // bench_bf16_to_float inverts the rounding exactly.
    for (long i = 0; i < 1000; i++) {
        float back;
        bench_bf16_to_float(&h[i * 1000], &back, 1);
        CHECK(to_bits(back) == (uint32_t)h[i * 1000] << 16, "bench_bf16_to_float(0x%04x)", h[i * 1000]);
    }
    // The check can fail: truncation instead of rounding is caught.
    {
        const int saved = failures;
        expecting_rejection = 1;
        uint16_t truncated[rounding_case_count];
        float inputs[rounding_case_count];
        for (int i = 0; i < rounding_case_count; i++) {
            inputs[i] = from_bits(rounding_cases[i].input);
            truncated[i] = (uint16_t)(rounding_cases[i].input >> 16);
        }
        const int accepted = same_bits_or_report("truncation", inputs, truncated, rounding_case_count);
        expecting_rejection = 0;
        if (accepted) {
            failures++;
            fprintf(stderr, "FAIL: the rounding check accepted truncation\n");
        } else {
            failures = saved;
            printf("ok   the rounding check rejects truncation\n");
        }
    }
#if defined(__x86_64__)
    if (bench_cpu_has_avx512_bf16()) {
        printf("note vcvtneps2bf16 differs from bench_bf16_from_float on %ld non-denormal inputs of %ld\n",
               cvtneps_disagreements_outside_denormals(x, h, n), n);
    }
#endif
    printf("ok   rounding of %ld floats (edge cases, all below 2^20, 2^24 spread) matches the definition\n", n);
    free(x);
    free(h);
}

// ---- GEMM ----

// A matrix with its leading dimension padded by `pad` columns of NaN: reading outside the matrix
// poisons the result.
static float *random_matrix(int rows, int columns, int ld) {
    float *x = malloc((size_t)rows * (size_t)ld * sizeof *x + sizeof *x);
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < ld; j++) x[(size_t)i * ld + j] = j < columns ? random_float() : NAN;
    }
    return x;
}

static float *rounded_copy(const float *x, size_t n) {
    uint16_t *h = malloc(n * sizeof *h);
    float *y = malloc(n * sizeof *y);
    bench_bf16_from_float(x, h, (long)n);
    bench_bf16_to_float(h, y, (long)n);
    free(h);
    return y;
}

struct product {
    int m, n, k, trans_a, trans_b, lda, ldb, ldc;
    float alpha, beta;
    float *a, *b, *c0;
    // a and b rounded to bfloat16, for the tolerance.
    float *a16, *b16;
};

// The float sums' error bound for C[i][j]: 1e-5 of |alpha| sum |a||b| + |beta c0|.
static double tolerance_at(const struct product *p, int i, int j) {
    double magnitude = 0;
    for (int kk = 0; kk < p->k; kk++) {
        const float x = p->trans_a ? p->a16[(size_t)kk * p->lda + i] : p->a16[(size_t)i * p->lda + kk];
        const float y = p->trans_b ? p->b16[(size_t)j * p->ldb + kk] : p->b16[(size_t)kk * p->ldb + j];
        magnitude += fabs((double)x * y);
    }
    const double old = p->beta == 0.0f ? 0.0 : fabs((double)p->beta * p->c0[(size_t)i * p->ldc + j]);
    return 1e-5 * (fabs((double)p->alpha) * magnitude + old) + 1e-30;
}

// Compares C against the reference within tolerance_at, and the columns between n and ldc against
// the sentinel the caller wrote there.
static int compare(const struct product *p, const float *c, const float *reference, const char *what) {
    for (int i = 0; i < p->m; i++) {
        for (int j = 0; j < p->ldc; j++) {
            const size_t at = (size_t)i * p->ldc + j;
            if (j >= p->n) {
                if (to_bits(c[at]) != to_bits(p->c0[at])) {
                    CHECK(0, "%s: %dx%dx%d wrote C[%d][%d] past n", what, p->m, p->n, p->k, i, j);
                    return 0;
                }
                continue;
            }
            const double tolerance = tolerance_at(p, i, j), error = fabs((double)c[at] - reference[at]);
            if (!(error <= tolerance)) {
                CHECK(0, "%s: %dx%dx%d trans %d%d alpha %g beta %g: C[%d][%d] = %.9g, reference %.9g (tolerance %.3g)",
                      what, p->m, p->n, p->k, p->trans_a, p->trans_b, p->alpha, p->beta, i, j, c[at], reference[at],
                      tolerance);
                return 0;
            }
        }
    }
    return 1;
}

static const float alphas[] = {1.0f, 1.0f, -0.75f, 0.5f, 1.5f};
static const float betas[] = {0.0f, 1.0f, 0.0f, 1.0f, -2.0f};

// One of the products the checks run through: `variant` picks padded leading dimensions (the
// padding is NaN), alpha and beta.
static struct product product_variant(int m, int n, int k, int trans_a, int trans_b, long variant) {
    struct product p = {.m = m, .n = n, .k = k, .trans_a = trans_a, .trans_b = trans_b};
    const int pad = variant % 3 == 0 ? 3 : 0;
    p.lda = (trans_a ? m : k) + pad;
    p.ldb = (trans_b ? k : n) + pad;
    p.ldc = n + (variant % 4 == 1 ? 5 : 0);
    p.alpha = alphas[variant % 5];
    p.beta = betas[variant % 5];
    return p;
}

// Random A and B, their copies as the kernel sees them (`copy`: rounded to bfloat16 or exact), and
// the starting C: NaN where beta is 0 (it must not be read), past column n a sentinel that must
// survive.
static void make_operands(struct product *p, float *(*copy)(const float *, size_t)) {
    const int a_rows = p->trans_a ? p->k : p->m, a_columns = p->trans_a ? p->m : p->k;
    const int b_rows = p->trans_b ? p->n : p->k, b_columns = p->trans_b ? p->k : p->n;
    p->a = random_matrix(a_rows, a_columns, p->lda);
    p->b = random_matrix(b_rows, b_columns, p->ldb);
    p->a16 = copy(p->a, (size_t)a_rows * p->lda);
    p->b16 = copy(p->b, (size_t)b_rows * p->ldb);
    p->c0 = malloc((size_t)p->m * p->ldc * sizeof *p->c0);
    for (int i = 0; i < p->m; i++) {
        for (int j = 0; j < p->ldc; j++) {
            p->c0[(size_t)i * p->ldc + j] = j >= p->n ? 12345.0f : p->beta == 0.0f ? NAN : random_float();
        }
    }
}

// Runs one product packed and by the reference and compares them; returns the packed result
// (caller frees) for the further checks.
static float *check_product(struct product *p, int perturb) {
    make_operands(p, rounded_copy);
    const size_t c_size = (size_t)p->m * p->ldc;
    float *c = malloc(c_size * sizeof *c), *reference = malloc(c_size * sizeof *reference);
    memcpy(c, p->c0, c_size * sizeof *c);
    memcpy(reference, p->c0, c_size * sizeof *c);
    // One element of guard past each packed buffer: packing must not write there.
    const size_t a_size = bench_bf16_packed_a_size(p->m, p->k), b_size = bench_bf16_packed_b_size(p->k, p->n);
    uint16_t *packed_a = malloc((a_size + 1) * sizeof *packed_a), *packed_b = malloc((b_size + 1) * sizeof *packed_b);
    packed_a[a_size] = 0xdead;
    packed_b[b_size] = 0xbeef;
    bench_bf16_pack_a(p->m, p->k, p->a, p->lda, p->trans_a, packed_a);
    bench_bf16_pack_b(p->k, p->n, p->b, p->ldb, p->trans_b, packed_b);
    CHECK(packed_a[a_size] == 0xdead && packed_b[b_size] == 0xbeef, "packing %dx%dx%d wrote past its size",
          p->m, p->n, p->k);
    bench_bf16_gemm_packed(p->m, p->n, p->k, p->alpha, packed_a, packed_b, p->beta, c, p->ldc);
    bench_bf16_gemm_reference(p->m, p->n, p->k, p->alpha, p->a, p->lda, p->trans_a, p->b, p->ldb, p->trans_b,
                              p->beta, reference, p->ldc);
    compare(p, c, reference, "bench_bf16_gemm_packed");
    if (perturb) {
        // The comparison can fail: one element moved by twice its tolerance is rejected.
        const int saved = failures;
        expecting_rejection = 1;
        float *wrong = malloc(c_size * sizeof *wrong);
        memcpy(wrong, c, c_size * sizeof *c);
        const int i = p->m / 2, j = p->n / 2;
        const size_t at = (size_t)i * p->ldc + j;
        wrong[at] = (float)(reference[at] + 2 * tolerance_at(p, i, j));
        const int accepted = compare(p, wrong, reference, "perturbed result");
        expecting_rejection = 0;
        if (accepted) {
            failures++;
            fprintf(stderr, "FAIL: the GEMM comparison accepted a perturbed result\n");
        } else {
            failures = saved;
            printf("ok   the GEMM comparison rejects a perturbed result\n");
        }
        free(wrong);
    }
    free(packed_a);
    free(packed_b);
    free(reference);
    return c;
}

static void free_product(struct product *p) {
    free(p->a);
    free(p->b);
    free(p->c0);
    free(p->a16);
    free(p->b16);
}

// Threads split one product by rows (any row) or by columns (multiples of NR) through the offset
// functions; each part must equal the whole call bit for bit.
static void check_split(int m, int n, int k) {
    float *a = random_matrix(m, k, k), *b = random_matrix(k, n, n);
    uint16_t *packed_a = malloc(bench_bf16_packed_a_size(m, k) * sizeof *packed_a);
    uint16_t *packed_b = malloc(bench_bf16_packed_b_size(k, n) * sizeof *packed_b);
    bench_bf16_pack_a(m, k, a, k, 0, packed_a);
    bench_bf16_pack_b(k, n, b, n, 0, packed_b);
    float *whole = malloc((size_t)m * n * sizeof *whole), *parts = malloc((size_t)m * n * sizeof *parts);
    bench_bf16_gemm_packed(m, n, k, 1.0f, packed_a, packed_b, 0.0f, whole, n);
    const int row_cuts[] = {0, 5, 13, 40, m};
    for (int t = 0; t + 1 < 5; t++) {
        const int r0 = row_cuts[t], r1 = row_cuts[t + 1];
        bench_bf16_gemm_packed(r1 - r0, n, k, 1.0f, packed_a + bench_bf16_packed_a_offset(r0, k), packed_b, 0.0f,
                               parts + (size_t)r0 * n, n);
    }
    CHECK(memcmp(whole, parts, (size_t)m * n * sizeof *whole) == 0, "row split %dx%dx%d differs", m, n, k);
    const int column_cuts[] = {0, BENCH_BF16_GEMM_NR, 3 * BENCH_BF16_GEMM_NR, n};
    for (int t = 0; t + 1 < 4; t++) {
        const int j0 = column_cuts[t], j1 = column_cuts[t + 1];
        bench_bf16_gemm_packed(m, j1 - j0, k, 1.0f, packed_a, packed_b + bench_bf16_packed_b_offset(j0, k), 0.0f,
                               parts + j0, n);
    }
    CHECK(memcmp(whole, parts, (size_t)m * n * sizeof *whole) == 0, "column split %dx%dx%d differs", m, n, k);
    free(a);
    free(b);
    free(packed_a);
    free(packed_b);
    free(whole);
    free(parts);
}

static void check_gemm(void) {
    static const int ms[] = {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 24, 31, 33, 47, 64, 69, 70};
    static const int ns[] = {1, 2, 3, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 70};
    static const int ks[] = {1, 2, 3, 4, 5, 16, 17, 31, 32, 33, 34, 63, 64, 69, 70};
    const int mc = sizeof ms / sizeof *ms, nc = sizeof ns / sizeof *ns, kc = sizeof ks / sizeof *ks;
    long products = 0;
    int variant = 0;
    for (int mi = 0; mi < mc; mi++) {
        for (int ni = 0; ni < nc; ni++) {
            for (int ki = 0; ki < kc; ki++) {
                for (int trans = 0; trans < 4; trans++) {
                    variant++;
                    struct product p = product_variant(ms[mi], ns[ni], ks[ki], trans & 1, trans >> 1, variant);
                    free(check_product(&p, 0));
                    free_product(&p);
                    products++;
                }
            }
        }
    }
    // Past one k block (256 pairs) and one column block (512), and a product that must be rejected.
    const int large[][3] = {{37, 600, 1100}, {9, 40, 513}, {70, 530, 1025}};
    for (int i = 0; i < 3; i++) {
        for (int trans = 0; trans < 4; trans += 3) {
            struct product p = {.m = large[i][0], .n = large[i][1], .k = large[i][2], .trans_a = trans & 1,
                                .trans_b = trans >> 1, .alpha = 0.5f, .beta = i == 1 ? 1.0f : 0.0f};
            p.lda = p.trans_a ? p.m : p.k;
            p.ldb = p.trans_b ? p.k : p.n;
            p.ldc = p.n;
            free(check_product(&p, i == 0 && trans == 0));
            free_product(&p);
            products++;
        }
    }
    // k == 0 scales C by beta.
    {
        float c[6] = {1, 2, 3, NAN, NAN, NAN};
        bench_bf16_gemm_packed(1, 3, 0, 1.0f, NULL, NULL, 2.0f, c, 3);
        bench_bf16_gemm_packed(1, 3, 0, 1.0f, NULL, NULL, 0.0f, c + 3, 3);
        CHECK(c[0] == 2 && c[1] == 4 && c[2] == 6 && c[3] == 0 && c[4] == 0 && c[5] == 0, "k == 0");
    }
    check_split(70, 3 * BENCH_BF16_GEMM_NR + 10, 45);
    printf("ok   bench_bf16_gemm_packed matches the reference on %ld products (%s)\n", products,
           bench_bf16_available() ? "vdpbf16ps" : "portable loop");
}

// ---- Small float32 GEMM ----

static float *exact_copy(const float *x, size_t n) {
    float *y = malloc(n * sizeof *y);
    memcpy(y, x, n * sizeof *y);
    return y;
}

// bench_small_sgemm against its reference: every combination of edge sizes around its 8-row and
// 16- and 32-column blocks, the three layouts it takes, padded strides (NaN there), alpha and beta
// (NaN in C where beta is 0); both operands transposed must be declined.
static void check_small_gemm(void) {
    float one = 1, out = 0;
    if (!bench_cpu_has_avx512f()) {
        CHECK(bench_small_sgemm(0, 0, 1, 1, 1, 1, &one, 1, &one, 1, 0, &out, 1) == 0, "declines without AVX-512F");
        printf("ok   bench_small_sgemm declines without AVX-512F\n");
        return;
    }
    CHECK(bench_small_sgemm(1, 1, 1, 1, 1, 1, &one, 1, &one, 1, 0, &out, 1) == 0, "declines A and B transposed");
    static const int sizes[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 49, 100};
    const int count = sizeof sizes / sizeof *sizes;
    long products = 0;
    for (int trans = 0; trans < 3; trans++) {
        for (int mi = 0; mi < count; mi++) {
            for (int ni = 0; ni < count; ni++) {
                for (int ki = 0; ki < count; ki++) {
                    products++;
                    struct product p =
                        product_variant(sizes[mi], sizes[ni], sizes[ki], trans == 1, trans == 2, products);
                    make_operands(&p, exact_copy);
                    const size_t c_size = (size_t)p.m * p.ldc;
                    float *c = exact_copy(p.c0, c_size), *reference = exact_copy(p.c0, c_size);
                    const int done = bench_small_sgemm(p.trans_a, p.trans_b, p.m, p.n, p.k, p.alpha, p.a, p.lda,
                                                       p.b, p.ldb, p.beta, c, p.ldc);
                    CHECK(done == 1, "bench_small_sgemm declined %dx%dx%d trans %d%d", p.m, p.n, p.k, p.trans_a,
                          p.trans_b);
                    bench_small_sgemm_reference(p.trans_a, p.trans_b, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b,
                                                p.ldb, p.beta, reference, p.ldc);
                    compare(&p, c, reference, "bench_small_sgemm");
                    free(c);
                    free(reference);
                    free_product(&p);
                }
            }
        }
    }
    printf("ok   bench_small_sgemm matches the reference on %ld products (AVX-512F)\n", products);
}

// ---- Digest ----

static uint64_t fnv(uint64_t hash, const void *data, size_t size) {
    const unsigned char *bytes = data;
    for (size_t i = 0; i < size; i++) hash = (hash ^ bytes[i]) * 0x100000001b3u;
    return hash;
}

// A hash of what the conversion and packing produce; scripts/check_ckernels.sh compares it across
// BENCH_CPU_FEATURES settings, so the vector paths equal the scalar ones bit for bit.
static void print_digest(void) {
    uint64_t hash = 0xcbf29ce484222325u;
    long n;
    float *x = rounding_inputs(&n);
    uint16_t *h = malloc((size_t)n * sizeof *h);
    bench_bf16_from_float(x, h, n);
    hash = fnv(hash, h, (size_t)n * sizeof *h);
    free(h);
    static const int sizes[][2] = {{1, 1}, {3, 5}, {17, 33}, {33, 17}, {70, 69}, {64, 64}, {5, 100}, {100, 3}};
    for (int s = 0; s < 8; s++) {
        for (int trans = 0; trans < 2; trans++) {
            const int rows = sizes[s][0], columns = sizes[s][1];
            // Values from the rounding inputs, NaN and denormals included.
            const float *values = x + (s * 7919) % (n - rows * columns);
            // The stored rows x columns matrix as A and as B, plainly or transposed.
            const int m = trans ? columns : rows, k_of_a = trans ? rows : columns;
            const int k_of_b = trans ? columns : rows, n_of_b = trans ? rows : columns;
            const size_t a_size = bench_bf16_packed_a_size(m, k_of_a);
            const size_t b_size = bench_bf16_packed_b_size(k_of_b, n_of_b);
            uint16_t *packed_a = calloc(a_size, sizeof *packed_a), *packed_b = calloc(b_size, sizeof *packed_b);
            bench_bf16_pack_a(m, k_of_a, values, columns, trans, packed_a);
            bench_bf16_pack_b(k_of_b, n_of_b, values, columns, trans, packed_b);
            hash = fnv(hash, packed_a, a_size * sizeof *packed_a);
            hash = fnv(hash, packed_b, b_size * sizeof *packed_b);
            free(packed_a);
            free(packed_b);
        }
    }
    free(x);
    printf("%016llx\n", (unsigned long long)hash);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "check";
    if (strcmp(mode, "features") == 0) {
        printf("avx2_fma=%d avx512f=%d avx512_bf16=%d bf16_available=%d\n", bench_cpu_has_avx2_fma(),
               bench_cpu_has_avx512f(), bench_cpu_has_avx512_bf16(), bench_bf16_available());
        return 0;
    }
    if (strcmp(mode, "digest") == 0) {
        print_digest();
        return 0;
    }
    if (strcmp(mode, "check") != 0) {
        fprintf(stderr, "usage: %s [check|features|digest]\n", argv[0]);
        return 2;
    }
    printf("paths: avx512f=%d (conversion, packing) avx512_bf16=%d (GEMM)\n", bench_cpu_has_avx512f(),
           bench_bf16_available());
    check_rounding();
    check_gemm();
    check_small_gemm();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    return 0;
}
