/* model.c — validation, construction (one arena), initialisation, and
 * access to parameters. Training lives in train.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

int nn_abi_version(void)
{
    return NN_ABI_VERSION;
}

const char *nn_status_str(int status)
{
    switch (status) {
    case NN_OK: return "ok";
    case NN_ERR_NULL: return "a required pointer is NULL";
    case NN_ERR_LAYERS: return "the number of layers must be between 1 and 64";
    case NN_ERR_SIZE: return "every layer size must be between 1 and 1048576";
    case NN_ERR_ACTIVATION: return "unknown activation";
    case NN_ERR_SOFTMAX_HIDDEN: return "softmax is only allowed on the output layer";
    case NN_ERR_LOSS: return "unknown loss";
    case NN_ERR_LOSS_OUTPUT: return "the loss does not fit the output activation (BCE needs sigmoid, cross-entropy needs softmax)";
    case NN_ERR_TOO_LARGE: return "the model is too large (more than 2^27 floats)";
    case NN_ERR_BATCH: return "the batch size or example count is out of range (1..max_batch)";
    case NN_ERR_NOMEM: return "out of memory";
    case NN_ERR_NONFINITE: return "an input, target or hyperparameter is NaN or infinite";
    case NN_ERR_OPTIMIZER: return "unknown optimizer or a hyperparameter out of range";
    case NN_ERR_REGULARIZATION: return "unknown regularisation or a rate that is negative or not finite";
    case NN_ERR_INDEX: return "an index or count is out of range";
    case NN_ERR_DIVERGED: return "training diverged: the loss or gradients became NaN or infinite";
    default: return "unknown status";
    }
}

static int valid_activation(int a)
{
    return a >= NN_ACT_LINEAR && a <= NN_ACT_SOFTMAX;
}

int64_t nn_model_floats(int n_layers, const int *sizes, const int *act, int max_batch)
{
    int64_t params = 0, weights = 0, acts = 0, max_width = 0;
    for (int l = 0; l < n_layers; l++) {
        int64_t in = sizes[l], out = sizes[l + 1];
        weights += in * out;
        params += in * out + out;
        acts += (int64_t)max_batch * out * (act[l] == NN_ACT_LINEAR ? 1 : 2);
    }
    for (int l = 0; l <= n_layers; l++)
        if (sizes[l] > max_width)
            max_width = sizes[l];
    if (params > NN_MAX_FLOATS) /* keeps the sum below from overflowing */
        return -1;
    int64_t total = 4 * params + weights + acts + 2 * (int64_t)max_batch * max_width +
                    (int64_t)max_batch * (sizes[0] + sizes[n_layers]) + (int64_t)sizes[0] * sizes[1];
    return total > NN_MAX_FLOATS ? -1 : total;
}

int nn_check_config(int n_layers, const int *sizes, const int *activations,
                    int loss, int max_batch)
{
    if (n_layers < 1 || n_layers > NN_MAX_LAYERS)
        return NN_ERR_LAYERS;
    if (!sizes || !activations)
        return NN_ERR_NULL;
    for (int l = 0; l <= n_layers; l++)
        if (sizes[l] < 1 || sizes[l] > NN_MAX_WIDTH)
            return NN_ERR_SIZE;
    for (int l = 0; l < n_layers; l++) {
        if (!valid_activation(activations[l]))
            return NN_ERR_ACTIVATION;
        if (activations[l] == NN_ACT_SOFTMAX && l != n_layers - 1)
            return NN_ERR_SOFTMAX_HIDDEN;
    }
    if (loss < NN_LOSS_MSE || loss > NN_LOSS_CE)
        return NN_ERR_LOSS;
    int out_act = activations[n_layers - 1];
    if ((loss == NN_LOSS_BCE && out_act != NN_ACT_SIGMOID) ||
        (loss == NN_LOSS_CE && out_act != NN_ACT_SOFTMAX))
        return NN_ERR_LOSS_OUTPUT;
    if (max_batch < 1 || max_batch > NN_MAX_BATCH)
        return NN_ERR_BATCH;
    if (nn_model_floats(n_layers, sizes, activations, max_batch) < 0)
        return NN_ERR_TOO_LARGE;
    return NN_OK;
}

nn_model *nn_create(int n_layers, const int *sizes, const int *activations,
                    int loss, unsigned seed, int max_batch)
{
    if (nn_check_config(n_layers, sizes, activations, loss, max_batch) != NN_OK)
        return NULL;
    nn_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    size_t total = (size_t)nn_model_floats(n_layers, sizes, activations, max_batch);
    m->arena = calloc(total, sizeof(float));
    if (!m->arena) {
        free(m);
        return NULL;
    }
    m->n_layers = n_layers;
    m->loss = loss;
    m->max_batch = max_batch;
    for (int l = 0; l <= n_layers; l++) {
        m->sizes[l] = sizes[l];
        if (sizes[l] > m->max_width)
            m->max_width = sizes[l];
    }
    int count = 0;
    for (int l = 0; l < n_layers; l++) {
        m->act[l] = activations[l];
        count += sizes[l] * sizes[l + 1] + sizes[l + 1];
    }
    m->param_count = count;

    float *p = m->arena;
    m->params = p, p += count;
    m->grads = p, p += count;
    m->s1 = p, p += count;
    m->s2 = p, p += count;
    size_t off = 0;
    for (int l = 0; l < n_layers; l++) {
        size_t in = (size_t)sizes[l], out = (size_t)sizes[l + 1];
        m->w[l] = m->params + off;
        m->gw[l] = m->grads + off;
        m->b[l] = m->params + off + in * out;
        m->gb[l] = m->grads + off + in * out;
        off += in * out + out;
        m->wt[l] = p, p += in * out;
    }
    for (int l = 0; l < n_layers; l++) {
        size_t block = (size_t)max_batch * (size_t)sizes[l + 1];
        m->z[l] = p, p += block;
        if (activations[l] == NN_ACT_LINEAR)
            m->a[l] = m->z[l];
        else
            m->a[l] = p, p += block;
    }
    m->d0 = p, p += (size_t)max_batch * m->max_width;
    m->d1 = p, p += (size_t)max_batch * m->max_width;
    m->xb = p, p += (size_t)max_batch * sizes[0];
    m->yb = p, p += (size_t)max_batch * sizes[n_layers];
    m->dwt0 = p, p += (size_t)sizes[0] * (size_t)sizes[1];

    m->opt.kind = NN_OPT_SGD;
    m->opt.lr = 0.01f;
    m->opt.beta1 = 0.9f;
    m->opt.beta2 = 0.999f;
    m->opt.eps = 1e-8f;
    m->opt.reg_kind = NN_REG_NONE;
    nn_reset(m, seed);
    return m;
}

void nn_destroy(nn_model *m)
{
    if (!m)
        return;
    free(m->arena);
    free(m);
}

static void clear_optimizer_state(nn_model *m)
{
    memset(m->s1, 0, (size_t)m->param_count * sizeof(float));
    memset(m->s2, 0, (size_t)m->param_count * sizeof(float));
    m->opt.step = 0;
}

void nn_model_sync_transposed(nn_model *m)
{
    for (int l = 0; l < m->n_layers; l++)
        nn_transpose(m->wt[l], m->w[l], m->sizes[l + 1], m->sizes[l]);
}

int nn_all_finite(const float *v, size_t n)
{
    /* x - x is 0 for finite x and NaN for NaN or Inf; OR-ing the test into
     * one flag keeps the loop branch-free and vectorisable. */
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= !(v[i] - v[i] == 0.0f);
    return !bad;
}

int nn_reset(nn_model *m, unsigned seed)
{
    if (!m)
        return NN_ERR_NULL;
    nn_rng_seed(m->rng, (uint64_t)seed);
    for (int l = 0; l < m->n_layers; l++) {
        int in = m->sizes[l], out = m->sizes[l + 1];
        int relu = m->act[l] == NN_ACT_RELU || m->act[l] == NN_ACT_LEAKY_RELU;
        double fan = relu ? (double)in : (double)in + (double)out;
        float bound = (float)sqrt(6.0 / fan);
        for (int i = 0; i < in * out; i++)
            m->w[l][i] = nn_rng_uniform(m->rng, bound);
        memset(m->b[l], 0, (size_t)out * sizeof(float));
    }
    clear_optimizer_state(m);
    memset(m->grads, 0, (size_t)m->param_count * sizeof(float));
    nn_model_sync_transposed(m);
    return m->status = NN_OK;
}

int nn_status(const nn_model *m)
{
    return m ? m->status : NN_ERR_NULL;
}

int nn_set_optimizer(nn_model *m, int kind, float lr, float beta1, float beta2, float eps)
{
    if (!m)
        return NN_ERR_NULL;
    if (kind < NN_OPT_SGD || kind > NN_OPT_ADAM)
        return m->status = NN_ERR_OPTIMIZER;
    if (!isfinite(lr) || (kind != NN_OPT_SGD && !isfinite(beta1)) ||
        (kind == NN_OPT_ADAM && (!isfinite(beta2) || !isfinite(eps))))
        return m->status = NN_ERR_NONFINITE;
    if (!(lr > 0.0f) || (kind != NN_OPT_SGD && !(beta1 >= 0.0f && beta1 < 1.0f)) ||
        (kind == NN_OPT_ADAM && !(beta2 >= 0.0f && beta2 < 1.0f && eps > 0.0f)))
        return m->status = NN_ERR_OPTIMIZER;
    if (kind != m->opt.kind) {
        clear_optimizer_state(m);
        m->opt.kind = kind;
    }
    m->opt.lr = lr;
    if (kind != NN_OPT_SGD)
        m->opt.beta1 = beta1;
    if (kind == NN_OPT_ADAM) {
        m->opt.beta2 = beta2;
        m->opt.eps = eps;
    }
    return m->status = NN_OK;
}

int nn_set_regularization(nn_model *m, int kind, float rate)
{
    if (!m)
        return NN_ERR_NULL;
    if (kind < NN_REG_NONE || kind > NN_REG_L2 || !isfinite(rate) || rate < 0.0f)
        return m->status = NN_ERR_REGULARIZATION;
    m->opt.reg_kind = kind;
    m->opt.reg_rate = rate;
    return m->status = NN_OK;
}
