/* layer_maxpool.c — the 2-D max-pooling layer kind, torch.nn.MaxPool2d(k, s)
 * (no padding, floor).
 *
 * Descriptor ints: kernel, stride (each 1..NN_MAX_WIDTH); the window must
 * fit the input (k <= h, k <= w); the other kind ints must be 0. No
 * parameters. The forward keeps, per output, where its maximum was (the
 * first one in row-major window order on ties, as PyTorch's CPU kernel);
 * the backward sends each output's gradient there, adding where windows
 * overlap (stride < kernel). */
#include <string.h>
#include "layer.h"

static int check(const int32_t *cfg, nn_shape in, nn_shape *out)
{
    int k = cfg[0], s = cfg[1];
    for (int i = 2; i < NN_KIND_INTS; i++)
        if (cfg[i] != 0)
            return NN_ERR_LAYER_CONFIG;
    if (k < 1 || s < 1 || k > NN_MAX_WIDTH || s > NN_MAX_WIDTH || k > in.h || k > in.w)
        return NN_ERR_LAYER_CONFIG;
    /* never larger than the input: fits NN_MAX_WIDTH */
    *out = (nn_shape){in.c, (in.h - k) / s + 1, (in.w - k) / s + 1};
    return NN_OK;
}

/* per output value, the flat index (c, y, x) of its maximum within the
 * example's input: below 2^20, exact as a float */
static int64_t scratch_floats(const nn_layer *L, int max_batch)
{
    return (int64_t)max_batch * L->out_size;
}

/* One example's channel planes; k is a constant where the caller passes one. */
static inline void pool_planes(const nn_layer *L, float *o, float *where, const float *x, int k)
{
    int s = L->desc[3];
    int h = L->in.h, w = L->in.w, oh = L->out.h, ow = L->out.w;
    for (int c = 0; c < L->in.c; c++) {
        int plane = c * h * w; /* below 2^20 */
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int best = plane + oy * s * w + ox * s;
                float m = x[best];
                for (int ky = 0; ky < k; ky++) {
                    int row = plane + (oy * s + ky) * w + ox * s;
                    for (int kx = 0; kx < k; kx++) {
                        /* strict: the first maximum wins ties; selects, not
                         * branches (which maximum wins is data, unpredictable) */
                        float v = x[row + kx];
                        int more = v > m;
                        m = more ? v : m;
                        best = more ? row + kx : best;
                    }
                }
                int j = (c * oh + oy) * ow + ox;
                o[j] = m;
                where[j] = (float)best;
            }
        }
    }
}

static void forward(const nn_layer *L, float *out, const float *in, int batch)
{
    int k = L->desc[2];
    for (int b = 0; b < batch; b++) {
        const float *x = in + (int64_t)b * L->in_size;
        float *o = out + (int64_t)b * L->out_size;
        float *where = L->scratch + (int64_t)b * L->out_size;
        /* the presets' windows written out: a loop of unknown short length
         * costs more than its comparisons */
        if (k == 2)
            pool_planes(L, o, where, x, 2);
        else if (k == 3)
            pool_planes(L, o, where, x, 3);
        else
            pool_planes(L, o, where, x, k);
    }
}

static void backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    (void)in; /* the forward kept where each maximum was */
    if (!din)
        return;
    memset(din, 0, (size_t)batch * (size_t)L->in_size * sizeof(float));
    for (int b = 0; b < batch; b++) {
        float *dx = din + (int64_t)b * L->in_size;
        const float *dz = dout + (int64_t)b * L->out_size;
        const float *where = L->scratch + (int64_t)b * L->out_size;
        for (int j = 0; j < L->out_size; j++)
            dx[(int64_t)where[j]] += dz[j];
    }
}

/* z = the layer in double for one example (nn_finite_difference). */
static int forward_f64(const nn_layer *L, const double *w, double *z, const double *in,
                       const float *state0)
{
    (void)w;
    (void)state0;
    nn_shape I = L->in, O = L->out;
    int k = L->desc[2], st = L->desc[3];
    for (int c = 0; c < O.c; c++)
        for (int oy = 0; oy < O.h; oy++)
            for (int ox = 0; ox < O.w; ox++) {
                const double *win = in + ((int64_t)c * I.h + oy * st) * I.w + ox * st;
                double mx = win[0];
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                        mx = win[(int64_t)ky * I.w + kx] > mx ? win[(int64_t)ky * I.w + kx] : mx;
                z[((int64_t)c * O.h + oy) * O.w + ox] = mx;
            }
    return NN_OK;
}

const nn_layer_kind nn_layer_maxpool = {
    .name = "maxpool", .check = check, .scratch_floats = scratch_floats, .forward = forward,
    .backward = backward,
    .forward_f64 = forward_f64,
};
