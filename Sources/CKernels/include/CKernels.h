#ifndef FAIRGROUND_CKERNELS_H
#define FAIRGROUND_CKERNELS_H
// The numeric kernels of Linear, compiled twice on x86-64: once for AVX2 + FMA (every x86 server since 2013) and
// once for baseline x86-64 (SSE2), chosen at run time by the caller (Linear's `KernelPath`), so a portable build
// runs at full speed and never executes an instruction its CPU lacks. On other architectures there is one
// (generic) form. Every entry point takes `avx2` first: non-zero selects the AVX2 + FMA form, which callers must
// ask for only when `fairground_cpu_has_avx2_fma()` says the CPU has it.
//
// Each result depends only on its own inputs (never on a row's position in a block, the other rows of a batch
// or the thread), so results are the same on every call and thread count. The two forms differ in the last bits
// (fused multiply-adds against separate ones).

#include <stdint.h>

/// 1 when this x86-64 CPU (and its operating system) supports AVX2 and FMA; 0 otherwise and off x86-64.
int fairground_cpu_has_avx2_fma(void);

/// Σ a[i]·b[i] for i < n (lane-wise partial sums, then a pairwise reduction).
float fairground_dot(int avx2, const float *a, const float *b, long n);

/// y[i] += alpha·x[i] for i < n.
void fairground_axpy(int avx2, float alpha, const float *x, float *y, long n);

/// out[f] = scale·u[f] + Σ_{b<k} dense[b]·m[b·k + f] + Σ_{j<count} c_j·base[indices[j]·k + f], where
/// c_j = offsets[j] + weightScale·weights[j]·(row j · v) (offsets may be NULL: zero). One pass over the rows: each
/// is read once for its dot product and its update. `out` may not overlap the inputs.
void fairground_normal_product(int avx2, float scale, const float *u, const float *m, const float *dense,
                               const float *base, const int32_t *indices, long count, const float *offsets,
                               const float *weights, float weightScale, const float *v, long k, float *out);

/// Solves `count` (1 … 8) row-major n × n SPD systems (lower triangles read) with right-hand sides `b`, one per
/// SIMD lane; `work` is 32-byte aligned scratch of (n·n + 2n)·8 floats. Returns a bit per solved system; the
/// right-hand sides of the others are unchanged.
uint8_t fairground_spd_solve_batch(int avx2, const float *a, float *b, long n, long count, float *work);

/// out[r·ldc + i] = Σ_f x[r·k + f]·y[i·k + f] for r < m, i < n (row-major x: m × k, y: n × k). Every score is
/// the same chain of multiply-adds over f = 0, 1, …, k − 1, whatever its position. `pack` is scratch of 16·k
/// floats.
void fairground_scores(int avx2, const float *x, long m, const float *y, long n, long k, float *out, long ldc,
                       float *pack);

/// Σ_f x[f]·y[f] as one multiply-add chain over f = 0, 1, …, k − 1 from zero: the same bits as the score of
/// `fairground_scores` for that pair.
float fairground_score1(int avx2, const float *x, const float *y, long k);

/// Asks the cache hierarchy to start loading the 64-byte line holding `p` for a read, into L2 and outer levels
/// (a hint: never changes a result).
static inline __attribute__((always_inline)) void fairground_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 2);
}

#endif
