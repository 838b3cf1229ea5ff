/* layers.c — a dense layer's forward and backward passes. */
#include "nn_internal.h"

void nn_dense_forward(float *z, const float *x, const float *wt, const float *b,
                      int batch, int in, int out)
{
    /* z[i][j] = b[j] + sum_k x[i][k] * wt[k][j] */
    nn_gemm(z, x, in, 1, wt, b, batch, out, in);
}

void nn_dense_backward(float *dx, float *dw, float *db, const float *dz,
                       const float *x, const float *w, int batch, int in, int out)
{
    /* dx[i][k] = sum_j dz[i][j] * w[j][k] */
    if (dx)
        nn_gemm(dx, dz, out, 1, w, 0, batch, in, out);
    /* dw[j][k] = sum_i dz[i][j] * x[i][k]: dz read transposed through strides */
    nn_gemm(dw, dz, 1, out, x, 0, out, in, batch);
    /* db[j] = sum_i dz[i][j] */
    nn_col_sums(db, dz, batch, out);
}
