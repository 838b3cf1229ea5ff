/* test_exact.c — exact outputs from hand-set weights (nn_set_param) for each
 * activation and loss, and exact first updates of each optimizer. Expected
 * values are worked out by hand (or are the correctly rounded float of the
 * true value, for transcendental functions: allowed 1 ulp). */
#include "test_util.h"

/* |a - b| in units of b's last place (float). */
static double ulps(float a, double b)
{
    float fb = (float)b;
    double ulp = fabs(nextafterf(fb, INFINITY) - fb);
    return fabs((double)a - b) / ulp;
}

/* A 1-input, 2-unit layer with zero weights and biases (z0, z1): for any
 * input the pre-activations are exactly z0 and z1. */
static nn_model *one_layer(int act, int loss, float z0, float z1)
{
    int sizes[] = {1, 2}, acts[] = {act};
    nn_model *m = nn_create(1, sizes, acts, loss, 1, 4);
    nn_set_param(m, 0, 0, 0, 0, 0.0f);
    nn_set_param(m, 0, 0, 1, 0, 0.0f);
    nn_set_param(m, 0, 1, 0, 0, z0);
    nn_set_param(m, 0, 1, 1, 0, z1);
    return m;
}

static void activations(void)
{
    const float x = 1.0f;
    float out[2];
    struct { int act; float z0, z1; double a0, a1; const char *name; } cases[] = {
        {NN_ACT_LINEAR, -1.5f, 2.25f, -1.5, 2.25, "linear"},
        {NN_ACT_RELU, -1.5f, 2.25f, 0.0, 2.25, "relu"},
        {NN_ACT_LEAKY_RELU, -2.0f, 2.25f, -2.0 * (double)0.01f, 2.25, "leaky_relu"},
        {NN_ACT_TANH, 0.5f, -2.0f, 0.46211715726000974, -0.9640275800758169, "tanh"},
        {NN_ACT_SIGMOID, 1.0f, -3.0f, 0.7310585786300049, 0.04742587317756678, "sigmoid"},
        {NN_ACT_SOFTMAX, 1.0f, 3.0f, 0.11920292202211755, 0.8807970779778823, "softmax"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_model *m = one_layer(cases[i].act, cases[i].act == NN_ACT_SOFTMAX ? NN_LOSS_CE : NN_LOSS_MSE,
                                cases[i].z0, cases[i].z1);
        CHECK(nn_forward(m, &x, 1, out) == NN_OK, "%s forward", cases[i].name);
        CHECK(ulps(out[0], cases[i].a0) <= 1 && ulps(out[1], cases[i].a1) <= 1,
              "%s: got %.9g %.9g, want %.9g %.9g", cases[i].name, out[0], out[1], cases[i].a0, cases[i].a1);
        nn_destroy(m);
    }
    /* a two-layer net by hand: x = (1, 2); h = relu(W1 x + b1); y = W2 h + b2 */
    int sizes[] = {2, 2, 1}, acts[] = {NN_ACT_RELU, NN_ACT_LINEAR};
    nn_model *m = nn_create(2, sizes, acts, NN_LOSS_MSE, 1, 2);
    nn_set_param(m, 0, 0, 0, 0, 0.5f);  /* h0 = relu(0.5*1 + 0.25*2 - 0.5) = 0.5 */
    nn_set_param(m, 0, 0, 0, 1, 0.25f);
    nn_set_param(m, 0, 1, 0, 0, -0.5f);
    nn_set_param(m, 0, 0, 1, 0, -1.0f); /* h1 = relu(-1 + 0 + 0.125) = 0 */
    nn_set_param(m, 0, 0, 1, 1, 0.0f);
    nn_set_param(m, 0, 1, 1, 0, 0.125f);
    nn_set_param(m, 1, 0, 0, 0, 4.0f);  /* y = 4*0.5 + 3*0 + 0.75 = 2.75 */
    nn_set_param(m, 1, 0, 0, 1, 3.0f);
    nn_set_param(m, 1, 1, 0, 0, 0.75f);
    float x2[4] = {1, 2, 0, 0}, y2[2];
    nn_forward(m, x2, 2, y2);
    CHECK(y2[0] == 2.75f, "two-layer output %.9g", y2[0]);
    /* x = 0: h = (relu(-0.5), relu(0.125)) = (0, 0.125); y = 0.75 + 3*0.125 */
    CHECK(y2[1] == 1.125f, "two-layer output for 0 input %.9g", y2[1]);
    float all[2 * 3];
    nn_forward_all(m, x2, 2, all);
    CHECK(all[0] == 0.5f && all[1] == 0.0f && all[2] == 0.0f && all[3] == 0.125f, "hidden outputs %g %g %g %g",
          all[0], all[1], all[2], all[3]);
    CHECK(all[4] == 2.75f && all[5] == 1.125f, "output block %g %g", all[4], all[5]);
    CHECK(nn_get_param(m, 1, 0, 0, 1) == 3.0f && nn_params(m)[2 * 2 + 2 + 1] == 3.0f, "get_param / layout");
    nn_destroy(m);
}

static void losses(void)
{
    const float x = 1.0f;
    float loss = -1;
    int correct = -1;
    /* MSE: outputs (-1.5, 2.25) vs (0.5, 0.25): ((2)^2 + (2)^2) / 2 = 4 */
    nn_model *m = one_layer(NN_ACT_LINEAR, NN_LOSS_MSE, -1.5f, 2.25f);
    float t[2] = {0.5f, 0.25f};
    nn_evaluate(m, &x, t, 1, &loss, &correct);
    CHECK(loss == 4.0f, "MSE %.9g", loss);
    nn_destroy(m);
    /* BCE at z = 0: log 2 for any target */
    m = one_layer(NN_ACT_SIGMOID, NN_LOSS_BCE, 0.0f, 0.0f);
    float tb[2] = {1.0f, 0.0f};
    nn_evaluate(m, &x, tb, 1, &loss, &correct);
    CHECK(ulps(loss, 0.6931471805599453) <= 1, "BCE %.9g", loss);
    nn_destroy(m);
    /* BCE far in the tail: z = -40, y = 1 costs 40 + log1p(e^-40); no overflow */
    m = one_layer(NN_ACT_SIGMOID, NN_LOSS_BCE, -40.0f, 40.0f);
    nn_evaluate(m, &x, tb, 1, &loss, NULL);
    CHECK(ulps(loss, 40.0) <= 1, "BCE tail %.9g", loss);
    nn_destroy(m);
    /* CE with z = (1, 3), one-hot class 0: log(1 + e^2) = 2.1269280110429727 */
    m = one_layer(NN_ACT_SOFTMAX, NN_LOSS_CE, 1.0f, 3.0f);
    float tc[2] = {1.0f, 0.0f};
    nn_evaluate(m, &x, tc, 1, &loss, &correct);
    CHECK(ulps(loss, 2.1269280110429727) <= 1, "CE %.9g", loss);
    CHECK(correct == 0, "argmax is class 1, target class 0");
    nn_destroy(m);
}

/* y = w x + b with MSE; x = 2, target 2, w = 0.5, b = 0.25: out 1.25,
 * dL/dout = 2 (1.25 - 2) = -1.5, dL/dw = -3, dL/db = -1.5. */
static nn_model *linear_unit(void)
{
    int sizes[] = {1, 1}, acts[] = {NN_ACT_LINEAR};
    nn_model *m = nn_create(1, sizes, acts, NN_LOSS_MSE, 1, 1);
    nn_set_param(m, 0, 0, 0, 0, 0.5f);
    nn_set_param(m, 0, 1, 0, 0, 0.25f);
    return m;
}

static void optimizers(void)
{
    const float x = 2.0f, t = 2.0f;
    nn_model *m = linear_unit();
    float loss = nn_compute_gradients(m, &x, &t, 1);
    CHECK(loss == 0.5625f && nn_grads(m)[0] == -3.0f && nn_grads(m)[1] == -1.5f, "gradients %g %g loss %g",
          nn_grads(m)[0], nn_grads(m)[1], loss);
    nn_set_optimizer(m, NN_OPT_SGD, 0.125f, 0, 0, 0);
    CHECK(nn_train_step(m, &x, &t, 1) == 0.5625f, "loss before the update");
    CHECK(nn_params(m)[0] == 0.875f && nn_params(m)[1] == 0.4375f, "SGD: %g %g", nn_params(m)[0], nn_params(m)[1]);
    nn_destroy(m);

    /* momentum 0.5: step 1 buf = g; step 2 buf = 0.5 buf + g2 */
    m = linear_unit();
    nn_set_optimizer(m, NN_OPT_MOMENTUM, 0.125f, 0.5f, 0, 0);
    nn_train_step(m, &x, &t, 1); /* w 0.875, b 0.4375 (as SGD) */
    /* out = 1.75 + 0.4375 = 2.1875, dout = 0.375, gw = 0.75, gb = 0.375
     * buf_w = 0.5 * -3 + 0.75 = -0.75, buf_b = -0.75 + 0.375 = -0.375 */
    nn_train_step(m, &x, &t, 1);
    CHECK(nn_params(m)[0] == 0.875f + 0.125f * 0.75f && nn_params(m)[1] == 0.4375f + 0.125f * 0.375f,
          "momentum: %.9g %.9g", nn_params(m)[0], nn_params(m)[1]);
    nn_destroy(m);

    /* Adam step 1: m = 0.1 g, v = 0.001 g^2, update = lr * g / (|g| + eps') ~ lr * sign(g) */
    m = linear_unit();
    nn_set_optimizer(m, NN_OPT_ADAM, 0.01f, 0.9f, 0.999f, 1e-8f);
    nn_train_step(m, &x, &t, 1);
    CHECK(fabsf(nn_params(m)[0] - 0.51f) < 1e-6f && fabsf(nn_params(m)[1] - 0.26f) < 1e-6f, "Adam: %.9g %.9g",
          nn_params(m)[0], nn_params(m)[1]);
    nn_destroy(m);

    /* L2 adds rate * w to the weight gradient only; L1 adds rate * sign(w) */
    m = linear_unit();
    nn_set_regularization(m, NN_REG_L2, 0.5f);
    nn_compute_gradients(m, &x, &t, 1);
    CHECK(nn_grads(m)[0] == -3.0f + 0.25f && nn_grads(m)[1] == -1.5f, "L2 grads %g %g", nn_grads(m)[0], nn_grads(m)[1]);
    nn_set_regularization(m, NN_REG_L1, 0.5f);
    nn_compute_gradients(m, &x, &t, 1);
    CHECK(nn_grads(m)[0] == -2.5f && nn_grads(m)[1] == -1.5f, "L1 grads %g %g", nn_grads(m)[0], nn_grads(m)[1]);
    nn_destroy(m);
}

int main(void)
{
    activations();
    losses();
    optimizers();
    return tu_finish("test_exact");
}
