/* layer.h — the table of layer kinds. Internal, not ABI.
 *
 * A layer kind is one C file (layer_<kind>.c) defining one nn_layer_kind and
 * one entry in nn_layer_kinds() (layer.c). The model never knows what a
 * kind computes: it asks the kind for its output shape, its parameter blocks
 * and its buffer sizes, carves them in one arena (model.c's layout), and
 * calls forward/backward over flat float arrays. The activation is applied
 * by the model after the kind's forward (and its derivative before the
 * kind's backward), so every kind gets every activation for free. */
#ifndef NN_LAYER_H
#define NN_LAYER_H

#include <stdint.h>
#include "nn_internal.h"

#define NN_MAX_BLOCKS 4 /* parameter blocks per layer (RNN, LSTM: 4) */
#define NN_KIND_INTS (NN_DESC_INTS - 2) /* kind-specific descriptor ints */

/* Channels x height x width; a flat vector is c x 1 x 1, a sequence is
 * time x features x 1. */
typedef struct {
    int c, h, w;
} nn_shape;

/* One parameter block in PyTorch's layout: dims[0..ndims-1] (unused dims are
 * 1, so their product is the length). decay: L1/L2 applies (weights, not
 * biases). */
typedef struct {
    int ndims;
    int dims[4];
    int decay;
} nn_block_spec;

typedef struct nn_layer nn_layer;

typedef struct {
    const char *name;
    /* cfg: the descriptor's kind-specific ints. NN_OK and *out set, or why
     * not (NN_ERR_SIZE, NN_ERR_LAYER_CONFIG, NN_ERR_TOO_LARGE). Sizes are
     * multiplied in 64 bits; an output holds at most NN_MAX_WIDTH values. */
    int (*check)(const int32_t *cfg, nn_shape in, nn_shape *out);
    /* The members below marked "NULL: none" may be NULL for a kind without
     * parameters or buffers (max-pool, flatten).
     * Fills spec[0..n-1] for a checked layer; returns n <= NN_MAX_BLOCKS
     * (NULL: none). */
    int (*blocks)(const nn_layer *L, nn_block_spec *spec);
    /* Floats of state derived from the parameters, rebuilt by sync (NULL: none). */
    int64_t (*aux_floats)(const nn_layer *L);
    /* Floats of backward scratch, for max_batch rows (NULL: none). */
    int64_t (*scratch_floats)(const nn_layer *L, int max_batch);
    /* Draws the parameters from rng; the activation picks the bound (NULL: none). */
    void (*init)(nn_layer *L, uint32_t rng[4]);
    /* out [batch x out_size] = the layer (pre-activation) of in [batch x in_size] */
    void (*forward)(const nn_layer *L, float *out, const float *in, int batch);
    /* Overwrites L->g[] from dout [batch x out_size] (dL/d pre-activation)
     * and in [batch x in_size]; din [batch x in_size] = dL/d in, or NULL
     * when nobody needs it. */
    void (*backward)(nn_layer *L, float *din, const float *dout, const float *in, int batch);
    /* Parameters changed: rebuild aux (NULL: nothing derived). */
    void (*sync)(nn_layer *L);
    /* ---- sequences (members a kind without them leaves out: NULL) ----
     * Output rows per example: softmax and cross-entropy work per row of
     * out_size / steps values (NULL: 1, the whole output is one row). */
    int (*steps)(const nn_layer *L);
    /* Floats of carried state per batch row (NULL: none). The model keeps
     * [max_batch x state_floats] at L->state; with L->carry the forward
     * starts from it and leaves the final state there. */
    int (*state_floats)(const nn_layer *L);
    /* z [out_size] for one example in double (nn_finite_difference);
     * w: all parameters as doubles; state0: the example's carried state
     * row or NULL for zeros. NN_OK or NN_ERR_NOMEM. Written from the
     * definition, apart from the float32 code it checks. (NULL:
     * nn_finite_difference refuses the model with NN_ERR_KIND.) */
    int (*forward_f64)(const nn_layer *L, const double *w, double *z, const double *in,
                       const float *state0);
    /* Per-step views of the last forward/backward of one example (batch 1):
     * their float count, and the views into out (NULL: none). */
    int64_t (*view_floats)(const nn_layer *L);
    void (*views)(const nn_layer *L, float *out);
    /* The math of each step of that pass (nn_sequence_math): its float
     * count and the views into out (NULL: none). */
    int64_t (*math_floats)(const nn_layer *L);
    void (*math_views)(const nn_layer *L, float *out);
} nn_layer_kind;

struct nn_layer {
    const nn_layer_kind *kind;
    int32_t desc[NN_DESC_INTS]; /* as given: kind, activation, kind ints */
    int act;
    int index;             /* 0: its input is the model's input */
    nn_shape in, out;
    int in_size, out_size; /* c*h*w */
    int n_blocks;
    nn_block_spec block[NN_MAX_BLOCKS];
    int64_t block_len[NN_MAX_BLOCKS];
    int64_t param_offset;  /* of block 0 in the flat parameter array */
    float *p[NN_MAX_BLOCKS]; /* into params */
    float *g[NN_MAX_BLOCKS]; /* into grads */
    float *z;       /* pre-activations [max_batch x out_size] */
    float *a;       /* outputs [max_batch x out_size]; == z for linear */
    float *aux;     /* [kind->aux_floats] */
    float *scratch; /* [kind->scratch_floats], NULL when 0 */
    int steps;        /* kind->steps, or 1 */
    int state_floats; /* kind->state_floats per batch row, or 0 */
    float *state;     /* [max_batch x state_floats], NULL when 0 */
    int carry;        /* the model is stateful: start from and leave state */
};

/* The kind for a descriptor's kind value, or NULL when unknown. */
const nn_layer_kind *nn_layer_kind_of(int kind);

/* ---- the kinds ---- */
extern const nn_layer_kind nn_layer_dense;
extern const nn_layer_kind nn_layer_conv2d;
extern const nn_layer_kind nn_layer_maxpool;
extern const nn_layer_kind nn_layer_flatten;
extern const nn_layer_kind nn_layer_rnn;
extern const nn_layer_kind nn_layer_lstm;

/* ---- the step's calls, with dense called directly ----
 * The model runs every layer through these. A dense layer skips the table:
 * on the playground's 8-unit layers an indirect call and a wrapper per layer,
 * three times a step, cost about 3 % in WASM (V8 inlines no WASM call, and
 * wasm-opt inlines no function the table holds), so dense's forward, backward
 * and sync are inline here, down to their kernel calls; layer_dense.c's table
 * entry wraps them for everyone else. */

/* z [rows x units] = in [rows x F] . W^T + b, with aux = W^T [F x units];
 * rows = batch (flat: F = in_size) or batch x T (per step) */
static inline void nn_dense_forward(const nn_layer *L, float *out, const float *in, int batch)
{
    int n_in = L->block[0].dims[1], n_out = L->block[0].dims[0];
    nn_gemm(out, in, n_in, 1, L->aux, L->p[1], batch * L->steps, n_out, n_in);
}

/* aux = W^T */
static inline void nn_dense_sync(nn_layer *L)
{
    nn_transpose(L->aux, L->p[0], L->block[0].dims[0], L->block[0].dims[1]);
}

/* 1 when at least half of v[n] is zero (e.g. MNIST pixels: 81%). */
static inline int nn_mostly_zero(const float *v, long n)
{
    long zeros = 0;
    for (long i = 0; i < n; i++)
        zeros += v[i] == 0.0f;
    return 2 * zeros >= n;
}

/* dx [batch x in] (din, may be NULL), dW [out x in], db [out] from
 * dz [batch x out] (dout), x [batch x in] (in), W [out x in]; overwrites dW
 * and db. The scratch [in x out] (the model's input layer only) lets a
 * mostly-zero or narrow x take the transposed product; both ways sum the same
 * products in the same order. */
static inline void nn_dense_backward(nn_layer *L, float *din, const float *dout, const float *in,
                                     int batch)
{
    int n_in = L->block[0].dims[1], n_out = L->block[0].dims[0];
    batch *= L->steps; /* per step: batch x T rows of F */
    /* dx[i][k] = sum_j dz[i][j] * w[j][k] */
    if (din)
        nn_gemm(din, dout, n_out, 1, L->p[0], 0, batch, n_in, n_out);
    if (L->scratch && ((n_in < 8 && n_out == 8) || nn_mostly_zero(in, (long)batch * n_in))) {
        /* the same sums as [in x out]: dwt[k][j] = sum_i x[i][k] * dz[i][j]; x
         * is now the operand whose zero runs nn_gemm skips, and a narrow
         * input (the playground's x1, x2) needs no padding as the left operand */
        nn_gemm(L->scratch, in, 1, n_in, dout, 0, n_in, n_out, batch);
        nn_transpose(L->g[0], L->scratch, n_in, n_out);
    } else {
        /* dw[j][k] = sum_i dz[i][j] * x[i][k]: dz read transposed through strides */
        nn_gemm(L->g[0], dout, 1, n_out, in, 0, n_out, n_in, batch);
    }
    /* db[j] = sum_i dz[i][j] */
    nn_col_sums(L->g[1], dout, batch, n_out);
}

static inline void nn_layer_forward(const nn_layer *L, float *out, const float *in, int batch)
{
    if (L->kind == &nn_layer_dense)
        nn_dense_forward(L, out, in, batch);
    else
        L->kind->forward(L, out, in, batch);
}

static inline void nn_layer_backward(nn_layer *L, float *din, const float *dout, const float *in,
                                     int batch)
{
    if (L->kind == &nn_layer_dense)
        nn_dense_backward(L, din, dout, in, batch);
    else
        L->kind->backward(L, din, dout, in, batch);
}

/* Rebuilds L's derived state after its parameters changed. */
static inline void nn_layer_sync(nn_layer *L)
{
    if (L->kind == &nn_layer_dense)
        nn_dense_sync(L);
    else if (L->kind->sync)
        L->kind->sync(L);
}

#endif /* NN_LAYER_H */
