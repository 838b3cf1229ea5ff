/* layer_conv2d.c — the 2-D convolution layer kind, torch.nn.Conv2d.
 *
 * Descriptor ints: out channels, kernel h, kernel w, stride, padding (zero
 * padding, the same on every side); the other kind ints must be 0 (nn.h
 * lists the limits). Blocks: weight [out x c x kh x kw] (L1/L2 apply), bias
 * [out]. aux holds W^T [K x out], K = c*kh*kw, the forward product's right
 * operand.
 *
 * Everything is a product on nn_gemm over an im2col matrix: for each
 * example, col [P x K] holds one row per output position (P = oh*ow), the
 * K input values its window sees (0 for padding), in weight order (c, ky,
 * kx). Then, over the whole batch at once:
 *   forward   zT [B*P x out] = col . W^T + bias, transposed into z [out x P]
 *   weights   dW [out x K]   = dzT^T . col   (sums over examples, positions)
 *   bias      db [out]       = column sums of dzT
 *   input     dcol [B*P x K] = dzT . W, scattered back (col2im) into dx
 * The backward uses the forward's col (the model always runs backward on
 * the rows of the forward just before it), so nothing is gathered twice. */
#include <math.h>
#include <string.h>
#include "layer.h"

typedef struct {
    int c, h, w;          /* input */
    int out, kh, kw, stride, pad;
    int oh, ow;
    int P, K;             /* output positions, values per window */
} conv_geom;

static conv_geom geom_of(const nn_layer *L)
{
    const int32_t *d = L->desc + 2;
    conv_geom g = {L->in.c, L->in.h, L->in.w, d[0], d[1], d[2], d[3], d[4],
                   L->out.h, L->out.w, 0, 0};
    g.P = g.oh * g.ow;
    g.K = g.c * g.kh * g.kw;
    return g;
}

/* col [P x K] for one example x [c x h x w]. */
static void im2col(float *col, const float *x, const conv_geom *g)
{
    for (int oy = 0; oy < g->oh; oy++) {
        for (int ox = 0; ox < g->ow; ox++) {
            float *row = col + ((long)oy * g->ow + ox) * g->K;
            int x0 = ox * g->stride - g->pad;
            for (int ci = 0; ci < g->c; ci++) {
                for (int ky = 0; ky < g->kh; ky++) {
                    int iy = oy * g->stride - g->pad + ky;
                    float *dst = row + ((long)ci * g->kh + ky) * g->kw;
                    if (iy < 0 || iy >= g->h) {
                        for (int kx = 0; kx < g->kw; kx++)
                            dst[kx] = 0.0f;
                        continue;
                    }
                    const float *src = x + ((long)ci * g->h + iy) * g->w;
                    for (int kx = 0; kx < g->kw; kx++) {
                        int ix = x0 + kx;
                        dst[kx] = ix >= 0 && ix < g->w ? src[ix] : 0.0f;
                    }
                }
            }
        }
    }
}

/* dx [c x h x w] = the sum, over the windows that saw each input value, of
 * dcol [P x K] (one example); positions are added in row order. */
static void col2im(float *dx, const float *dcol, const conv_geom *g)
{
    memset(dx, 0, (size_t)g->c * g->h * g->w * sizeof(float));
    for (int oy = 0; oy < g->oh; oy++) {
        for (int ox = 0; ox < g->ow; ox++) {
            const float *row = dcol + ((long)oy * g->ow + ox) * g->K;
            int x0 = ox * g->stride - g->pad;
            for (int ci = 0; ci < g->c; ci++) {
                for (int ky = 0; ky < g->kh; ky++) {
                    int iy = oy * g->stride - g->pad + ky;
                    if (iy < 0 || iy >= g->h)
                        continue;
                    const float *src = row + ((long)ci * g->kh + ky) * g->kw;
                    float *dst = dx + ((long)ci * g->h + iy) * g->w;
                    for (int kx = 0; kx < g->kw; kx++) {
                        int ix = x0 + kx;
                        if (ix >= 0 && ix < g->w)
                            dst[ix] += src[kx];
                    }
                }
            }
        }
    }
}

/* ---- the table entry ---- */

static int check(const int32_t *cfg, nn_shape in, nn_shape *out)
{
    int channels = cfg[0], kh = cfg[1], kw = cfg[2], stride = cfg[3], pad = cfg[4];
    if (channels < 1 || channels > NN_MAX_WIDTH)
        return NN_ERR_SIZE;
    if (cfg[5] != 0 || kh < 1 || kw < 1 || stride < 1 || kh > NN_MAX_WIDTH ||
        kw > NN_MAX_WIDTH || stride > NN_MAX_WIDTH || pad < 0 || pad >= kh || pad >= kw)
        return NN_ERR_LAYER_CONFIG;
    /* all below 2^21 + 2^21: no overflow in int64 (nor in int) */
    int64_t ph = (int64_t)in.h + 2 * (int64_t)pad, pw = (int64_t)in.w + 2 * (int64_t)pad;
    if (kh > ph || kw > pw)
        return NN_ERR_LAYER_CONFIG;
    int64_t oh = (ph - kh) / stride + 1, ow = (pw - kw) / stride + 1;
    /* one factor at a time, each product below 2^63 */
    int64_t window = (int64_t)in.c * kh * kw; /* < 2^60 */
    if (window > NN_MAX_FLOATS || window * channels > NN_MAX_FLOATS)
        return NN_ERR_TOO_LARGE;
    if (oh * ow > NN_MAX_WIDTH || oh * ow * channels > NN_MAX_WIDTH)
        return NN_ERR_SIZE;
    *out = (nn_shape){channels, (int)oh, (int)ow};
    return NN_OK;
}

static int blocks(const nn_layer *L, nn_block_spec *spec)
{
    const int32_t *d = L->desc + 2;
    spec[0] = (nn_block_spec){4, {d[0], L->in.c, d[1], d[2]}, 1};
    spec[1] = (nn_block_spec){1, {d[0], 1, 1, 1}, 0};
    return 2;
}

static int64_t aux_floats(const nn_layer *L)
{
    conv_geom g = geom_of(L);
    return (int64_t)g.K * g.out;
}

/* col [max_batch x P x K], then zT / dzT [max_batch x P x out] */
static int64_t scratch_floats(const nn_layer *L, int max_batch)
{
    conv_geom g = geom_of(L);
    return (int64_t)max_batch * g.P * ((int64_t)g.K + g.out);
}

static void init(nn_layer *L, uint32_t rng[4])
{
    conv_geom g = geom_of(L);
    int relu = L->act == NN_ACT_RELU || L->act == NN_ACT_LEAKY_RELU;
    double fan_in = (double)g.K, fan_out = (double)g.out * g.kh * g.kw;
    float bound = (float)sqrt(6.0 / (relu ? fan_in : fan_in + fan_out));
    for (int64_t i = 0; i < (int64_t)g.out * g.K; i++)
        L->p[0][i] = nn_rng_uniform(rng, bound);
    memset(L->p[1], 0, (size_t)g.out * sizeof(float));
}

static void forward(const nn_layer *L, float *out, const float *in, int batch)
{
    conv_geom g = geom_of(L);
    float *col = L->scratch, *t = col + (int64_t)batch * g.P * g.K;
    for (int b = 0; b < batch; b++)
        im2col(col + (int64_t)b * g.P * g.K, in + (int64_t)b * L->in_size, &g);
    nn_gemm(t, col, g.K, 1, L->aux, L->p[1], batch * g.P, g.out, g.K);
    for (int b = 0; b < batch; b++)
        nn_transpose(out + (int64_t)b * L->out_size, t + (int64_t)b * g.P * g.out, g.P, g.out);
}

static void backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    (void)in; /* its im2col is still in scratch from the forward */
    conv_geom g = geom_of(L);
    int rows = batch * g.P;
    float *col = L->scratch, *t = col + (int64_t)batch * g.P * g.K;
    for (int b = 0; b < batch; b++)
        nn_transpose(t + (int64_t)b * g.P * g.out, dout + (int64_t)b * L->out_size, g.out, g.P);
    /* dW[o][k] = sum over rows r of dzT[r][o] * col[r][k]: dzT read transposed */
    nn_gemm(L->g[0], t, 1, g.out, col, 0, g.out, g.K, rows);
    nn_col_sums(L->g[1], t, rows, g.out);
    if (!din)
        return;
    /* dcol = dzT . W, into col (no longer needed) */
    nn_gemm(col, t, g.out, 1, L->p[0], 0, rows, g.K, g.out);
    for (int b = 0; b < batch; b++)
        col2im(din + (int64_t)b * L->in_size, col + (int64_t)b * g.P * g.K, &g);
}

static void sync(nn_layer *L)
{
    conv_geom g = geom_of(L);
    nn_transpose(L->aux, L->p[0], g.out, g.K);
}

const nn_layer_kind nn_layer_conv2d = {
    "conv2d", check, blocks, aux_floats, scratch_floats, init, forward, backward, sync,
};
