/* layer_flatten.c — the flatten layer kind, torch.nn.Flatten(): c x h x w
 * becomes (c*h*w) x 1 x 1. A batch row already holds its values in c, h, w
 * order, so both passes copy. No kind ints, no parameters. (A dense layer
 * reads any input flat, so flatten only names the step; the PyTorch export
 * needs it either way.) */
#include <string.h>
#include "layer.h"

static int check(const int32_t *cfg, nn_shape in, nn_shape *out)
{
    for (int i = 0; i < NN_KIND_INTS; i++)
        if (cfg[i] != 0)
            return NN_ERR_LAYER_CONFIG;
    *out = (nn_shape){in.c * in.h * in.w, 1, 1}; /* the input's size: checked */
    return NN_OK;
}

static void forward(const nn_layer *L, float *out, const float *in, int batch)
{
    memcpy(out, in, (size_t)batch * (size_t)L->in_size * sizeof(float));
}

static void backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    (void)in;
    if (din)
        memcpy(din, dout, (size_t)batch * (size_t)L->in_size * sizeof(float));
}

/* z = the layer in double for one example (nn_finite_difference): a copy. */
static int forward_f64(const nn_layer *L, const double *w, double *z, const double *in,
                       const float *state0)
{
    (void)w;
    (void)state0;
    memcpy(z, in, (size_t)L->out_size * sizeof(double));
    return NN_OK;
}

const nn_layer_kind nn_layer_flatten = {
    .name = "flatten", .check = check, .forward = forward, .backward = backward,
    .forward_f64 = forward_f64,
};
