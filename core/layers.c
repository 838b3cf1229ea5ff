/* layers.c — a dense layer's forward and backward passes. */
#include "nn_internal.h"

void nn_dense_forward(float *z, const float *x, const float *wt, const float *b,
                      int batch, int in, int out)
{
    /* z[i][j] = b[j] + sum_k x[i][k] * wt[k][j] */
    nn_gemm(z, x, in, 1, wt, b, batch, out, in);
}

/* 1 when at least half of v[n] is zero (e.g. MNIST pixels: 81%). */
static int mostly_zero(const float *v, long n)
{
    long zeros = 0;
    for (long i = 0; i < n; i++)
        zeros += v[i] == 0.0f;
    return 2 * zeros >= n;
}

void nn_dense_backward(float *dx, float *dw, float *db, const float *dz,
                       const float *x, const float *w, int batch, int in, int out,
                       float *scratch)
{
    /* dx[i][k] = sum_j dz[i][j] * w[j][k] */
    if (dx)
        nn_gemm(dx, dz, out, 1, w, 0, batch, in, out);
    if (scratch && ((in < 8 && out == 8) || mostly_zero(x, (long)batch * in))) {
        /* the same sums as [in x out]: dwt[k][j] = sum_i x[i][k] * dz[i][j]; x
         * is now the operand whose zero runs nn_gemm skips, and a narrow
         * input (the playground's x1, x2) needs no padding as the left operand */
        nn_gemm(scratch, x, 1, in, dz, 0, in, out, batch);
        nn_transpose(dw, scratch, in, out);
    } else {
        /* dw[j][k] = sum_i dz[i][j] * x[i][k]: dz read transposed through strides */
        nn_gemm(dw, dz, 1, out, x, 0, out, in, batch);
    }
    /* db[j] = sum_i dz[i][j] */
    nn_col_sums(db, dz, batch, out);
}
