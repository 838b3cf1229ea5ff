/* layer_dense.c — the dense (fully connected) layer kind, torch.nn.Linear.
 *
 * Descriptor ints: units (1..NN_MAX_WIDTH); the other kind ints must be 0.
 * The input is used flat (in_size = c*h*w features); the output is
 * units x 1 x 1. Blocks: weight [units x in_size] (L1/L2 apply), bias
 * [units]. aux holds W^T [in_size x units] for the forward product.
 * Per step ([3] = 1): a T x F x 1 sequence is T rows of F features, the
 * same weight [units x F] on each, output T x units x 1: the products run
 * over batch x T rows of F. Its forward, backward and sync are inline in
 * layer.h, where the model's step calls them without the table. */
#include <math.h>
#include <string.h>
#include "layer.h"

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

/* The table's entries for forward, backward and sync; the model calls
 * layer.h's inline nn_dense_forward / nn_dense_backward / nn_dense_sync
 * directly. */
static void forward(const nn_layer *L, float *out, const float *in, int batch)
{
    nn_dense_forward(L, out, in, batch);
}

static void backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    nn_dense_backward(L, din, dout, in, batch);
}

static void sync(nn_layer *L)
{
    nn_dense_sync(L);
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
