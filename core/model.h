/* model.h — the model struct, shared by model.c (construction, layout,
 * initialisation), train.c (forward, backward, training) and params.c
 * (parameter access). Internal, not ABI. */
#ifndef NN_MODEL_H
#define NN_MODEL_H

#include <stddef.h>
#include "layer.h"

struct nn_model {
    int n_layers;
    nn_layer layer[NN_MAX_LAYERS];
    nn_shape in_shape;
    int in_size;   /* c*h*w of the input */
    int out_size;  /* the last layer's out_size */
    int loss;
    int max_batch;
    int max_width; /* widest of the input and every layer's output */
    int status;    /* of the last call */
    int param_count;
    uint32_t rng[4];
    nn_optim_state opt;

    float *arena;  /* the one allocation; every pointer points into it */
    float *params; /* [param_count], per layer its blocks in order */
    float *grads;  /* [param_count], same layout */
    float *s1, *s2;/* [param_count] optimizer buffers (momentum / Adam m, v) */
    float *d0, *d1;/* gradient ping-pong [max_batch x max_width] */
    float *xb, *yb;/* gathered batch [max_batch x in_size], [max_batch x out_size] */

    /* the split step's state (nn_forward_train, nn_backward, nn_update) */
    int train_rows;      /* rows of the kept forward_train in xb, 0: none */
    int grads_ready;     /* a backward since the last update */
    float grads_loss;    /* its loss (0 from a caller's output gradient) */
    const float *input_grad; /* d0 or d1 after a backward that computed it */

    /* sequences (version 6) */
    float clip_norm;  /* nn_set_clip_norm's max_norm, 0: off */
    float grad_norm;  /* the last update's global gradient norm, unless pending */
    int grad_norm_pending; /* 1: an unclipped update left grads as it used them;
                            * nn_grad_norm measures them, nn_keep_grad_norm
                            * before anything overwrites them */
    int stateful;     /* nn_set_stateful */
};

/* Fills m's layers, shapes and sizes from n descriptors (n x NN_DESC_INTS
 * ints) over in_shape (3 ints), and checks them, the loss and max_batch:
 * NN_OK or the first problem. Allocates nothing; m needs no arena. */
int nn_model_describe(nn_model *m, int n, const int32_t *desc, const int32_t *in_shape,
                      int loss, int max_batch);
/* Rebuilds every layer's derived state (e.g. dense W^T) from params. */
void nn_model_sync(nn_model *m);
/* Measures the gradients' global norm into m->grad_norm and, with a clip
 * norm set, scales them as torch.nn.utils.clip_grad_norm_ (sequence.c). */
void nn_clip_gradients(nn_model *m);
/* Measures a pending norm (see grad_norm_pending) before m->grads change. */
void nn_keep_grad_norm(nn_model *m);
/* 1 when all n values are finite. */
int nn_all_finite(const float *v, size_t n);

#endif /* NN_MODEL_H */
