// The one door to BLAS and LAPACK (Debian: libopenblas-dev, liblapacke-dev).
// Only the LinearAlgebra module imports this.
#ifndef CTENURE_BLAS_H
#define CTENURE_BLAS_H
#include <cblas.h>
#include <lapacke.h>

/// Set OpenBLAS's thread count (callers that parallelise around BLAS set 1 inside workers).
void tenure_blas_set_threads(int n);
/// The name of the kernels OpenBLAS runs ("SkylakeX", "Haswell", …; "Prescott" is its fallback for a CPU it
/// does not know).
const char *tenure_blas_kernel(void);
/// Replaces the Prescott fallback by kernels the CPU's features allow, unless OPENBLAS_CORETYPE is set. Sets that
/// variable: call it at a program's start only, before other threads exist.
void tenure_blas_choose_kernel(void);
#endif
