// zlib for gzip-compressed event logs (Debian: zlib1g-dev), plus the libc knobs Swift cannot reach (mallopt's
// constants are macros).
#ifndef CTENURE_ZLIB_H
#define CTENURE_ZLIB_H
#include <zlib.h>

/// Serve allocations of at least `bytes` from mmap, so freeing them returns memory to the system at once.
void tenure_set_mmap_threshold(int bytes);
/// malloc_trim(0): return the free memory of every arena to the system.
void tenure_release_free_memory(void);
/// inflateInit2(s, 15 + 16): a gzip member decoder.
int tenure_inflate_init_gzip(z_stream *s);
/// deflateInit2(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY): a gzip member encoder.
int tenure_deflate_init_gzip(z_stream *s, int level);
#endif
