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

#define STR_(x) #x
#define STR(x) STR_(x) /* a limit's digits, so the sentences quote nn.h */

const char *nn_status_str(int status)
{
    switch (status) {
    case NN_OK: return "ok";
    case NN_ERR_NULL: return "a required pointer is NULL";
    case NN_ERR_LAYERS: return "the number of layers must be between 1 and " STR(NN_MAX_LAYERS);
    case NN_ERR_SIZE: return "every layer size and input dimension must be between 1 and " STR(NN_MAX_WIDTH) " (their product too)";
    case NN_ERR_ACTIVATION: return "unknown activation";
    case NN_ERR_SOFTMAX_HIDDEN: return "softmax is only allowed on the output layer";
    case NN_ERR_LOSS: return "unknown loss";
    case NN_ERR_LOSS_OUTPUT: return "the loss does not fit the output activation (BCE needs sigmoid, cross-entropy needs softmax)";
    case NN_ERR_TOO_LARGE: return "the model is too large (more than " STR(NN_MAX_FLOATS) " floats)";
    case NN_ERR_BATCH: return "the batch size or example count is out of range (1..max_batch, max_batch at most " STR(NN_MAX_BATCH) ")";
    case NN_ERR_NOMEM: return "out of memory";
    case NN_ERR_NONFINITE: return "an input, target or hyperparameter is NaN or infinite";
    case NN_ERR_OPTIMIZER: return "unknown optimizer or a hyperparameter out of range";
    case NN_ERR_REGULARIZATION: return "unknown regularisation or a rate that is negative or not finite";
    case NN_ERR_INDEX: return "an index or count is out of range";
    case NN_ERR_DIVERGED: return "training diverged: the loss or gradients became NaN or infinite";
    case NN_ERR_KIND: return "unknown layer kind";
    case NN_ERR_LAYER_CONFIG: return "a layer's kind-specific values do not fit its kind or input (unused descriptor ints must be 0)";
    case NN_ERR_SEQUENCE: return "call order: nn_backward needs nn_forward_train first, nn_update needs a backward since the last update";
    case NN_ERR_FLAGS: return "unknown flag bits";
    case NN_ERR_NO_STATE: return "the model (or this layer) has no recurrent layer (RNN or LSTM) to carry state or show steps";
    case NN_ERR_GAN_PAIR: return "the GAN's networks do not fit together: the discriminator needs one output with a linear activation, the generator's output size must equal the discriminator's input size, and they must be two different models";
    default: return "unknown status";
    }
}

static int valid_activation(int a)
{
    return a >= NN_ACT_LINEAR && a <= NN_ACT_SOFTMAX;
}

/* The one layout of the arena. With base NULL it only counts (and sets the
 * parameter offsets); with base it also points every buffer into it.
 * Returns the float count, or -1 past NN_MAX_FLOATS. 64-bit sizes: with at
 * most NN_MAX_LAYERS layers of blocks below 2^42 floats nothing overflows. */
static int64_t layout(nn_model *m, float *base)
{
    int64_t params = 0;
    for (int l = 0; l < m->n_layers; l++) {
        nn_layer *L = &m->layer[l];
        L->param_offset = params;
        for (int b = 0; b < L->n_blocks; b++)
            params += L->block_len[b];
    }
    if (params > NN_MAX_FLOATS)
        return -1;
    int64_t off = 0;
#define CARVE(ptr, count) ((base ? (void)((ptr) = base + off) : (void)0), off += (count))
    CARVE(m->params, params);
    CARVE(m->grads, params);
    CARVE(m->s1, params);
    CARVE(m->s2, params);
    for (int l = 0; l < m->n_layers && base; l++) {
        nn_layer *L = &m->layer[l];
        int64_t block_off = L->param_offset;
        for (int b = 0; b < L->n_blocks; b++) {
            L->p[b] = m->params + block_off;
            L->g[b] = m->grads + block_off;
            block_off += L->block_len[b];
        }
    }
    for (int l = 0; l < m->n_layers; l++)
        CARVE(m->layer[l].aux, m->layer[l].kind->aux_floats ? m->layer[l].kind->aux_floats(&m->layer[l]) : 0);
    for (int l = 0; l < m->n_layers; l++) {
        nn_layer *L = &m->layer[l];
        int64_t rows = (int64_t)m->max_batch * L->out_size;
        CARVE(L->z, rows);
        if (L->act == NN_ACT_LINEAR)
            L->a = L->z;
        else
            CARVE(L->a, rows);
    }
    CARVE(m->d0, (int64_t)m->max_batch * m->max_width);
    CARVE(m->d1, (int64_t)m->max_batch * m->max_width);
    CARVE(m->xb, (int64_t)m->max_batch * m->in_size);
    CARVE(m->yb, (int64_t)m->max_batch * m->out_size);
    for (int l = 0; l < m->n_layers; l++) {
        nn_layer *L = &m->layer[l];
        int64_t n = L->kind->scratch_floats ? L->kind->scratch_floats(L, m->max_batch) : 0;
        L->scratch = 0;
        if (n > 0)
            CARVE(L->scratch, n);
        L->state = 0;
        if (L->state_floats > 0)
            CARVE(L->state, (int64_t)m->max_batch * L->state_floats);
    }
#undef CARVE
    if (base)
        m->param_count = (int)params;
    return off > NN_MAX_FLOATS ? -1 : off;
}

/* in_shape: 3 ints, each >= 1, their product at most NN_MAX_WIDTH. */
static int check_shape(const int32_t *s)
{
    for (int i = 0; i < 3; i++)
        if (s[i] < 1 || s[i] > NN_MAX_WIDTH)
            return NN_ERR_SIZE;
    if ((int64_t)s[0] * s[1] * s[2] > NN_MAX_WIDTH)
        return NN_ERR_SIZE;
    return NN_OK;
}

static int shape_size(nn_shape s)
{
    return s.c * s.h * s.w; /* checked to be at most NN_MAX_WIDTH */
}

/* Fills layer L (index l) from descriptor d over input shape `in`: its
 * kind, shapes and parameter blocks. NN_OK or the kind's refusal. */
static int describe_layer(nn_layer *L, const int32_t *d, nn_shape in, int l)
{
    memcpy(L->desc, d, sizeof L->desc);
    L->kind = nn_layer_kind_of(d[0]);
    if (!L->kind)
        return NN_ERR_KIND;
    int st = L->kind->check(d + 2, in, &L->out);
    if (st != NN_OK)
        return st;
    L->index = l;
    L->act = d[1];
    L->in = in;
    L->in_size = shape_size(in);
    L->out_size = shape_size(L->out);
    L->steps = L->kind->steps ? L->kind->steps(L) : 1;
    L->state_floats = L->kind->state_floats ? L->kind->state_floats(L) : 0;
    L->carry = 0;
    L->n_blocks = L->kind->blocks ? L->kind->blocks(L, L->block) : 0;
    for (int b = 0; b < L->n_blocks; b++) {
        const int *dims = L->block[b].dims;
        L->block_len[b] = (int64_t)dims[0] * dims[1] * dims[2] * dims[3];
    }
    return NN_OK;
}

/* NN_OK, or why layer l (of n) may not have activation act. */
static int check_activation(int act, int l, int n)
{
    if (!valid_activation(act))
        return NN_ERR_ACTIVATION;
    if (act == NN_ACT_SOFTMAX && l != n - 1)
        return NN_ERR_SOFTMAX_HIDDEN;
    return NN_OK;
}

int nn_model_describe(nn_model *m, int n, const int32_t *desc, const int32_t *in_shape,
                      int loss, int max_batch)
{
    if (n < 1 || n > NN_MAX_LAYERS)
        return NN_ERR_LAYERS;
    if (!desc || !in_shape)
        return NN_ERR_NULL;
    int st = check_shape(in_shape);
    if (st != NN_OK)
        return st;
    m->n_layers = n;
    m->in_shape = (nn_shape){in_shape[0], in_shape[1], in_shape[2]};
    m->in_size = m->max_width = shape_size(m->in_shape);
    /* shapes first, then activations: a bad size is reported before a bad
     * activation, whatever their layers (nn_create's order since v1) */
    nn_shape in = m->in_shape;
    for (int l = 0; l < n; l++) {
        nn_layer *L = &m->layer[l];
        st = describe_layer(L, desc + (size_t)l * NN_DESC_INTS, in, l);
        if (st != NN_OK)
            return st;
        if (L->out_size > m->max_width)
            m->max_width = L->out_size;
        in = L->out;
    }
    for (int l = 0; l < n; l++) {
        st = check_activation(m->layer[l].act, l, n);
        if (st != NN_OK)
            return st;
    }
    if (loss < NN_LOSS_MSE || loss > NN_LOSS_CE)
        return NN_ERR_LOSS;
    int out_act = m->layer[n - 1].act;
    if ((loss == NN_LOSS_BCE && out_act != NN_ACT_SIGMOID) ||
        (loss == NN_LOSS_CE && out_act != NN_ACT_SOFTMAX))
        return NN_ERR_LOSS_OUTPUT;
    if (max_batch < 1 || max_batch > NN_MAX_BATCH)
        return NN_ERR_BATCH;
    m->loss = loss;
    m->max_batch = max_batch;
    m->out_size = m->layer[n - 1].out_size;
    return layout(m, 0) < 0 ? NN_ERR_TOO_LARGE : NN_OK;
}

int nn_plan_layers(int n, const int32_t *desc, const int32_t *in_shape, int32_t *out,
                   int32_t *bad_layer)
{
    if (bad_layer)
        *bad_layer = -1;
    if (n < 1 || n > NN_MAX_LAYERS)
        return NN_ERR_LAYERS;
    if (!desc || !in_shape || !out)
        return NN_ERR_NULL;
    int st = check_shape(in_shape);
    if (st != NN_OK)
        return st;
    nn_shape in = {in_shape[0], in_shape[1], in_shape[2]};
    int64_t total = 0;
    for (int l = 0; l < n; l++) {
        nn_layer L;
        st = describe_layer(&L, desc + (size_t)l * NN_DESC_INTS, in, l);
        if (st == NN_OK)
            st = check_activation(L.act, l, n);
        int64_t params = 0;
        for (int b = 0; st == NN_OK && b < L.n_blocks; b++)
            params += L.block_len[b];
        total += params;
        if (st == NN_OK && total > NN_MAX_FLOATS)
            st = NN_ERR_TOO_LARGE;
        if (st != NN_OK) {
            if (bad_layer)
                *bad_layer = l;
            return st;
        }
        int32_t *o = out + (size_t)l * NN_PLAN_INTS;
        o[0] = L.out.c;
        o[1] = L.out.h;
        o[2] = L.out.w;
        o[3] = (int32_t)params;
        in = L.out;
    }
    return NN_OK;
}

/* Dense descriptors for nn_create's sizes/activations (n already checked). */
static void dense_descriptors(int32_t *desc, int n, const int *sizes, const int *activations)
{
    memset(desc, 0, (size_t)n * NN_DESC_INTS * sizeof *desc);
    for (int l = 0; l < n; l++) {
        desc[l * NN_DESC_INTS + 0] = NN_LAYER_DENSE;
        desc[l * NN_DESC_INTS + 1] = activations[l];
        desc[l * NN_DESC_INTS + 2] = sizes[l + 1];
    }
}

int nn_check_config(int n_layers, const int *sizes, const int *activations,
                    int loss, int max_batch)
{
    if (n_layers < 1 || n_layers > NN_MAX_LAYERS)
        return NN_ERR_LAYERS;
    if (!sizes || !activations)
        return NN_ERR_NULL;
    int32_t desc[NN_MAX_LAYERS * NN_DESC_INTS], in_shape[3] = {sizes[0], 1, 1};
    dense_descriptors(desc, n_layers, sizes, activations);
    nn_model probe;
    return nn_model_describe(&probe, n_layers, desc, in_shape, loss, max_batch);
}

static nn_model *create(int n, const int32_t *desc, const int32_t *in_shape, int loss,
                        unsigned seed, int max_batch)
{
    nn_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (nn_model_describe(m, n, desc, in_shape, loss, max_batch) != NN_OK) {
        free(m);
        return NULL;
    }
    m->arena = calloc((size_t)layout(m, 0), sizeof(float));
    if (!m->arena) {
        free(m);
        return NULL;
    }
    layout(m, m->arena);
    m->opt.kind = NN_OPT_SGD;
    m->opt.lr = 0.01f;
    m->opt.beta1 = 0.9f;
    m->opt.beta2 = 0.999f;
    m->opt.eps = 1e-8f;
    m->opt.reg_kind = NN_REG_NONE;
    nn_reset(m, seed);
    return m;
}

int nn_check_layers(int n, const int32_t *desc, const int32_t *in_shape, int loss,
                    int max_batch)
{
    nn_model probe;
    return nn_model_describe(&probe, n, desc, in_shape, loss, max_batch);
}

nn_model *nn_create_layers(int n, const int32_t *desc, const int32_t *in_shape, int loss,
                           unsigned seed, int max_batch)
{
    return create(n, desc, in_shape, loss, seed, max_batch);
}

nn_model *nn_create(int n_layers, const int *sizes, const int *activations,
                    int loss, unsigned seed, int max_batch)
{
    if (nn_check_config(n_layers, sizes, activations, loss, max_batch) != NN_OK)
        return NULL;
    int32_t desc[NN_MAX_LAYERS * NN_DESC_INTS], in_shape[3] = {sizes[0], 1, 1};
    dense_descriptors(desc, n_layers, sizes, activations);
    return create(n_layers, desc, in_shape, loss, seed, max_batch);
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

void nn_model_sync(nn_model *m)
{
    for (int l = 0; l < m->n_layers; l++)
        nn_layer_sync(&m->layer[l]);
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
    for (int l = 0; l < m->n_layers; l++)
        if (m->layer[l].kind->init)
            m->layer[l].kind->init(&m->layer[l], m->rng);
    clear_optimizer_state(m);
    memset(m->grads, 0, (size_t)m->param_count * sizeof(float));
    nn_reset_state(m);
    m->grad_norm = 0.0f;
    m->grad_norm_pending = 0;
    m->grads_ready = 0;
    m->train_rows = 0;
    nn_model_sync(m);
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
