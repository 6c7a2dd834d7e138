// Compiler hints Swift cannot spell: __builtin_prefetch, the spin-wait hint. Header-only (static inline), so a call compiles to the
// one instruction in the Swift caller; shim.c exists only because SwiftPM needs a source file per C target.
#ifndef CTENURE_HINTS_H
#define CTENURE_HINTS_H

/// A hint that `p` will be read soon: the interner's merge looks up a block's keys ahead of time, the histogram
/// kernels fetch the rows they will gather a few rows early.
static inline void tenure_prefetch(const void *p) { __builtin_prefetch(p); }

/// The spin-wait hint (x86 `pause`, ARM `yield`): a worker polling for its next job lets the other hyperthread
/// run and leaves the loop without a memory-order mis-speculation.
static inline void tenure_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
#endif
