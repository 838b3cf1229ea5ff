/* layer_conv2d.c — the 2-D convolution layer kind, torch.nn.Conv2d.
 *
 * Descriptor ints: out channels, kernel h, kernel w, stride, padding (zero
 * padding, the same on every side); the other kind ints must be 0 (nn.h
 * lists the limits). Blocks: weight [out x c x kh x kw] (L1/L2 apply), bias
 * [out].
 *
 * The forward (stride 1, at least 4 channels and 8 output columns: every
 * preset) is direct: the input is copied once with its zero border and the
 * 4-channel x 8-column blocks of each output row read their windows from
 * there (conv2d_forward.c). Otherwise, and in the backward, a pass is a product
 * on nn_gemm over an im2col matrix, one example at a time (its matrices stay
 * in cache): colT [K x P] holds, for each weight position k = (c, ky, kx)
 * (K = c*kh*kw), the input value each of the P = oh*ow output positions sees
 * there (0 for padding); with stride 1 a row is a shifted copy of input rows.
 * Per example:
 *   forward   z [out x P]   = W . colT, then + bias per channel
 *   weights   dW [out x K]  += dz . col, col = colT^T [P x K]  (examples in order)
 *   bias      db [out]      += row sums of dz
 *   input     dcol [P x K]  = dz^T . W, added back where it came from (col2im)
 * Both forwards add, per output, the products in ascending k from 0, then
 * the bias: the same bits.
 * dz is the left operand of both backward products: nn_gemm skips its zeros.
 * When few of an example's dz entries are non-zero (SPARSE_RATIO, below; a
 * max-pool follows, ReLU), its backward visits only those entries instead
 * (conv2d_backward.c). */
#include <math.h>
#include <string.h>
#include "conv2d.h"

/* The sparse backward runs when at most 1/SPARSE_RATIO of dz is non-zero:
 * below that it was faster than the dense paths in WASM (cnn-ab.mjs against
 * 1/8: cnn-fast 1.29x, lenet5 1.48x, same process)
 * (0: never; a build flag only to measure both). */
#ifndef SPARSE_RATIO
#define SPARSE_RATIO 4
#endif
/* The pixels-left product (below) beats the sparse backward down to 1/8
 * (bench_cnn: conv1 backward of cnn-fast 660 us against 1,040 us at 1/4);
 * the other dense paths lose to it below 1/4 (lenet5's conv1: 990 us at 1/4,
 * 1,420 us at 1/8). */
#ifndef SPARSE_RATIO_PIXELS
#define SPARSE_RATIO_PIXELS 8
#endif

static nn_conv_geom geom_of(const nn_layer *L)
{
    const int32_t *d = L->desc + 2;
    nn_conv_geom g = {L->in.c, L->in.h, L->in.w, d[0], d[1], d[2], d[3], d[4],
                      L->out.h, L->out.w, 0, 0};
    g.P = g.oh * g.ow;
    g.K = g.c * g.kh * g.kw;
    return g;
}

/* The output columns ox whose input column ox*s + kx - pad lies inside the
 * input: [*lo, *hi). */
static void valid_columns(const nn_conv_geom *g, int kx, int *lo, int *hi)
{
    int first = g->pad - kx; /* smallest ox*s that is inside */
    *lo = first <= 0 ? 0 : (first + g->stride - 1) / g->stride;
    int last = g->w - 1 + g->pad - kx; /* largest ox*s inside */
    *hi = last < 0 ? 0 : last / g->stride + 1;
    if (*hi > g->ow)
        *hi = g->ow;
    if (*lo > *hi)
        *lo = *hi;
}

/* colT [K x P] for one example x [c x h x w]. */
static void im2col(float *colT, const float *x, const nn_conv_geom *g)
{
    for (int ci = 0; ci < g->c; ci++)
        for (int ky = 0; ky < g->kh; ky++)
            for (int kx = 0; kx < g->kw; kx++) {
                float *row = colT + (((long)ci * g->kh + ky) * g->kw + kx) * g->P;
                int lo, hi;
                valid_columns(g, kx, &lo, &hi);
                for (int oy = 0; oy < g->oh; oy++) {
                    float *dst = row + (long)oy * g->ow;
                    int iy = oy * g->stride - g->pad + ky;
                    if (iy < 0 || iy >= g->h) {
                        for (int ox = 0; ox < g->ow; ox++)
                            dst[ox] = 0.0f;
                        continue;
                    }
                    const float *src = x + ((long)ci * g->h + iy) * g->w + kx - g->pad;
                    for (int ox = 0; ox < lo; ox++)
                        dst[ox] = 0.0f;
                    if (g->stride == 1)
                        for (int ox = lo; ox < hi; ox++)
                            dst[ox] = src[ox];
                    else
                        for (int ox = lo; ox < hi; ox++)
                            dst[ox] = src[(long)ox * g->stride];
                    for (int ox = hi; ox < g->ow; ox++)
                        dst[ox] = 0.0f;
                }
            }
}

/* dx [c x h x w] = the sum, over the windows that saw each input value, of
 * dcol [P x K] (one example, a row per output position), added in output,
 * then weight-position order. */
static void col2im_rows(float *dx, const float *dcol, const nn_conv_geom *g)
{
    memset(dx, 0, (size_t)g->c * g->h * g->w * sizeof(float));
    for (int oy = 0; oy < g->oh; oy++) {
        int iy0 = oy * g->stride - g->pad;
        int ky0 = iy0 < 0 ? -iy0 : 0, ky1 = g->h - iy0 < g->kh ? g->h - iy0 : g->kh;
        for (int ox = 0; ox < g->ow; ox++) {
            const float *row = dcol + ((long)oy * g->ow + ox) * g->K;
            int ix0 = ox * g->stride - g->pad;
            int kx0 = ix0 < 0 ? -ix0 : 0, kx1 = g->w - ix0 < g->kw ? g->w - ix0 : g->kw;
            for (int ci = 0; ci < g->c; ci++)
                for (int ky = ky0; ky < ky1; ky++) {
                    const float *src = row + ((long)ci * g->kh + ky) * g->kw;
                    float *dst = dx + ((long)ci * g->h + iy0 + ky) * g->w + ix0;
                    for (int kx = kx0; kx < kx1; kx++)
                        dst[kx] += src[kx];
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
    (void)L;
    return 0;
}

/* Scratch, for one example at a time: colT [K x P] (im2col, or dcol [P x K]
 * in the backward), then col [P x K] or dz^T [P x out], dW [out x K] and
 * dW^T [K x out], then the padded input and its row ranges (the direct
 * forward, the sparse backward), and the sparse backward's padded dx. */
static int64_t scratch_colT(const nn_conv_geom *g)
{
    return (int64_t)g->K * g->P;
}

static int64_t scratch_backward(const nn_conv_geom *g)
{
    int wide = g->K > g->out ? g->K : g->out;
    return (int64_t)g->P * wide + 2 * (int64_t)g->K * g->out;
}

static int64_t scratch_padded(const nn_conv_geom *g)
{
    return (int64_t)g->c * (g->h + 2 * g->pad) * (g->w + 2 * g->pad);
}

static int64_t scratch_ranges(const nn_conv_geom *g)
{
    return 2 * (int64_t)g->c * (g->h + 2 * g->pad);
}

static int64_t scratch_floats(const nn_layer *L, int max_batch)
{
    (void)max_batch;
    nn_conv_geom g = geom_of(L);
    /* the last: the sparse backward's bordered input gradient */
    return scratch_colT(&g) + scratch_backward(&g) + 2 * scratch_padded(&g) + scratch_ranges(&g);
}

static void init(nn_layer *L, uint32_t rng[4])
{
    nn_conv_geom g = geom_of(L);
    int relu = L->act == NN_ACT_RELU || L->act == NN_ACT_LEAKY_RELU;
    double fan_in = (double)g.K, fan_out = (double)g.out * g.kh * g.kw;
    float bound = (float)sqrt(6.0 / (relu ? fan_in : fan_in + fan_out));
    for (int64_t i = 0; i < (int64_t)g.out * g.K; i++)
        L->p[0][i] = nn_rng_uniform(rng, bound);
    memset(L->p[1], 0, (size_t)g.out * sizeof(float));
}

static void forward(const nn_layer *L, float *out, const float *in, int batch)
{
    nn_conv_geom g = geom_of(L);
    const float *bias = L->p[1];
    float *colT = L->scratch, *xp = L->scratch + scratch_colT(&g) + scratch_backward(&g);
    float *range = xp + scratch_padded(&g);
    for (int b = 0; b < batch; b++) {
        float *z = out + (int64_t)b * L->out_size;
        const float *x = in + (int64_t)b * L->in_size;
        if (nn_conv2d_direct_fits(&g)) {
            nn_conv2d_forward_direct(&g, z, nn_conv2d_pad_input(&g, xp, range, x), range, L->p[0],
                                     bias);
            continue;
        }
        im2col(colT, x, &g);
        nn_gemm(z, L->p[0], g.K, 1, colT, 0, g.out, g.P, g.K);
        for (int o = 0; o < g.out; o++)
            for (int p = 0; p < g.P; p++)
                z[(long)o * g.P + p] += bias[o];
    }
}

static void backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    nn_conv_geom g = geom_of(L);
    int wide = g.K > g.out ? g.K : g.out;
    float *colT = L->scratch, *col = colT + scratch_colT(&g), *dwb = col + (int64_t)g.P * wide;
    float *dwT = dwb + (int64_t)g.K * g.out, *xp = dwT + (int64_t)g.K * g.out;
    float *range = xp + scratch_padded(&g), *dxp = range + scratch_ranges(&g);
    float *dw = L->g[0], *db = L->g[1];
    memset(dw, 0, (size_t)g.out * g.K * sizeof(float));
    memset(db, 0, (size_t)g.out * sizeof(float));
    /* The model's input (MNIST pixels: 80% zeros) is sparser than dz: there
     * colT goes left in the weight gradient, when its product is in whole
     * 8-column blocks (measured with cachegrind, README). */
    int pixels_left = L->index == 0 && g.out % 8 == 0;
    for (int b = 0; b < batch; b++) {
        const float *x = in + (int64_t)b * L->in_size;
        const float *dz = dout + (int64_t)b * L->out_size;
        float *dx = din ? din + (int64_t)b * L->in_size : 0;
        long nonzero = 0;
        for (long i = 0; i < L->out_size; i++)
            nonzero += dz[i] != 0.0f;
        int sparse = (pixels_left ? SPARSE_RATIO_PIXELS : SPARSE_RATIO) * nonzero <= L->out_size;
        if (sparse) {
            nn_conv2d_backward_sparse(&g, dwb, dx ? dxp : 0, dz, nn_conv2d_pad_input(&g, xp, range, x),
                                      range, L->p[0]);
            if (dx)
                for (int ci = 0; ci < g.c; ci++)
                    for (int iy = 0; iy < g.h; iy++)
                        memcpy(dx + ((long)ci * g.h + iy) * g.w,
                               dxp + ((long)ci * (g.h + 2 * g.pad) + iy + g.pad) * (g.w + 2 * g.pad) + g.pad,
                               (size_t)g.w * sizeof(float));
        } else if (pixels_left) {
            im2col(colT, x, &g);
            /* dW^T[k][o] = sum_p colT[k][p] * dz[o][p]: the pixels' zero runs
             * are skipped (col's place holds dz^T) */
            float *dzT = col;
            nn_transpose(dzT, dz, g.out, g.P);
            nn_gemm(dwT, colT, g.P, 1, dzT, 0, g.K, g.out, g.P);
            nn_transpose(dwb, dwT, g.K, g.out);
        } else {
            /* dz is the left operand of both products, so nn_gemm skips the
             * positions (dW) and channels (dcol) where four of its rows are 0 */
            im2col(colT, x, &g);
            nn_transpose(col, colT, g.K, g.P);
            /* dW[o][k] = sum_p dz[o][p] * col[p][k] */
            nn_gemm(dwb, dz, g.P, 1, col, 0, g.out, g.K, g.P);
        }
        if (dx && !sparse) { /* dcol[p][k] = sum_o dz[o][p] * W[o][k], into colT's place (used) */
            nn_gemm(colT, dz, 1, g.P, L->p[0], 0, g.P, g.K, g.out);
            col2im_rows(dx, colT, &g);
        }
        for (long i = 0; i < (long)g.out * g.K; i++)
            dw[i] += dwb[i];
        for (int o = 0; o < g.out; o++) {
            float sum = 0.0f;
            for (int p = 0; p < g.P; p++)
                sum += dz[(long)o * g.P + p];
            db[o] += sum;
        }
    }
}

/* z = the layer in double for one example (nn_finite_difference), straight
 * from the definition: weight [out x c x kh x kw], bias [out]; zero padding. */
static int forward_f64(const nn_layer *L, const double *w, double *z, const double *in,
                       const float *state0)
{
    (void)state0;
    const int32_t *d = L->desc;
    nn_shape I = L->in, O = L->out;
    int kh = d[3], kw = d[4], st = d[5], pad = d[6];
    const double *W = w + L->param_offset, *b = W + L->block_len[0];
    for (int o = 0; o < O.c; o++)
        for (int oy = 0; oy < O.h; oy++)
            for (int ox = 0; ox < O.w; ox++) {
                double s = b[o];
                for (int c = 0; c < I.c; c++)
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * st - pad + ky;
                        if (iy < 0 || iy >= I.h)
                            continue;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * st - pad + kx;
                            if (ix >= 0 && ix < I.w)
                                s += W[(((int64_t)o * I.c + c) * kh + ky) * kw + kx] *
                                     in[((int64_t)c * I.h + iy) * I.w + ix];
                        }
                    }
                z[((int64_t)o * O.h + oy) * O.w + ox] = s;
            }
    return NN_OK;
}

const nn_layer_kind nn_layer_conv2d = {
    .name = "conv2d", .check = check, .blocks = blocks, .aux_floats = aux_floats,
    .scratch_floats = scratch_floats, .init = init, .forward = forward, .backward = backward,
    .forward_f64 = forward_f64,
};
