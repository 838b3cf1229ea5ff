/* layer_conv2d.c — the 2-D convolution layer kind, torch.nn.Conv2d.
 *
 * Descriptor ints: out channels, kernel h, kernel w, stride, padding (zero
 * padding, the same on every side); the other kind ints must be 0 (nn.h
 * lists the limits). Blocks: weight [out x c x kh x kw] (L1/L2 apply), bias
 * [out].
 *
 * Every pass is a product on nn_gemm over an im2col matrix, one example at a
 * time (its matrices stay in cache): colT [K x P] holds, for each weight
 * position k = (c, ky, kx) (K = c*kh*kw), the input value each of the P =
 * oh*ow output positions sees there (0 for padding); with stride 1 a row is
 * a shifted copy of input rows. Per example:
 *   forward   z [out x P]   = W . colT, then + bias per channel
 *   weights   dW [out x K]  += dz . col, col = colT^T [P x K]  (examples in order)
 *   bias      db [out]      += row sums of dz
 *   input     dcol [P x K]  = dz^T . W, added back where it came from (col2im)
 * dz is the left operand of both backward products: nn_gemm skips its zeros.
 * The backward uses the forward's colT (the model always runs backward on
 * the rows of the forward just before it), so nothing is gathered twice.
 * When at most 1/8 of an example's dz is non-zero (a max-pool follows, ReLU),
 * its backward visits only those entries instead (backward_sparse). */
#include <math.h>
#include <string.h>
#include "layer.h"

/* The sparse backward runs when at most 1/SPARSE_RATIO of dz is non-zero
 * (0: never; a build flag only to measure both). */
#ifndef SPARSE_RATIO
#define SPARSE_RATIO 8
#endif

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

/* The output columns ox whose input column ox*s + kx - pad lies inside the
 * input: [*lo, *hi). */
static void valid_columns(const conv_geom *g, int kx, int *lo, int *hi)
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
static void im2col(float *colT, const float *x, const conv_geom *g)
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
static void col2im_rows(float *dx, const float *dcol, const conv_geom *g)
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

/* colT [max_batch x K x P] from the forward; then, for one example, col [P x
 * K] or dz^T [P x out], dW [out x K] and dW^T [K x out] */
static int64_t scratch_floats(const nn_layer *L, int max_batch)
{
    conv_geom g = geom_of(L);
    int wide = g.K > g.out ? g.K : g.out;
    return (int64_t)max_batch * g.K * g.P + (int64_t)g.P * wide + 2 * (int64_t)g.K * g.out;
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
    const float *bias = L->p[1];
    for (int b = 0; b < batch; b++) {
        float *colT = L->scratch + (int64_t)b * g.K * g.P, *z = out + (int64_t)b * L->out_size;
        im2col(colT, in + (int64_t)b * L->in_size, &g);
        nn_gemm(z, L->p[0], g.K, 1, colT, 0, g.out, g.P, g.K);
        for (int o = 0; o < g.out; o++)
            for (int p = 0; p < g.P; p++)
                z[(long)o * g.P + p] += bias[o];
    }
}

/* d[i] += g * s[i] for i < n: one window row. 5 (the presets' kernels) is
 * written out; a loop of unknown short length costs more than its sums. */
static inline void row_axpy(float *restrict d, const float *restrict s, float g, int n)
{
    if (n == 5) {
        d[0] += g * s[0];
        d[1] += g * s[1];
        d[2] += g * s[2];
        d[3] += g * s[3];
        d[4] += g * s[4];
        return;
    }
    for (int i = 0; i < n; i++)
        d[i] += g * s[i];
}

/* One example's dW [out x K] (overwritten) and, when dx is not NULL, dx
 * [c x h x w] (overwritten), visiting only the non-zero entries of dz [out
 * x P]: each is one window of x to add into dW's row and one window of dx
 * to add W's row into. Sums over positions run in the dense path's order
 * (only zero products are left out). For a dz that is mostly zero: a max-pool
 * after the conv passes on one gradient per window, ReLU zeroes more. */
static void backward_sparse(const conv_geom *g, float *dw, float *dx, const float *dz,
                            const float *x, const float *w)
{
    memset(dw, 0, (size_t)g->out * g->K * sizeof(float));
    if (dx)
        memset(dx, 0, (size_t)g->c * g->h * g->w * sizeof(float));
    for (int o = 0; o < g->out; o++) {
        float *dwo = dw + (long)o * g->K;
        const float *wo = w + (long)o * g->K;
        for (int oy = 0; oy < g->oh; oy++)
            for (int ox = 0; ox < g->ow; ox++) {
                float gv = dz[((long)o * g->oh + oy) * g->ow + ox];
                if (gv == 0.0f)
                    continue;
                int iy0 = oy * g->stride - g->pad, ix0 = ox * g->stride - g->pad;
                int ky0 = iy0 < 0 ? -iy0 : 0, ky1 = g->h - iy0 < g->kh ? g->h - iy0 : g->kh;
                int kx0 = ix0 < 0 ? -ix0 : 0, kx1 = g->w - ix0 < g->kw ? g->w - ix0 : g->kw;
                for (int ci = 0; ci < g->c; ci++)
                    for (int ky = ky0; ky < ky1; ky++) {
                        long k = ((long)ci * g->kh + ky) * g->kw;
                        long at = ((long)ci * g->h + iy0 + ky) * g->w + ix0;
                        row_axpy(dwo + k + kx0, x + at + kx0, gv, kx1 - kx0);
                        if (dx)
                            row_axpy(dx + at + kx0, wo + k + kx0, gv, kx1 - kx0);
                    }
            }
    }
}

static void backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    conv_geom g = geom_of(L);
    int wide = g.K > g.out ? g.K : g.out;
    float *col = L->scratch + (int64_t)batch * g.K * g.P, *dwb = col + (int64_t)g.P * wide;
    float *dwT = dwb + (int64_t)g.K * g.out;
    float *dw = L->g[0], *db = L->g[1];
    memset(dw, 0, (size_t)g.out * g.K * sizeof(float));
    memset(db, 0, (size_t)g.out * sizeof(float));
    /* The model's input (MNIST pixels: 80% zeros) is sparser than dz: there
     * colT goes left in the weight gradient, when its product is in whole
     * 8-column blocks (measured with cachegrind, README). */
    int pixels_left = L->index == 0 && g.out % 8 == 0;
    for (int b = 0; b < batch; b++) {
        float *colT = L->scratch + (int64_t)b * g.K * g.P;
        const float *dz = dout + (int64_t)b * L->out_size;
        float *dx = din ? din + (int64_t)b * L->in_size : 0;
        long nonzero = 0;
        for (long i = 0; i < L->out_size; i++)
            nonzero += dz[i] != 0.0f;
        int sparse = SPARSE_RATIO * nonzero <= L->out_size;
        if (sparse) {
            backward_sparse(&g, dwb, dx, dz, in + (int64_t)b * L->in_size, L->p[0]);
        } else if (pixels_left) {
            /* dW^T[k][o] = sum_p colT[k][p] * dz[o][p]: the pixels' zero runs
             * are skipped (col's place holds dz^T) */
            float *dzT = col;
            nn_transpose(dzT, dz, g.out, g.P);
            nn_gemm(dwT, colT, g.P, 1, dzT, 0, g.K, g.out, g.P);
            nn_transpose(dwb, dwT, g.K, g.out);
        } else {
            /* dz is the left operand of both products, so nn_gemm skips the
             * positions (dW) and channels (dcol) where four of its rows are 0 */
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

const nn_layer_kind nn_layer_conv2d = {
    "conv2d", check, blocks, aux_floats, scratch_floats, init, forward, backward, NULL,
};
