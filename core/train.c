/* train.c — forward and backward passes, training steps and epochs,
 * evaluation, parameter access and the uint8 gather. */
#include <math.h>
#include <string.h>
#include "model.h"

/* Largest element count a caller's array may have: its byte size must fit
 * in a pointer difference on every target (wasm32 included). */
#define MAX_ELEMS ((int64_t)(PTRDIFF_MAX / (ptrdiff_t)sizeof(float)))

/* Forward pass of `batch` rows of x into m->z / m->a. */
static void forward(nn_model *m, const float *x, int batch)
{
    const float *in = x;
    for (int l = 0; l < m->n_layers; l++) {
        const nn_layer *L = &m->layer[l];
        L->kind->forward(L, L->z, in, batch);
        nn_activation_forward(L->a, L->z, batch, L->out_size, L->act);
        in = L->a;
    }
}

/* Loss of the last forward pass (batch mean, as float like torch). */
static float batch_loss(const nn_model *m, const float *y, int batch)
{
    const nn_layer *last = &m->layer[m->n_layers - 1];
    double s = nn_loss_sum(last->a, last->z, y, batch, m->out_size, m->loss);
    return (float)(s / nn_loss_divisor(batch, m->out_size, m->loss));
}

/* Gradients of the last forward pass into m->grads, regularisation included. */
static void backward(nn_model *m, const float *x, const float *y, int batch)
{
    const nn_layer *last = &m->layer[m->n_layers - 1];
    float *dz = m->d0, *spare = m->d1;
    nn_loss_grad(dz, last->a, y, batch, m->out_size, m->loss, last->act);
    for (int l = m->n_layers - 1; l >= 0; l--) {
        nn_layer *L = &m->layer[l];
        const nn_layer *prev = l > 0 ? &m->layer[l - 1] : 0;
        const float *in = prev ? prev->a : x;
        float *dx = prev ? spare : 0; /* the input's gradient is never needed */
        L->kind->backward(L, dx, dz, in, batch);
        if (prev) {
            nn_activation_backward(dx, dx, prev->a, batch, prev->out_size, prev->act);
            spare = dz;
            dz = dx;
        }
    }
    if (m->opt.reg_kind != NN_REG_NONE && m->opt.reg_rate > 0.0f)
        for (int l = 0; l < m->n_layers; l++) {
            const nn_layer *L = &m->layer[l];
            for (int b = 0; b < L->n_blocks; b++)
                if (L->block[b].decay)
                    nn_regularize(L->g[b], L->p[b], (int)L->block_len[b], m->opt.reg_kind,
                                  m->opt.reg_rate);
        }
}

/* Validated inputs: forward and backward; the loss of the batch. */
static float gradients(nn_model *m, const float *x, const float *y, int batch)
{
    forward(m, x, batch);
    float loss = batch_loss(m, y, batch);
    backward(m, x, y, batch);
    return loss;
}

/* Validated inputs: one step. Returns the loss; sets status. */
static float step(nn_model *m, const float *x, const float *y, int batch)
{
    float loss = gradients(m, x, y, batch);
    if (!isfinite(loss) || !nn_all_finite(m->grads, (size_t)m->param_count)) {
        m->status = NN_ERR_DIVERGED;
        return loss;
    }
    nn_optim_update(m->params, m->grads, m->s1, m->s2, m->param_count, &m->opt);
    nn_model_sync(m);
    m->status = NN_OK;
    return loss;
}

/* Checks n rows of inputs x (and of targets y when check_y);
 * NN_OK or the status to report. */
static int check_data(const nn_model *m, const float *x, const float *y, int n,
                      int check_y, int limit_to_batch)
{
    if (!x || (check_y && !y))
        return NN_ERR_NULL;
    if (n < 1 || (limit_to_batch && n > m->max_batch))
        return NN_ERR_BATCH;
    if ((int64_t)n * m->in_size > MAX_ELEMS || (int64_t)n * m->out_size > MAX_ELEMS)
        return NN_ERR_TOO_LARGE;
    if (!nn_all_finite(x, (size_t)n * (size_t)m->in_size))
        return NN_ERR_NONFINITE;
    if (check_y && !nn_all_finite(y, (size_t)n * (size_t)m->out_size))
        return NN_ERR_NONFINITE;
    return NN_OK;
}

float nn_train_step(nn_model *m, const float *x, const float *y, int batch)
{
    if (!m)
        return NAN;
    int st = check_data(m, x, y, batch, 1, 1);
    if (st != NN_OK)
        return m->status = st, NAN;
    return step(m, x, y, batch);
}

float nn_compute_gradients(nn_model *m, const float *x, const float *y, int batch)
{
    if (!m)
        return NAN;
    int st = check_data(m, x, y, batch, 1, 1);
    if (st != NN_OK)
        return m->status = st, NAN;
    float loss = gradients(m, x, y, batch);
    m->status = NN_OK;
    return loss;
}

float nn_train_epoch(nn_model *m, const float *x, const float *y, int n,
                     const int32_t *order, int batch)
{
    if (!m)
        return NAN;
    if (batch < 1 || batch > m->max_batch)
        return m->status = NN_ERR_BATCH, NAN;
    int st = check_data(m, x, y, n, 1, 0);
    if (st != NN_OK)
        return m->status = st, NAN;
    if (order)
        for (int i = 0; i < n; i++)
            if (order[i] < 0 || order[i] >= n)
                return m->status = NN_ERR_INDEX, NAN;
    size_t in = (size_t)m->in_size, out = (size_t)m->out_size;
    double sum = 0.0;
    int steps = 0;
    for (int start = 0; start < n; start += batch) {
        int rows = n - start < batch ? n - start : batch;
        const float *xb = x + (size_t)start * in, *yb = y + (size_t)start * out;
        if (order) {
            for (int r = 0; r < rows; r++) { /* loops, not memcpy: rows are a few floats */
                size_t src = (size_t)order[start + r];
                for (size_t j = 0; j < in; j++)
                    m->xb[(size_t)r * in + j] = x[src * in + j];
                for (size_t j = 0; j < out; j++)
                    m->yb[(size_t)r * out + j] = y[src * out + j];
            }
            xb = m->xb;
            yb = m->yb;
        }
        float loss = step(m, xb, yb, rows);
        if (m->status != NN_OK)
            return loss;
        sum += loss;
        steps++;
    }
    return (float)(sum / steps);
}

/* Arguments of a forward call (m checked by the caller): NN_OK or the
 * status to report. */
static int check_forward(const nn_model *m, const float *x, int n, const float *out)
{
    return out ? check_data(m, x, 0, n, 0, 0) : NN_ERR_NULL;
}

int nn_forward(nn_model *m, const float *x, int n, float *out)
{
    if (!m)
        return NN_ERR_NULL;
    int st = check_forward(m, x, n, out);
    if (st != NN_OK)
        return m->status = st;
    size_t in = (size_t)m->in_size, no = (size_t)m->out_size;
    for (int start = 0; start < n; start += m->max_batch) {
        int rows = n - start < m->max_batch ? n - start : m->max_batch;
        forward(m, x + (size_t)start * in, rows);
        memcpy(out + (size_t)start * no, m->layer[m->n_layers - 1].a, (size_t)rows * no * sizeof(float));
    }
    return m->status = NN_OK;
}

int nn_forward_all(nn_model *m, const float *x, int n, float *out)
{
    if (!m)
        return NN_ERR_NULL;
    int st = check_forward(m, x, n, out);
    if (st != NN_OK)
        return m->status = st;
    int64_t units = 0;
    for (int l = 0; l < m->n_layers; l++)
        units += m->layer[l].out_size;
    if ((int64_t)n * units > MAX_ELEMS)
        return m->status = NN_ERR_TOO_LARGE;
    size_t in = (size_t)m->in_size;
    for (int start = 0; start < n; start += m->max_batch) {
        int rows = n - start < m->max_batch ? n - start : m->max_batch;
        forward(m, x + (size_t)start * in, rows);
        float *block = out;
        for (int l = 0; l < m->n_layers; l++) {
            size_t w = (size_t)m->layer[l].out_size;
            memcpy(block + (size_t)start * w, m->layer[l].a, (size_t)rows * w * sizeof(float));
            block += (size_t)n * w;
        }
    }
    return m->status = NN_OK;
}

static int argmax(const float *v, int n)
{
    int best = 0;
    for (int j = 1; j < n; j++)
        if (v[j] > v[best])
            best = j;
    return best;
}

int nn_evaluate(nn_model *m, const float *x, const float *y, int n,
                float *loss_out, int *correct_out)
{
    if (!m)
        return NN_ERR_NULL;
    int st = check_data(m, x, y, n, 1, 0);
    if (st != NN_OK)
        return m->status = st;
    const nn_layer *last = &m->layer[m->n_layers - 1];
    int no = m->out_size;
    size_t in = (size_t)m->in_size;
    double loss_sum = 0.0;
    int correct = 0;
    for (int start = 0; start < n; start += m->max_batch) {
        int rows = n - start < m->max_batch ? n - start : m->max_batch;
        const float *yb = y + (size_t)start * no;
        forward(m, x + (size_t)start * in, rows);
        loss_sum += nn_loss_sum(last->a, last->z, yb, rows, no, m->loss);
        for (int r = 0; r < rows; r++) {
            const float *o = last->a + (size_t)r * no, *t = yb + (size_t)r * no;
            if (no > 1)
                correct += argmax(o, no) == argmax(t, no);
            else if (m->loss == NN_LOSS_BCE)
                correct += (o[0] >= 0.5f) == (t[0] >= 0.5f);
            else
                correct += (o[0] > 0.0f) == (t[0] > 0.0f);
        }
    }
    if (loss_out)
        *loss_out = (float)(loss_sum / nn_loss_divisor(n, no, m->loss));
    if (correct_out)
        *correct_out = correct;
    return m->status = NN_OK;
}
