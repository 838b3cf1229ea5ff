/* sequence.c — what sequences add to the model (ABI version 6): gradient
 * clipping by global norm, and the carried recurrent state of RNN/LSTM
 * layers. The per-step views are in train.c (they run the passes). */
#include <math.h>
#include <string.h>
#include "model.h"

/* The global norm of m->grads, in double, in array order: every build sums
 * the same way. */
static float grads_norm(const nn_model *m)
{
    double sum = 0.0;
    for (int i = 0; i < m->param_count; i++)
        sum += (double)m->grads[i] * (double)m->grads[i];
    return (float)sqrt(sum);
}

void nn_clip_gradients(nn_model *m)
{
    if (!(m->clip_norm > 0.0f)) {
        /* Unclipped, the update leaves the gradients as it used them: their
         * norm is measured when asked (a pass over every gradient per step
         * cost the playground's small networks 10 %). */
        m->grad_norm_pending = 1;
        return;
    }
    double total = grads_norm(m);
    m->grad_norm = (float)total;
    m->grad_norm_pending = 0;
    double coef = (double)m->clip_norm / (total + 1e-6); /* torch's formula */
    if (coef >= 1.0)
        return;
    float c = (float)coef;
    for (int i = 0; i < m->param_count; i++)
        m->grads[i] *= c;
}

void nn_keep_grad_norm(nn_model *m)
{
    if (m->grad_norm_pending) {
        m->grad_norm = grads_norm(m);
        m->grad_norm_pending = 0;
    }
}

int nn_set_clip_norm(nn_model *m, float max_norm)
{
    if (!m)
        return NN_ERR_NULL;
    if (!isfinite(max_norm))
        return m->status = NN_ERR_NONFINITE;
    if (max_norm < 0.0f)
        return m->status = NN_ERR_OPTIMIZER;
    m->clip_norm = max_norm;
    return m->status = NN_OK;
}

float nn_grad_norm(const nn_model *m)
{
    if (!m)
        return NAN;
    return m->grad_norm_pending ? grads_norm(m) : m->grad_norm;
}

int nn_state_floats(const nn_model *m)
{
    if (!m)
        return NN_ERR_NULL;
    int n = 0;
    for (int l = 0; l < m->n_layers; l++)
        n += m->layer[l].state_floats;
    return n;
}

/* NN_OK when m has state and rows is in range, else the status to report. */
static int check_state(const nn_model *m, int rows)
{
    if (nn_state_floats(m) == 0)
        return NN_ERR_NO_STATE;
    if (rows < 1 || rows > m->max_batch)
        return NN_ERR_BATCH;
    return NN_OK;
}

int nn_get_state(nn_model *m, float *out, int rows)
{
    if (!m)
        return NN_ERR_NULL;
    if (!out)
        return m->status = NN_ERR_NULL;
    int st = check_state(m, rows);
    if (st != NN_OK)
        return m->status = st;
    for (int r = 0; r < rows; r++)
        for (int l = 0; l < m->n_layers; l++) {
            const nn_layer *L = &m->layer[l];
            size_t n = (size_t)L->state_floats;
            if (n) {
                memcpy(out, L->state + (size_t)r * n, n * sizeof(float));
                out += n;
            }
        }
    return m->status = NN_OK;
}

int nn_set_state(nn_model *m, const float *src, int rows)
{
    if (!m)
        return NN_ERR_NULL;
    if (!src)
        return m->status = NN_ERR_NULL;
    int st = check_state(m, rows);
    if (st != NN_OK)
        return m->status = st;
    if (!nn_all_finite(src, (size_t)rows * (size_t)nn_state_floats(m)))
        return m->status = NN_ERR_NONFINITE;
    for (int r = 0; r < rows; r++)
        for (int l = 0; l < m->n_layers; l++) {
            nn_layer *L = &m->layer[l];
            size_t n = (size_t)L->state_floats;
            if (n) {
                memcpy(L->state + (size_t)r * n, src, n * sizeof(float));
                src += n;
            }
        }
    return m->status = NN_OK;
}

int nn_reset_state(nn_model *m)
{
    if (!m)
        return NN_ERR_NULL;
    int st = check_state(m, 1);
    if (st != NN_OK)
        return m->status = st;
    for (int l = 0; l < m->n_layers; l++) {
        nn_layer *L = &m->layer[l];
        if (L->state_floats)
            memset(L->state, 0, (size_t)m->max_batch * (size_t)L->state_floats * sizeof(float));
    }
    return m->status = NN_OK;
}

int nn_set_stateful(nn_model *m, int on)
{
    if (!m)
        return NN_ERR_NULL;
    if (on != 0 && on != 1)
        return m->status = NN_ERR_FLAGS;
    if (nn_state_floats(m) == 0)
        return m->status = NN_ERR_NO_STATE;
    m->stateful = on;
    for (int l = 0; l < m->n_layers; l++)
        m->layer[l].carry = on && m->layer[l].state_floats > 0;
    return m->status = NN_OK;
}
