// Thin wrappers over OpenSSL's EVP digest API, so Swift sees one small, stable surface.
#include "CTenureCrypto.h"
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <unistd.h>

struct tenure_sha256_ctx { EVP_MD_CTX *md; };

tenure_sha256_ctx *tenure_sha256_new(void) {
    tenure_sha256_ctx *c = malloc(sizeof *c);
    if (!c) return NULL;
    c->md = EVP_MD_CTX_new();
    if (!c->md || EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1) { EVP_MD_CTX_free(c->md); free(c); return NULL; }
    return c;
}

void tenure_sha256_update(tenure_sha256_ctx *c, const void *data, size_t length) {
    if (length) EVP_DigestUpdate(c->md, data, length);
}

void tenure_sha256_final(tenure_sha256_ctx *c, unsigned char digest[32]) {
    unsigned int n = 32;
    EVP_DigestFinal_ex(c->md, digest, &n);
}

void tenure_sha256_free(tenure_sha256_ctx *c) {
    if (!c) return;
    EVP_MD_CTX_free(c->md);
    free(c);
}

int tenure_sha256_file(const char *path, unsigned char digest[32], long long *bytes) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    tenure_sha256_ctx *c = tenure_sha256_new();
    enum { BLOCK = 1 << 20 };
    unsigned char *buffer = malloc(BLOCK);
    if (!c || !buffer) { close(fd); tenure_sha256_free(c); free(buffer); return ENOMEM; }
    long long total = 0;
    for (;;) {
        ssize_t n = read(fd, buffer, BLOCK);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd); tenure_sha256_free(c); free(buffer);
            return e;
        }
        if (n == 0) break;
        tenure_sha256_update(c, buffer, (size_t)n);
        total += n;
    }
    tenure_sha256_final(c, digest);
    close(fd); tenure_sha256_free(c); free(buffer);
    *bytes = total;
    return 0;
}
