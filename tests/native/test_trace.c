/* test_trace.c — ABI v5, "show the math": nn_finite_difference against
 * backprop (one example, regularisation off) for every activation x loss
 * the playground offers, the parameter restored bit for bit; and
 * nn_optimizer_preview equal, bit for bit, to the update nn_train_step
 * makes, for SGD, momentum and Adam with L1/L2; bad arguments. */
#include <stdlib.h>
#include "test_util.h"

static const int hidden_acts[] = {NN_ACT_RELU, NN_ACT_LEAKY_RELU, NN_ACT_TANH, NN_ACT_SIGMOID,
                                  NN_ACT_LINEAR};
static const char *act_name[] = {"linear", "relu", "leaky_relu", "tanh", "sigmoid", "softmax"};

/* The playground's heads: sigmoid + BCE, softmax + CE, linear + MSE (and
 * tanh + MSE for a curved output under MSE). */
static const struct { int act, loss, outputs; } heads[] = {
    {NN_ACT_SIGMOID, NN_LOSS_BCE, 1},
    {NN_ACT_SOFTMAX, NN_LOSS_CE, 3},
    {NN_ACT_LINEAR, NN_LOSS_MSE, 1},
    {NN_ACT_TANH, NN_LOSS_MSE, 2},
};

static double worst_fd = 0.0;

/* relative difference with a floor: gradients below 1e-6 compare absolutely
 * (the float32 forward pass cannot resolve them any better) */
static double rel_diff(double a, double b)
{
    double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) / (scale > 1e-6 ? scale : 1e-6);
}

/* ReLU-like units whose pre-activation is this close to 0 may cross the
 * kink within the difference's step: no derivative to compare there. */
static int near_kink(const float *explain, const int *sizes, const int *act, int n)
{
    int off = 0;
    for (int l = 0; l < n; l++) {
        for (int j = 0; j < sizes[l + 1]; j++)
            if ((act[l] == NN_ACT_RELU || act[l] == NN_ACT_LEAKY_RELU) && fabsf(explain[off + j]) < 1e-3f)
                return 1;
        off += 3 * sizes[l + 1];
    }
    return 0;
}

static void test_fd_against_backprop(int hidden, int head, uint32_t seed)
{
    int sizes[4] = {2, 5, 4, heads[head].outputs};
    int act[3] = {hidden, hidden, heads[head].act};
    nn_model *m = nn_create(3, sizes, act, heads[head].loss, seed, 8);
    CHECK(m != NULL, "create");
    if (!m)
        return;
    uint32_t s = seed * 7919u + 1u;
    /* trained a little, so outputs are not all at their initial values */
    float xb[8 * 2], yb[8 * 3] = {0};
    for (int i = 0; i < 16; i++)
        xb[i] = 2.0f * tu_uniform(&s);
    tu_targets(yb, 8, sizes[3], heads[head].loss, &s);
    nn_set_optimizer(m, NN_OPT_ADAM, 0.05f, 0.9f, 0.999f, 1e-8f);
    for (int i = 0; i < 20; i++)
        nn_train_step(m, xb, yb, 8);
    int count = nn_param_count(m);
    float *before = malloc(sizeof(float) * (size_t)count);
    float *grads = malloc(sizeof(float) * (size_t)count);
    float *explain = malloc(sizeof(float) * (size_t)nn_explain_floats(m));
    for (int ex = 0; ex < 3; ex++) {
        const float *x = xb + 2 * ex, *y = yb + sizes[3] * ex;
        CHECK(nn_explain(m, x, y, explain) == NN_OK, "explain");
        if (near_kink(explain, sizes, act, 3))
            continue;
        memcpy(grads, nn_grads(m), sizeof(float) * (size_t)count);
        memcpy(before, nn_params(m), sizeof(float) * (size_t)count);
        for (int i = 0; i < count; i++) {
            double out[NN_FD_DOUBLES];
            int st = nn_finite_difference(m, i, x, y, 1, out);
            CHECK(st == NN_OK, "fd %d: %s", i, nn_status_str(st));
            double d = rel_diff(out[0], grads[i]);
            if (d > worst_fd)
                worst_fd = d;
            CHECK(d <= 1e-3, "%s hidden, %s head, example %d, param %d: fd %.9g, backprop %.9g (rel %.2g)",
                  act_name[hidden], act_name[heads[head].act], ex, i, out[0], grads[i], d);
            CHECK(out[1] > 0 && isfinite(out[2]) && isfinite(out[3]), "fd step and losses");
        }
        CHECK(memcmp(before, nn_params(m), sizeof(float) * (size_t)count) == 0,
              "parameters not restored bit for bit");
        /* the restored model computes what it did: derived state (W^T) rebuilt */
        float again[64];
        CHECK(nn_explain(m, x, y, again) == NN_OK && memcmp(again, explain, sizeof(float) * (size_t)nn_explain_floats(m)) == 0,
              "explain differs after the finite differences");
    }
    free(before);
    free(grads);
    free(explain);
    nn_destroy(m);
}

/* On several examples: the difference of the mean loss, against
 * nn_compute_gradients of the batch with regularisation off. */
static void test_fd_batch(void)
{
    int sizes[] = {3, 6, 1}, act[] = {NN_ACT_TANH, NN_ACT_SIGMOID};
    nn_model *m = nn_create(2, sizes, act, NN_LOSS_BCE, 11, 4);
    uint32_t s = 5;
    float x[10 * 3], y[10] = {0};
    for (int i = 0; i < 30; i++)
        x[i] = tu_uniform(&s);
    tu_targets(y, 10, 1, NN_LOSS_BCE, &s);
    /* 10 examples over max_batch 4: the loss is chunked like nn_evaluate */
    nn_model *big = nn_create(2, sizes, act, NN_LOSS_BCE, 11, 10);
    nn_set_regularization(m, NN_REG_L2, 0.5f); /* the difference ignores it */
    nn_compute_gradients(big, x, y, 10);
    const float *g = nn_grads(big);
    for (int i = 0; i < nn_param_count(m); i++) {
        double out[NN_FD_DOUBLES];
        CHECK(nn_finite_difference(m, i, x, y, 10, out) == NN_OK, "fd batch");
        CHECK(rel_diff(out[0], g[i]) <= 1e-3, "batch param %d: fd %.9g, backprop %.9g", i, out[0], g[i]);
    }
    nn_destroy(big);
    nn_destroy(m);
}

/* The kinds' double forms: conv2d (stride 2, padding), max-pool, flatten, dense. */
static void test_fd_cnn(void)
{
    const int32_t in_shape[3] = {2, 7, 7};
    const int32_t desc[4 * NN_DESC_INTS] = {
        NN_LAYER_CONV2D, NN_ACT_TANH, 3, 3, 3, 2, 1, 0,  /* 3 x 4 x 4 */
        NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 2, 1, 0, 0, 0, 0, /* 3 x 3 x 3 */
        NN_LAYER_FLATTEN, NN_ACT_LINEAR, 0, 0, 0, 0, 0, 0,
        NN_LAYER_DENSE, NN_ACT_SOFTMAX, 4, 0, 0, 0, 0, 0,
    };
    nn_model *m = nn_create_layers(4, desc, in_shape, NN_LOSS_CE, 9, 1);
    CHECK(m != NULL, "create cnn");
    if (!m)
        return;
    uint32_t s = 123;
    float x[2 * 7 * 7], y[4] = {0};
    for (int i = 0; i < 2 * 7 * 7; i++)
        x[i] = tu_uniform(&s);
    y[2] = 1.0f;
    float *explain = malloc(sizeof(float) * (size_t)nn_explain_floats(m));
    CHECK(nn_explain(m, x, y, explain) == NN_OK, "explain cnn");
    int count = nn_param_count(m);
    float *g = malloc(sizeof(float) * (size_t)count);
    memcpy(g, nn_grads(m), sizeof(float) * (size_t)count);
    for (int i = 0; i < count; i++) {
        double out[NN_FD_DOUBLES];
        CHECK(nn_finite_difference(m, i, x, y, 1, out) == NN_OK, "fd cnn");
        double d = rel_diff(out[0], g[i]);
        if (d > worst_fd)
            worst_fd = d;
        CHECK(d <= 1e-3, "cnn param %d: fd %.9g, backprop %.9g", i, out[0], g[i]);
    }
    free(g);
    free(explain);
    nn_destroy(m);
}

/* Large weights: the step scales with |w| */
static void test_fd_step(void)
{
    int sizes[] = {1, 1}, act[] = {NN_ACT_LINEAR};
    nn_model *m = nn_create(1, sizes, act, NN_LOSS_MSE, 1, 1);
    nn_set_param(m, 0, 0, 0, 0, 300.0f);
    nn_set_param(m, 0, 1, 0, 0, 0.25f);
    const float x[1] = {0.5f}, y[1] = {2.0f};
    double out[NN_FD_DOUBLES];
    CHECK(nn_finite_difference(m, 0, x, y, 1, out) == NN_OK, "fd");
    /* L = (w x + b - y)^2, dL/dw = 2 (w x + b - y) x; quadratic, so exact up to rounding */
    double want = 2.0 * (300.0 * 0.5 + 0.25 - 2.0) * 0.5;
    CHECK(fabs(out[0] - want) <= 1e-9 * fabs(want), "fd %.12g, want %.12g", out[0], want);
    CHECK(fabs(out[1] - 3e-3) < 1e-12, "step %.9g for |w| = 300", out[1]);
    CHECK(nn_finite_difference(m, 1, x, y, 1, out) == NN_OK && fabs(out[1] - 1e-5) < 1e-15,
          "step %.9g for |b| < 1", out[1]);
    nn_destroy(m);
}

/* Preview against the real step: data-only gradients in, the step's
 * parameters and state out, bit for bit. */
static void test_preview(int opt, int reg)
{
    int sizes[] = {2, 4, 3}, act[] = {NN_ACT_TANH, NN_ACT_SOFTMAX};
    nn_model *m = nn_create(2, sizes, act, NN_LOSS_CE, 3, 4);
    nn_set_optimizer(m, opt, 0.1f, 0.9f, 0.99f, 1e-8f);
    uint32_t s = 77;
    float x[4 * 2], y[4 * 3] = {0};
    for (int i = 0; i < 8; i++)
        x[i] = tu_uniform(&s);
    tu_targets(y, 4, 3, NN_LOSS_CE, &s);
    int count = nn_param_count(m);
    float *data_grads = malloc(sizeof(float) * (size_t)count);
    float *prev = malloc(sizeof(float) * (size_t)count * NN_PREVIEW_FLOATS);
    float *now = malloc(sizeof(float) * (size_t)count * NN_PREVIEW_FLOATS);
    double info[NN_OPTIM_INFO_DOUBLES];
    for (int stepi = 0; stepi < 4; stepi++) {
        nn_set_regularization(m, NN_REG_NONE, 0.0f);
        nn_compute_gradients(m, x, y, 4);
        memcpy(data_grads, nn_grads(m), sizeof(float) * (size_t)count);
        nn_set_regularization(m, reg, 0.01f);
        CHECK(nn_optimizer_info(m, info) == NN_OK && info[0] == opt && info[1] == stepi &&
              fabs(info[2] - 0.1) < 1e-7 && info[6] == reg && fabs(info[7] - 0.01) < 1e-9,
              "info: kind %g step %g lr %g reg %g %g", info[0], info[1], info[2], info[6], info[7]);
        const float *p = nn_params(m);
        CHECK(nn_optimizer_preview(m, 0, count, data_grads, prev) == NN_OK, "preview");
        if (stepi > 0) /* the state before this step is the state after the last preview's */
            for (int i = 0; i < count; i++)
                CHECK(prev[i * NN_PREVIEW_FLOATS + 2] == now[i * NN_PREVIEW_FLOATS + 4] &&
                      prev[i * NN_PREVIEW_FLOATS + 3] == now[i * NN_PREVIEW_FLOATS + 5],
                      "opt %d reg %d step %d param %d: state", opt, reg, stepi, i);
        for (int i = 0; i < count; i++)
            CHECK(prev[i * NN_PREVIEW_FLOATS] == p[i], "preview w");
        nn_train_step(m, x, y, 4);
        p = nn_params(m);
        for (int i = 0; i < count; i++)
            CHECK(prev[i * NN_PREVIEW_FLOATS + 6] == p[i], "opt %d reg %d step %d param %d: preview %.9g, step %.9g",
                  opt, reg, stepi, i, prev[i * NN_PREVIEW_FLOATS + 6], p[i]);
        memcpy(now, prev, sizeof(float) * (size_t)count * NN_PREVIEW_FLOATS);
    }
    /* weights carry the regularisation term, biases do not (block 1 of layer 0: params 8..11) */
    float g1[1] = {0.0f}, o[NN_PREVIEW_FLOATS];
    nn_optimizer_preview(m, 0, 1, g1, o);
    if (reg == NN_REG_L2)
        CHECK(o[1] == 0.01f * o[0], "L2 term %.9g for w %.9g", o[1], o[0]);
    else if (reg == NN_REG_L1)
        CHECK(o[1] == (o[0] > 0 ? 0.01f : -0.01f), "L1 term %.9g", o[1]);
    nn_optimizer_preview(m, 8, 1, g1, o);
    CHECK(o[1] == 0.0f, "bias gradient %.9g: no regularisation", o[1]);
    /* a preview changes nothing: the next step is the same as on a twin */
    free(data_grads);
    free(prev);
    free(now);
    nn_destroy(m);
}

static void test_bad_arguments(void)
{
    int sizes[] = {2, 3, 1}, act[] = {NN_ACT_TANH, NN_ACT_SIGMOID};
    nn_model *m = nn_create(2, sizes, act, NN_LOSS_BCE, 1, 2);
    const float x[2] = {0.5f, -0.5f}, y[1] = {1.0f}, nan_x[2] = {NAN, 0.0f};
    double out[NN_FD_DOUBLES] = {0};
    int count = nn_param_count(m);
    CHECK(nn_finite_difference(NULL, 0, x, y, 1, out) == NN_ERR_NULL, "fd NULL model");
    CHECK(nn_finite_difference(m, 0, NULL, y, 1, out) == NN_ERR_NULL && nn_status(m) == NN_ERR_NULL, "fd NULL x");
    CHECK(nn_finite_difference(m, 0, x, NULL, 1, out) == NN_ERR_NULL, "fd NULL y");
    CHECK(nn_finite_difference(m, 0, x, y, 1, NULL) == NN_ERR_NULL, "fd NULL out");
    CHECK(nn_finite_difference(m, -1, x, y, 1, out) == NN_ERR_INDEX, "fd index -1");
    CHECK(nn_finite_difference(m, count, x, y, 1, out) == NN_ERR_INDEX, "fd index count");
    CHECK(nn_finite_difference(m, 0, x, y, 0, out) == NN_ERR_BATCH, "fd n 0");
    CHECK(nn_finite_difference(m, 0, x, y, -3, out) == NN_ERR_BATCH, "fd n < 0");
    CHECK(nn_finite_difference(m, 0, nan_x, y, 1, out) == NN_ERR_NONFINITE, "fd NaN x");
    CHECK(nn_finite_difference(m, 0, x, nan_x, 1, out) == NN_ERR_NONFINITE, "fd NaN y");
    CHECK(nn_finite_difference(m, count - 1, x, y, 1, out) == NN_OK && nn_status(m) == NN_OK, "fd last index");
    /* the difference touches nothing: a kept forward_train still takes its backward */
    CHECK(nn_forward_train(m, x, 1) == NN_OK, "forward_train");
    CHECK(nn_finite_difference(m, 0, x, y, 1, out) == NN_OK, "fd between forward_train and backward");
    CHECK(isfinite(nn_backward(m, y, 0)) && nn_status(m) == NN_OK, "backward after fd: %s", nn_status_str(nn_status(m)));

    double info[NN_OPTIM_INFO_DOUBLES];
    CHECK(nn_optimizer_info(NULL, info) == NN_ERR_NULL && nn_optimizer_info(m, NULL) == NN_ERR_NULL, "info NULL");
    CHECK(nn_optimizer_info(m, info) == NN_OK && info[0] == NN_OPT_SGD && info[1] == 0, "info of a new model");

    float g[2] = {0.1f, 0.2f}, o[2 * NN_PREVIEW_FLOATS], nan_g[1] = {INFINITY};
    CHECK(nn_optimizer_preview(NULL, 0, 1, g, o) == NN_ERR_NULL, "preview NULL model");
    CHECK(nn_optimizer_preview(m, 0, 1, NULL, o) == NN_ERR_NULL, "preview NULL grads");
    CHECK(nn_optimizer_preview(m, 0, 1, g, NULL) == NN_ERR_NULL, "preview NULL out");
    CHECK(nn_optimizer_preview(m, -1, 1, g, o) == NN_ERR_INDEX, "preview first -1");
    CHECK(nn_optimizer_preview(m, 0, 0, g, o) == NN_ERR_INDEX, "preview count 0");
    CHECK(nn_optimizer_preview(m, count - 1, 2, g, o) == NN_ERR_INDEX, "preview past the end");
    CHECK(nn_optimizer_preview(m, 1, 0x7fffffff, g, o) == NN_ERR_INDEX, "preview overflowing count");
    CHECK(nn_optimizer_preview(m, 0, 1, nan_g, o) == NN_ERR_NONFINITE, "preview Inf gradient");
    CHECK(nn_optimizer_preview(m, count - 2, 2, g, o) == NN_OK, "preview the last two");
    /* SGD: w - lr g */
    CHECK(o[6] == o[0] - 0.01f * 0.1f, "sgd preview %.9g from %.9g", o[6], o[0]);
    nn_destroy(m);
}

int main(void)
{
    for (size_t h = 0; h < sizeof hidden_acts / sizeof hidden_acts[0]; h++)
        for (int head = 0; head < 4; head++)
            for (uint32_t seed = 1; seed <= 3; seed++)
                test_fd_against_backprop(hidden_acts[h], head, seed);
    test_fd_cnn();
    printf("finite difference vs backprop: worst relative difference %.3g\n", worst_fd);
    test_fd_batch();
    test_fd_step();
    for (int opt = NN_OPT_SGD; opt <= NN_OPT_ADAM; opt++)
        for (int reg = NN_REG_NONE; reg <= NN_REG_L2; reg++)
            test_preview(opt, reg);
    test_bad_arguments();
    return tu_finish("test_trace");
}
