// Speed of the CKernels target on one core: the multiply-add ceilings, and the bfloat16 GEMM and
// the small float32 GEMM against OpenBLAS's float32 sgemm on the same shapes
// (scripts/check_ckernels.sh --bench builds it with -lopenblas). GFLOP/s count 2*m*n*k flops; each
// figure is the best of several timed runs.
//
//   bench_ckernels                 the ceilings and the default shapes
//   bench_ckernels M N K [...]     these shapes (triples)
//   bench_ckernels --small LAYOUT M N K [...]   bench_small_sgemm against OpenBLAS (LAYOUT nn, tn or nt)

#include "CKernels.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// In libopenblas, not in every cblas.h.
void openblas_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

// Best seconds per call of `run` over 5 rounds of at least 0.1 s each.
#define BEST_SECONDS(result, statement)                               \
    do {                                                              \
        statement;                                                    \
        double best = 1e30;                                           \
        for (int round = 0; round < 5; round++) {                     \
            long calls = 0;                                           \
            const double start = now();                               \
            double elapsed;                                           \
            do {                                                      \
                statement;                                            \
                calls++;                                              \
                elapsed = now() - start;                              \
            } while (elapsed < 0.1);                                  \
            if (elapsed / (double)calls < best) best = elapsed / (double)calls; \
        }                                                             \
        result = best;                                                \
    } while (0)

static void ceilings(void) {
    const long iterations = 100000000;
    double sink = 0, seconds;
    if (bench_cpu_has_avx512f()) {
        BEST_SECONDS(seconds, sink += bench_fma_loop_avx512(iterations / 10));
        printf("FMA loop avx512 (%d zmm accumulators): %.1f GFLOP/s\n", BENCH_FMA_AVX512_ACCUMULATORS,
               (double)(iterations / 10) * BENCH_FMA_AVX512_FLOPS_PER_ITERATION / seconds * 1e-9);
    }
    if (bench_cpu_has_avx2_fma()) {
        BEST_SECONDS(seconds, sink += bench_fma_loop_avx2(iterations / 10));
        printf("FMA loop avx2   (%d ymm accumulators): %.1f GFLOP/s\n", BENCH_FMA_AVX2_ACCUMULATORS,
               (double)(iterations / 10) * BENCH_FMA_AVX2_FLOPS_PER_ITERATION / seconds * 1e-9);
    }
    if (bench_cpu_has_avx512_bf16()) {
        BEST_SECONDS(seconds, sink += bench_dpbf16_loop_avx512(iterations / 10));
        printf("vdpbf16ps loop  (%d zmm accumulators): %.1f GFLOP/s\n", BENCH_DPBF16_AVX512_ACCUMULATORS,
               (double)(iterations / 10) * BENCH_DPBF16_AVX512_FLOPS_PER_ITERATION / seconds * 1e-9);
    }
    if (sink == 0) printf("(sink %g)\n", sink);
}

static float *random_matrix(size_t count) {
    float *x = malloc(count * sizeof *x);
    for (size_t i = 0; i < count; i++) x[i] = (float)rand() / (float)RAND_MAX - 0.5f;
    return x;
}

static void shape(int m, int n, int k) {
    float *a = random_matrix((size_t)m * k), *b = random_matrix((size_t)k * n), *c = random_matrix((size_t)m * n);
    uint16_t *packed_a = malloc(bench_bf16_packed_a_size(m, k) * sizeof *packed_a);
    uint16_t *packed_b = malloc(bench_bf16_packed_b_size(k, n) * sizeof *packed_b);
    const double flops = 2.0 * m * n * k;
    double packed, with_packing, sgemm, pack_a_t, pack_b_t;
    BEST_SECONDS(pack_a_t, bench_bf16_pack_a(m, k, a, k, 0, packed_a));
    BEST_SECONDS(pack_b_t, bench_bf16_pack_b(k, n, b, n, 0, packed_b));
    BEST_SECONDS(packed, bench_bf16_gemm_packed(m, n, k, 1.0f, packed_a, packed_b, 0.0f, c, n));
    BEST_SECONDS(with_packing, bench_bf16_pack_a(m, k, a, k, 0, packed_a); bench_bf16_pack_b(k, n, b, n, 0, packed_b);
                 bench_bf16_gemm_packed(m, n, k, 1.0f, packed_a, packed_b, 0.0f, c, n));
    BEST_SECONDS(sgemm, cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n));
    double small = 0;
    if (bench_cpu_has_avx512f()) BEST_SECONDS(small, bench_small_sgemm(0, 0, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n));
    printf("%5d %5d %5d  bf16 %6.1f  (+packing %6.1f)  sgemm %6.1f  ratio %.2f   pack A %.2f ms, B %.2f ms", m, n, k,
           flops / packed * 1e-9, flops / with_packing * 1e-9, flops / sgemm * 1e-9, sgemm / packed, pack_a_t * 1e3,
           pack_b_t * 1e3);
    if (small > 0) printf("   small sgemm %6.1f", flops / small * 1e-9);
    printf("\n");
    free(a);
    free(b);
    free(c);
    free(packed_a);
    free(packed_b);
}

// bench_small_sgemm against OpenBLAS on one layout ("nn", "tn" or "nt": which operands are
// transposed, as in the engine's row-major calls), C not read (beta 0).
static void small_shape(const char *layout, int m, int n, int k) {
    const int trans_a = layout[0] == 't', trans_b = layout[1] == 't';
    const int lda = trans_a ? m : k, ldb = trans_b ? k : n;
    float *a = random_matrix((size_t)m * k), *b = random_matrix((size_t)k * n), *c = random_matrix((size_t)m * n);
    double small, sgemm;
    BEST_SECONDS(sgemm, cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                                    trans_b ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n));
    BEST_SECONDS(small, bench_small_sgemm(trans_a, trans_b, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n));
    printf("%s %5d %5d %5d  OpenBLAS %8.2f us  small sgemm %8.2f us  small / OpenBLAS %.2f\n", layout, m, n, k,
           sgemm * 1e6, small * 1e6, small / sgemm);
    free(a);
    free(b);
    free(c);
}

int main(int argc, char **argv) {
    openblas_set_num_threads(1);
    if (argc > 1 && strcmp(argv[1], "--small") == 0) {
        if (!bench_cpu_has_avx512f()) {
            printf("no avx512f: bench_small_sgemm does not run here\n");
            return 0;
        }
        for (int i = 2; i + 3 < argc; i += 4) {
            small_shape(argv[i], atoi(argv[i + 1]), atoi(argv[i + 2]), atoi(argv[i + 3]));
        }
        return 0;
    }
    if (argc > 1 && (argc - 1) % 3 == 0) {
        for (int i = 1; i + 2 < argc; i += 3) shape(atoi(argv[i]), atoi(argv[i + 1]), atoi(argv[i + 2]));
        return 0;
    }
    ceilings();
    if (!bench_bf16_available()) {
        printf("no avx512_bf16: the GEMM figures below are the portable loop's\n");
    }
    printf("    m     n     k  GFLOP/s on one core (bf16 packed; packing both included; OpenBLAS sgemm)\n");
    static const int shapes[][3] = {{128, 256, 256}, {128, 1024, 1600}, {256, 256, 1600}, {256, 512, 576},
                                    {512, 512, 1152}, {1024, 256, 256}, {1024, 1024, 1600}};
    for (int i = 0; i < (int)(sizeof shapes / sizeof *shapes); i++) shape(shapes[i][0], shapes[i][1], shapes[i][2]);
    return 0;
}
