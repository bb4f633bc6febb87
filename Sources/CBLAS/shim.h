// Debian's libopenblas-dev installs OpenBLAS's cblas.h (with openblas_set_num_threads) here.
#include <cblas.h>

// Stops OpenBLAS's server threads (exported by libopenblas, not declared in cblas.h); a later
// multithreaded call starts them again.
int blas_thread_shutdown_(void);
