/* train.c — forward and backward passes, training steps and epochs,
 * evaluation, parameter access and the uint8 gather. */
#include <math.h>
#include <string.h>
#include "model.h"

/* Largest element count a caller's array may have: its byte size must fit
 * in a pointer difference on every target (wasm32 included). */
#define MAX_ELEMS ((int64_t)(PTRDIFF_MAX / (ptrdiff_t)sizeof(float)))

/* Forward pass of `batch` rows of x into every layer's z / a. Ends a kept
 * forward_train: its activations are overwritten. */
static void forward(nn_model *m, const float *x, int batch)
{
    m->train_rows = 0;
    m->input_grad = 0; /* it belonged to the previous forward */
    const float *in = x;
    for (int l = 0; l < m->n_layers; l++) {
        const nn_layer *L = &m->layer[l];
        nn_layer_forward(L, L->z, in, batch);
        /* a sequence output is `steps` rows per example (softmax per step) */
        nn_activation_forward(L->a, L->z, batch * L->steps, L->out_size / L->steps, L->act);
        in = L->a;
    }
}

/* Loss of the last forward pass (batch mean, as float like torch). */
static float batch_loss(const nn_model *m, const float *y, int batch)
{
    const nn_layer *last = &m->layer[m->n_layers - 1];
    int rows = batch * last->steps, cols = m->out_size / last->steps;
    double s = nn_loss_sum(last->a, last->z, y, rows, cols, m->loss);
    return (float)(s / nn_loss_divisor(rows, cols, m->loss));
}

/* The output layer's delta dL/dz into d0, from the loss against y. */
static void loss_delta(nn_model *m, const float *y, int batch)
{
    const nn_layer *last = &m->layer[m->n_layers - 1];
    nn_loss_grad(m->d0, last->a, y, batch * last->steps, m->out_size / last->steps, m->loss,
                 last->act);
}

/* Where layer l's block starts in nn_explain's output. */
static int64_t explain_offset(const nn_model *m, int l)
{
    int64_t off = 0;
    for (int k = 0; k < l; k++)
        off += 3 * (int64_t)m->layer[k].out_size;
    return off;
}

/* Backward from the output delta in d0 over the last forward of x: every
 * layer's parameter gradients (regularisation included) into m->grads,
 * and dL/dx when want_dx (m->input_grad; NULL otherwise). explain, when not
 * NULL, receives each layer's delta at its nn_explain place (one row). */
static void backward(nn_model *m, const float *x, int batch, int want_dx, float *explain)
{
    float *dz = m->d0, *spare = m->d1;
    nn_keep_grad_norm(m); /* the gradients are about to change */
    m->input_grad = 0;
    for (int l = m->n_layers - 1; l >= 0; l--) {
        nn_layer *L = &m->layer[l];
        const nn_layer *prev = l > 0 ? &m->layer[l - 1] : 0;
        if (explain)
            memcpy(explain + explain_offset(m, l) + 2 * (int64_t)L->out_size, dz,
                   (size_t)L->out_size * sizeof(float));
        const float *in = prev ? prev->a : x;
        float *dx = prev || want_dx ? spare : 0; /* the input's gradient only on request */
        nn_layer_backward(L, dx, dz, in, batch);
        if (prev) {
            nn_activation_backward(dx, dx, prev->a, batch * prev->steps,
                                   prev->out_size / prev->steps, prev->act);
            spare = dz;
            dz = dx;
        } else {
            m->input_grad = dx;
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
    loss_delta(m, y, batch);
    backward(m, x, batch, 0, 0);
    m->grads_ready = 1;
    m->grads_loss = loss;
    return loss;
}

/* The optimizer on the gradients of a backward whose loss was `loss`;
 * skipped (NN_ERR_DIVERGED) when anything is not finite. Sets status. */
static void update(nn_model *m, float loss)
{
    m->grads_ready = 0;
    m->train_rows = 0; /* the kept activations belong to the old parameters */
    if (!isfinite(loss) || !nn_all_finite(m->grads, (size_t)m->param_count)) {
        m->grad_norm_pending = 1; /* nn_grad_norm: the refused gradients' norm */
        m->status = NN_ERR_DIVERGED;
        return;
    }
    nn_clip_gradients(m);
    nn_optim_update(m->params, m->grads, m->s1, m->s2, m->param_count, &m->opt);
    nn_model_sync(m);
    m->status = NN_OK;
}

/* Validated inputs: one step. Returns the loss; sets status. */
static float step(nn_model *m, const float *x, const float *y, int batch)
{
    m->grad_norm_pending = 0; /* this step's update supersedes the last one's norm */
    float loss = gradients(m, x, y, batch);
    update(m, loss);
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

int nn_forward_train(nn_model *m, const float *x, int batch)
{
    if (!m)
        return NN_ERR_NULL;
    int st = check_data(m, x, 0, batch, 0, 1);
    if (st != NN_OK)
        return m->status = st;
    /* a copy: the caller's x need not outlive this call */
    memmove(m->xb, x, (size_t)batch * (size_t)m->in_size * sizeof(float));
    forward(m, m->xb, batch);
    m->train_rows = batch;
    return m->status = NN_OK;
}

/* Arguments of a backward: NN_OK or the status to report. */
static int check_backward(const nn_model *m, const float *v, int flags)
{
    if (!v)
        return NN_ERR_NULL;
    if (flags & ~NN_BACKWARD_INPUT_GRAD)
        return NN_ERR_FLAGS;
    if (!m->train_rows)
        return NN_ERR_SEQUENCE;
    if (!nn_all_finite(v, (size_t)m->train_rows * (size_t)m->out_size))
        return NN_ERR_NONFINITE;
    return NN_OK;
}

float nn_backward(nn_model *m, const float *y, int flags)
{
    if (!m)
        return NAN;
    int st = check_backward(m, y, flags);
    if (st != NN_OK)
        return m->status = st, NAN;
    int rows = m->train_rows;
    float loss = batch_loss(m, y, rows);
    loss_delta(m, y, rows);
    backward(m, m->xb, rows, flags & NN_BACKWARD_INPUT_GRAD, 0);
    m->grads_ready = 1;
    m->grads_loss = loss;
    m->status = NN_OK;
    return loss;
}

int nn_backward_from(nn_model *m, const float *dy, int flags)
{
    if (!m)
        return NN_ERR_NULL;
    int st = check_backward(m, dy, flags);
    if (st != NN_OK)
        return m->status = st;
    int rows = m->train_rows;
    const nn_layer *last = &m->layer[m->n_layers - 1];
    /* dy is dL/da: the output activation's derivative turns it into dL/dz */
    nn_activation_backward(m->d0, dy, last->a, rows * last->steps, m->out_size / last->steps,
                           last->act);
    backward(m, m->xb, rows, flags & NN_BACKWARD_INPUT_GRAD, 0);
    m->grads_ready = 1;
    m->grads_loss = 0.0f;
    return m->status = NN_OK;
}

const float *nn_input_grad(const nn_model *m)
{
    return m ? m->input_grad : 0;
}

int nn_update(nn_model *m)
{
    if (!m)
        return NN_ERR_NULL;
    if (!m->grads_ready)
        return m->status = NN_ERR_SEQUENCE;
    update(m, m->grads_loss);
    return m->status;
}

int nn_explain_floats(const nn_model *m)
{
    if (!m)
        return NN_ERR_NULL;
    return (int)(explain_offset(m, m->n_layers) + m->in_size);
}

int nn_explain(nn_model *m, const float *x, const float *y, float *out)
{
    if (!m)
        return NN_ERR_NULL;
    int st = out ? check_data(m, x, y, 1, 1, 0) : NN_ERR_NULL;
    if (st != NN_OK)
        return m->status = st;
    forward(m, x, 1);
    for (int l = 0; l < m->n_layers; l++) {
        const nn_layer *L = &m->layer[l];
        float *o = out + explain_offset(m, l);
        memcpy(o, L->z, (size_t)L->out_size * sizeof(float));
        memcpy(o + L->out_size, L->a, (size_t)L->out_size * sizeof(float));
    }
    loss_delta(m, y, 1);
    backward(m, x, 1, 1, out);
    memcpy(out + explain_offset(m, m->n_layers), m->input_grad,
           (size_t)m->in_size * sizeof(float));
    m->input_grad = 0; /* handed out in `out`: nn_input_grad is a batch's */
    m->grads_ready = 0; /* one example's gradients are no step to take */
    return m->status = NN_OK;
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
    if (m->stateful && n > m->max_batch) /* row r carries row r's state; before reading x */
        return m->status = NN_ERR_BATCH;
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
    int steps = last->steps, no = m->out_size / steps; /* per step of a sequence output */
    size_t in = (size_t)m->in_size;
    double loss_sum = 0.0;
    int correct = 0;
    for (int start = 0; start < n; start += m->max_batch) {
        int chunk = n - start < m->max_batch ? n - start : m->max_batch;
        const float *yb = y + (size_t)start * m->out_size;
        forward(m, x + (size_t)start * in, chunk);
        int rows = chunk * steps;
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
        *loss_out = (float)(loss_sum / (m->loss == NN_LOSS_CE ? (double)n * steps
                                                              : (double)n * m->out_size));
    if (correct_out)
        *correct_out = correct;
    return m->status = NN_OK;
}

/* A recurrent layer's per-step numbers: which ones (the views of
 * nn_sequence_inspect or the math of nn_sequence_math) is the pair of the
 * layer kind's hooks picked by `math`. NN_ERR_NO_STATE when the kind has none. */
typedef int64_t (*step_count_fn)(const nn_layer *L);
typedef void (*step_write_fn)(const nn_layer *L, float *out);

static int step_floats(const nn_model *m, int layer, int math, step_write_fn *write)
{
    if (!m)
        return NN_ERR_NULL;
    if (layer < 0 || layer >= m->n_layers)
        return NN_ERR_INDEX;
    const nn_layer *L = &m->layer[layer];
    step_count_fn count = math ? L->kind->math_floats : L->kind->view_floats;
    if (write)
        *write = math ? L->kind->math_views : L->kind->views;
    if (!count)
        return NN_ERR_NO_STATE;
    int64_t n = count(L);
    return n > INT32_MAX ? NN_ERR_TOO_LARGE : (int)n;
}

/* One example through both passes, as nn_explain; the layer's kept buffers
 * then hold its steps, which the kind writes to out. */
static int step_numbers(nn_model *m, int layer, int math, const float *x, const float *y, float *out)
{
    if (!m)
        return NN_ERR_NULL;
    step_write_fn write = 0;
    int st = step_floats(m, layer, math, &write);
    if (st < 0)
        return m->status = st;
    st = out ? check_data(m, x, y, 1, 1, 0) : NN_ERR_NULL;
    if (st != NN_OK)
        return m->status = st;
    forward(m, x, 1);
    loss_delta(m, y, 1);
    backward(m, x, 1, 0, 0);
    m->grads_ready = 0; /* one example's gradients are no step to take */
    write(&m->layer[layer], out);
    return m->status = NN_OK;
}

int nn_sequence_floats(const nn_model *m, int layer)
{
    return step_floats(m, layer, 0, 0);
}

int nn_sequence_inspect(nn_model *m, int layer, const float *x, const float *y, float *out)
{
    return step_numbers(m, layer, 0, x, y, out);
}

int nn_sequence_math_floats(const nn_model *m, int layer)
{
    return step_floats(m, layer, 1, 0);
}

int nn_sequence_math(nn_model *m, int layer, const float *x, const float *y, float *out)
{
    return step_numbers(m, layer, 1, x, y, out);
}
