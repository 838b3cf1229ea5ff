/* layer_dense.c — the dense (fully connected) layer kind, torch.nn.Linear.
 *
 * Descriptor ints: units (1..NN_MAX_WIDTH); the other kind ints must be 0.
 * The input is used flat (in_size = c*h*w features); the output is
 * units x 1 x 1. Blocks: weight [units x in_size] (L1/L2 apply), bias
 * [units]. aux holds W^T [in_size x units] for the forward product.
 * Per step ([3] = 1): a T x F x 1 sequence is T rows of F features, the
 * same weight [units x F] on each, output T x units x 1: the products run
 * over batch x T rows of F. */
#include <math.h>
#include <string.h>
#include "layer.h"

/* z[batch x out] = x[batch x in] . W^T + b, using wt[in x out] = W^T */
static void dense_forward(float *z, const float *x, const float *wt, const float *b,
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

/* Rows per example: T per step, else 1 (the whole input is one row). */
static int rows_of(const nn_layer *L)
{
    return L->desc[3] ? L->in.c : 1;
}

static int check(const int32_t *cfg, nn_shape in, nn_shape *out)
{
    if (cfg[0] < 1 || cfg[0] > NN_MAX_WIDTH)
        return NN_ERR_SIZE;
    if (cfg[1] != 0 && (cfg[1] != 1 || in.w != 1))
        return NN_ERR_LAYER_CONFIG;
    for (int i = 2; i < NN_KIND_INTS; i++)
        if (cfg[i] != 0)
            return NN_ERR_LAYER_CONFIG;
    if (cfg[1] && (int64_t)in.c * cfg[0] > NN_MAX_WIDTH)
        return NN_ERR_SIZE;
    /* flat: any input shape, read flat */
    *out = cfg[1] ? (nn_shape){in.c, cfg[0], 1} : (nn_shape){cfg[0], 1, 1};
    return NN_OK;
}

static int blocks(const nn_layer *L, nn_block_spec *spec)
{
    int rows = rows_of(L), units = L->out_size / rows, in = L->in_size / rows;
    spec[0] = (nn_block_spec){2, {units, in, 1, 1}, 1};
    spec[1] = (nn_block_spec){1, {units, 1, 1, 1}, 0};
    return 2;
}

static int64_t aux_floats(const nn_layer *L)
{
    return L->block_len[0];
}

static int64_t scratch_floats(const nn_layer *L, int max_batch)
{
    (void)max_batch;
    /* Only the model's input (pixels, x1/x2) gets the transposed weight
     * gradient: that is where the zero runs and narrow widths are. */
    return L->index == 0 ? L->block_len[0] : 0;
}

static void init(nn_layer *L, uint32_t rng[4])
{
    int in = L->block[0].dims[1], out = L->block[0].dims[0];
    int relu = L->act == NN_ACT_RELU || L->act == NN_ACT_LEAKY_RELU;
    double fan = relu ? (double)in : (double)in + (double)out;
    float bound = (float)sqrt(6.0 / fan);
    for (int64_t i = 0; i < (int64_t)in * out; i++)
        L->p[0][i] = nn_rng_uniform(rng, bound);
    memset(L->p[1], 0, (size_t)out * sizeof(float));
}

static void forward(const nn_layer *L, float *out, const float *in, int batch)
{
    dense_forward(out, in, L->aux, L->p[1], batch * rows_of(L), L->block[0].dims[1],
                  L->block[0].dims[0]);
}

static void backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    dense_backward(din, L->g[0], L->g[1], dout, in, L->p[0], batch * rows_of(L),
                   L->block[0].dims[1], L->block[0].dims[0], L->scratch);
}

static void sync(nn_layer *L)
{
    nn_transpose(L->aux, L->p[0], L->block[0].dims[0], L->block[0].dims[1]);
}

/* z = the layer in double for one example (nn_finite_difference): weight
 * [units x in], bias [units]; per step: on each of T rows. */
static int forward_f64(const nn_layer *L, const double *w, double *z, const double *in,
                       const float *state0)
{
    (void)state0;
    const double *W = w + L->param_offset, *b = W + L->block_len[0];
    int units = L->block[0].dims[0], n_in = L->block[0].dims[1];
    for (int r = 0; r < L->steps; r++)
        for (int j = 0; j < units; j++) {
            double s = b[j];
            for (int i = 0; i < n_in; i++)
                s += W[(int64_t)j * n_in + i] * in[(int64_t)r * n_in + i];
            z[(int64_t)r * units + j] = s;
        }
    return NN_OK;
}

const nn_layer_kind nn_layer_dense = {
    .name = "dense", .check = check, .blocks = blocks, .aux_floats = aux_floats,
    .scratch_floats = scratch_floats, .init = init, .forward = forward, .backward = backward,
    .sync = sync, .steps = rows_of,
    .forward_f64 = forward_f64,
};
