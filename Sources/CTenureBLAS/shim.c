#include "CTenureBLAS.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
extern void openblas_set_num_threads(int);
extern char *openblas_get_corename(void);
void tenure_blas_set_threads(int n) { openblas_set_num_threads(n); }
const char *tenure_blas_kernel(void) { return openblas_get_corename(); }

// A DYNAMIC_ARCH OpenBLAS picks its kernels by CPU model when it loads, and one that does not know the model
// (Debian 12's 0.3.21 on Emerald Rapids, model 207) falls back to Prescott's SSE3 kernels: the Hessian's
// dsyrk ran 3x slower than on the AVX-512 kernels the CPU has. So when the user has not chosen
// (OPENBLAS_CORETYPE unset) and the fallback was taken, the kernels are chosen again from the CPU's features,
// as OPENBLAS_CORETYPE would choose them at load. Both entry points are looked up, not linked, so an OpenBLAS
// built for one CPU (no dynamic dispatch) is left alone. It sets the variable, so only a program's start may
// call it, before any other thread runs (the `tenure` command does; a library loaded by a service does not).
void tenure_blas_choose_kernel(void) {
    if (getenv("OPENBLAS_CORETYPE") != NULL) return;
    const char *core = openblas_get_corename();
    if (core == NULL || strcmp(core, "Prescott") != 0) return;
    void (*quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    void (*init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    if (quit == NULL || init == NULL) return;
    __builtin_cpu_init();
    const char *better = NULL;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl")) {
        better = "SkylakeX";
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        better = "Haswell";
    }
    if (better == NULL) return;
    setenv("OPENBLAS_CORETYPE", better, 0);
    quit();
    init();
}
