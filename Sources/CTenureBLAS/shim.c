#include "CTenureBLAS.h"
extern void openblas_set_num_threads(int);
void tenure_blas_set_threads(int n) { openblas_set_num_threads(n); }
