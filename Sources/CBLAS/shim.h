#ifndef FAIRGROUND_CBLAS_SHIM_H
#define FAIRGROUND_CBLAS_SHIM_H
// cblas-openblas.h always points at OpenBLAS (the generic cblas.h may be taken over by netlib).
#include <cblas-openblas.h>
#include <lapacke.h>
#endif
