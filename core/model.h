/* model.h — the model struct, shared by model.c (construction, parameters)
 * and train.c (forward, backward, training). Internal, not ABI. */
#ifndef NN_MODEL_H
#define NN_MODEL_H

#include <stddef.h>
#include "nn_internal.h"

struct nn_model {
    int n_layers;
    int sizes[NN_MAX_LAYERS + 1];
    int act[NN_MAX_LAYERS];
    int loss;
    int max_batch;
    int max_width;
    int status; /* of the last call */
    int param_count;
    uint32_t rng[4];
    nn_optim_state opt;

    float *arena; /* the one allocation; every pointer below points into it */
    float *params; /* [param_count], nn.h's layout */
    float *grads;  /* [param_count], same layout */
    float *s1, *s2;/* [param_count] optimizer buffers (momentum / Adam m, v) */
    float *w[NN_MAX_LAYERS];  /* into params: [out x in] */
    float *b[NN_MAX_LAYERS];  /* into params: [out] */
    float *gw[NN_MAX_LAYERS]; /* into grads */
    float *gb[NN_MAX_LAYERS];
    float *wt[NN_MAX_LAYERS]; /* transposed copies [in x out] for the forward pass */
    float *z[NN_MAX_LAYERS];  /* pre-activations [max_batch x out] */
    float *a[NN_MAX_LAYERS];  /* outputs [max_batch x out]; == z for linear */
    float *d0, *d1;           /* gradient scratch [max_batch x max_width] */
    float *xb, *yb;           /* gathered batch [max_batch x in], [max_batch x outputs] */
    float *dwt0;              /* [sizes[0] x sizes[1]] first layer's weight gradient, transposed */
};

/* Floats the model would own, or -1 past NN_MAX_FLOATS (64-bit math). */
int64_t nn_model_floats(int n_layers, const int *sizes, const int *act, int max_batch);
/* Rebuilds every wt[] from params. */
void nn_model_sync_transposed(nn_model *m);
/* 1 when all n values are finite. */
int nn_all_finite(const float *v, size_t n);

#endif /* NN_MODEL_H */
