// The two forms' entry points (defined by KernelsAVX2.c and KernelsBaseline.c through Kernels.inc).
#include <stdint.h>

#define DECLARE_KERNELS(prefix)                                                                                   \
    float prefix##dot(const float *a, const float *b, long n);                                                    \
    void prefix##axpy(float alpha, const float *x, float *y, long n);                                             \
    void prefix##normal_product(float scale, const float *u, const float *m, const float *dense, const float *base, \
                                const int32_t *indices, long count, const float *offsets, const float *weights,   \
                                float weightScale, const float *v, long k, float *out);                           \
    uint8_t prefix##spd_solve_batch(const float *a, float *b, long n, long count, float *work);                    \
    float prefix##score1(const float *x, const float *y, long k);                                                 \
    void prefix##scores(const float *x, long m, const float *y, long n, long k, float *out, long ldc, float *pack);

DECLARE_KERNELS(fairground_baseline_)
#if defined(__x86_64__)
DECLARE_KERNELS(fairground_avx2_)
#endif
