/* gan.c — two models trained against each other (issue 14): a generator G
 * (noise -> sample) and a discriminator D (sample -> one linear output).
 * Built on the split step (nn_forward_train, nn_backward_from, the input
 * gradient, nn_update), so every layer kind works in either network. The
 * losses and their output gradients live here and nowhere else. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "nn_internal.h"

/* D's per-row loss and its derivative for target t (1 real, 0 generated),
 * on D's raw output z; the caller divides by the batch. */
static double row_loss(float z, int t, int loss, double softplus_neg_abs)
{
    if (loss == NN_GAN_LEAST_SQUARES) {
        double d = (double)z - t;
        return 0.5 * d * d;
    }
    /* BCE with logits: softplus(-z) for t = 1, softplus(z) for t = 0 */
    double s = t ? -(double)z : (double)z;
    return (s > 0 ? s : 0.0) + softplus_neg_abs;
}

static float row_grad(float z, int t, int loss, float scale)
{
    if (loss == NN_GAN_LEAST_SQUARES)
        return (z - (float)t) * scale;
    return (nn_sigmoidf(z) - (float)t) * scale;
}

/* Mean loss of n outputs z against target t, in double (row order). */
static double mean_loss(const float *z, int n, int t, int loss)
{
    double soft[64], sum = 0.0;
    for (int i0 = 0; i0 < n; i0 += 64) {
        int cnt = n - i0 < 64 ? n - i0 : 64;
        if (loss == NN_GAN_BCE)
            nn_log1p_exp_neg_array(soft, z + i0, cnt);
        for (int i = 0; i < cnt; i++)
            sum += row_loss(z[i0 + i], t, loss, loss == NN_GAN_BCE ? soft[i] : 0.0);
    }
    return sum / n;
}

/* Mean of what D says of n rows: the probability "real" (BCE) or the raw score. */
static float mean_score(const float *z, int n, int loss)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += loss == NN_GAN_BCE ? (double)nn_sigmoidf(z[i]) : (double)z[i];
    return (float)(s / n);
}

/* D's raw outputs of its last forward. */
static const float *d_outputs(const nn_model *d)
{
    return d->layer[d->n_layers - 1].a;
}

/* Whether d can judge g's samples under `loss`: NN_OK or the status. */
static int check_pair(const nn_model *d, const nn_model *g, int loss)
{
    if (loss != NN_GAN_BCE && loss != NN_GAN_LEAST_SQUARES)
        return NN_ERR_LOSS;
    if (d == g || d->out_size != 1 || d->layer[d->n_layers - 1].act != NN_ACT_LINEAR)
        return NN_ERR_GAN_PAIR;
    if (g && g->out_size != d->in_size)
        return NN_ERR_GAN_PAIR;
    return NN_OK;
}

static int check_rows(const float *x, int rows, int width)
{
    if (!x)
        return NN_ERR_NULL;
    return nn_all_finite(x, (size_t)rows * (size_t)width) ? NN_OK : NN_ERR_NONFINITE;
}

static void write_stats(float *out, double loss, float real, float fake)
{
    if (out) {
        out[0] = (float)loss;
        out[1] = real;
        out[2] = fake;
    }
}

/* A non-finite loss: no backward, no update (the caller's dy would be refused
 * as bad input, and this is the networks' state, not the caller's fault). */
static int diverged(nn_model *m)
{
    m->train_rows = 0;
    return m->status = NN_ERR_DIVERGED;
}

/* nn_update, except that an update whose result is not finite (finite
 * gradients times a huge learning rate overflow the parameters, or Adam's
 * second moment) is undone: NN_ERR_DIVERGED and the network as it was, so a
 * GAN that blows up stops with its last finite state. The copy is O(params),
 * small next to the step's forward and backward over the batch. */
static int guarded_update(nn_model *m)
{
    size_t n = (size_t)m->param_count;
    int buffers = m->opt.kind == NN_OPT_ADAM ? 2 : m->opt.kind == NN_OPT_MOMENTUM ? 1 : 0;
    size_t floats = (1 + (size_t)buffers) * n;
    float small[3072]; /* networks up to ~1000 parameters (the 2-D lab): no allocation per step */
    float *keep = floats <= sizeof small / sizeof small[0] ? small : malloc(floats * sizeof(float));
    if (!keep) {
        m->grads_ready = 0;
        m->train_rows = 0;
        return m->status = NN_ERR_NOMEM;
    }
    float *state[3] = {m->params, m->s1, m->s2};
    for (int b = 0; b <= buffers; b++)
        memcpy(keep + b * n, state[b], n * sizeof(float));
    int64_t step = m->opt.step;
    int st = nn_update(m);
    int finite = 1;
    for (int b = 0; b <= buffers; b++)
        finite &= nn_all_finite(state[b], n);
    if (st == NN_OK && !finite) {
        for (int b = 0; b <= buffers; b++)
            memcpy(state[b], keep + b * n, n * sizeof(float));
        m->opt.step = step;
        nn_model_sync(m);
        st = m->status = NN_ERR_DIVERGED;
    }
    if (keep != small)
        free(keep);
    return st;
}

int nn_gan_step_d(nn_model *d, nn_model *g, const float *real, const float *noise, int batch,
                  int loss, float *out)
{
    if (!d || !g)
        return NN_ERR_NULL;
    int st = check_pair(d, g, loss);
    if (st == NN_OK && (batch < 1 || batch > g->max_batch || batch > d->max_batch / 2))
        st = NN_ERR_BATCH;
    if (st == NN_OK)
        st = check_rows(real, batch, d->in_size);
    if (st == NN_OK)
        st = check_rows(noise, batch, g->in_size);
    if (st != NN_OK)
        return d->status = st;

    /* D's input: the real rows, then G's samples, in D's own batch buffer */
    float *x = d->xb;
    int64_t half = (int64_t)batch * d->in_size;
    memmove(x, real, (size_t)half * sizeof(float));
    if ((st = nn_forward(g, noise, batch, x + half)) != NN_OK)
        return d->status = st;
    /* G's weights overflowed its samples: the networks' state, not bad input */
    if (!nn_all_finite(x + half, (size_t)half)) {
        write_stats(out, NAN, NAN, NAN);
        return diverged(d);
    }
    if ((st = nn_forward_train(d, x, 2 * batch)) != NN_OK)
        return st;

    const float *z = d_outputs(d);
    double l = mean_loss(z, batch, 1, loss) + mean_loss(z + batch, batch, 0, loss);
    float scale = 1.0f / (float)batch, *dy = d->yb;
    for (int i = 0; i < 2 * batch; i++)
        dy[i] = row_grad(z[i], i < batch, loss, scale);
    write_stats(out, l, mean_score(z, batch, loss), mean_score(z + batch, batch, loss));
    /* an infinite score can still give a finite BCE loss (softplus(-inf) = 0) */
    if (!isfinite(l) || !nn_all_finite(z, (size_t)(2 * batch)))
        return diverged(d);
    if ((st = nn_backward_from(d, dy, 0)) != NN_OK)
        return st;
    d->grads_loss = (float)l; /* a non-finite loss skips the update */
    return guarded_update(d);
}

int nn_gan_step_g(nn_model *g, nn_model *d, const float *noise, int batch, int loss, float *out)
{
    if (!d || !g)
        return NN_ERR_NULL;
    int st = check_pair(d, g, loss);
    if (st == NN_OK && (batch < 1 || batch > g->max_batch || batch > d->max_batch))
        st = NN_ERR_BATCH;
    if (st == NN_OK)
        st = check_rows(noise, batch, g->in_size);
    if (st != NN_OK)
        return g->status = st;

    if ((st = nn_forward_train(g, noise, batch)) != NN_OK)
        return st;
    const float *samples = g->layer[g->n_layers - 1].a;
    if (!nn_all_finite(samples, (size_t)batch * (size_t)g->out_size)) {
        write_stats(out, NAN, NAN, NAN);
        return diverged(g);
    }
    if ((st = nn_forward_train(d, samples, batch)) != NN_OK)
        return g->status = st;
    const float *z = d_outputs(d);
    double l = mean_loss(z, batch, 1, loss);
    float scale = 1.0f / (float)batch, *dy = d->yb;
    for (int i = 0; i < batch; i++)
        dy[i] = row_grad(z[i], 1, loss, scale);
    write_stats(out, l, 0.0f, mean_score(z, batch, loss));
    if (!isfinite(l) || !nn_all_finite(z, (size_t)batch))
        return diverged(g);
    if ((st = nn_backward_from(d, dy, NN_BACKWARD_INPUT_GRAD)) != NN_OK)
        return g->status = st;
    d->grads_ready = 0; /* D's gradients of this step are never D's update */
    /* a finite loss can still overflow D's input gradient (huge weights) */
    if (!nn_all_finite(d->input_grad, (size_t)batch * (size_t)d->in_size))
        return diverged(g);
    if ((st = nn_backward_from(g, d->input_grad, 0)) != NN_OK)
        return st;
    g->grads_loss = (float)l;
    return guarded_update(g);
}

int nn_gan_sample_grad(nn_model *d, const float *x, int n, int loss, float *out)
{
    if (!d)
        return NN_ERR_NULL;
    int st = check_pair(d, 0, loss);
    if (st == NN_OK && !out)
        st = NN_ERR_NULL;
    if (st == NN_OK && (n < 1 || n > d->max_batch))
        st = NN_ERR_BATCH;
    if (st != NN_OK)
        return d->status = st;
    if ((st = nn_forward_train(d, x, n)) != NN_OK)
        return st;
    const float *z = d_outputs(d);
    float *dy = d->yb;
    for (int i = 0; i < n; i++)
        dy[i] = row_grad(z[i], 1, loss, 1.0f); /* each row's own loss, not the mean */
    /* D's score or its gradient overflows (huge weights): D's state, not bad input */
    if (!nn_all_finite(z, (size_t)n) || !nn_all_finite(dy, (size_t)n))
        return diverged(d);
    if ((st = nn_backward_from(d, dy, NN_BACKWARD_INPUT_GRAD)) != NN_OK)
        return st;
    d->grads_ready = 0;
    if (!nn_all_finite(d->input_grad, (size_t)n * (size_t)d->in_size))
        return diverged(d);
    memcpy(out, d->input_grad, (size_t)n * (size_t)d->in_size * sizeof(float));
    d->train_rows = 0;
    return d->status = NN_OK;
}
