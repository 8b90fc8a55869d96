// Run-time choice between the kernels' two forms (see CKernels.h).
#include "CKernels.h"
#include "KernelDeclarations.h"

int fairground_cpu_has_avx2_fma(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

#if defined(__x86_64__)
#define DISPATCH(name, ...) \
    (avx2 ? fairground_avx2_##name(__VA_ARGS__) : fairground_baseline_##name(__VA_ARGS__))
#else
#define DISPATCH(name, ...) fairground_baseline_##name(__VA_ARGS__)
#endif

float fairground_dot(int avx2, const float *a, const float *b, long n) { return DISPATCH(dot, a, b, n); }

void fairground_axpy(int avx2, float alpha, const float *x, float *y, long n) { DISPATCH(axpy, alpha, x, y, n); }

void fairground_normal_product(int avx2, float scale, const float *u, const float *m, const float *dense,
                               const float *base, const int32_t *indices, long count, const float *offsets,
                               const float *weights, float weightScale, const float *v, long k, float *out) {
    DISPATCH(normal_product, scale, u, m, dense, base, indices, count, offsets, weights, weightScale, v, k, out);
}

uint8_t fairground_spd_solve_batch(int avx2, const float *a, float *b, long n, long count, float *work) {
    return DISPATCH(spd_solve_batch, a, b, n, count, work);
}

float fairground_score1(int avx2, const float *x, const float *y, long k) { return DISPATCH(score1, x, y, k); }

void fairground_scores(int avx2, const float *x, long m, const float *y, long n, long k, float *out, long ldc,
                       float *pack) {
    DISPATCH(scores, x, m, y, n, k, out, ldc, pack);
}
