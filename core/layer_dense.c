/* layer_dense.c — the dense (fully connected) layer kind, torch.nn.Linear.
 *
 * Descriptor ints: units (1..NN_MAX_WIDTH); the other kind ints must be 0.
 * The input is used flat (in_size = c*h*w features); the output is
 * units x 1 x 1. Blocks: weight [units x in_size] (L1/L2 apply), bias
 * [units]. aux holds W^T [in_size x units] for the forward product. Its
 * forward, backward and sync are inline in layer.h, where the model's step
 * calls them without the table. */
#include <math.h>
#include <string.h>
#include "layer.h"

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

const nn_layer_kind nn_layer_dense = {
    "dense", check, blocks, aux_floats, scratch_floats, init, forward, backward, sync,
};
