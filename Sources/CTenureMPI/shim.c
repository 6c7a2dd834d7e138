#include "tenure_mpi.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef void *Handle;
static int (*mpi_init)(int *, char ***);
static int (*mpi_comm_rank)(Handle, int *);
static int (*mpi_comm_size)(Handle, int *);
static int (*mpi_allreduce)(const void *, void *, int, Handle, Handle, Handle);
static int (*mpi_allgather)(const void *, int, Handle, void *, int, Handle, Handle);
static int (*mpi_allgatherv)(const void *, int, Handle, void *, const int *, const int *, Handle, Handle);
static int (*mpi_gatherv)(const void *, int, Handle, void *, const int *, const int *, Handle, int, Handle);
static int (*mpi_abort)(Handle, int);
static int (*mpi_finalize)(void);
static Handle comm_world, type_int64, type_double, type_byte, op_sum, op_max;
#define IN_PLACE ((void *)1)

static int resolve(void *lib, const char *name, void **out, char *error, size_t error_size) {
    *out = dlsym(lib, name);
    if (*out == NULL) { snprintf(error, error_size, "libmpi.so.40 has no symbol %s (Open MPI 4 expected)", name); return -1; }
    return 0;
}

int tenure_mpi_load(const char *library, char *error, size_t error_size) {
    if (mpi_init != NULL) return 0;
    // RTLD_GLOBAL: Open MPI's own plugins, which it dlopens in turn, resolve their symbols against libmpi.
    void *lib = dlopen(library != NULL ? library : "libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
    if (lib == NULL) { snprintf(error, error_size, "%s", dlerror()); return -1; }
    struct { const char *name; void **slot; } symbols[] = {
        {"MPI_Init", (void **)&mpi_init}, {"MPI_Comm_rank", (void **)&mpi_comm_rank},
        {"MPI_Comm_size", (void **)&mpi_comm_size}, {"MPI_Allreduce", (void **)&mpi_allreduce},
        {"MPI_Allgather", (void **)&mpi_allgather}, {"MPI_Allgatherv", (void **)&mpi_allgatherv},
        {"MPI_Gatherv", (void **)&mpi_gatherv}, {"MPI_Abort", (void **)&mpi_abort}, {"MPI_Finalize", (void **)&mpi_finalize},
        {"ompi_mpi_comm_world", &comm_world}, {"ompi_mpi_int64_t", &type_int64},
        {"ompi_mpi_double", &type_double}, {"ompi_mpi_byte", &type_byte},
        {"ompi_mpi_op_sum", &op_sum}, {"ompi_mpi_op_max", &op_max},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        if (resolve(lib, symbols[i].name, symbols[i].slot, error, error_size) != 0) { mpi_init = NULL; dlclose(lib); return -1; }
    }
    return 0;
}

#define LOADED if (mpi_init == NULL) return -1

int tenure_mpi_init(int *rank, int *size) {
    LOADED;
    int rc = mpi_init(NULL, NULL);
    if (rc == 0) rc = mpi_comm_rank(comm_world, rank);
    if (rc == 0) rc = mpi_comm_size(comm_world, size);
    return rc;
}

int tenure_mpi_sum_int64(int64_t *values, int count) {
    LOADED;
    return mpi_allreduce(IN_PLACE, values, count, type_int64, op_sum, comm_world);
}

int tenure_mpi_max_double(double *values, int count) {
    LOADED;
    return mpi_allreduce(IN_PLACE, values, count, type_double, op_max, comm_world);
}

int tenure_mpi_allgather_int64(int64_t value, int64_t *out) {
    LOADED;
    return mpi_allgather(&value, 1, type_int64, out, 1, type_int64, comm_world);
}

int tenure_mpi_allgatherv_bytes(const void *bytes, int count, void *out, const int *counts, const int *offsets) {
    LOADED;
    return mpi_allgatherv(bytes, count, type_byte, out, counts, offsets, type_byte, comm_world);
}

int tenure_mpi_gatherv_bytes(const void *bytes, int count, void *out, const int *counts, const int *offsets) {
    LOADED;
    return mpi_gatherv(bytes, count, type_byte, out, counts, offsets, type_byte, 0, comm_world);
}

void tenure_mpi_abort(int code) {
    if (mpi_abort != NULL) mpi_abort(comm_world, code);
}

int tenure_mpi_finalize(void) {
    LOADED;
    return mpi_finalize();
}
