/* test_gan.c — the core's GAN calls (core/gan.c) on their own terms:
 * - a D step's gradients against central finite differences of L_D on D's
 *   parameters, a G step's against finite differences of L_G on G's
 *   parameters through D, nn_gan_sample_grad's against finite differences on
 *   the input, both losses, the losses computed in double by this file's own
 *   forward pass (dense networks; conv D is in test_gan_reference.c);
 * - a G step leaves D's parameters and optimizer state bit for bit as they
 *   were (and a D step leaves G's);
 * - bad input (NULLs, batch 0 / too big, non-finite real or noise, mismatched
 *   sizes, D with 2 outputs or a non-linear last activation, g == d, unknown
 *   loss): the right status and no change to either network;
 * - a huge learning rate: NN_ERR_DIVERGED and no update; an overflowing D:
 *   nn_gan_sample_grad reports NN_ERR_DIVERGED.
 * The PyTorch check of whole iterations is test_gan_reference.c. */
#include <stdlib.h>
#include "test_util.h"

#define MAXP 2048
#define MAXW 16

typedef struct {
    int n_layers;
    int sizes[5];
    int act[4];
} mlp;

static nn_model *build(const mlp *n, unsigned seed, int max_batch)
{
    return nn_create(n->n_layers, n->sizes, n->act, NN_LOSS_MSE, seed, max_batch);
}

static double act_d(double z, int act)
{
    switch (act) {
    case NN_ACT_RELU: return z > 0 ? z : 0;
    case NN_ACT_LEAKY_RELU: return z > 0 ? z : 0.01 * z;
    case NN_ACT_TANH: return tanh(z);
    case NN_ACT_SIGMOID: return 1 / (1 + exp(-z));
    default: return z;
    }
}

/* One row through a dense network in double: p the flat parameters
 * (nn_params' layout: weight [out x in], then bias, per layer). */
static void forward_d(const mlp *n, const double *p, const double *x, double *out)
{
    double a[MAXW], b[MAXW];
    for (int j = 0; j < n->sizes[0]; j++) a[j] = x[j];
    for (int l = 0; l < n->n_layers; l++) {
        int in = n->sizes[l], o = n->sizes[l + 1];
        const double *w = p, *bias = p + in * o;
        for (int u = 0; u < o; u++) {
            double z = bias[u];
            for (int j = 0; j < in; j++) z += w[u * in + j] * a[j];
            b[u] = act_d(z, n->act[l]);
        }
        for (int u = 0; u < o; u++) a[u] = b[u];
        p += in * o + o;
    }
    for (int u = 0; u < n->sizes[n->n_layers]; u++) out[u] = a[u];
}

/* One row's loss of D's score z against target t: BCE with logits, or 0.5 (z - t)^2. */
static double row_loss(double z, int t, int loss)
{
    if (loss == NN_GAN_LEAST_SQUARES) return 0.5 * (z - t) * (z - t);
    double s = t ? -z : z; /* softplus(s) */
    return (s > 0 ? s : 0) + log1p(exp(-fabs(s)));
}

typedef struct {
    const mlp *g, *d;
    double gp[MAXP], dp[MAXP];
    const float *real, *noise;
    int batch, loss;
} gan_case;

/* L_D = mean over real rows of l(D(x), 1) + mean over G's samples of l(D(G(z)), 0). */
static double loss_d(const gan_case *c)
{
    double sum_r = 0, sum_f = 0, x[MAXW], s[MAXW], z;
    int din = c->d->sizes[0], gin = c->g->sizes[0];
    for (int i = 0; i < c->batch; i++) {
        for (int j = 0; j < din; j++) x[j] = c->real[i * din + j];
        forward_d(c->d, c->dp, x, &z);
        sum_r += row_loss(z, 1, c->loss);
        for (int j = 0; j < gin; j++) x[j] = c->noise[i * gin + j];
        forward_d(c->g, c->gp, x, s);
        forward_d(c->d, c->dp, s, &z);
        sum_f += row_loss(z, 0, c->loss);
    }
    return sum_r / c->batch + sum_f / c->batch;
}

/* L_G = mean of l(D(G(z)), 1). */
static double loss_g(const gan_case *c)
{
    double sum = 0, x[MAXW], s[MAXW], z;
    int gin = c->g->sizes[0];
    for (int i = 0; i < c->batch; i++) {
        for (int j = 0; j < gin; j++) x[j] = c->noise[i * gin + j];
        forward_d(c->g, c->gp, x, s);
        forward_d(c->d, c->dp, s, &z);
        sum += row_loss(z, 1, c->loss);
    }
    return sum / c->batch;
}

/* Central differences of f on each of p[0..n-1] (h = 1e-6 * max(|p|, 1)). */
static void finite_diff(gan_case *c, double *p, int n, double (*f)(const gan_case *), double *out)
{
    for (int i = 0; i < n; i++) {
        double keep = p[i], h = 1e-6 * fmax(fabs(keep), 1.0);
        p[i] = keep + h;
        double up = f(c);
        p[i] = keep - h;
        double down = f(c);
        p[i] = keep;
        out[i] = (up - down) / (2 * h);
    }
}

/* Largest |got - want| / max(|want|, 0.05 * max|want|): float32 gradients vs
 * double differences; 1e-4 is far above float rounding of these small nets
 * (measured: up to 3e-6) and far below any wrong term (a missing factor, a
 * dropped row, a sign: a fake-row factor of 0.9 fails by 1e-1). */
static double grad_error(const float *got, const double *want, int n)
{
    double scale = 0, worst = 0;
    for (int i = 0; i < n; i++) scale = fmax(scale, fabs(want[i]));
    for (int i = 0; i < n; i++) {
        double e = fabs(got[i] - want[i]) / fmax(fmax(fabs(want[i]), 0.05 * scale), 1e-12);
        worst = fmax(worst, isnan(e) ? INFINITY : e);
    }
    return worst;
}

static int all_finite(const float *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

static void to_double(const float *src, double *dst, int n)
{
    for (int i = 0; i < n; i++) dst[i] = src[i];
}

static void fill(float *v, int n, uint32_t *s, float scale)
{
    for (int i = 0; i < n; i++) v[i] = scale * tu_uniform(s);
}

static const mlp G_SMALL = {2, {2, 8, 2}, {NN_ACT_TANH, NN_ACT_LINEAR}};
static const mlp D_SMALL = {2, {2, 8, 1}, {NN_ACT_TANH, NN_ACT_LINEAR}};
static const mlp G_DEEP = {3, {3, 6, 5, 4}, {NN_ACT_LEAKY_RELU, NN_ACT_TANH, NN_ACT_SIGMOID}};
static const mlp D_DEEP = {3, {4, 7, 5, 1}, {NN_ACT_SIGMOID, NN_ACT_LEAKY_RELU, NN_ACT_LINEAR}};

/* Gradients of one D step and one G step against finite differences, and
 * sample gradients, for one pair and loss. SGD: the gradient held after the
 * step is the one applied (nn_grads). */
static void check_gradients(const mlp *gs, const mlp *ds, int loss, unsigned seed)
{
    enum { B = 6 };
    nn_model *g = build(gs, seed, B), *d = build(ds, seed + 1, 2 * B);
    CHECK(g && d, "models");
    if (!g || !d) { nn_destroy(g); nn_destroy(d); return; }
    nn_set_optimizer(g, NN_OPT_SGD, 0.05f, 0, 0, 0);
    nn_set_optimizer(d, NN_OPT_SGD, 0.05f, 0, 0, 0);
    uint32_t s = seed * 7919u + 1u;
    int gin = gs->sizes[0], din = ds->sizes[0], ng = nn_param_count(g), nd = nn_param_count(d);
    float real[B * MAXW], noise[B * MAXW], stats[NN_GAN_STATS];
    fill(real, B * din, &s, 1.0f);
    fill(noise, B * gin, &s, 1.0f);
    /* nonzero biases, so every term of the gradient matters */
    for (int l = 0; l < ds->n_layers; l++)
        for (int u = 0; u < ds->sizes[l + 1]; u++) nn_set_param(d, l, 1, u, 0, 0.3f * tu_uniform(&s));
    for (int l = 0; l < gs->n_layers; l++)
        for (int u = 0; u < gs->sizes[l + 1]; u++) nn_set_param(g, l, 1, u, 0, 0.3f * tu_uniform(&s));

    static gan_case c;
    c = (gan_case){gs, ds, {0}, {0}, real, noise, B, loss};
    double fd[MAXP];
    const char *ln = loss == NN_GAN_BCE ? "bce" : "least squares";

    /* D step */
    to_double(nn_params(g), c.gp, ng);
    to_double(nn_params(d), c.dp, nd);
    double want_loss = loss_d(&c);
    finite_diff(&c, c.dp, nd, loss_d, fd);
    CHECK(nn_gan_step_d(d, g, real, noise, B, loss, stats) == NN_OK, "%s: D step", ln);
    CHECK(fabs(stats[0] - want_loss) <= 1e-5 * fabs(want_loss), "%s: D loss %g, double %g", ln, stats[0], want_loss);
    double e = grad_error(nn_grads(d), fd, nd);
    CHECK(e <= 1e-4, "%s: D step gradients vs finite differences: error %.3e", ln, e);
    double worst = e;

    /* G step through the updated D */
    fill(noise, B * gin, &s, 1.0f);
    to_double(nn_params(d), c.dp, nd);
    want_loss = loss_g(&c);
    finite_diff(&c, c.gp, ng, loss_g, fd);
    CHECK(nn_gan_step_g(g, d, noise, B, loss, stats) == NN_OK, "%s: G step", ln);
    CHECK(fabs(stats[0] - want_loss) <= 1e-5 * fabs(want_loss), "%s: G loss %g, double %g", ln, stats[0], want_loss);
    e = grad_error(nn_grads(g), fd, ng);
    CHECK(e <= 1e-4, "%s: G step gradients vs finite differences through D: error %.3e", ln, e);
    worst = fmax(worst, e);

    /* per-sample gradients of l_G(x_i) on x_i */
    float got[B * MAXW];
    double fdx[B * MAXW], x[MAXW], z, zu;
    CHECK(nn_gan_sample_grad(d, real, B, loss, got) == NN_OK, "%s: sample grad", ln);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < din; j++) {
            for (int k = 0; k < din; k++) x[k] = real[i * din + k];
            double h = 1e-6;
            x[j] += h;
            forward_d(ds, c.dp, x, &zu);
            x[j] -= 2 * h;
            forward_d(ds, c.dp, x, &z);
            fdx[i * din + j] = (row_loss(zu, 1, loss) - row_loss(z, 1, loss)) / (2 * h);
        }
    e = grad_error(got, fdx, B * din);
    CHECK(e <= 1e-4, "%s: sample gradients vs finite differences: error %.3e", ln, e);
    printf("gradients, %s, G %d layers / D %d layers: largest error vs finite differences %.2e\n", ln,
           gs->n_layers, ds->n_layers, fmax(worst, e));
    nn_destroy(g);
    nn_destroy(d);
}

/* Everything a network carries between steps: parameters, optimizer
 * position and state (momentum / Adam m and v per parameter). */
typedef struct {
    float params[MAXP], state[MAXP * 2];
    double info[NN_OPTIM_INFO_DOUBLES];
    int n;
} snapshot;

static void snap(nn_model *m, snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->n = nn_param_count(m);
    memcpy(s->params, nn_params(m), sizeof(float) * (size_t)s->n);
    nn_optimizer_info(m, s->info);
    static float zeros[MAXP], preview[MAXP * NN_PREVIEW_FLOATS];
    if (nn_optimizer_preview(m, 0, s->n, zeros, preview) == NN_OK)
        for (int i = 0; i < s->n; i++) {
            s->state[2 * i] = preview[i * NN_PREVIEW_FLOATS + 2];
            s->state[2 * i + 1] = preview[i * NN_PREVIEW_FLOATS + 3];
        }
}

static int same(nn_model *m, const snapshot *s)
{
    static snapshot now;
    snap(m, &now);
    return memcmp(&now, s, sizeof now) == 0;
}

/* Adam on both; after a few iterations (state built up), a G step leaves D
 * exactly as it was, a D step leaves G exactly as it was; D's next step
 * equals a twin's that never saw the G step. */
static void check_isolation(int loss)
{
    enum { B = 5 };
    nn_model *g = build(&G_SMALL, 11, B), *d = build(&D_SMALL, 12, 2 * B), *twin = build(&D_SMALL, 12, 2 * B);
    CHECK(g && d && twin, "models");
    if (!g || !d || !twin) { nn_destroy(g); nn_destroy(d); nn_destroy(twin); return; }
    nn_set_optimizer(g, NN_OPT_ADAM, 0.01f, 0.5f, 0.999f, 1e-8f);
    nn_set_optimizer(d, NN_OPT_ADAM, 0.01f, 0.5f, 0.999f, 1e-8f);
    nn_set_optimizer(twin, NN_OPT_ADAM, 0.01f, 0.5f, 0.999f, 1e-8f);
    uint32_t s = 99;
    float real[B * 2], noise[B * 2];
    static snapshot before;
    for (int it = 0; it < 4; it++) {
        fill(real, B * 2, &s, 1.0f);
        fill(noise, B * 2, &s, 1.0f);
        snap(g, &before);
        CHECK(nn_gan_step_d(d, g, real, noise, B, loss, NULL) == NN_OK, "D step");
        CHECK(nn_gan_step_d(twin, g, real, noise, B, loss, NULL) == NN_OK, "twin D step");
        CHECK(same(g, &before), "iteration %d: a D step changed G", it);
        CHECK(memcmp(nn_params(d), nn_params(twin), sizeof(float) * (size_t)nn_param_count(d)) == 0, "twin");
        fill(noise, B * 2, &s, 1.0f);
        snap(d, &before);
        CHECK(before.info[1] == it + 1, "D's optimizer position %g", before.info[1]);
        CHECK(nn_gan_step_g(g, d, noise, B, loss, NULL) == NN_OK, "G step");
        CHECK(same(d, &before), "iteration %d: a G step changed D's parameters or optimizer state", it);
    }
    nn_destroy(g);
    nn_destroy(d);
    nn_destroy(twin);
}

typedef struct {
    nn_model *g, *d;
    snapshot sg, sd;
} pair_state;

static void check_refused(pair_state *p, int got, int want, const char *what)
{
    CHECK(got == want, "%s: status %d (%s), want %d", what, got, nn_status_str(got), want);
    CHECK(same(p->g, &p->sg) && same(p->d, &p->sd), "%s: a refused call changed a network", what);
}

static void check_bad_input(void)
{
    enum { B = 4 };
    static pair_state p;
    p.g = build(&G_SMALL, 21, B);
    p.d = build(&D_SMALL, 22, 2 * B);
    static const mlp D_TWO = {2, {2, 8, 2}, {NN_ACT_TANH, NN_ACT_LINEAR}};
    static const mlp D_SIGMOID = {2, {2, 8, 1}, {NN_ACT_TANH, NN_ACT_SIGMOID}};
    static const mlp D_WIDE = {2, {3, 8, 1}, {NN_ACT_TANH, NN_ACT_LINEAR}};
    nn_model *d_two = build(&D_TWO, 1, 2 * B), *d_sig = build(&D_SIGMOID, 1, 2 * B),
             *d_wide = build(&D_WIDE, 1, 2 * B), *d_small = build(&D_SMALL, 1, B);
    CHECK(p.g && p.d && d_two && d_sig && d_wide && d_small, "models");
    if (p.g && p.d && d_two && d_sig && d_wide && d_small) {
        nn_set_optimizer(p.g, NN_OPT_ADAM, 0.01f, 0.5f, 0.999f, 1e-8f);
        nn_set_optimizer(p.d, NN_OPT_MOMENTUM, 0.05f, 0.9f, 0, 0);
        uint32_t s = 5;
        float real[B * 2], noise[B * 2], bad[B * 2], out[B * 3], stats[3];
        fill(real, B * 2, &s, 1.0f);
        fill(noise, B * 2, &s, 1.0f);
        /* state to lose: one iteration first */
        CHECK(nn_gan_step_d(p.d, p.g, real, noise, B, NN_GAN_BCE, stats) == NN_OK, "D step");
        CHECK(nn_gan_step_g(p.g, p.d, noise, B, NN_GAN_BCE, stats) == NN_OK, "G step");
        snap(p.g, &p.sg);
        snap(p.d, &p.sd);
        check_refused(&p, nn_gan_step_d(NULL, p.g, real, noise, B, 0, stats), NN_ERR_NULL, "D step, d NULL");
        check_refused(&p, nn_gan_step_d(p.d, NULL, real, noise, B, 0, stats), NN_ERR_NULL, "D step, g NULL");
        check_refused(&p, nn_gan_step_d(p.d, p.g, NULL, noise, B, 0, stats), NN_ERR_NULL, "D step, real NULL");
        check_refused(&p, nn_gan_step_d(p.d, p.g, real, NULL, B, 0, stats), NN_ERR_NULL, "D step, noise NULL");
        check_refused(&p, nn_gan_step_d(p.d, p.g, real, noise, 0, 0, stats), NN_ERR_BATCH, "D step, batch 0");
        check_refused(&p, nn_gan_step_d(p.d, p.g, real, noise, -3, 0, stats), NN_ERR_BATCH, "D step, batch -3");
        check_refused(&p, nn_gan_step_d(p.d, p.g, real, noise, B + 1, 0, stats), NN_ERR_BATCH,
                      "D step, batch > G's max_batch and 2*batch > D's");
        check_refused(&p, nn_gan_step_d(d_small, p.g, real, noise, B, 0, stats), NN_ERR_BATCH,
                      "D step, 2*batch > D's max_batch");
        check_refused(&p, nn_gan_step_d(p.d, p.g, real, noise, B, 2, stats), NN_ERR_LOSS, "D step, loss 2");
        check_refused(&p, nn_gan_step_d(p.d, p.g, real, noise, B, -1, stats), NN_ERR_LOSS, "D step, loss -1");
        check_refused(&p, nn_gan_step_d(p.d, p.d, real, real, B, 0, stats), NN_ERR_GAN_PAIR, "D step, g == d");
        check_refused(&p, nn_gan_step_d(d_two, p.g, real, noise, B, 0, stats), NN_ERR_GAN_PAIR, "D step, D 2 outputs");
        check_refused(&p, nn_gan_step_d(d_sig, p.g, real, noise, B, 0, stats), NN_ERR_GAN_PAIR, "D step, D sigmoid");
        check_refused(&p, nn_gan_step_d(d_wide, p.g, real, noise, B, 0, stats), NN_ERR_GAN_PAIR,
                      "D step, G's output 2 != D's input 3");
        const float specials[] = {NAN, INFINITY, -INFINITY};
        for (int k = 0; k < 3; k++) {
            memcpy(bad, real, sizeof bad);
            bad[B * 2 - 1] = specials[k];
            check_refused(&p, nn_gan_step_d(p.d, p.g, bad, noise, B, 0, stats), NN_ERR_NONFINITE, "D step, real");
            check_refused(&p, nn_gan_step_d(p.d, p.g, real, bad, B, 1, stats), NN_ERR_NONFINITE, "D step, noise");
            check_refused(&p, nn_gan_step_g(p.g, p.d, bad, B, 0, stats), NN_ERR_NONFINITE, "G step, noise");
            check_refused(&p, nn_gan_sample_grad(p.d, bad, B, 0, out), NN_ERR_NONFINITE, "sample grad, x");
        }
        check_refused(&p, nn_gan_step_g(NULL, p.d, noise, B, 0, stats), NN_ERR_NULL, "G step, g NULL");
        check_refused(&p, nn_gan_step_g(p.g, NULL, noise, B, 0, stats), NN_ERR_NULL, "G step, d NULL");
        check_refused(&p, nn_gan_step_g(p.g, p.d, NULL, B, 0, stats), NN_ERR_NULL, "G step, noise NULL");
        check_refused(&p, nn_gan_step_g(p.g, p.d, noise, 0, 0, stats), NN_ERR_BATCH, "G step, batch 0");
        check_refused(&p, nn_gan_step_g(p.g, p.d, noise, B + 1, 0, stats), NN_ERR_BATCH, "G step, batch > G's max");
        check_refused(&p, nn_gan_step_g(p.g, p.d, noise, B, 5, stats), NN_ERR_LOSS, "G step, loss 5");
        check_refused(&p, nn_gan_step_g(p.g, p.g, noise, B, 0, stats), NN_ERR_GAN_PAIR, "G step, g == d");
        check_refused(&p, nn_gan_step_g(p.g, d_two, noise, B, 0, stats), NN_ERR_GAN_PAIR, "G step, D 2 outputs");
        check_refused(&p, nn_gan_step_g(p.g, d_sig, noise, B, 0, stats), NN_ERR_GAN_PAIR, "G step, D sigmoid");
        check_refused(&p, nn_gan_step_g(p.g, d_wide, noise, B, 0, stats), NN_ERR_GAN_PAIR, "G step, sizes");
        check_refused(&p, nn_gan_sample_grad(NULL, real, B, 0, out), NN_ERR_NULL, "sample grad, d NULL");
        check_refused(&p, nn_gan_sample_grad(p.d, NULL, B, 0, out), NN_ERR_NULL, "sample grad, x NULL");
        check_refused(&p, nn_gan_sample_grad(p.d, real, B, 0, NULL), NN_ERR_NULL, "sample grad, out NULL");
        check_refused(&p, nn_gan_sample_grad(p.d, real, 0, 0, out), NN_ERR_BATCH, "sample grad, n 0");
        check_refused(&p, nn_gan_sample_grad(p.d, real, 2 * B + 1, 0, out), NN_ERR_BATCH, "sample grad, n > max");
        check_refused(&p, nn_gan_sample_grad(p.d, real, B, 3, out), NN_ERR_LOSS, "sample grad, loss 3");
        check_refused(&p, nn_gan_sample_grad(d_two, real, B, 0, out), NN_ERR_GAN_PAIR, "sample grad, D 2 outputs");
        check_refused(&p, nn_gan_sample_grad(d_sig, real, B, 0, out), NN_ERR_GAN_PAIR, "sample grad, D sigmoid");
        /* the networks still train after all that */
        CHECK(nn_gan_step_d(p.d, p.g, real, noise, B, NN_GAN_LEAST_SQUARES, stats) == NN_OK, "D step after");
        CHECK(!same(p.d, &p.sd), "a good D step after refused ones updates D");
        CHECK(nn_gan_step_g(p.g, p.d, noise, B, NN_GAN_LEAST_SQUARES, stats) == NN_OK, "G step after");
        CHECK(!same(p.g, &p.sg), "a good G step after refused ones updates G");
    }
    nn_destroy(p.g);
    nn_destroy(p.d);
    nn_destroy(d_two);
    nn_destroy(d_sig);
    nn_destroy(d_wide);
    nn_destroy(d_small);
}

/* ReLU networks and a huge learning rate: the weights blow up within a few
 * iterations, and D's score, the loss, a gradient or the update itself
 * (1e20, 1e37: finite gradients times lr overflow the parameters) overflows;
 * the step that meets a non-finite loss, sample or gradient reports
 * NN_ERR_DIVERGED and leaves the network as it was. Both losses. */
static int check_divergence(int loss, float lr, int wide)
{
    enum { B = 4 };
    static const mlp G_RELU = {2, {2, 8, 2}, {NN_ACT_RELU, NN_ACT_LINEAR}};
    static const mlp D_RELU = {2, {2, 8, 1}, {NN_ACT_RELU, NN_ACT_LINEAR}};
    /* 1,801 parameters: with momentum's buffer past the update's on-stack copy (3,072 floats) */
    static const mlp D_WIDE = {3, {2, 40, 40, 1}, {NN_ACT_RELU, NN_ACT_RELU, NN_ACT_LINEAR}};
    nn_model *g = build(&G_RELU, 31, B), *d = build(wide ? &D_WIDE : &D_RELU, 32, 2 * B);
    CHECK(g && d, "models");
    if (!g || !d) { nn_destroy(g); nn_destroy(d); return 0; }
    nn_set_optimizer(g, NN_OPT_SGD, lr, 0, 0, 0);
    nn_set_optimizer(d, wide ? NN_OPT_MOMENTUM : NN_OPT_SGD, lr, 0.9f, 0, 0);
    uint32_t s = 77;
    float real[B * 2], noise[B * 2], stats[3];
    int diverged_d = 0, diverged_g = 0, rolled_back = 0;
    static snapshot before;
    for (int it = 0; it < 30; it++) {
        fill(real, B * 2, &s, wide ? 1000.0f : 1.0f); /* wide: big gradients overflow lr x g */
        fill(noise, B * 2, &s, 1.0f);
        snap(d, &before);
        int st = nn_gan_step_d(d, g, real, noise, B, loss, stats);
        CHECK(st == NN_OK || st == NN_ERR_DIVERGED, "D step status %s", nn_status_str(st));
        if (st == NN_ERR_DIVERGED) {
            if (!diverged_d) diverged_d = it + 1;
            rolled_back |= isfinite(stats[0]); /* a finite loss: the update itself overflowed */
            CHECK(nn_status(d) == NN_ERR_DIVERGED, "D's status");
            CHECK(same(d, &before), "a diverged D step changed D");
        }
        snap(g, &before);
        st = nn_gan_step_g(g, d, noise, B, loss, stats);
        CHECK(st == NN_OK || st == NN_ERR_DIVERGED, "G step status %s", nn_status_str(st));
        if (st == NN_ERR_DIVERGED) {
            if (!diverged_g) diverged_g = it + 1;
            CHECK(same(g, &before), "a diverged G step changed G");
        }
        CHECK(all_finite(nn_params(d), nn_param_count(d)) &&
                  all_finite(nn_params(g), nn_param_count(g)),
              "a non-finite parameter after iteration %d", it);
    }
    printf("divergence, loss %d, lr %g%s: first D step diverged at iteration %d, G %d (-1: none)\n", loss, lr,
           wide ? ", wide D with momentum" : "", diverged_d - 1, diverged_g - 1);
    CHECK(diverged_d, "loss %d: lr %g never diverged D", loss, lr);
    CHECK(!wide || rolled_back, "loss %d: the wide D never undid an overflowing update", loss);
    nn_destroy(g);
    nn_destroy(d);
    return diverged_g > 0;
}

/* A D whose score overflows float (weights 1e15 on inputs 1e10): the
 * sample gradients are NN_ERR_DIVERGED, out not written, D unchanged. */
static void check_sample_grad_overflow(void)
{
    static const mlp D_RELU = {2, {2, 8, 1}, {NN_ACT_RELU, NN_ACT_LINEAR}};
    nn_model *d = build(&D_RELU, 41, 4);
    CHECK(d != NULL, "model");
    if (!d) return;
    float big[MAXP], x[4] = {1e10f, 1e10f, 1e10f, 1e10f}, out[4] = {7, 7, 7, 7};
    for (int i = 0; i < nn_param_count(d); i++) big[i] = 1e15f;
    CHECK(nn_load_params(d, big, nn_param_count(d)) == NN_OK, "load");
    static snapshot before;
    for (int loss = 0; loss < 2; loss++) {
        snap(d, &before);
        int st = nn_gan_sample_grad(d, x, 2, loss, out);
        CHECK(st == NN_ERR_DIVERGED && nn_status(d) == NN_ERR_DIVERGED, "loss %d: status %s", loss,
              nn_status_str(st));
        CHECK(out[0] == 7 && out[3] == 7, "loss %d: out written", loss);
        CHECK(same(d, &before), "loss %d: D changed", loss);
    }
    nn_destroy(d);
}

int main(void)
{
    check_sample_grad_overflow();
    for (int loss = 0; loss < 2; loss++) {
        check_gradients(&G_SMALL, &D_SMALL, loss, 1);
        check_gradients(&G_DEEP, &D_DEEP, loss, 2);
        check_isolation(loss);
        int g_diverged = 0;
        const float rates[] = {1e12f, 1e20f, 1e37f};
        for (int k = 0; k < 3; k++)
            g_diverged += check_divergence(loss, rates[k], 0);
        check_divergence(loss, 1e36f, 1);
        CHECK(g_diverged > 0, "loss %d: no G step ever diverged", loss);
    }
    check_bad_input();
    return tu_finish("test_gan");
}
