// Arithmetic ceilings of one core: loops of independent vector multiply-adds with no memory
// traffic, against which the convolution and GEMM kernels' GFLOP/s are read. Enough accumulators
// hide the instruction latency (4 cycles on Zen 4 and 5, times 2 pipes, needs 8; more is harmless).

#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

// Each step moves an accumulator towards the fixed point b / (1 - a) = 0.1, so the values stay
// normal whatever the iteration count (no overflow, no denormal slow path).
#define FMA_A 0.999999f
#define FMA_B 1e-7f

__attribute__((target("avx512f")))
static double fma_loop_avx512(long iterations) {
    enum { count = BENCH_FMA_AVX512_ACCUMULATORS };
    const __m512 a = _mm512_set1_ps(FMA_A), b = _mm512_set1_ps(FMA_B);
    __m512 acc[count];
    for (int i = 0; i < count; i++) acc[i] = _mm512_set1_ps(1.0f + 0.01f * (float)i);
    for (long step = 0; step < iterations; step++) {
        for (int i = 0; i < count; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    }
    __m512 sum = acc[0];
    for (int i = 1; i < count; i++) sum = _mm512_add_ps(sum, acc[i]);
    return (double)_mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma")))
static double fma_loop_avx2(long iterations) {
    enum { count = BENCH_FMA_AVX2_ACCUMULATORS };
    const __m256 a = _mm256_set1_ps(FMA_A), b = _mm256_set1_ps(FMA_B);
    __m256 acc[count];
    for (int i = 0; i < count; i++) acc[i] = _mm256_set1_ps(1.0f + 0.01f * (float)i);
    for (long step = 0; step < iterations; step++) {
        for (int i = 0; i < count; i++) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    }
    __m256 sum = acc[0];
    for (int i = 1; i < count; i++) sum = _mm256_add_ps(sum, acc[i]);
    float lanes[8];
    _mm256_storeu_ps(lanes, sum);
    double total = 0;
    for (int i = 0; i < 8; i++) total += lanes[i];
    return total;
}

// Each lane adds h*1 + (-h)*1 with h far below half an ulp of the accumulator, so the values stay
// put; the compiler cannot see that, as it does not fold vdpbf16ps.
__attribute__((target("avx512f,avx512bf16")))
static double dpbf16_loop_avx512(long iterations) {
    enum { count = BENCH_DPBF16_AVX512_ACCUMULATORS };
    // bf16 pair (low half 2^-30, high half -2^-30) against the pair (1, 1).
    const __m512bh h = (__m512bh)_mm512_set1_epi32((int)0xb0803080u);
    const __m512bh ones = (__m512bh)_mm512_set1_epi32(0x3f803f80);
    __m512 acc[count];
    for (int i = 0; i < count; i++) acc[i] = _mm512_set1_ps(1.0f + 0.01f * (float)i);
    for (long step = 0; step < iterations; step++) {
        for (int i = 0; i < count; i++) acc[i] = _mm512_dpbf16_ps(acc[i], h, ones);
    }
    __m512 sum = acc[0];
    for (int i = 1; i < count; i++) sum = _mm512_add_ps(sum, acc[i]);
    return (double)_mm512_reduce_add_ps(sum);
}

double bench_fma_loop_avx512(long iterations) {
    return bench_cpu_has_avx512f() ? fma_loop_avx512(iterations) : -1.0;
}

double bench_fma_loop_avx2(long iterations) {
    return bench_cpu_has_avx2_fma() ? fma_loop_avx2(iterations) : -1.0;
}

double bench_dpbf16_loop_avx512(long iterations) {
    return bench_cpu_has_avx512_bf16() ? dpbf16_loop_avx512(iterations) : -1.0;
}

#else

double bench_fma_loop_avx512(long iterations) {
    (void)iterations;
    return -1.0;
}

double bench_fma_loop_avx2(long iterations) {
    (void)iterations;
    return -1.0;
}

double bench_dpbf16_loop_avx512(long iterations) {
    (void)iterations;
    return -1.0;
}

#endif
