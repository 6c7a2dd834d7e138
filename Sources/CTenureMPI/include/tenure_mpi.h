// Open MPI loaded at run time (dlopen of libmpi.so.40), so tenure and libtenurec run where MPI is not installed
// and only `train --distributed` needs it. The calls use Open MPI's ABI (handles are pointers to its predefined
// objects, MPI_IN_PLACE is 1); only the few collectives training needs are wrapped. Every call returns 0 on
// success, else the MPI error code (or -1 when the library is not loaded).
#ifndef TENURE_MPI_H
#define TENURE_MPI_H
#include <stddef.h>
#include <stdint.h>

/// Loads `library` (libmpi.so.40 when NULL) and resolves the symbols used here; on failure writes the reason into `error`.
int tenure_mpi_load(const char *library, char *error, size_t error_size);
int tenure_mpi_init(int *rank, int *size);
int tenure_mpi_sum_int64(int64_t *values, int count);
int tenure_mpi_max_double(double *values, int count);
/// Every rank's `value`, in rank order, into `out` (size entries).
int tenure_mpi_allgather_int64(int64_t value, int64_t *out);
/// Every rank's bytes concatenated in rank order into `out` (counts and offsets per rank, in bytes).
int tenure_mpi_allgatherv_bytes(const void *bytes, int count, void *out, const int *counts, const int *offsets);
/// Every rank's bytes concatenated in rank order into `out` on rank 0 only (`out`, `counts`, `offsets` unused elsewhere).
int tenure_mpi_gatherv_bytes(const void *bytes, int count, void *out, const int *counts, const int *offsets);
void tenure_mpi_abort(int code);
int tenure_mpi_finalize(void);
#endif
