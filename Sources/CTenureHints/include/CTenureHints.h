// Compiler hints Swift cannot spell: __builtin_prefetch. Header-only (static inline), so a call compiles to the
// one instruction in the Swift caller; shim.c exists only because SwiftPM needs a source file per C target.
#ifndef CTENURE_HINTS_H
#define CTENURE_HINTS_H

/// A hint that `p` will be read soon: the interner's merge looks up a block's keys ahead of time, the histogram
/// kernels fetch the rows they will gather a few rows early.
static inline void tenure_prefetch(const void *p) { __builtin_prefetch(p); }
#endif
