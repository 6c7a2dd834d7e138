// SHA-256 from OpenSSL's libcrypto (Debian: libssl-dev), which uses the CPU's SHA instructions: model
// checksums and the run manifest's fingerprints of multi-gigabyte event logs. Only ModelFormat imports this.
#ifndef CTENURE_CRYPTO_H
#define CTENURE_CRYPTO_H
#include <stddef.h>

typedef struct tenure_sha256_ctx tenure_sha256_ctx;

/// A new streaming context (NULL only when out of memory).
tenure_sha256_ctx *tenure_sha256_new(void);
void tenure_sha256_update(tenure_sha256_ctx *ctx, const void *data, size_t length);
/// Writes the 32-byte digest; the context can then only be freed.
void tenure_sha256_final(tenure_sha256_ctx *ctx, unsigned char digest[32]);
void tenure_sha256_free(tenure_sha256_ctx *ctx);

/// Digest of a whole file read in 1 MiB blocks; returns 0, or the errno of the failed open/read.
int tenure_sha256_file(const char *path, unsigned char digest[32], long long *bytes);
#endif
