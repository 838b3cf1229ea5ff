/* test_recurrent.c — the RNN and LSTM kinds beyond the PyTorch fixtures:
 * backprop through time against central finite differences (the kind's own
 * double forward, written from the definition apart from the float32
 * kernels), with and without a carried state; a stateful T = 1 model stepped
 * T times equals one pass over T steps (how generation works); the per-step
 * views rebuild the bias gradients; gradient clipping's norm and scale. */
#include <stdlib.h>
#include "nn_internal.h" /* the core's own tanh and sigmoid */
#include "test_util.h"

#define D(kind, act, a, b) {kind, act, a, b, 0, 0, 0, 0}

typedef struct {
    const char *label;
    int n;
    int32_t desc[3][NN_DESC_INTS];
    int32_t in[3];
    int loss;
    int batch;
    int seq_targets; /* CE over a per-step output: one-hot per step */
} rcase;

static const rcase CASES[] = {
    {"rnn seq-to-one mse", 2, {D(NN_LAYER_RNN, 0, 5, 0), D(NN_LAYER_DENSE, 0, 2, 0)}, {6, 3, 1},
     NN_LOSS_MSE, 3, 0},
    {"rnn per-step softmax ce", 2, {D(NN_LAYER_RNN, 0, 4, 1), D(NN_LAYER_DENSE, NN_ACT_SOFTMAX, 3, 1)},
     {5, 2, 1}, NN_LOSS_CE, 2, 1},
    {"rnn stacked, tanh on top", 3,
     {D(NN_LAYER_RNN, 0, 3, 1), D(NN_LAYER_RNN, NN_ACT_TANH, 4, 0), D(NN_LAYER_DENSE, 0, 1, 0)},
     {7, 2, 1}, NN_LOSS_MSE, 2, 0},
    {"lstm seq-to-one mse", 2, {D(NN_LAYER_LSTM, 0, 4, 0), D(NN_LAYER_DENSE, 0, 2, 0)}, {6, 3, 1},
     NN_LOSS_MSE, 3, 0},
    {"lstm per-step softmax ce", 2, {D(NN_LAYER_LSTM, 0, 5, 1), D(NN_LAYER_DENSE, NN_ACT_SOFTMAX, 4, 1)},
     {8, 3, 1}, NN_LOSS_CE, 2, 1},
    {"lstm stacked, hidden 1", 3,
     {D(NN_LAYER_LSTM, 0, 1, 1), D(NN_LAYER_LSTM, 0, 3, 1), D(NN_LAYER_DENSE, NN_ACT_SIGMOID, 2, 1)},
     {4, 2, 1}, NN_LOSS_BCE, 2, 0},
    {"rnn T 1, batch 1", 2, {D(NN_LAYER_RNN, 0, 3, 0), D(NN_LAYER_DENSE, 0, 2, 0)}, {1, 4, 1},
     NN_LOSS_MSE, 1, 0},
};

static double worst_fd = 0;

/* Every parameter's gradient against nn_finite_difference. The error per
 * parameter: |g - fd| / max(|fd|, 1e-2 * the largest |fd|), as the block
 * scale of a float32 sum bounds its rounding. */
static void check_gradients(nn_model *m, const char *label, const float *x, const float *y, int batch)
{
    int n = nn_param_count(m);
    float *g = malloc(sizeof(float) * (size_t)n);
    double *fd = malloc(sizeof(double) * (size_t)n), out[NN_FD_DOUBLES];
    memcpy(g, nn_grads(m), sizeof(float) * (size_t)n);
    double scale = 0;
    for (int i = 0; i < n; i++) {
        CHECK(nn_finite_difference(m, i, x, y, batch, out) == NN_OK, "%s: fd %d", label, i);
        fd[i] = out[0];
        scale = fmax(scale, fabs(fd[i]));
    }
    double worst = 0;
    for (int i = 0; i < n; i++) {
        double e = fabs(g[i] - fd[i]) / fmax(fabs(fd[i]), 1e-2 * scale);
        worst = fmax(worst, e);
    }
    CHECK(worst < 2e-3, "%s: gradient vs finite difference, relative error %.3g", label, worst);
    CHECK(scale > 1e-4, "%s: gradients are not all near zero (largest %.3g)", label, scale);
    worst_fd = fmax(worst_fd, worst);
    free(g);
    free(fd);
}

static void make_data(const rcase *c, float *x, float *y, int out, uint32_t *s)
{
    int in = c->in[0] * c->in[1] * c->in[2];
    for (int i = 0; i < c->batch * in; i++)
        x[i] = tu_uniform(s);
    memset(y, 0, sizeof(float) * (size_t)(c->batch * out));
    if (c->seq_targets)
        tu_targets(y, c->batch * c->in[0], out / c->in[0], c->loss, s);
    else
        tu_targets(y, c->batch, out, c->loss, s);
}

static void gradient_cases(void)
{
    for (size_t k = 0; k < sizeof CASES / sizeof CASES[0]; k++) {
        const rcase *c = &CASES[k];
        nn_model *m = nn_create_layers(c->n, &c->desc[0][0], c->in, c->loss, 7u + (unsigned)k, c->batch);
        CHECK(m, "%s: create: %s", c->label,
              nn_status_str(nn_check_layers(c->n, &c->desc[0][0], c->in, c->loss, c->batch)));
        if (!m)
            continue;
        int in = nn_layer_size(m, 0), out = nn_layer_size(m, c->n);
        float *x = malloc(sizeof(float) * (size_t)(c->batch * in));
        float *y = malloc(sizeof(float) * (size_t)(c->batch * out));
        uint32_t s = 99u + (uint32_t)k;
        make_data(c, x, y, out, &s);
        float loss = nn_compute_gradients(m, x, y, c->batch);
        double fdo[NN_FD_DOUBLES];
        CHECK(nn_finite_difference(m, 0, x, y, c->batch, fdo) == NN_OK, "%s", c->label);
        CHECK(fabs(loss - (fdo[2] + fdo[3]) / 2) < 1e-4 * fmax(1.0, fabs(loss)),
              "%s: float loss %.7g vs double %.7g", c->label, loss, (fdo[2] + fdo[3]) / 2);
        check_gradients(m, c->label, x, y, c->batch);

        /* a carried state: the gradient of a stateful pass (backprop stops at
         * the carried state, which the double forward also starts from) */
        int sf = nn_state_floats(m);
        CHECK(sf > 0, "%s: state floats", c->label);
        float *state = malloc(sizeof(float) * (size_t)(c->batch * sf));
        for (int i = 0; i < c->batch * sf; i++)
            state[i] = 0.8f * tu_uniform(&s);
        CHECK(nn_set_stateful(m, 1) == NN_OK && nn_set_state(m, state, c->batch) == NN_OK, "%s", c->label);
        nn_compute_gradients(m, x, y, c->batch);
        float *after = malloc(sizeof(float) * (size_t)(c->batch * sf));
        CHECK(nn_get_state(m, after, c->batch) == NN_OK, "%s", c->label);
        CHECK(memcmp(after, state, sizeof(float) * (size_t)(c->batch * sf)) != 0,
              "%s: a stateful pass leaves its final state", c->label);
        CHECK(nn_set_state(m, state, c->batch) == NN_OK, "%s", c->label);
        char label[96];
        snprintf(label, sizeof label, "%s, carried state", c->label);
        check_gradients(m, label, x, y, c->batch);
        float *again = malloc(sizeof(float) * (size_t)(c->batch * sf));
        nn_get_state(m, again, c->batch);
        CHECK(memcmp(again, state, sizeof(float) * (size_t)(c->batch * sf)) == 0,
              "%s: nn_finite_difference leaves the state", c->label);
        free(state);
        free(after);
        free(again);
        free(x);
        free(y);
        nn_destroy(m);
    }
}

/* One pass over T steps == T stateful passes of a T = 1 model with the same
 * parameters, bit for bit (the products sum in the same order). */
static void stepwise_generation(int kind)
{
    enum { T = 9, F = 3, H = 5, V = 3, B = 2 };
    int32_t desc[2][NN_DESC_INTS] = {D(kind, 0, H, 1), D(NN_LAYER_DENSE, NN_ACT_SOFTMAX, V, 1)};
    int32_t full_in[3] = {T, F, 1}, step_in[3] = {1, F, 1};
    nn_model *full = nn_create_layers(2, &desc[0][0], full_in, NN_LOSS_CE, 3u, B);
    nn_model *step = nn_create_layers(2, &desc[0][0], step_in, NN_LOSS_CE, 4u, B);
    CHECK(full && step, "create");
    if (!full || !step)
        return;
    CHECK(nn_param_count(full) == nn_param_count(step), "parameters do not depend on T");
    CHECK(nn_load_params(step, nn_params(full), nn_param_count(full)) == NN_OK, "load");
    float x[B * T * F], out[B * T * V], xs[B * F], os[B * V];
    uint32_t s = 5u;
    for (int i = 0; i < B * T * F; i++)
        x[i] = tu_uniform(&s);
    CHECK(nn_forward(full, x, B, out) == NN_OK, "forward");
    CHECK(nn_set_stateful(step, 1) == NN_OK && nn_reset_state(step) == NN_OK, "stateful");
    int same = 1;
    for (int t = 0; t < T; t++) {
        for (int b = 0; b < B; b++)
            memcpy(xs + b * F, x + (b * T + t) * F, sizeof(float) * F);
        CHECK(nn_forward(step, xs, B, os) == NN_OK, "step %d", t);
        for (int b = 0; b < B; b++)
            same &= memcmp(os + b * V, out + (b * T + t) * V, sizeof(float) * V) == 0;
    }
    CHECK(same, "%s: stepping a T = 1 model gives the T-step outputs bit for bit",
          kind == NN_LAYER_LSTM ? "lstm" : "rnn");
    /* a stateless model starts every call from zero: step 2 differs */
    nn_set_stateful(step, 0);
    CHECK(nn_forward(step, xs, B, os) == NN_OK, "stateless");
    CHECK(memcmp(os, out + (T - 1) * V, sizeof(float) * V) != 0, "stateless starts from zero");
    nn_set_stateful(step, 1);
    float big[(B + 1) * F];
    memset(big, 0, sizeof big);
    CHECK(nn_forward(step, big, B + 1, os) == NN_ERR_BATCH, "stateful forward takes <= max_batch rows");
    nn_destroy(full);
    nn_destroy(step);
}

/* The views of one example rebuild the bias gradients: RNN bias_ih =
 * sum_t dL/dh_t (1 - h_t^2); LSTM output-gate bias = sum_t dL/dh_t tanh(c_t)
 * o_t (1 - o_t). And the h_t view is the layer's output. */
static void views(int kind)
{
    enum { T = 6, F = 2, H = 3, V = 2 };
    int lstm = kind == NN_LAYER_LSTM;
    int32_t desc[2][NN_DESC_INTS] = {D(kind, 0, H, 1), D(NN_LAYER_DENSE, NN_ACT_SOFTMAX, V, 1)};
    int32_t in[3] = {T, F, 1};
    nn_model *m = nn_create_layers(2, &desc[0][0], in, NN_LOSS_CE, 11u, 4);
    CHECK(m, "create");
    if (!m)
        return;
    int n = nn_sequence_floats(m, 0);
    CHECK(n == (lstm ? 7 : 2) * T * H, "view floats %d", n);
    CHECK(nn_sequence_floats(m, 1) == NN_ERR_NO_STATE, "a dense layer has no views");
    CHECK(nn_sequence_floats(m, 2) == NN_ERR_INDEX, "bad layer");
    float x[T * F], y[T * V] = {0}, v[7 * T * H], all[T * H + T * V];
    uint32_t s = 17u;
    for (int i = 0; i < T * F; i++)
        x[i] = 2.0f * tu_uniform(&s);
    tu_targets(y, T, V, NN_LOSS_CE, &s);
    CHECK(nn_sequence_inspect(m, 0, x, y, v) == NN_OK, "inspect");
    CHECK(nn_forward_all(m, x, 1, all) == NN_OK, "forward_all");
    CHECK(memcmp(v, all, sizeof(float) * T * H) == 0, "the h view is the layer's output");
    nn_sequence_inspect(m, 0, x, y, v);
    int32_t blk[NN_BLOCK_INTS];
    nn_param_block(m, 2, blk); /* bias_ih */
    const float *g = nn_grads(m) + blk[2];
    const float *h = v, *dh = v + T * H, *c = v + 2 * T * H, *o = v + 6 * T * H;
    double worst = 0;
    for (int j = 0; j < H; j++) {
        double sum = 0;
        for (int t = 0; t < T; t++) {
            int k = t * H + j;
            sum += lstm ? dh[k] * tanh(c[k]) * o[k] * (1 - o[k]) : dh[k] * (1 - h[k] * h[k]);
        }
        double got = g[(lstm ? 3 * H : 0) + j];
        worst = fmax(worst, fabs(got - sum) / fmax(fabs(sum), 1e-3));
    }
    CHECK(worst < 1e-4, "%s: bias gradient from the views, relative error %.3g", lstm ? "lstm" : "rnn", worst);
    /* dL/dh at the last step has no recurrent part: the output layer's */
    double dh_first = 0, dh_last = 0;
    for (int j = 0; j < H; j++) {
        dh_first += fabs(dh[j]);
        dh_last += fabs(dh[(T - 1) * H + j]);
    }
    CHECK(dh_first > 0 && dh_last > 0, "dL/dh is non-zero at both ends");
    nn_destroy(m);
}

/* nn_sequence_math: the pre-activations through the core's own tanh /
 * sigmoid give h_t (RNN) or the gates (LSTM) bit for bit; delta_t summed over
 * t rebuilds the bias gradient bit for bit and delta_t x_t^T the weight_ih
 * gradient; dL/dh_t's two parts add up to nn_sequence_inspect's dL/dh_t. */
static void step_math(int kind)
{
    enum { T = 5, F = 3, H = 4, V = 3 };
    int lstm = kind == NN_LAYER_LSTM, G = lstm ? 4 : 1, GH = G * H;
    int32_t desc[2][NN_DESC_INTS] = {D(kind, 0, H, 1), D(NN_LAYER_DENSE, NN_ACT_SOFTMAX, V, 1)};
    int32_t in[3] = {T, F, 1};
    nn_model *m = nn_create_layers(2, &desc[0][0], in, NN_LOSS_CE, 5u, 3);
    CHECK(m, "create");
    if (!m)
        return;
    int n = nn_sequence_math_floats(m, 0);
    CHECK(n == 2 * T * GH + 2 * T * H, "math floats %d", n);
    CHECK(nn_sequence_math_floats(m, 1) == NN_ERR_NO_STATE, "a dense layer has no math views");
    CHECK(nn_sequence_math_floats(m, 2) == NN_ERR_INDEX, "bad layer");
    float x[T * F], y[T * V] = {0}, v[7 * T * H], mv[2 * T * 4 * H + 2 * T * H], act[T * 4 * H];
    uint32_t s = 29u;
    for (int i = 0; i < T * F; i++)
        x[i] = 2.0f * tu_uniform(&s);
    tu_targets(y, T, V, NN_LOSS_CE, &s);
    CHECK(nn_sequence_inspect(m, 0, x, y, v) == NN_OK, "inspect");
    CHECK(nn_sequence_math(m, 0, x, y, mv) == NN_OK, "math");
    CHECK(nn_sequence_math(m, 0, x, y, 0) == NN_ERR_NULL, "no out");
    const float *z = mv, *dz = mv + T * GH, *from_out = mv + 2 * T * GH, *from_next = from_out + T * H;
    /* the activations of z: RNN tanh -> h; LSTM i, f, o sigmoid and g tanh -> the gate views */
    for (int t = 0; t < T; t++)
        for (int q = 0; q < G; q++) {
            const float *zq = z + (size_t)t * GH + q * H;
            float *a = act + (size_t)t * GH + q * H;
            if (q == 2 || !lstm)
                nn_tanh_array(a, zq, H);
            else
                nn_sigmoid_array(a, zq, H);
        }
    int same = 1;
    for (int t = 0; t < T; t++)
        for (int q = 0; q < G; q++)
            same &= memcmp(act + (size_t)t * GH + q * H,
                           lstm ? v + (3 + q) * T * H + t * H : v + t * H, sizeof(float) * H) == 0;
    CHECK(same, "%s: the activations of z_t are the forward's, bit for bit", lstm ? "lstm" : "rnn");
    int32_t blk[NN_BLOCK_INTS];
    nn_param_block(m, 2, blk); /* bias_ih */
    const float *gb = nn_grads(m) + blk[2];
    int bias_same = 1;
    for (int r = 0; r < GH; r++) {
        float sum = 0.0f;
        for (int t = 0; t < T; t++)
            sum += dz[t * GH + r];
        bias_same &= sum == gb[r];
    }
    CHECK(bias_same, "the sum over t of delta_t is the bias gradient, bit for bit");
    nn_param_block(m, 0, blk); /* weight_ih [GH x F] */
    const float *gw = nn_grads(m) + blk[2];
    double worst = 0;
    for (int r = 0; r < GH; r++)
        for (int k = 0; k < F; k++) {
            double sum = 0;
            for (int t = 0; t < T; t++)
                sum += (double)dz[t * GH + r] * x[t * F + k];
            worst = fmax(worst, fabs(gw[r * F + k] - sum) / fmax(fabs(sum), 1e-3));
        }
    CHECK(worst < 1e-5, "weight_ih gradient = sum of delta_t x_t, relative error %.3g", worst);
    double parts = 0;
    for (int k = 0; k < T * H; k++)
        parts = fmax(parts, fabs((double)from_out[k] + from_next[k] - v[T * H + k]));
    CHECK(parts < 1e-6, "dL/dh_t = from the output + from step t+1 (%.3g)", parts);
    int last_zero = 1;
    for (int j = 0; j < H; j++)
        last_zero &= from_next[(T - 1) * H + j] == 0.0f && from_out[(T - 1) * H + j] == v[T * H + (T - 1) * H + j];
    CHECK(last_zero, "the last step has no step after it");
    nn_destroy(m);
}

/* Clipping: the norm nn_grad_norm reports, and SGD's step scaled by
 * max_norm / (norm + 1e-6). */
static void clipping(void)
{
    int32_t desc[2][NN_DESC_INTS] = {D(NN_LAYER_LSTM, 0, 4, 0), D(NN_LAYER_DENSE, 0, 2, 0)};
    int32_t in[3] = {5, 3, 1};
    nn_model *m = nn_create_layers(2, &desc[0][0], in, NN_LOSS_MSE, 2u, 2);
    CHECK(m, "create");
    if (!m)
        return;
    float x[2 * 15], y[4];
    uint32_t s = 23u;
    for (int i = 0; i < 30; i++)
        x[i] = tu_uniform(&s);
    for (int i = 0; i < 4; i++)
        y[i] = 3.0f * tu_uniform(&s);
    int n = nn_param_count(m);
    float *p0 = malloc(sizeof(float) * (size_t)n), *g = malloc(sizeof(float) * (size_t)n);
    memcpy(p0, nn_params(m), sizeof(float) * (size_t)n);
    nn_compute_gradients(m, x, y, 2);
    memcpy(g, nn_grads(m), sizeof(float) * (size_t)n);
    double norm = 0;
    for (int i = 0; i < n; i++)
        norm += (double)g[i] * g[i];
    norm = sqrt(norm);
    CHECK(nn_grad_norm(m) == 0.0f, "no update yet");
    CHECK(nn_set_clip_norm(m, -1.0f) == NN_ERR_OPTIMIZER, "negative clip");
    CHECK(nn_set_clip_norm(m, NAN) == NN_ERR_NONFINITE, "NaN clip");
    float max_norm = (float)(norm / 4);
    CHECK(nn_set_clip_norm(m, max_norm) == NN_OK, "clip");
    CHECK(nn_set_optimizer(m, NN_OPT_SGD, 0.5f, 0, 0, 0) == NN_OK, "sgd");
    nn_train_step(m, x, y, 2);
    CHECK(fabs(nn_grad_norm(m) - norm) <= 1e-6 * norm, "grad norm %.9g vs %.9g", nn_grad_norm(m), norm);
    double coef = max_norm / (norm + 1e-6), worst = 0;
    for (int i = 0; i < n; i++) {
        double want = p0[i] - 0.5 * coef * g[i];
        worst = fmax(worst, fabs(nn_params(m)[i] - want));
    }
    CHECK(worst < 1e-6, "clipped SGD step, error %.3g", worst);
    /* a clip above the norm changes nothing: the plain step */
    nn_load_params(m, p0, n);
    nn_set_clip_norm(m, (float)(norm * 2));
    nn_train_step(m, x, y, 2);
    worst = 0;
    for (int i = 0; i < n; i++)
        worst = fmax(worst, fabs(nn_params(m)[i] - (p0[i] - 0.5f * g[i])));
    CHECK(worst == 0, "clip above the norm: the unclipped step, error %.3g", worst);
    /* clipping off: the update leaves the norm to nn_grad_norm, which must
     * still give the norm of the gradients that update used after something
     * else computed new gradients */
    nn_load_params(m, p0, n);
    nn_set_clip_norm(m, 0.0f);
    nn_train_step(m, x, y, 2);
    float unclipped = nn_grad_norm(m);
    CHECK(fabs(unclipped - norm) <= 1e-6 * norm, "unclipped grad norm %.9g vs %.9g", unclipped, norm);
    float y2[4] = {0};
    nn_compute_gradients(m, x, y2, 2);
    CHECK(nn_grad_norm(m) == unclipped, "the norm survives new gradients: %.9g vs %.9g",
          nn_grad_norm(m), unclipped);
    free(p0);
    free(g);
    nn_destroy(m);
}

int main(void)
{
    gradient_cases();
    stepwise_generation(NN_LAYER_RNN);
    stepwise_generation(NN_LAYER_LSTM);
    views(NN_LAYER_RNN);
    views(NN_LAYER_LSTM);
    step_math(NN_LAYER_RNN);
    step_math(NN_LAYER_LSTM);
    clipping();
    printf("recurrent: backprop through time vs finite differences, largest relative error %.2e\n",
           worst_fd);
    return tu_finish("test_recurrent");
}
