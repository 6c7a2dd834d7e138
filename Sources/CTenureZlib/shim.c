#include "CTenureZlib.h"
#include <malloc.h>
void tenure_set_mmap_threshold(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }
// inflateInit2 is a macro: gzip framing (15 + 16), one member at a time, so the reader sees where each ends.
int tenure_inflate_init_gzip(z_stream *s) { return inflateInit2(s, 15 + 16); }
