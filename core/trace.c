/* trace.c — "show the math": a central finite difference of the loss for
 * one parameter, and the optimizer's state and next update for parameters,
 * both without changing the model. Off the hot path (it may allocate). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

/* The finite difference evaluates the loss with a forward pass in double,
 * written out here apart from the float32 kernels (so it checks them rather
 * than repeating them): float32 rounding moves a loss by ~1e-8, which a
 * difference divides by 2h; a gradient of 1e-4 could not be told within
 * 1e-3 from any float32 evaluation. In double the rounding is ~1e-16, so
 * the step can be small: h = FD_REL * max(|w|, 1), truncation error ~h^2.
 * Each kind writes its forward in double as forward_f64 in its own file,
 * from the definition and apart from its float32 code (a kind without one
 * is refused with NN_ERR_KIND). */
#ifndef FD_REL
#define FD_REL 1e-5
#endif

/* The layer and block holding flat parameter `index`, or NULL. */
static const nn_layer *param_owner(const nn_model *m, int64_t index, int *block)
{
    for (int l = 0; l < m->n_layers; l++) {
        const nn_layer *L = &m->layer[l];
        int64_t off = L->param_offset;
        for (int b = 0; b < L->n_blocks; b++) {
            if (index >= off && index < off + L->block_len[b]) {
                *block = b;
                return L;
            }
            off += L->block_len[b];
        }
    }
    return 0;
}

/* z [L->out_size] = layer L's kind of in [L->in_size], in double (the
 * kind's forward_f64): NN_OK, NN_ERR_NOMEM, or NN_ERR_KIND for a kind
 * without a double form. */
static int layer_f64(const nn_layer *L, const double *w, double *z, const double *in,
                     const float *state0)
{
    return L->kind->forward_f64 ? L->kind->forward_f64(L, w, z, in, state0) : NN_ERR_KIND;
}

/* a[n] = act(z[n]) in double (the same functions as activations.c);
 * softmax per row of n / steps values. */
static void activation_f64(double *a, const double *z, int n, int act, int steps)
{
    if (act == NN_ACT_SOFTMAX && steps > 1) {
        int cols = n / steps;
        for (int r = 0; r < steps; r++)
            activation_f64(a + (int64_t)r * cols, z + (int64_t)r * cols, cols, act, 1);
        return;
    }
    if (act == NN_ACT_SOFTMAX) {
        double mx = z[0], sum = 0.0;
        for (int j = 1; j < n; j++)
            mx = z[j] > mx ? z[j] : mx;
        for (int j = 0; j < n; j++)
            sum += a[j] = nn_exp(z[j] - mx);
        for (int j = 0; j < n; j++)
            a[j] /= sum;
        return;
    }
    for (int j = 0; j < n; j++) {
        double v = z[j];
        if (act == NN_ACT_RELU)
            v = v > 0.0 ? v : 0.0;
        else if (act == NN_ACT_LEAKY_RELU)
            v = v < 0.0 ? v * (double)0.01f : v;
        else if (act == NN_ACT_TANH) { /* tanh|v| = -expm1(-2|v|) / (expm1(-2|v|) + 2) */
            double t = nn_expm1(-2.0 * fabs(v)), r = -t / (t + 2.0);
            v = v < 0.0 ? -r : r;
        } else if (act == NN_ACT_SIGMOID) {
            double e = nn_exp(-fabs(v));
            v = v >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        }
        a[j] = v;
    }
}

/* One example's loss contribution (losses.c's nn_loss_sum, in double). */
static double loss_f64(const double *a, const double *z, const float *y, int n, int loss)
{
    double sum = 0.0;
    if (loss == NN_LOSS_MSE) {
        for (int j = 0; j < n; j++)
            sum += (a[j] - y[j]) * (a[j] - y[j]);
    } else if (loss == NN_LOSS_BCE) {
        for (int j = 0; j < n; j++)
            sum += (z[j] > 0.0 ? z[j] : 0.0) - z[j] * y[j] + nn_log1p(nn_exp(-fabs(z[j])));
    } else {
        double mx = z[0], s = 0.0;
        for (int j = 1; j < n; j++)
            mx = z[j] > mx ? z[j] : mx;
        for (int j = 0; j < n; j++)
            s += nn_exp(z[j] - mx);
        double lse = mx + nn_log(s);
        for (int j = 0; j < n; j++)
            sum += y[j] * (lse - z[j]);
    }
    return sum;
}

/* Mean data loss (no regularisation) of n examples in double, with the
 * parameters w (doubles). buf: 3 x max_width doubles. *status: NN_OK or
 * NN_ERR_KIND. */
static double data_loss_f64(const nn_model *m, const double *w, const float *x, const float *y,
                            int n, double *buf, int *status)
{
    double *cur = buf, *z = buf + m->max_width, *a = buf + 2 * (int64_t)m->max_width;
    double sum = 0.0;
    for (int r = 0; r < n; r++) {
        for (int i = 0; i < m->in_size; i++)
            cur[i] = x[(int64_t)r * m->in_size + i];
        for (int l = 0; l < m->n_layers; l++) {
            const nn_layer *L = &m->layer[l];
            const float *state0 = L->carry ? L->state + (int64_t)r * L->state_floats : 0;
            if ((*status = layer_f64(L, w, z, cur, state0)) != NN_OK)
                return NAN;
            activation_f64(a, z, L->out_size, L->act, L->steps);
            double *t = cur; /* a becomes the next layer's input */
            cur = a;
            a = t;
        }
        /* a sequence output: one row per step (cross-entropy per step) */
        int steps = m->layer[m->n_layers - 1].steps, cols = m->out_size / steps;
        for (int t = 0; t < steps; t++)
            sum += loss_f64(cur + (int64_t)t * cols, z + (int64_t)t * cols,
                            y + (int64_t)r * m->out_size + (int64_t)t * cols, cols, m->loss);
    }
    int steps = m->layer[m->n_layers - 1].steps;
    return sum / (m->loss == NN_LOSS_CE ? (double)n * steps : (double)n * m->out_size);
}

int nn_finite_difference(nn_model *m, int index, const float *x, const float *y, int n,
                         double *out)
{
    if (!m)
        return NN_ERR_NULL;
    if (!x || !y || !out)
        return m->status = NN_ERR_NULL;
    if (index < 0 || index >= m->param_count)
        return m->status = NN_ERR_INDEX;
    if (n < 1 || (int64_t)n * m->in_size > INT32_MAX || (int64_t)n * m->out_size > INT32_MAX)
        return m->status = NN_ERR_BATCH;
    if (m->stateful && n > m->max_batch) /* example r starts from carried row r */
        return m->status = NN_ERR_BATCH;
    if (!nn_all_finite(x, (size_t)n * (size_t)m->in_size) ||
        !nn_all_finite(y, (size_t)n * (size_t)m->out_size))
        return m->status = NN_ERR_NONFINITE;
    double *w = malloc(sizeof(double) * ((size_t)m->param_count + 3 * (size_t)m->max_width));
    if (!w)
        return m->status = NN_ERR_NOMEM;
    double *buf = w + m->param_count;
    for (int i = 0; i < m->param_count; i++)
        w[i] = m->params[i];
    /* the step is taken in the double copy: the model is never touched */
    double w0 = w[index], h = FD_REL * (fabs(w0) > 1.0 ? fabs(w0) : 1.0);
    int st = NN_OK;
    w[index] = w0 + h;
    double loss_up = data_loss_f64(m, w, x, y, n, buf, &st);
    w[index] = w0 - h;
    double loss_down = data_loss_f64(m, w, x, y, n, buf, &st);
    free(w);
    if (st != NN_OK)
        return m->status = st;
    out[0] = (loss_up - loss_down) / (2.0 * h);
    out[1] = h;
    out[2] = loss_up;
    out[3] = loss_down;
    return m->status = NN_OK;
}

int nn_optimizer_info(const nn_model *m, double *out)
{
    if (!m || !out)
        return NN_ERR_NULL;
    const nn_optim_state *o = &m->opt;
    out[0] = o->kind;
    out[1] = (double)o->step;
    out[2] = o->lr;
    out[3] = o->beta1;
    out[4] = o->beta2;
    out[5] = o->eps;
    out[6] = o->reg_kind;
    out[7] = o->reg_rate;
    return NN_OK;
}

int nn_optimizer_preview(nn_model *m, int first, int count, const float *grads, float *out)
{
    if (!m)
        return NN_ERR_NULL;
    if (!grads || !out)
        return m->status = NN_ERR_NULL;
    if (first < 0 || count < 1 || count > m->param_count - first)
        return m->status = NN_ERR_INDEX;
    if (!nn_all_finite(grads, (size_t)count))
        return m->status = NN_ERR_NONFINITE;
    int reg = m->opt.reg_kind != NN_REG_NONE && m->opt.reg_rate > 0.0f;
    for (int i = 0; i < count; i++) {
        int64_t index = (int64_t)first + i;
        int block = 0;
        const nn_layer *L = param_owner(m, index, &block);
        if (!L)
            return m->status = NN_ERR_INDEX; /* cannot happen: index < param_count */
        float w = m->params[index], g = grads[i];
        float s1 = m->s1[index], s2 = m->s2[index];
        float *o = out + (size_t)i * NN_PREVIEW_FLOATS;
        o[0] = w;
        o[2] = s1;
        o[3] = s2;
        /* the step's own code on one-element copies: the same bits as
         * nn_update would give, and the model keeps its state */
        if (reg && L->block[block].decay)
            nn_regularize(&g, &w, 1, m->opt.reg_kind, m->opt.reg_rate);
        o[1] = g;
        nn_optim_state st = m->opt;
        nn_optim_update(&w, &g, &s1, &s2, 1, &st);
        o[4] = s1;
        o[5] = s2;
        o[6] = w;
    }
    return m->status = NN_OK;
}
