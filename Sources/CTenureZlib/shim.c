#include "CTenureZlib.h"
#include <malloc.h>
void tenure_set_mmap_threshold(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }
void tenure_release_free_memory(void) { malloc_trim(0); }
// inflateInit2 is a macro: gzip framing (15 + 16), one member at a time, so the reader sees where each ends.
int tenure_inflate_init_gzip(z_stream *s) { return inflateInit2(s, 15 + 16); }
// deflateInit2 is a macro as well: gzip framing (15 + 16) for `tenure shard --gzip`.
int tenure_deflate_init_gzip(z_stream *s, int level) { return deflateInit2(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY); }
