/* optim.c — torch.optim's SGD, SGD with momentum and Adam, and L1/L2
 * regularisation, as flat loops over the parameter array. */
#include <math.h>
#include "nn_internal.h"

/* Below this, Adam's moments are flushed to zero: subnormals are slow in
 * WASM (no hardware flush) and flushing in every build keeps them equal. */
#define FLUSH 1e-30f

void nn_regularize(float *grads, const float *params, int count, int kind,
                   float rate)
{
    if (kind == NN_REG_L2) {
        for (int i = 0; i < count; i++)
            grads[i] += rate * params[i];
    } else if (kind == NN_REG_L1) {
        for (int i = 0; i < count; i++) {
            float w = params[i];
            grads[i] += w > 0.0f ? rate : (w < 0.0f ? -rate : 0.0f);
        }
    }
}

/* base^e by squaring: exact IEEE steps, unlike libm's pow, which differs
 * between glibc and musl. */
static double powi(double base, int64_t e)
{
    double r = 1.0;
    while (e > 0) {
        if (e & 1)
            r *= base;
        base *= base;
        e >>= 1;
    }
    return r;
}

static void sgd(float *p, const float *g, int count, float lr)
{
    for (int i = 0; i < count; i++)
        p[i] -= lr * g[i];
}

static void momentum(float *p, const float *g, float *buf, int count, float lr,
                     float mu, int first)
{
    if (first) { /* torch initialises the buffer with the first gradient */
        for (int i = 0; i < count; i++) {
            buf[i] = g[i];
            p[i] -= lr * buf[i];
        }
        return;
    }
    for (int i = 0; i < count; i++) {
        buf[i] = buf[i] * mu + g[i];
        p[i] -= lr * buf[i];
    }
}

static void adam(float *p, const float *g, float *m, float *v, int count,
                 nn_optim_state *st)
{
    int64_t t = st->step + 1;
    double bc1 = 1.0 - powi(st->beta1, t), bc2 = 1.0 - powi(st->beta2, t);
    float step_size = (float)((double)st->lr / bc1);
    float bc2_sqrt = (float)sqrt(bc2);
    float b1 = st->beta1, b2 = st->beta2, eps = st->eps;
    float one_minus_b1 = (float)(1.0 - (double)b1);
    float one_minus_b2 = (float)(1.0 - (double)b2);
    for (int i = 0; i < count; i++) {
        float gi = g[i];
        float mi = m[i] * b1 + one_minus_b1 * gi;
        float vi = v[i] * b2 + one_minus_b2 * gi * gi;
        mi = fabsf(mi) < FLUSH ? 0.0f : mi;
        vi = vi < FLUSH ? 0.0f : vi;
        m[i] = mi;
        v[i] = vi;
        float denom = sqrtf(vi) / bc2_sqrt + eps;
        p[i] -= step_size * (mi / denom);
    }
}

void nn_optim_update(float *params, const float *grads, float *s1, float *s2,
                     int count, nn_optim_state *st)
{
    if (st->kind == NN_OPT_MOMENTUM)
        momentum(params, grads, s1, count, st->lr, st->beta1, st->step == 0);
    else if (st->kind == NN_OPT_ADAM)
        adam(params, grads, s1, s2, count, st);
    else
        sgd(params, grads, count, st->lr);
    st->step++;
}
