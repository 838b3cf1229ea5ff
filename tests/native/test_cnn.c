/* test_cnn.c — the conv2d, max-pool and flatten kinds: analytic gradients
 * (parameters and input) against central finite differences of an
 * independent double-precision forward pass over the same descriptors;
 * max-pool's tie rule and overlapping windows; flatten's order; every bad
 * descriptor's status; nn_plan_layers; nn_forward_all on a CNN. */
#include <stdlib.h>
#include "test_util.h"

#define D(kind, act, a, b, c, d, e) {kind, act, a, b, c, d, e, 0}

typedef struct {
    const char *name;
    int n;
    int32_t desc[6][NN_DESC_INTS];
    int32_t in[3];
    int loss, batch;
} cnn_case;

/* ---- the double-precision reference ---- */

static double act_d(double z, int act)
{
    switch (act) {
    case NN_ACT_RELU: return z > 0 ? z : 0;
    case NN_ACT_LEAKY_RELU: return z > 0 ? z : 0.01 * z;
    case NN_ACT_TANH: return tanh(z);
    case NN_ACT_SIGMOID: return 1.0 / (1.0 + exp(-z));
    default: return z;
    }
}

/* One example through every layer; returns the output's size, fills z and
 * a of the last layer (size <= 64). p: parameters in nn.h's layout. */
static int ref_forward(const cnn_case *c, const double *p, const double *x, double *z_out,
                       double *a_out)
{
    int ch = c->in[0], h = c->in[1], w = c->in[2];
    int size = ch * h * w;
    double *cur = malloc(sizeof(double) * (size_t)size);
    memcpy(cur, x, sizeof(double) * (size_t)size);
    const double *pp = p;
    double *z = NULL;
    for (int l = 0; l < c->n; l++) {
        const int32_t *d = c->desc[l];
        int oc = ch, oh = h, ow = w;
        if (d[0] == NN_LAYER_CONV2D) {
            int kh = d[3], kw = d[4], s = d[5], pad = d[6];
            oc = d[2];
            oh = (h + 2 * pad - kh) / s + 1;
            ow = (w + 2 * pad - kw) / s + 1;
            z = calloc((size_t)oc * oh * ow, sizeof(double));
            const double *wt = pp, *bias = pp + (size_t)oc * ch * kh * kw;
            for (int o = 0; o < oc; o++)
                for (int y = 0; y < oh; y++)
                    for (int xx = 0; xx < ow; xx++) {
                        double sum = bias[o];
                        for (int ci = 0; ci < ch; ci++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = y * s - pad + ky, ix = xx * s - pad + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                        sum += wt[((o * ch + ci) * kh + ky) * kw + kx] *
                                               cur[(ci * h + iy) * w + ix];
                                }
                        z[(o * oh + y) * ow + xx] = sum;
                    }
            pp = bias + oc;
        } else if (d[0] == NN_LAYER_MAXPOOL) {
            int k = d[2], s = d[3];
            oh = (h - k) / s + 1;
            ow = (w - k) / s + 1;
            z = calloc((size_t)oc * oh * ow, sizeof(double));
            for (int ci = 0; ci < ch; ci++)
                for (int y = 0; y < oh; y++)
                    for (int xx = 0; xx < ow; xx++) {
                        double m = -INFINITY;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                                m = fmax(m, cur[(ci * h + y * s + ky) * w + xx * s + kx]);
                        z[(ci * oh + y) * ow + xx] = m;
                    }
        } else if (d[0] == NN_LAYER_FLATTEN) {
            oc = ch * h * w, oh = ow = 1;
            z = malloc(sizeof(double) * (size_t)oc);
            memcpy(z, cur, sizeof(double) * (size_t)oc);
        } else { /* dense over the flat input */
            oc = d[2], oh = ow = 1;
            z = calloc((size_t)oc, sizeof(double));
            const double *bias = pp + (size_t)oc * size;
            for (int j = 0; j < oc; j++) {
                double sum = bias[j];
                for (int k = 0; k < size; k++)
                    sum += pp[j * size + k] * cur[k];
                z[j] = sum;
            }
            pp = bias + oc;
        }
        ch = oc, h = oh, w = ow, size = oc * oh * ow;
        free(cur);
        cur = malloc(sizeof(double) * (size_t)size);
        if (d[1] == NN_ACT_SOFTMAX) {
            double mx = z[0], sum = 0;
            for (int j = 1; j < size; j++)
                mx = fmax(mx, z[j]);
            for (int j = 0; j < size; j++)
                sum += exp(z[j] - mx);
            for (int j = 0; j < size; j++)
                cur[j] = exp(z[j] - mx) / sum;
        } else {
            for (int j = 0; j < size; j++)
                cur[j] = act_d(z[j], d[1]);
        }
        if (l == c->n - 1) {
            memcpy(z_out, z, sizeof(double) * (size_t)size);
            memcpy(a_out, cur, sizeof(double) * (size_t)size);
        }
        free(z);
    }
    free(cur);
    return size;
}

/* Mean loss over the batch (MSE or CE), as nn.h defines them. */
static double ref_loss(const cnn_case *c, const double *p, const double *x, const float *y)
{
    int in = c->in[0] * c->in[1] * c->in[2];
    double total = 0;
    int no = 0;
    for (int b = 0; b < c->batch; b++) {
        double z[64], a[64];
        no = ref_forward(c, p, x + (size_t)b * in, z, a);
        const float *t = y + (size_t)b * no;
        if (c->loss == NN_LOSS_CE) {
            double mx = z[0], sum = 0;
            for (int j = 1; j < no; j++)
                mx = fmax(mx, z[j]);
            for (int j = 0; j < no; j++)
                sum += exp(z[j] - mx);
            for (int j = 0; j < no; j++)
                total -= t[j] * (z[j] - mx - log(sum));
        } else {
            for (int j = 0; j < no; j++)
                total += (a[j] - t[j]) * (a[j] - t[j]);
        }
    }
    return total / (c->loss == NN_LOSS_CE ? c->batch : c->batch * no);
}

/* Largest error of g[n] against central differences over v[n] (perturbed in
 * place), relative with a floor at 1% of the largest true gradient. */
static double grad_error(const cnn_case *c, double *pd, double *xd, const float *y, double *v,
                         int n, const float *g, const char *what)
{
    const double h = 1e-6;
    double *truth = malloc(sizeof(double) * (size_t)n), tmax = 0, gmax = 0, err = 0;
    for (int i = 0; i < n; i++) {
        double keep = v[i];
        v[i] = keep + h;
        double lp = ref_loss(c, pd, xd, y);
        v[i] = keep - h;
        double lm = ref_loss(c, pd, xd, y);
        v[i] = keep;
        truth[i] = (lp - lm) / (2 * h);
        tmax = fmax(tmax, fabs(truth[i]));
        gmax = fmax(gmax, fabs(g[i]));
    }
    CHECK(gmax > 0 && tmax > 0, "%s %s: a zero gradient (%g, %g)", c->name, what, gmax, tmax);
    for (int i = 0; i < n; i++)
        err = fmax(err, fabs(g[i] - truth[i]) / (fabs(truth[i]) + 1e-2 * tmax));
    free(truth);
    return err;
}

static const cnn_case CASES[] = {
    {"conv relu, pool, dense softmax / CE", 3,
     {D(NN_LAYER_CONV2D, NN_ACT_RELU, 3, 3, 3, 1, 0), D(NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 2, 2, 0, 0, 0),
      D(NN_LAYER_DENSE, NN_ACT_SOFTMAX, 4, 0, 0, 0, 0)},
     {2, 7, 7}, NN_LOSS_CE, 3},
    {"stride 2, padding, tanh, flatten / MSE", 3,
     {D(NN_LAYER_CONV2D, NN_ACT_TANH, 2, 3, 2, 2, 1), D(NN_LAYER_FLATTEN, NN_ACT_LINEAR, 0, 0, 0, 0, 0),
      D(NN_LAYER_DENSE, NN_ACT_LINEAR, 3, 0, 0, 0, 0)},
     {3, 6, 5}, NN_LOSS_MSE, 2},
    {"1x1 conv, overlapping pool (k3 s1), conv with kernel = input", 3,
     {D(NN_LAYER_CONV2D, NN_ACT_SIGMOID, 4, 1, 1, 1, 0), D(NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 3, 1, 0, 0, 0),
      D(NN_LAYER_CONV2D, NN_ACT_SOFTMAX, 5, 3, 3, 1, 0)},
     {2, 5, 5}, NN_LOSS_CE, 2},
    {"two convs, pool s3, leaky relu, batch 1", 5,
     {D(NN_LAYER_CONV2D, NN_ACT_LEAKY_RELU, 3, 3, 3, 1, 1), D(NN_LAYER_MAXPOOL, NN_ACT_RELU, 2, 2, 0, 0, 0),
      D(NN_LAYER_CONV2D, NN_ACT_TANH, 4, 2, 2, 1, 1), D(NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 3, 3, 0, 0, 0),
      D(NN_LAYER_DENSE, NN_ACT_SOFTMAX, 3, 0, 0, 0, 0)},
     {1, 8, 8}, NN_LOSS_CE, 1},
    {"8-channel first conv (pixel-side weight gradient), 1x1 with K < out", 4,
     {D(NN_LAYER_CONV2D, NN_ACT_RELU, 8, 3, 3, 1, 1), D(NN_LAYER_CONV2D, NN_ACT_TANH, 2, 1, 1, 1, 0),
      D(NN_LAYER_FLATTEN, NN_ACT_LINEAR, 0, 0, 0, 0, 0), D(NN_LAYER_DENSE, NN_ACT_SOFTMAX, 3, 0, 0, 0, 0)},
     {1, 5, 4}, NN_LOSS_CE, 3},
    {"1x1 first conv, 1 channel to 8 (K = 1 < out)", 3,
     {D(NN_LAYER_CONV2D, NN_ACT_SIGMOID, 8, 1, 1, 1, 0), D(NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 2, 2, 0, 0, 0),
      D(NN_LAYER_DENSE, NN_ACT_LINEAR, 2, 0, 0, 0, 0)},
     {1, 4, 4}, NN_LOSS_MSE, 2},
};

static void check_gradients(const cnn_case *c)
{
    int n_in = c->in[0] * c->in[1] * c->in[2];
    nn_model *m = nn_create_layers(c->n, &c->desc[0][0], c->in, c->loss, 7u, c->batch);
    CHECK(m != NULL, "%s: create refused: %s", c->name,
          nn_status_str(nn_check_layers(c->n, &c->desc[0][0], c->in, c->loss, c->batch)));
    if (!m)
        return;
    int np = nn_param_count(m), no = nn_layer_size(m, c->n);
    uint32_t s = 12345u;
    /* non-zero biases, so the reference's bias handling is exercised */
    float *params = malloc(sizeof(float) * (size_t)np);
    memcpy(params, nn_params(m), sizeof(float) * (size_t)np);
    for (int i = 0; i < np; i++)
        if (params[i] == 0.0f)
            params[i] = 0.1f * tu_uniform(&s);
    CHECK(nn_load_params(m, params, np) == NN_OK, "%s: load", c->name);
    float *x = malloc(sizeof(float) * (size_t)(c->batch * n_in));
    float *y = calloc((size_t)(c->batch * no), sizeof(float));
    for (int i = 0; i < c->batch * n_in; i++)
        x[i] = tu_uniform(&s);
    tu_targets(y, c->batch, no, c->loss, &s);

    CHECK(nn_forward_train(m, x, c->batch) == NN_OK, "%s: forward_train", c->name);
    float loss = nn_backward(m, y, NN_BACKWARD_INPUT_GRAD);
    double *pd = malloc(sizeof(double) * (size_t)np), *xd = malloc(sizeof(double) * (size_t)(c->batch * n_in));
    for (int i = 0; i < np; i++)
        pd[i] = params[i];
    for (int i = 0; i < c->batch * n_in; i++)
        xd[i] = x[i];
    double want = ref_loss(c, pd, xd, y);
    CHECK(fabs(loss - want) <= 1e-5 * fabs(want), "%s: loss %.9g vs reference %.9g", c->name, loss, want);
    float *gx = malloc(sizeof(float) * (size_t)(c->batch * n_in));
    memcpy(gx, nn_input_grad(m), sizeof(float) * (size_t)(c->batch * n_in));
    double ep = grad_error(c, pd, xd, y, pd, np, nn_grads(m), "parameters");
    double ex = grad_error(c, pd, xd, y, xd, c->batch * n_in, gx, "input");
    CHECK(ep < 1e-4, "%s: parameter gradient error %.3e", c->name, ep);
    CHECK(ex < 1e-4, "%s: input gradient error %.3e", c->name, ex);
    printf("  %-60s param grad err %.2e, input grad err %.2e\n", c->name, ep, ex);

    /* nn_compute_gradients (no input gradient) gives the same bits */
    float *g1 = malloc(sizeof(float) * (size_t)np);
    memcpy(g1, nn_grads(m), sizeof(float) * (size_t)np);
    nn_compute_gradients(m, x, y, c->batch);
    CHECK(memcmp(g1, nn_grads(m), sizeof(float) * (size_t)np) == 0, "%s: gradients differ without dx", c->name);
    free(g1);
    free(gx);
    free(pd);
    free(xd);
    free(x);
    free(y);
    free(params);
    nn_destroy(m);
}

/* Ties go to the first maximum in row-major window order; overlapping
 * windows add their gradients. */
static void check_maxpool_routing(void)
{
    int32_t desc[NN_DESC_INTS] = {NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 2, 1, 0, 0, 0, 0};
    int32_t in[3] = {1, 3, 3};
    nn_model *m = nn_create_layers(1, desc, in, NN_LOSS_MSE, 1u, 1);
    CHECK(m != NULL, "maxpool model");
    if (!m)
        return;
    /* windows (2x2, stride 1) over a 3x3 plane of ties and a shared maximum */
    float x[9] = {1, 1, 0,
                  1, 5, 2,
                  0, 2, 2};
    float dy[4] = {1, 2, 3, 4}, out[4];
    CHECK(nn_forward(m, x, 1, out) == NN_OK && out[0] == 5 && out[1] == 5 && out[2] == 5 && out[3] == 5,
          "maxpool forward %g %g %g %g", out[0], out[1], out[2], out[3]);
    nn_forward_train(m, x, 1);
    CHECK(nn_backward_from(m, dy, NN_BACKWARD_INPUT_GRAD) == NN_OK, "maxpool backward");
    const float *g = nn_input_grad(m);
    CHECK(g && g[4] == 10 && g[0] == 0 && g[8] == 0, "shared maximum gets the sum: %g", g ? g[4] : -1);
    float ties[9] = {3, 3, 3,
                     3, 3, 3,
                     3, 3, 3};
    nn_forward_train(m, ties, 1);
    nn_backward_from(m, dy, NN_BACKWARD_INPUT_GRAD);
    g = nn_input_grad(m);
    /* every window's first element in row-major order: (0,0), (0,1), (1,0), (1,1) */
    CHECK(g && g[0] == 1 && g[1] == 2 && g[3] == 3 && g[4] == 4 && g[2] == 0 && g[8] == 0,
          "ties: %g %g %g %g", g[0], g[1], g[3], g[4]);
    nn_destroy(m);
}

/* Flatten keeps c, h, w order; nn_forward_all returns every layer flat. */
static void check_flatten_and_forward_all(void)
{
    int32_t desc[2 * NN_DESC_INTS] = {NN_LAYER_FLATTEN, NN_ACT_LINEAR, 0, 0, 0, 0, 0, 0,
                                      NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 1, 1, 0, 0, 0, 0};
    int32_t in[3] = {2, 2, 3}, shape[3];
    nn_model *m = nn_create_layers(2, desc, in, NN_LOSS_MSE, 1u, 2);
    CHECK(m != NULL, "flatten model");
    if (!m)
        return;
    CHECK(nn_layer_shape(m, 1, shape) == NN_OK && shape[0] == 12 && shape[1] == 1 && shape[2] == 1,
          "flatten shape %d %d %d", shape[0], shape[1], shape[2]);
    float x[24], all[48];
    for (int i = 0; i < 24; i++)
        x[i] = (float)i;
    CHECK(nn_forward_all(m, x, 2, all) == NN_OK, "forward_all");
    CHECK(memcmp(all, x, sizeof x) == 0 && memcmp(all + 24, x, sizeof x) == 0, "flatten changed the order");
    nn_destroy(m);
}

typedef struct {
    const char *what;
    int32_t d[NN_DESC_INTS];
    int32_t in[3];
    int status;
} bad_case;

static void check_bad_descriptors(void)
{
    static const bad_case BAD[] = {
        {"kernel larger than the padded input", D(NN_LAYER_CONV2D, 0, 2, 6, 3, 1, 1), {1, 3, 3}, NN_ERR_LAYER_CONFIG},
        {"kernel width larger", D(NN_LAYER_CONV2D, 0, 2, 3, 9, 1, 0), {1, 5, 5}, NN_ERR_LAYER_CONFIG},
        {"stride 0", D(NN_LAYER_CONV2D, 0, 2, 3, 3, 0, 0), {1, 5, 5}, NN_ERR_LAYER_CONFIG},
        {"stride -1", D(NN_LAYER_CONV2D, 0, 2, 3, 3, -1, 0), {1, 5, 5}, NN_ERR_LAYER_CONFIG},
        {"padding -1", D(NN_LAYER_CONV2D, 0, 2, 3, 3, 1, -1), {1, 5, 5}, NN_ERR_LAYER_CONFIG},
        {"padding = kernel", D(NN_LAYER_CONV2D, 0, 2, 3, 3, 1, 3), {1, 5, 5}, NN_ERR_LAYER_CONFIG},
        {"padding = kernel width", D(NN_LAYER_CONV2D, 0, 2, 5, 2, 1, 2), {1, 5, 5}, NN_ERR_LAYER_CONFIG},
        {"kernel 0", D(NN_LAYER_CONV2D, 0, 2, 0, 3, 1, 0), {1, 5, 5}, NN_ERR_LAYER_CONFIG},
        {"0 out channels", D(NN_LAYER_CONV2D, 0, 0, 3, 3, 1, 0), {1, 5, 5}, NN_ERR_SIZE},
        {"negative out channels", D(NN_LAYER_CONV2D, 0, -4, 3, 3, 1, 0), {1, 5, 5}, NN_ERR_SIZE},
        {"out channels past NN_MAX_WIDTH", D(NN_LAYER_CONV2D, 0, NN_MAX_WIDTH + 1, 1, 1, 1, 0), {1, 1, 1}, NN_ERR_SIZE},
        {"output past NN_MAX_WIDTH", D(NN_LAYER_CONV2D, 0, 64, 1, 1, 1, 0), {1, 256, 256}, NN_ERR_SIZE},
        {"weight past NN_MAX_FLOATS", D(NN_LAYER_CONV2D, 0, 1 << 20, 1024, 1024, 1 << 20, 1023), {1, 1, 1}, NN_ERR_TOO_LARGE},
        {"huge kernel and padding (64-bit products)", D(NN_LAYER_CONV2D, 0, 1, INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX - 1), {1, 1, 1}, NN_ERR_LAYER_CONFIG},
        {"kernel at the limit, 2^60 weights", D(NN_LAYER_CONV2D, 0, NN_MAX_WIDTH, NN_MAX_WIDTH, NN_MAX_WIDTH, NN_MAX_WIDTH, NN_MAX_WIDTH - 1), {NN_MAX_WIDTH, 1, 1}, NN_ERR_TOO_LARGE},
        {"conv unused int", {NN_LAYER_CONV2D, 0, 2, 3, 3, 1, 0, 1}, {1, 5, 5}, NN_ERR_LAYER_CONFIG},
        {"pool leaves nothing", D(NN_LAYER_MAXPOOL, 0, 4, 1, 0, 0, 0), {1, 3, 8}, NN_ERR_LAYER_CONFIG},
        {"pool kernel 0", D(NN_LAYER_MAXPOOL, 0, 0, 1, 0, 0, 0), {1, 3, 3}, NN_ERR_LAYER_CONFIG},
        {"pool stride 0", D(NN_LAYER_MAXPOOL, 0, 2, 0, 0, 0, 0), {1, 3, 3}, NN_ERR_LAYER_CONFIG},
        {"pool stride INT32_MIN", D(NN_LAYER_MAXPOOL, 0, 2, INT32_MIN, 0, 0, 0), {1, 3, 3}, NN_ERR_LAYER_CONFIG},
        {"pool unused int", D(NN_LAYER_MAXPOOL, 0, 2, 2, 1, 0, 0), {1, 3, 3}, NN_ERR_LAYER_CONFIG},
        {"flatten with an int", D(NN_LAYER_FLATTEN, 0, 1, 0, 0, 0, 0), {1, 3, 3}, NN_ERR_LAYER_CONFIG},
        {"flatten last int", {NN_LAYER_FLATTEN, 0, 0, 0, 0, 0, 0, -1}, {1, 3, 3}, NN_ERR_LAYER_CONFIG},
        {"softmax on a hidden conv", D(NN_LAYER_CONV2D, NN_ACT_SOFTMAX, 2, 3, 3, 1, 0), {1, 5, 5}, NN_ERR_SOFTMAX_HIDDEN},
        {"unknown activation on a pool", D(NN_LAYER_MAXPOOL, 9, 2, 2, 0, 0, 0), {1, 4, 4}, NN_ERR_ACTIVATION},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const bad_case *b = &BAD[i];
        /* the bad layer first, then a dense output layer */
        int32_t desc[2 * NN_DESC_INTS] = {0};
        memcpy(desc, b->d, sizeof b->d);
        desc[NN_DESC_INTS] = NN_LAYER_DENSE;
        desc[NN_DESC_INTS + 1] = NN_ACT_SOFTMAX;
        desc[NN_DESC_INTS + 2] = 3;
        int st = nn_check_layers(2, desc, b->in, NN_LOSS_CE, 4);
        CHECK(st == b->status, "%s: status %d (%s), want %d", b->what, st, nn_status_str(st), b->status);
        CHECK(nn_create_layers(2, desc, b->in, NN_LOSS_CE, 1u, 4) == NULL, "%s: created", b->what);
        int32_t plan[2 * NN_PLAN_INTS], bad = 99;
        st = nn_plan_layers(2, desc, b->in, plan, &bad);
        CHECK(st == b->status && bad == 0, "%s: plan %d at layer %d", b->what, st, bad);
    }
    /* a padded input the kernel just fits: accepted, one output row */
    int32_t fit[2 * NN_DESC_INTS] = {NN_LAYER_CONV2D, 0, 2, 5, 5, 1, 1, 0, NN_LAYER_DENSE, NN_ACT_SOFTMAX, 3};
    int32_t in3[3] = {1, 3, 3}, plan[2 * NN_PLAN_INTS], bad = 99;
    CHECK(nn_plan_layers(2, fit, in3, plan, &bad) == NN_OK && bad == -1 && plan[0] == 2 && plan[1] == 1 &&
              plan[2] == 1 && plan[3] == 2 * 25 + 2 && plan[4] == 3 && plan[7] == 2 * 3 + 3,
          "kernel = padded input: plan %d %d %d %d, bad %d", plan[0], plan[1], plan[2], plan[3], bad);
}

static void check_plan(void)
{
    /* cnn-fast over MNIST: 8x24x24, 8x12x12, 16x8x8, 16x4x4, 256, 10 */
    int32_t desc[6 * NN_DESC_INTS] = {
        NN_LAYER_CONV2D, NN_ACT_RELU, 8, 5, 5, 1, 0, 0,  NN_LAYER_MAXPOOL, 0, 2, 2, 0, 0, 0, 0,
        NN_LAYER_CONV2D, NN_ACT_RELU, 16, 5, 5, 1, 0, 0, NN_LAYER_MAXPOOL, 0, 2, 2, 0, 0, 0, 0,
        NN_LAYER_FLATTEN, 0, 0, 0, 0, 0, 0, 0,           NN_LAYER_DENSE, NN_ACT_SOFTMAX, 10, 0, 0, 0, 0, 0};
    int32_t in[3] = {1, 28, 28}, plan[6 * NN_PLAN_INTS], bad = 99;
    static const int32_t want[6 * NN_PLAN_INTS] = {8, 24, 24, 208, 8, 12, 12, 0, 16, 8, 8, 3216,
                                                   16, 4, 4, 0, 256, 1, 1, 0, 10, 1, 1, 2570};
    CHECK(nn_plan_layers(6, desc, in, plan, &bad) == NN_OK && bad == -1, "plan of cnn-fast: bad %d", bad);
    CHECK(memcmp(plan, want, sizeof want) == 0, "plan of cnn-fast differs");
    nn_model *m = nn_create_layers(6, desc, in, NN_LOSS_CE, 1u, 4);
    CHECK(m && nn_param_count(m) == 208 + 3216 + 2570, "param count");
    nn_destroy(m);
    /* the first refused layer is named; the layers before it are filled */
    desc[3 * NN_DESC_INTS + 2] = 9; /* pool 9 over 8x8 */
    memset(plan, 0, sizeof plan);
    CHECK(nn_plan_layers(6, desc, in, plan, &bad) == NN_ERR_LAYER_CONFIG && bad == 3 && plan[8] == 16,
          "refused pool: bad %d", bad);
    desc[3 * NN_DESC_INTS + 2] = 2;
    desc[2 * NN_DESC_INTS + 1] = NN_ACT_SOFTMAX;
    CHECK(nn_plan_layers(6, desc, in, plan, &bad) == NN_ERR_SOFTMAX_HIDDEN && bad == 2, "softmax hidden: bad %d", bad);
    desc[2 * NN_DESC_INTS + 1] = NN_ACT_RELU;
    int32_t flat_in[3] = {0, 28, 28};
    CHECK(nn_plan_layers(6, desc, flat_in, plan, &bad) == NN_ERR_SIZE && bad == -1, "bad input: bad %d", bad);
    CHECK(nn_plan_layers(0, desc, in, plan, &bad) == NN_ERR_LAYERS && bad == -1, "n 0");
    CHECK(nn_plan_layers(6, desc, in, NULL, &bad) == NN_ERR_NULL, "NULL out");
    CHECK(nn_plan_layers(6, desc, in, plan, NULL) == NN_OK, "NULL bad_layer is allowed");
    /* running parameter total past NN_MAX_FLOATS names the layer that tips it */
    int32_t big[2 * NN_DESC_INTS] = {NN_LAYER_DENSE, 0, 1 << 20, 0, 0, 0, 0, 0, NN_LAYER_DENSE, 0, 1 << 20};
    int32_t in_big[3] = {64, 1, 1};
    CHECK(nn_plan_layers(2, big, in_big, plan, &bad) == NN_ERR_TOO_LARGE && bad == 1, "too large: bad %d", bad);
}

int main(void)
{
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check_gradients(&CASES[i]);
    check_maxpool_routing();
    check_flatten_and_forward_all();
    check_bad_descriptors();
    check_plan();
    return tu_finish("test_cnn");
}
