/* conv2d_backward.c — the conv2d kind's sparse backward (layer_conv2d.c
 * picks it per example when few of dz's entries are non-zero: a max-pool
 * after the conv passes on one gradient per window, ReLU zeroes more). */
#include <string.h>
#include "conv2d.h"
#include "vec4.h"

/* d[i] += g * s[i] for i < n: one window row, four at a time (each element
 * still gets one product and one sum, as scalar code would). */
static inline void row_axpy(float *restrict d, const float *restrict s, float g, int n)
{
    v4 gv = {g, g, g, g};
    int i = 0;
    for (; i + 4 <= n; i += 4)
        st4(d + i, ld4(d + i) + gv * ld4(s + i));
    for (; i < n; i++)
        d[i] += g * s[i];
}

/* The window rows of one non-zero dz entry gv at (iy0, ix0) of xp (see
 * nn_conv2d_backward_sparse); kw is a constant where the caller passes one. */
static inline void scatter_window(const nn_conv_geom *g, float *dwo, float *dxp, const float *wo,
                                  const float *xp, const float *range, float gv, int iy0,
                                  int ix0, int kw)
{
    int hp = g->h + 2 * g->pad, wp = g->w + 2 * g->pad;
    float lo_max = (float)(ix0 + kw), hi_min = (float)ix0;
    for (int ci = 0; ci < g->c; ci++)
        for (int ky = 0; ky < g->kh; ky++) {
            long k = ((long)ci * g->kh + ky) * kw, r = (long)ci * hp + iy0 + ky;
            if (range[2 * r + 1] > hi_min && range[2 * r] < lo_max)
                row_axpy(dwo + k, xp + r * wp + ix0, gv, kw);
            if (dxp)
                row_axpy(dxp + r * wp + ix0, wo + k, gv, kw);
        }
}

/* One example's dW [out x K] (overwritten) and, when dxp is not NULL, the
 * gradient of the zero-bordered input dxp [c x hp x wp] (overwritten),
 * visiting only the non-zero entries of dz [out x P]: each is one window of
 * xp (the bordered input, row ranges in range) to add into dW's row and one
 * window of dxp to add W's row into. Sums over positions run in the dense
 * path's order; the border and the input's all-zero rows only add zeros to
 * dW (skipped: a sum that starts at +0 never changes by a zero). For a dz
 * that is mostly zero: a max-pool after the conv passes on one gradient per
 * window, ReLU zeroes more. */
void nn_conv2d_backward_sparse(const nn_conv_geom *geom, float *dw, float *dxp, const float *dz,
                               const float *xp, const float *range, const float *w)
{
    const nn_conv_geom local = *geom, *g = &local; /* in registers (see nn_conv2d_forward_direct) */
    int hp = g->h + 2 * g->pad, wp = g->w + 2 * g->pad;
    memset(dw, 0, (size_t)g->out * g->K * sizeof(float));
    if (dxp)
        memset(dxp, 0, (size_t)g->c * hp * wp * sizeof(float));
    for (int o = 0; o < g->out; o++) {
        float *dwo = dw + (long)o * g->K;
        const float *wo = w + (long)o * g->K;
        for (int oy = 0; oy < g->oh; oy++)
            for (int ox = 0; ox < g->ow; ox++) {
                float gv = dz[((long)o * g->oh + oy) * g->ow + ox];
                if (gv == 0.0f)
                    continue;
                int iy0 = oy * g->stride, ix0 = ox * g->stride;
                if (g->kw == 5)
                    scatter_window(g, dwo, dxp, wo, xp, range, gv, iy0, ix0, 5);
                else
                    scatter_window(g, dwo, dxp, wo, xp, range, gv, iy0, ix0, g->kw);
            }
    }
}
