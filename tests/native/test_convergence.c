/* test_convergence.c — the core learns: XOR (2-4-1) reaches loss < 0.01 within
 * a fixed step budget with a fixed seed, and a two-spiral set reaches
 * >= 99% training accuracy. */
#include <stdlib.h>
#include "test_util.h"

static void xor_case(int opt, float lr, int hidden_act, int budget, const char *name)
{
    int sizes[] = {2, 4, 1}, acts[] = {hidden_act, NN_ACT_SIGMOID};
    nn_model *m = nn_create(2, sizes, acts, NN_LOSS_BCE, 1, 4);
    CHECK(m != NULL, "%s: create", name);
    if (!m)
        return;
    CHECK(nn_set_optimizer(m, opt, lr, 0.9f, 0.999f, 1e-8f) == NN_OK, "%s: optimizer", name);
    const float x[] = {0, 0, 0, 1, 1, 0, 1, 1}, y[] = {0, 1, 1, 0};
    float loss = 1;
    int step = 0;
    while (step < budget && loss >= 0.01f) {
        nn_train_step(m, x, y, 4);
        step++;
        nn_evaluate(m, x, y, 4, &loss, NULL);
    }
    int correct = 0;
    nn_evaluate(m, x, y, 4, &loss, &correct);
    printf("XOR %s: loss %.5f after %d steps, %d/4 correct\n", name, loss, step, correct);
    CHECK(loss < 0.01f, "%s: loss %g after %d steps", name, loss, budget);
    CHECK(correct == 4, "%s: %d/4 correct", name, correct);
    nn_destroy(m);
}

/* Two interleaved spirals, 2 classes, one-hot targets for softmax + CE. */
static void spiral_case(void)
{
    enum { N = 300 };
    const double TURNS = 1.0; /* each arm winds once around the centre */
    static float x[N * 2], y[N * 2];
    uint32_t s = 12345;
    for (int i = 0; i < N; i++) {
        int cls = i % 2;
        double r = (double)(i / 2) / (N / 2) * 5.0;
        double t = TURNS * (double)(i / 2) / (N / 2) * 2 * 3.141592653589793 + cls * 3.141592653589793;
        x[i * 2] = (float)(r * sin(t) / 5.0) + 0.01f * tu_uniform(&s);
        x[i * 2 + 1] = (float)(r * cos(t) / 5.0) + 0.01f * tu_uniform(&s);
        y[i * 2] = cls == 0;
        y[i * 2 + 1] = cls == 1;
    }
    int sizes[] = {2, 16, 16, 2}, acts[] = {NN_ACT_TANH, NN_ACT_TANH, NN_ACT_SOFTMAX};
    nn_model *m = nn_create(3, sizes, acts, NN_LOSS_CE, 7, 32);
    CHECK(m != NULL, "spiral: create");
    if (!m)
        return;
    nn_set_optimizer(m, NN_OPT_ADAM, 0.01f, 0.9f, 0.999f, 1e-8f);
    int32_t order[N];
    for (int i = 0; i < N; i++)
        order[i] = i;
    int correct = 0, epoch = 0;
    for (; epoch < 2000 && correct < N; epoch++) {
        for (int i = N - 1; i > 0; i--) { /* seeded shuffle each epoch */
            int j = (int)(tu_next(&s) % (uint32_t)(i + 1));
            int32_t t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        nn_train_epoch(m, x, y, N, order, 16);
        if (epoch % 50 == 49)
            nn_evaluate(m, x, y, N, NULL, &correct);
    }
    float loss;
    nn_evaluate(m, x, y, N, &loss, &correct);
    printf("two spirals: %.1f%% train accuracy, loss %.4f after %d epochs\n", 100.0 * correct / N, loss, epoch);
    CHECK(correct >= 0.99 * N, "spiral accuracy %d/%d", correct, N);
    nn_destroy(m);
}

int main(void)
{
    xor_case(NN_OPT_ADAM, 0.05f, NN_ACT_TANH, 300, "Adam tanh");
    xor_case(NN_OPT_SGD, 2.0f, NN_ACT_TANH, 3000, "SGD tanh");
    xor_case(NN_OPT_MOMENTUM, 0.3f, NN_ACT_SIGMOID, 3000, "momentum sigmoid");
    spiral_case();
    return tu_finish("test_convergence");
}
