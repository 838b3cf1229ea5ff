/* conv2d.h — what the conv2d layer kind (layer_conv2d.c: geometry, the
 * table entry, the im2col paths) shares with its two fast paths, each in its
 * own file: the direct forward (conv2d_forward.c) and the sparse backward
 * (conv2d_backward.c). Internal, not ABI. */
#ifndef NN_CONV2D_H
#define NN_CONV2D_H

#include "layer.h"

typedef struct {
    int c, h, w;          /* input */
    int out, kh, kw, stride, pad;
    int oh, ow;
    int P, K;             /* output positions, values per window */
} nn_conv_geom;

/* ---- conv2d_forward.c ---- */

/* The input x [c x h x w] with its zero border: xp [c x hp x wp] (hp = h +
 * 2 pad, wp = w + 2 pad; x itself when pad is 0, xp then unused), returned;
 * range [c x hp x 2] = each of its rows' non-zero columns [lo, hi) (as
 * floats, exact; lo = wp, hi = 0 for a zero row). */
const float *nn_conv2d_pad_input(const nn_conv_geom *g, float *xp, float *range, const float *x);

/* The direct forward fits: stride 1, at least 4 channels and 8 output columns. */
static inline int nn_conv2d_direct_fits(const nn_conv_geom *g)
{
    return g->stride == 1 && g->out >= 4 && g->ow >= 8;
}

/* z [out x P] = W . windows + bias for one example, from the bordered input
 * xp and its row ranges (nn_conv2d_pad_input); w [out x K], bias [out].
 * Only where nn_conv2d_direct_fits. The same bits as W . colT + bias. */
void nn_conv2d_forward_direct(const nn_conv_geom *g, float *z, const float *xp, const float *range,
                              const float *w, const float *bias);

/* ---- conv2d_backward.c ---- */

/* One example's dW [out x K] (overwritten) and, when dxp is not NULL, the
 * gradient of the bordered input dxp [c x hp x wp] (overwritten), visiting
 * only the non-zero entries of dz [out x P]; xp, range from
 * nn_conv2d_pad_input, w [out x K]. */
void nn_conv2d_backward_sparse(const nn_conv_geom *g, float *dw, float *dxp, const float *dz,
                               const float *xp, const float *range, const float *w);

#endif /* NN_CONV2D_H */
