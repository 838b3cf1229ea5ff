/* conv2d_forward.c — the conv2d kind's direct forward (layer_conv2d.c picks
 * it: stride 1, at least 4 channels and 8 output columns, every preset).
 * No im2col matrix: the input is copied once with its zero border
 * (nn_conv2d_pad_input, which the sparse backward shares) and the 4-channel
 * x 8-column blocks of each output row read their windows from there. */
#include <string.h>
#include "conv2d.h"
#include "vec4.h"

static inline int nonzero(float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return (u & 0x7fffffffu) != 0; /* +0 and -0 are both zero */
}

/* The direct forward (stride 1, at least 4 channels and 8 output columns):
 * no im2col matrix. The input is copied once into xp [c x hp x wp] with its
 * zero border, and each output row's window rows are read from there in
 * place. range [c x hp x 2] holds each row of xp's non-zero columns [lo, hi)
 * (as floats, exact), so a window row that is all zero (blank MNIST rows,
 * the border) is skipped: its products are zeros, and adding a zero to a
 * sum that starts at +0 never changes it, so the result is bit for bit the
 * product's. */
const float *nn_conv2d_pad_input(const nn_conv_geom *geom, float *xp, float *range, const float *x)
{
    const nn_conv_geom local = *geom, *g = &local; /* in registers (see nn_conv2d_forward_direct) */
    int hp = g->h + 2 * g->pad, wp = g->w + 2 * g->pad;
    const float *src = x;
    if (g->pad) {
        memset(xp, 0, (size_t)g->c * hp * wp * sizeof(float));
        for (int ci = 0; ci < g->c; ci++)
            for (int iy = 0; iy < g->h; iy++)
                memcpy(xp + ((long)ci * hp + iy + g->pad) * wp + g->pad,
                       x + ((long)ci * g->h + iy) * g->w, (size_t)g->w * sizeof(float));
        src = xp;
    }
    for (long r = 0; r < (long)g->c * hp; r++) {
        const float *row = src + r * wp;
        int lo = wp, hi = 0;
        for (int i = 0; i < wp; i++)
            if (nonzero(row[i])) {
                lo = lo < i ? lo : i;
                hi = i + 1;
            }
        range[2 * r] = (float)lo;
        range[2 * r + 1] = (float)hi;
    }
    return src;
}

/* acc += the products of one window row: 4 channels (weights w, channel
 * stride K) x 4*nv output columns (input row xr; acc[2i + v] holds channel
 * i's vector v). kw and nv are constants where the caller passes them. */
static inline void window_row(v4 acc[8], const float *xr, const float *w, long K, int kw, int nv)
{
    for (int kx = 0; kx < kw; kx++) {
        v4 b0 = ld4(xr + kx);
        float a0 = w[kx], a1 = w[K + kx], a2 = w[2 * K + kx], a3 = w[3 * K + kx];
        acc[0] += a0 * b0;
        acc[2] += a1 * b0;
        acc[4] += a2 * b0;
        acc[6] += a3 * b0;
        if (nv == 2) {
            v4 b1 = ld4(xr + kx + 4);
            acc[1] += a0 * b1;
            acc[3] += a1 * b1;
            acc[5] += a2 * b1;
            acc[7] += a3 * b1;
        }
    }
}

/* Output row oy, columns ox0 .. ox0 + 4*nv - 1, channels o0 .. o0 + 3 of z
 * [out x P]: each sum over k = (c, ky, kx) in ascending order from 0, then
 * + bias (bias4: o0's four biases, each in all lanes). */
static inline void output_block(const nn_conv_geom *g, float *z, const float *xp, const float *range,
                                const float *wo, const v4 bias4[4], int o0, int oy, int ox0, int nv)
{
    int hp = g->h + 2 * g->pad, wp = g->w + 2 * g->pad, span = 4 * nv + g->kw - 1;
    long K = g->K;
    v4 acc[8] = {{0}};
    for (int ci = 0; ci < g->c; ci++)
        for (int ky = 0; ky < g->kh; ky++) {
            long r = (long)ci * hp + oy + ky;
            if (range[2 * r + 1] <= (float)ox0 || range[2 * r] >= (float)(ox0 + span))
                continue;
            const float *xr = xp + r * wp + ox0, *wr = wo + ((long)ci * g->kh + ky) * g->kw;
            if (g->kw == 5)
                window_row(acc, xr, wr, K, 5, nv);
            else
                window_row(acc, xr, wr, K, g->kw, nv);
        }
    float *zo = z + (long)o0 * g->P + (long)oy * g->ow + ox0;
    for (int i = 0; i < 4; i++) {
        st4(zo + i * (long)g->P, acc[2 * i] + bias4[i]);
        if (nv == 2)
            st4(zo + i * (long)g->P + 4, acc[2 * i + 1] + bias4[i]);
    }
}

/* z [out x P] = W . windows + bias for one example, in blocks of 4 channels
 * x 8 columns of one output row; a row's last 1-4 columns take a 4-column
 * block, its last 5-7 an 8-column block moved back to end at the edge (it
 * recomputes a few outputs, the same bits); the last channels likewise. */
void nn_conv2d_forward_direct(const nn_conv_geom *geom, float *z, const float *xp, const float *range,
                              const float *w, const float *bias)
{
    /* A copy the compiler keeps in registers: through the pointer, every store
     * of a vector (a memcpy, which may alias anything) would reload the fields. */
    const nn_conv_geom local = *geom, *g = &local;
    int full = g->ow - g->ow % 8, rest = g->ow - full;
    for (int ob = 0; ob < g->out; ob += 4) {
        int o0 = ob + 4 > g->out ? g->out - 4 : ob;
        const float *wo = w + (long)o0 * g->K;
        v4 bias4[4];
        for (int i = 0; i < 4; i++)
            bias4[i] = (v4){bias[o0 + i], bias[o0 + i], bias[o0 + i], bias[o0 + i]};
        for (int oy = 0; oy < g->oh; oy++) {
            for (int ox0 = 0; ox0 < full; ox0 += 8)
                output_block(g, z, xp, range, wo, bias4, o0, oy, ox0, 2);
            if (rest > 4)
                output_block(g, z, xp, range, wo, bias4, o0, oy, g->ow - 8, 2);
            else if (rest > 0)
                output_block(g, z, xp, range, wo, bias4, o0, oy, g->ow - 4, 1);
        }
    }
}
