#include <stdlib.h>

// Tests plan their networks with the fixed algorithm rules (`--autotune off`), in the test process
// and in every command it starts: two runs that a test compares bit for bit must not time their
// layers and choose differently. Set before any test runs, and only where the caller has not set
// it, so `BENCH_AUTOTUNE=on swift test` still runs the suite with timing.
__attribute__((constructor)) static void plan_tests_with_fixed_algorithms(void) {
    setenv("BENCH_AUTOTUNE", "off", 0);
}
