/* test_layers.c — ABI v3: the descriptor constructor builds the same bits
 * as nn_create; the parameter layout and layer shapes the core hands out;
 * nn_train_step == nn_forward_train + nn_backward + nn_update bit for bit;
 * nn_explain against a hand computation. */
#include <stdlib.h>
#include "test_util.h"

#define MAXL 4

static void dense_desc(int32_t *desc, int n, const int *sizes, const int *act)
{
    memset(desc, 0, sizeof(int32_t) * (size_t)n * NN_DESC_INTS);
    for (int l = 0; l < n; l++) {
        desc[l * NN_DESC_INTS + 0] = NN_LAYER_DENSE;
        desc[l * NN_DESC_INTS + 1] = act[l];
        desc[l * NN_DESC_INTS + 2] = sizes[l + 1];
    }
}

static int same_params(const nn_model *a, const nn_model *b)
{
    int n = nn_param_count(a);
    return n == nn_param_count(b) && memcmp(nn_params(a), nn_params(b), sizeof(float) * (size_t)n) == 0;
}

typedef struct {
    int n, sizes[MAXL + 1], act[MAXL], loss, batch;
    int32_t in_shape[3]; /* how the descriptor constructor sees sizes[0] */
} net;

static const net nets[] = {
    {2, {2, 4, 1}, {NN_ACT_TANH, NN_ACT_SIGMOID}, NN_LOSS_BCE, 4, {2, 1, 1}},
    {3, {6, 8, 5, 3}, {NN_ACT_RELU, NN_ACT_LEAKY_RELU, NN_ACT_SOFTMAX}, NN_LOSS_CE, 7, {2, 3, 1}},
    {1, {12, 2}, {NN_ACT_LINEAR}, NN_LOSS_MSE, 3, {3, 2, 2}},
    {4, {5, 3, 3, 3, 2}, {NN_ACT_SIGMOID, NN_ACT_LINEAR, NN_ACT_TANH, NN_ACT_LINEAR}, NN_LOSS_MSE, 5, {5, 1, 1}},
};

/* Random inputs (a third zero, for the sparse backward path) and targets. */
static void make_data(const net *c, float *x, float *y, int rows, uint32_t *s)
{
    for (int i = 0; i < rows * c->sizes[0]; i++)
        x[i] = tu_next(s) % 3 == 0 ? 0.0f : tu_uniform(s);
    memset(y, 0, sizeof(float) * (size_t)rows * (size_t)c->sizes[c->n]);
    tu_targets(y, rows, c->sizes[c->n], c->loss, s);
}

static void test_same_as_nn_create(const net *c, int which)
{
    int32_t desc[MAXL * NN_DESC_INTS];
    dense_desc(desc, c->n, c->sizes, c->act);
    CHECK(nn_check_layers(c->n, desc, c->in_shape, c->loss, c->batch) == NN_OK, "net %d: check", which);
    nn_model *a = nn_create(c->n, c->sizes, c->act, c->loss, 7, c->batch);
    nn_model *b = nn_create_layers(c->n, desc, c->in_shape, c->loss, 7, c->batch);
    CHECK(a && b, "net %d: create", which);
    if (!a || !b)
        return;
    CHECK(same_params(a, b), "net %d: initial parameters differ", which);
    uint32_t s = 99u + (uint32_t)which;
    float x[7 * 12], y[7 * 3];
    make_data(c, x, y, c->batch, &s);
    for (int m = 0; m < 2; m++) {
        nn_model *model = m ? b : a;
        nn_set_optimizer(model, NN_OPT_ADAM, 0.01f, 0.9f, 0.999f, 1e-8f);
        nn_set_regularization(model, NN_REG_L2, 0.01f);
        for (int i = 0; i < 5; i++)
            nn_train_step(model, x, y, c->batch);
    }
    CHECK(same_params(a, b), "net %d: parameters differ after training", which);
    CHECK(nn_layer_size(b, 0) == c->sizes[0], "net %d: input size %d", which, nn_layer_size(b, 0));
    int32_t shape[3], d[NN_DESC_INTS];
    CHECK(nn_layer_shape(b, 0, shape) == NN_OK && memcmp(shape, c->in_shape, sizeof shape) == 0,
          "net %d: input shape", which);
    for (int l = 0; l < c->n; l++) {
        CHECK(nn_layer_shape(b, l + 1, shape) == NN_OK && shape[0] == c->sizes[l + 1] &&
              shape[1] == 1 && shape[2] == 1, "net %d: layer %d shape", which, l);
        CHECK(nn_layer_desc(b, l, d) == NN_OK && memcmp(d, desc + l * NN_DESC_INTS, sizeof d) == 0,
              "net %d: layer %d descriptor", which, l);
        CHECK(nn_layer_size(b, l + 1) == c->sizes[l + 1], "net %d: layer %d size", which, l);
    }
    nn_destroy(a);
    nn_destroy(b);
}

/* Blocks in array order, contiguous, PyTorch shapes, and each offset
 * addressing what nn_get_param reads. */
static void test_param_layout(const net *c, int which)
{
    nn_model *m = nn_create(c->n, c->sizes, c->act, c->loss, 3, c->batch);
    CHECK(nn_param_blocks(m) == 2 * c->n, "net %d: %d blocks", which, nn_param_blocks(m));
    const float *p = nn_params(m);
    int expect = 0;
    for (int i = 0; i < nn_param_blocks(m); i++) {
        int32_t b[NN_BLOCK_INTS];
        CHECK(nn_param_block(m, i, b) == NN_OK, "net %d: block %d", which, i);
        int l = i / 2, in = c->sizes[l], out = c->sizes[l + 1];
        CHECK(b[0] == l && b[1] == i % 2 && b[2] == expect, "net %d: block %d is layer %d/%d at %d",
              which, i, b[0], b[1], b[2]);
        if (i % 2 == 0)
            CHECK(b[3] == 2 && b[4] == out && b[5] == in && b[6] == 1 && b[7] == 1,
                  "net %d: weight %d shape", which, l);
        else
            CHECK(b[3] == 1 && b[4] == out && b[5] == 1 && b[6] == 1 && b[7] == 1,
                  "net %d: bias %d shape", which, l);
        nn_set_param(m, l, 1, out - 1, 0, 0.25f); /* biases are 0 after init */
        int row = out - 1, col = i % 2 ? 0 : in - 1;
        float via_layout = p[b[2] + row * (i % 2 ? 1 : in) + col];
        CHECK(via_layout == nn_get_param(m, l, i % 2, row, col), "net %d: block %d offset", which, i);
        expect += b[4] * b[5] * b[6] * b[7];
    }
    CHECK(expect == nn_param_count(m), "net %d: blocks cover %d of %d", which, expect, nn_param_count(m));
    nn_destroy(m);
}

/* nn_train_step == forward_train + backward + update, bit for bit, for
 * every optimizer; asking for the input gradient changes nothing. */
static void test_split_step(const net *c, int which)
{
    for (int opt = NN_OPT_SGD; opt <= NN_OPT_ADAM; opt++) {
        nn_model *a = nn_create(c->n, c->sizes, c->act, c->loss, 5, c->batch);
        nn_model *b = nn_create(c->n, c->sizes, c->act, c->loss, 5, c->batch);
        nn_set_optimizer(a, opt, 0.05f, 0.8f, 0.99f, 1e-7f);
        nn_set_optimizer(b, opt, 0.05f, 0.8f, 0.99f, 1e-7f);
        nn_set_regularization(a, NN_REG_L1, 0.001f);
        nn_set_regularization(b, NN_REG_L1, 0.001f);
        uint32_t s = 7u + (uint32_t)which;
        float x[7 * 12], y[7 * 3];
        int same_loss = 1;
        for (int step = 0; step < 6; step++) {
            int rows = 1 + step % c->batch;
            make_data(c, x, y, rows, &s);
            float la = nn_train_step(a, x, y, rows);
            CHECK(nn_forward_train(b, x, rows) == NN_OK, "forward_train");
            float lb = nn_backward(b, y, step % 2 ? NN_BACKWARD_INPUT_GRAD : 0);
            CHECK(nn_update(b) == NN_OK, "update: %s", nn_status_str(nn_status(b)));
            same_loss &= memcmp(&la, &lb, sizeof la) == 0;
        }
        CHECK(same_loss, "net %d, optimizer %d: losses differ", which, opt);
        CHECK(same_params(a, b), "net %d, optimizer %d: parameters differ", which, opt);
        nn_destroy(a);
        nn_destroy(b);
    }
}

static int close_to(float got, double want)
{
    return fabs(got - want) <= 1e-6 * fabs(want) + 1e-7;
}

/* 2-2-1, tanh then sigmoid with BCE, hand-set weights: every number of
 * nn_explain written out in double. */
static void test_explain_by_hand(void)
{
    int sizes[] = {2, 2, 1}, act[] = {NN_ACT_TANH, NN_ACT_SIGMOID};
    nn_model *m = nn_create(2, sizes, act, NN_LOSS_BCE, 1, 4);
    const float w1[2][2] = {{0.5f, -0.25f}, {1.0f, 0.5f}}, b1[2] = {0.1f, -0.2f};
    const float w2[2] = {0.75f, -1.5f}, b2 = 0.05f;
    for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 2; k++)
            nn_set_param(m, 0, 0, j, k, w1[j][k]);
        nn_set_param(m, 0, 1, j, 0, b1[j]);
        nn_set_param(m, 1, 0, 0, j, w2[j]);
    }
    nn_set_param(m, 1, 1, 0, 0, b2);
    const float x[2] = {1.0f, -2.0f}, y[1] = {1.0f};
    double z1[2], a1[2], d1[2], dx[2];
    for (int j = 0; j < 2; j++) {
        z1[j] = (double)w1[j][0] * x[0] + (double)w1[j][1] * x[1] + b1[j];
        a1[j] = tanh(z1[j]);
    }
    double z2 = w2[0] * a1[0] + w2[1] * a1[1] + b2, a2 = 1.0 / (1.0 + exp(-z2));
    double d2 = a2 - y[0]; /* BCE through a sigmoid, one example, one output */
    for (int j = 0; j < 2; j++)
        d1[j] = w2[j] * d2 * (1.0 - a1[j] * a1[j]);
    for (int k = 0; k < 2; k++)
        dx[k] = w1[0][k] * d1[0] + w1[1][k] * d1[1];
    CHECK(nn_explain_floats(m) == 3 * 2 + 3 * 1 + 2, "explain floats %d", nn_explain_floats(m));
    float before[9], out[11];
    memcpy(before, nn_params(m), sizeof before);
    CHECK(nn_explain(m, x, y, out) == NN_OK, "explain: %s", nn_status_str(nn_status(m)));
    const double want[11] = {z1[0], z1[1], a1[0], a1[1], d1[0], d1[1], z2, a2, d2, dx[0], dx[1]};
    for (int i = 0; i < 11; i++)
        CHECK(close_to(out[i], want[i]), "explain[%d] = %.9g, by hand %.9g", i, out[i], want[i]);
    CHECK(memcmp(before, nn_params(m), sizeof before) == 0, "explain changed the parameters");
    CHECK(nn_update(m) == NN_ERR_SEQUENCE, "an update after explain");
    nn_destroy(m);

    /* softmax + cross-entropy: the output delta is p - y */
    int s2[] = {2, 3}, a2s[] = {NN_ACT_SOFTMAX};
    m = nn_create(1, s2, a2s, NN_LOSS_CE, 4, 1);
    const float t[3] = {0.0f, 1.0f, 0.0f};
    float o2[3 * 3 + 2];
    CHECK(nn_explain(m, x, t, o2) == NN_OK, "explain softmax");
    double sum = 0;
    for (int j = 0; j < 3; j++)
        sum += exp(o2[j]);
    for (int j = 0; j < 3; j++) {
        CHECK(close_to(o2[3 + j], exp(o2[j]) / sum), "softmax a[%d]", j);
        CHECK(close_to(o2[6 + j], o2[3 + j] - t[j]), "softmax delta[%d]", j);
    }
    nn_destroy(m);
}

/* A GAN's generator step: dL/d(generator output) is the discriminator's
 * input gradient; nn_backward_from with it equals the gradients of the
 * two networks stacked into one. */
static void test_through_a_second_network(void)
{
    int gs[] = {3, 4, 2}, ga[] = {NN_ACT_TANH, NN_ACT_LINEAR};
    int ds[] = {2, 5, 1}, da[] = {NN_ACT_RELU, NN_ACT_SIGMOID};
    int ss[] = {3, 4, 2, 5, 1}, sa[] = {NN_ACT_TANH, NN_ACT_LINEAR, NN_ACT_RELU, NN_ACT_SIGMOID};
    nn_model *g = nn_create(2, gs, ga, NN_LOSS_MSE, 21, 4), *d = nn_create(2, ds, da, NN_LOSS_BCE, 22, 4);
    nn_model *stack = nn_create(4, ss, sa, NN_LOSS_BCE, 0, 4);
    float p[64];
    int ng = nn_param_count(g), nd = nn_param_count(d);
    memcpy(p, nn_params(g), sizeof(float) * (size_t)ng);
    memcpy(p + ng, nn_params(d), sizeof(float) * (size_t)nd);
    CHECK(nn_load_params(stack, p, ng + nd) == NN_OK, "stack load");
    uint32_t s = 5;
    float z[4 * 3], ones[4] = {1, 1, 1, 1}, fake[4 * 2];
    for (int i = 0; i < 12; i++)
        z[i] = tu_uniform(&s);
    CHECK(nn_forward_train(g, z, 4) == NN_OK, "g forward_train");
    CHECK(nn_forward(g, z, 4, fake) == NN_OK, "g forward");
    CHECK(nn_backward_from(g, ones, 0) == NN_ERR_SEQUENCE, "nn_forward ends a forward_train");
    CHECK(nn_forward_train(g, z, 4) == NN_OK, "g forward_train again");
    CHECK(nn_forward_train(d, fake, 4) == NN_OK, "d forward_train");
    float ld = nn_backward(d, ones, NN_BACKWARD_INPUT_GRAD);
    CHECK(nn_backward_from(g, nn_input_grad(d), 0) == NN_OK, "g backward_from");
    float ls = nn_compute_gradients(stack, z, ones, 4);
    CHECK(close_to(ld, ls), "stacked loss %.9g vs %.9g", ld, ls);
    const float *gg = nn_grads(g), *gs_ = nn_grads(stack);
    double worst = 0;
    for (int i = 0; i < ng; i++)
        worst = fmax(worst, fabs(gg[i] - gs_[i]) / (fabs(gs_[i]) + 1e-6));
    CHECK(worst < 1e-5, "generator gradients vs the stacked network: %.3g", worst);
    nn_destroy(g);
    nn_destroy(d);
    nn_destroy(stack);
}

int main(void)
{
    for (int i = 0; i < (int)(sizeof nets / sizeof nets[0]); i++) {
        test_same_as_nn_create(&nets[i], i);
        test_param_layout(&nets[i], i);
        test_split_step(&nets[i], i);
    }
    test_explain_by_hand();
    test_through_a_second_network();
    return tu_finish("test_layers");
}
