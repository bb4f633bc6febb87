// Which vector extensions the processor has and the operating system saves on a context switch.
// The kernels are compiled per function for their extension, so the rest of the binary runs on
// any x86-64; callers ask here before calling a fast path.

#include "CKernels.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

enum {
    feature_avx2_fma = 1,
    feature_avx512f = 2,
    feature_avx512_bf16 = 4,
    // Marks the cache as filled, since a machine may have none of the features.
    features_known = 8,
};

#if defined(__x86_64__)
// XCR0, the state components the OS saves. Read with the raw instruction: the _xgetbv intrinsic
// needs the xsave target, which a file compiled for baseline x86-64 does not have.
static unsigned long long read_xcr0(void) {
    unsigned int low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((unsigned long long)high << 32) | low;
}

static int detect(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid_count(1, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const int fma = (ecx >> 12) & 1, osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    // Without OSXSAVE, xgetbv itself is an invalid instruction.
    if (!osxsave || !avx) return 0;
    const unsigned long long xcr0 = read_xcr0();
    // SSE (bit 1) and AVX (bit 2) state: the upper halves of the ymm registers.
    const int os_avx = (xcr0 & 0x6) == 0x6;
    // Plus opmask (5), upper halves of zmm0-15 (6) and zmm16-31 (7).
    const int os_avx512 = (xcr0 & 0xe6) == 0xe6;
    if (!os_avx) return 0;

    unsigned int max_subleaf = 0, ebx7 = 0, eax7_1 = 0;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        max_subleaf = eax;
        ebx7 = ebx;
        if (max_subleaf >= 1 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) eax7_1 = eax;
    }
    int features = 0;
    const int avx2 = (ebx7 >> 5) & 1, avx512f = (ebx7 >> 16) & 1, avx512_bf16 = (eax7_1 >> 5) & 1;
    if (avx2 && fma) features |= feature_avx2_fma;
    if (avx512f && os_avx512) {
        features |= feature_avx512f;
        if (avx512_bf16) features |= feature_avx512_bf16;
    }
    return features;
}
#else
static int detect(void) { return 0; }
#endif

// BENCH_CPU_FEATURES=avx2 hides AVX-512 and =baseline hides everything, so that one machine can
// test every path; any other value, or none, leaves what the processor reports.
static int restrict_by_environment(int features) {
    const char *setting = getenv("BENCH_CPU_FEATURES");
    if (setting == NULL) return features;
    if (strcmp(setting, "baseline") == 0) return 0;
    if (strcmp(setting, "avx2") == 0) return features & feature_avx2_fma;
    return features;
}

// Detection is idempotent, so threads racing on the first call store the same value.
static _Atomic int cached_features;

static int features(void) {
    int value = atomic_load_explicit(&cached_features, memory_order_relaxed);
    if (value == 0) {
        value = restrict_by_environment(detect()) | features_known;
        atomic_store_explicit(&cached_features, value, memory_order_relaxed);
    }
    return value;
}

int bench_cpu_has_avx2_fma(void) { return (features() & feature_avx2_fma) != 0; }

int bench_cpu_has_avx512f(void) { return (features() & feature_avx512f) != 0; }

int bench_cpu_has_avx512_bf16(void) { return (features() & feature_avx512_bf16) != 0; }
