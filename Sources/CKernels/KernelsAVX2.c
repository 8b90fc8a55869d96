// The AVX2 + FMA form of the kernels (x86-64 only): every function here is compiled for those instructions,
// whatever the build's target CPU, and is called only when the CPU has them (CKernels.h).
#if defined(__x86_64__)
// The C library's headers first, outside the target attribute below.
#include <stdint.h>
#include <string.h>
#pragma clang fp contract(off)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define KERNEL(name) fairground_avx2_##name
#define MADD(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define MADDS(a, b, c) __builtin_fmaf((a), (b), (c))
#include "Kernels.inc"
#pragma clang attribute pop
#endif
