/* test_determinism.c — the same seed and data give bit-identical parameters
 * after 100 steps: twice in this process, after nn_reset, and (through
 * tests/node/core-determinism.test.mjs, which runs this binary with --hash)
 * equal to the WASM build. Dense networks, CNNs (conv2d, max-pool,
 * flatten) and recurrent networks (LSTM with a per-step softmax, stacked
 * RNNs; gradient clipping), and GANs (nn_gan_step_d / _g / sample_grad, both
 * losses, a conv D). The scenarios and the data generator are mirrored in
 * that Node test; change both together. */
#include <stdlib.h>
#include "test_util.h"

typedef struct {
    int n_layers;
    int sizes[4];
    int act[3];
    int loss, opt;
    float lr, beta1;
    int reg;
    float reg_rate;
    unsigned seed;
    int batch;
    int sparse_x; /* 2 of 3 inputs zero (like blank pixels) */
    int cnn;      /* 0: dense by sizes; else CNNS[cnn - 1] (sizes: input and output sizes) */
} scenario;

typedef struct {
    int n;
    int32_t in_shape[3];
    int32_t desc[6 * NN_DESC_INTS];
    float clip; /* nn_set_clip_norm */
} cnn_net;

static const cnn_net CNNS[] = {
    /* 1x10x10: conv 4 3x3 p1 relu, pool 2, conv 6 3x3 relu, overlapping pool
     * 2 s1, flatten, dense 5 softmax */
    {6, {1, 10, 10}, {NN_LAYER_CONV2D, NN_ACT_RELU, 4, 3, 3, 1, 1, 0,
                      NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 2, 2, 0, 0, 0, 0,
                      NN_LAYER_CONV2D, NN_ACT_RELU, 6, 3, 3, 1, 0, 0,
                      NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 2, 1, 0, 0, 0, 0,
                      NN_LAYER_FLATTEN, NN_ACT_LINEAR, 0, 0, 0, 0, 0, 0,
                      NN_LAYER_DENSE, NN_ACT_SOFTMAX, 5, 0, 0, 0, 0, 0}, 0},
    /* 2x7x9: conv 9 (more than 8 channels) 3x2 stride 2 p1 tanh, dense 3 */
    {2, {2, 7, 9}, {NN_LAYER_CONV2D, NN_ACT_TANH, 9, 3, 2, 2, 1, 0,
                    NN_LAYER_DENSE, NN_ACT_LINEAR, 3, 0, 0, 0, 0, 0}, 0},
    /* 6 steps x 5: LSTM 8 (every step), per-step dense 4 softmax; clip 1 */
    {2, {6, 5, 1}, {NN_LAYER_LSTM, NN_ACT_LINEAR, 8, 1, 0, 0, 0, 0,
                    NN_LAYER_DENSE, NN_ACT_SOFTMAX, 4, 1, 0, 0, 0, 0}, 1.0f},
    /* 12 steps x 2: RNN 6 (every step), RNN 5 (last step), dense 3; clip 0.5 */
    {3, {12, 2, 1}, {NN_LAYER_RNN, NN_ACT_LINEAR, 6, 1, 0, 0, 0, 0,
                     NN_LAYER_RNN, NN_ACT_LINEAR, 5, 0, 0, 0, 0, 0,
                     NN_LAYER_DENSE, NN_ACT_LINEAR, 3, 0, 0, 0, 0, 0}, 0.5f},
};

static const scenario SCENARIOS[] = {
    {2, {20, 16, 10}, {NN_ACT_RELU, NN_ACT_SOFTMAX}, NN_LOSS_CE, NN_OPT_ADAM, 1e-3f, 0.9f, NN_REG_NONE, 0, 1, 8, 0, 0},
    {3, {3, 8, 8, 1}, {NN_ACT_TANH, NN_ACT_TANH, NN_ACT_SIGMOID}, NN_LOSS_BCE, NN_OPT_MOMENTUM, 0.1f, 0.9f, NN_REG_L2, 1e-3f, 2, 5, 0, 0},
    {2, {4, 6, 2}, {NN_ACT_LEAKY_RELU, NN_ACT_LINEAR}, NN_LOSS_MSE, NN_OPT_SGD, 0.05f, 0, NN_REG_L1, 1e-3f, 3, 7, 0, 0},
    {2, {5, 9, 3}, {NN_ACT_SIGMOID, NN_ACT_SOFTMAX}, NN_LOSS_MSE, NN_OPT_ADAM, 0.01f, 0.9f, NN_REG_NONE, 0, 4, 3, 0, 0},
    {2, {30, 16, 10}, {NN_ACT_RELU, NN_ACT_SOFTMAX}, NN_LOSS_CE, NN_OPT_ADAM, 1e-3f, 0.9f, NN_REG_L2, 1e-4f, 5, 16, 1, 0},
    {1, {100, 5}, {0}, NN_LOSS_CE, NN_OPT_ADAM, 2e-3f, 0.9f, NN_REG_L2, 1e-4f, 6, 6, 1, 1},
    {1, {126, 3}, {0}, NN_LOSS_MSE, NN_OPT_MOMENTUM, 0.02f, 0.9f, NN_REG_L1, 1e-4f, 7, 4, 0, 2},
    {1, {30, 24}, {0}, NN_LOSS_CE, NN_OPT_ADAM, 5e-3f, 0.9f, NN_REG_NONE, 0, 8, 4, 1, 3},
    {1, {24, 3}, {0}, NN_LOSS_MSE, NN_OPT_MOMENTUM, 0.05f, 0.9f, NN_REG_L2, 1e-3f, 9, 3, 0, 4},
};
#define N_SCENARIOS (int)(sizeof SCENARIOS / sizeof SCENARIOS[0])
#define STEPS 100
#define BATCHES 5 /* the data set holds 5 batches, used in turn */

/* Data for scenario sc: x uniform in [-1,1); y one-hot (CE), 0/1 (BCE) or
 * uniform (MSE). Caller frees. */
static void make_data(const scenario *sc, uint32_t seed, float **x, float **y)
{
    int n = sc->batch * BATCHES, in = sc->sizes[0], out = sc->sizes[sc->n_layers];
    *x = malloc(sizeof(float) * n * in);
    *y = calloc((size_t)n * out, sizeof(float));
    uint32_t s = seed;
    for (int i = 0; i < n * in; i++) {
        float v = tu_uniform(&s);
        (*x)[i] = sc->sparse_x && i % 3 != 0 ? 0.0f : v;
    }
    tu_targets(*y, n, out, sc->loss, &s);
}

/* Trains STEPS steps and returns the FNV-1a hash of the parameters. */
static uint32_t run(const scenario *sc, nn_model *m, const float *x, const float *y)
{
    nn_set_optimizer(m, sc->opt, sc->lr, sc->beta1, 0.999f, 1e-8f);
    nn_set_regularization(m, sc->reg, sc->reg_rate);
    nn_set_clip_norm(m, sc->cnn ? CNNS[sc->cnn - 1].clip : 0.0f);
    int in = sc->sizes[0], out = sc->sizes[sc->n_layers];
    for (int step = 0; step < STEPS; step++) {
        int b = step % BATCHES;
        nn_train_step(m, x + b * sc->batch * in, y + b * sc->batch * out, sc->batch);
        CHECK(nn_status(m) == NN_OK, "step %d status %d", step, nn_status(m));
    }
    uint32_t h = tu_fnv1a(nn_params(m), sizeof(float) * (size_t)nn_param_count(m));
    /* a recurrent first layer: its show-the-math numbers for the first example too */
    int nm = nn_sequence_math_floats(m, 0);
    if (nm > 0) {
        float *v = malloc(sizeof(float) * (size_t)nm);
        CHECK(v && nn_sequence_math(m, 0, x, y, v) == NN_OK, "sequence math");
        if (v)
            h ^= tu_fnv1a(v, sizeof(float) * (size_t)nm);
        free(v);
    }
    return h;
}

static nn_model *create(const scenario *sc, unsigned seed)
{
    if (!sc->cnn)
        return nn_create(sc->n_layers, sc->sizes, sc->act, sc->loss, seed, sc->batch);
    const cnn_net *net = &CNNS[sc->cnn - 1];
    return nn_create_layers(net->n, net->desc, net->in_shape, sc->loss, seed, sc->batch);
}

static uint32_t scenario_hash(int i)
{
    const scenario *sc = &SCENARIOS[i];
    float *x, *y;
    make_data(sc, 1000u + (uint32_t)i, &x, &y);
    nn_model *m = create(sc, sc->seed);
    uint32_t h = m ? run(sc, m, x, y) : 0;
    nn_destroy(m);
    free(x);
    free(y);
    return h;
}

/* GANs: G (dense) and D (dense, or conv over 1x6x6), each its own
 * optimizer; GAN_ITERS iterations of a D step (real rows of the data set in
 * turn, fresh noise) then a G step (fresh noise); the hash covers both
 * networks' parameters, every step's stats and D's per-sample gradients on
 * the first real batch. */
typedef struct {
    int loss, noise_dim;
    int g_n;
    int32_t g_desc[3 * NN_DESC_INTS];
    int d_n;
    int32_t d_shape[3];
    int32_t d_desc[5 * NN_DESC_INTS];
    int opt_g, opt_d;
    float lr_g, lr_d, beta1;
    int batch;
} gan_scenario;

static const gan_scenario GANS[] = {
    /* 2-D: G 2-8-2 relu, D 2-8-1 leaky relu; BCE; Adam beta1 0.5 both */
    {NN_GAN_BCE, 2, 2, {NN_LAYER_DENSE, NN_ACT_RELU, 8, 0, 0, 0, 0, 0, NN_LAYER_DENSE, NN_ACT_LINEAR, 2, 0, 0, 0, 0, 0},
     2, {2, 1, 1}, {NN_LAYER_DENSE, NN_ACT_LEAKY_RELU, 8, 0, 0, 0, 0, 0, NN_LAYER_DENSE, NN_ACT_LINEAR, 1, 0, 0, 0, 0, 0},
     NN_OPT_ADAM, NN_OPT_ADAM, 2e-3f, 5e-3f, 0.5f, 10},
    /* deeper, least squares: G 3-12-tanh-5-sigmoid, D 5-6 tanh-1; momentum G, SGD D */
    {NN_GAN_LEAST_SQUARES, 3, 2, {NN_LAYER_DENSE, NN_ACT_TANH, 12, 0, 0, 0, 0, 0, NN_LAYER_DENSE, NN_ACT_SIGMOID, 5, 0, 0, 0, 0, 0},
     2, {5, 1, 1}, {NN_LAYER_DENSE, NN_ACT_TANH, 6, 0, 0, 0, 0, 0, NN_LAYER_DENSE, NN_ACT_LINEAR, 1, 0, 0, 0, 0, 0},
     NN_OPT_MOMENTUM, NN_OPT_SGD, 0.02f, 0.05f, 0.9f, 7},
    /* dense G 4-16-36 tanh, conv D over 1x6x6 (conv 3 3x3 relu, pool 2, dense 1); BCE; Adam */
    {NN_GAN_BCE, 4, 2, {NN_LAYER_DENSE, NN_ACT_RELU, 16, 0, 0, 0, 0, 0, NN_LAYER_DENSE, NN_ACT_TANH, 36, 0, 0, 0, 0, 0},
     3, {1, 6, 6}, {NN_LAYER_CONV2D, NN_ACT_RELU, 3, 3, 3, 1, 0, 0, NN_LAYER_MAXPOOL, NN_ACT_LINEAR, 2, 2, 0, 0, 0, 0,
                    NN_LAYER_DENSE, NN_ACT_LINEAR, 1, 0, 0, 0, 0, 0},
     NN_OPT_ADAM, NN_OPT_ADAM, 2e-3f, 2e-3f, 0.5f, 6},
};
#define N_GANS (int)(sizeof GANS / sizeof GANS[0])
#define GAN_ITERS 40

static uint32_t gan_hash(int i)
{
    const gan_scenario *sc = &GANS[i];
    int32_t g_in[3] = {sc->noise_dim, 1, 1};
    nn_model *g = nn_create_layers(sc->g_n, sc->g_desc, g_in, NN_LOSS_MSE, 40u + (unsigned)i, sc->batch);
    nn_model *d = nn_create_layers(sc->d_n, sc->d_desc, sc->d_shape, NN_LOSS_MSE, 50u + (unsigned)i, 2 * sc->batch);
    CHECK(g && d, "gan scenario %d: models", i);
    if (!g || !d) { nn_destroy(g); nn_destroy(d); return 0; }
    nn_set_optimizer(g, sc->opt_g, sc->lr_g, sc->beta1, 0.999f, 1e-8f);
    nn_set_optimizer(d, sc->opt_d, sc->lr_d, sc->beta1, 0.999f, 1e-8f);
    int d_in = sc->d_shape[0] * sc->d_shape[1] * sc->d_shape[2], n_real = sc->batch * BATCHES;
    float *real = malloc(sizeof(float) * (size_t)(n_real * d_in));
    float *noise = malloc(sizeof(float) * (size_t)(sc->batch * sc->noise_dim));
    float *grad = malloc(sizeof(float) * (size_t)(sc->batch * d_in));
    uint32_t s = 2000u + (uint32_t)i, h = 0;
    /* real rows: feature j is 0.5 + 0.4 u (j + 1) / d_in, u uniform in [-1, 1)
     * (float arithmetic, left to right; the Node mirror rounds each step) */
    for (int k = 0; k < n_real * d_in; k++)
        real[k] = 0.5f + 0.4f * tu_uniform(&s) * (float)(k % d_in + 1) / (float)d_in;
    float stats[NN_GAN_STATS];
    for (int it = 0; it < GAN_ITERS; it++) {
        for (int k = 0; k < sc->batch * sc->noise_dim; k++) noise[k] = tu_uniform(&s);
        int st = nn_gan_step_d(d, g, real + (it % BATCHES) * sc->batch * d_in, noise, sc->batch, sc->loss, stats);
        CHECK(st == NN_OK, "gan scenario %d iteration %d: D step %s", i, it, nn_status_str(st));
        h ^= tu_fnv1a(stats, sizeof stats);
        for (int k = 0; k < sc->batch * sc->noise_dim; k++) noise[k] = tu_uniform(&s);
        st = nn_gan_step_g(g, d, noise, sc->batch, sc->loss, stats);
        CHECK(st == NN_OK, "gan scenario %d iteration %d: G step %s", i, it, nn_status_str(st));
        h = (h * 16777619u) ^ tu_fnv1a(stats, sizeof stats);
    }
    CHECK(nn_gan_sample_grad(d, real, sc->batch, sc->loss, grad) == NN_OK, "gan scenario %d: sample grad", i);
    h ^= tu_fnv1a(grad, sizeof(float) * (size_t)(sc->batch * d_in));
    h = (h * 16777619u) ^ tu_fnv1a(nn_params(g), sizeof(float) * (size_t)nn_param_count(g));
    h = (h * 16777619u) ^ tu_fnv1a(nn_params(d), sizeof(float) * (size_t)nn_param_count(d));
    nn_destroy(g);
    nn_destroy(d);
    free(real);
    free(noise);
    free(grad);
    return h;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--hash") == 0) {
        for (int i = 0; i < N_SCENARIOS; i++)
            printf("%d %08x\n", i, scenario_hash(i));
        for (int i = 0; i < N_GANS; i++)
            printf("gan%d %08x\n", i, gan_hash(i));
        return 0;
    }
    for (int i = 0; i < N_GANS; i++) {
        uint32_t a = gan_hash(i), b = gan_hash(i);
        printf("gan scenario %d: %08x\n", i, a);
        CHECK(a == b, "gan scenario %d: %08x then %08x", i, a, b);
    }
    for (int i = 0; i < N_SCENARIOS; i++) {
        uint32_t a = scenario_hash(i), b = scenario_hash(i);
        printf("scenario %d: %08x\n", i, a);
        CHECK(a == b, "scenario %d: %08x then %08x", i, a, b);

        /* nn_reset(seed) after training must restart exactly like a new model */
        const scenario *sc = &SCENARIOS[i];
        float *x, *y;
        make_data(sc, 1000u + (uint32_t)i, &x, &y);
        nn_model *m = create(sc, sc->seed + 1);
        run(sc, m, x, y);
        nn_reset(m, sc->seed);
        nn_set_optimizer(m, NN_OPT_SGD, 1.0f, 0, 0, 0); /* a kind change clears state */
        uint32_t c = run(sc, m, x, y);
        CHECK(a == c, "scenario %d after reset: %08x vs %08x", i, c, a);
        nn_destroy(m);
        free(x);
        free(y);
    }
    return tu_finish("test_determinism");
}
