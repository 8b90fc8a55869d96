#ifndef FAIRGROUND_CPREFETCH_H
#define FAIRGROUND_CPREFETCH_H
// Software prefetch for the gathered-row kernels in Linear: Swift has no prefetch intrinsic. Header-only and
// inlined into the Swift callers; the hint never changes a result.

/// Asks the cache hierarchy to start loading the 64-byte line holding `p` for a read, into L2 and outer levels
/// (locality 2: the line is needed soon, but not before the work in progress is done with L1).
static inline __attribute__((always_inline)) void fairground_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 2);
}
#endif
