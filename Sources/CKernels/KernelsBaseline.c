// The baseline form of the kernels: the build's own target (SSE2 on x86-64, NEON on arm64), separate multiplies
// and adds (no contraction), so it runs on every CPU of the architecture.
#pragma clang fp contract(off)
// The 8-lane vectors pass between always-inlined helpers only, never across a call, so the ABI the warning is
// about (a 256-bit vector argument without AVX) is never used.
#pragma clang diagnostic ignored "-Wpsabi"
#define KERNEL(name) fairground_baseline_##name
#define MADD(a, b, c) ((a) * (b) + (c))
#define MADDS(a, b, c) ((a) * (b) + (c))
#include "Kernels.inc"
