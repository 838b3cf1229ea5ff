/* layer_dense.c — the dense (fully connected) layer kind, torch.nn.Linear.
 *
 * Descriptor ints: units (1..NN_MAX_WIDTH); the other kind ints must be 0.
 * The input is used flat (in_size = c*h*w features); the output is
 * units x 1 x 1. Blocks: weight [units x in_size] (L1/L2 apply), bias
 * [units]. aux holds W^T [in_size x units] for the forward product. */
#include <math.h>
#include <string.h>
#include "layer.h"

/* 1 when at least half of v[n] is zero (e.g. MNIST pixels: 81%). */
static int mostly_zero(const float *v, long n)
{
    long zeros = 0;
    for (long i = 0; i < n; i++)
        zeros += v[i] == 0.0f;
    return 2 * zeros >= n;
}

/* dx[batch x in] (may be NULL), dw[out x in], db[out] from dz[batch x out],
 * x[batch x in], w[out x in]. Overwrites dw and db. scratch [in x out] (may
 * be NULL) lets a mostly-zero x take the faster transposed product; both
 * ways sum the same products in the same order. */
static void dense_backward(float *dx, float *dw, float *db, const float *dz,
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

/* ---- the table entry ---- */

static int check(const int32_t *cfg, nn_shape in, nn_shape *out)
{
    (void)in; /* any input shape: it is read flat */
    if (cfg[0] < 1 || cfg[0] > NN_MAX_WIDTH)
        return NN_ERR_SIZE;
    for (int i = 1; i < NN_KIND_INTS; i++)
        if (cfg[i] != 0)
            return NN_ERR_LAYER_CONFIG;
    *out = (nn_shape){cfg[0], 1, 1};
    return NN_OK;
}

static int blocks(const nn_layer *L, nn_block_spec *spec)
{
    spec[0] = (nn_block_spec){2, {L->out_size, L->in_size, 1, 1}, 1};
    spec[1] = (nn_block_spec){1, {L->out_size, 1, 1, 1}, 0};
    return 2;
}

static int64_t aux_floats(const nn_layer *L)
{
    return (int64_t)L->in_size * L->out_size;
}

static int64_t scratch_floats(const nn_layer *L, int max_batch)
{
    (void)max_batch;
    /* Only the model's input (pixels, x1/x2) gets the transposed weight
     * gradient: that is where the zero runs and narrow widths are. */
    return L->index == 0 ? (int64_t)L->in_size * L->out_size : 0;
}

static void init(nn_layer *L, uint32_t rng[4])
{
    int in = L->in_size, out = L->out_size;
    int relu = L->act == NN_ACT_RELU || L->act == NN_ACT_LEAKY_RELU;
    double fan = relu ? (double)in : (double)in + (double)out;
    float bound = (float)sqrt(6.0 / fan);
    for (int64_t i = 0; i < (int64_t)in * out; i++)
        L->p[0][i] = nn_rng_uniform(rng, bound);
    memset(L->p[1], 0, (size_t)out * sizeof(float));
}

/* The table's entries for forward and sync; the model calls layer.h's
 * inline nn_dense_forward / nn_dense_sync directly. */
static void forward(const nn_layer *L, float *out, const float *in, int batch)
{
    nn_dense_forward(L, out, in, batch);
}

void nn_dense_backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    dense_backward(din, L->g[0], L->g[1], dout, in, L->p[0], batch, L->in_size, L->out_size,
                   L->scratch);
}

static void sync(nn_layer *L)
{
    nn_dense_sync(L);
}

const nn_layer_kind nn_layer_dense = {
    "dense", check, blocks, aux_floats, scratch_floats, init, forward, nn_dense_backward, sync,
};
