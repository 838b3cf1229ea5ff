/* test_batch_invariance.c — a row's result never depends on the batch it is
 * in. Every output element is accumulated over k in one sequential order
 * whatever the batch size, blocking or chunking, so:
 *   - nn_forward / nn_forward_all of each row alone equal, bit for bit, the
 *     same row inside a batch (several shapes, every activation, batches
 *     larger than max_batch so nn_forward chunks);
 *   - nn_train_epoch gives the same parameters whatever the model's
 *     max_batch (which sets how forward chunks), and the same as
 *     nn_train_step on each gathered batch. */
#include <stdlib.h>
#include "test_util.h"

typedef struct {
    int n_layers;
    int sizes[5];
    int act[4];
    int loss;
} shape;

static const shape SHAPES[] = {
    {3, {2, 8, 8, 1}, {NN_ACT_TANH, NN_ACT_TANH, NN_ACT_SIGMOID}, NN_LOSS_BCE},
    {4, {2, 8, 8, 8, 1}, {NN_ACT_TANH, NN_ACT_TANH, NN_ACT_TANH, NN_ACT_SIGMOID}, NN_LOSS_BCE},
    {2, {30, 37, 10}, {NN_ACT_RELU, NN_ACT_SOFTMAX}, NN_LOSS_CE},
    {2, {300, 13, 3}, {NN_ACT_SIGMOID, NN_ACT_LINEAR}, NN_LOSS_MSE},
    {3, {5, 64, 6, 2}, {NN_ACT_LEAKY_RELU, NN_ACT_TANH, NN_ACT_SOFTMAX}, NN_LOSS_CE},
    {1, {7, 1}, {NN_ACT_LINEAR}, NN_LOSS_MSE},
    {2, {3, 1, 4}, {NN_ACT_TANH, NN_ACT_SIGMOID}, NN_LOSS_MSE},
};
#define N_SHAPES (int)(sizeof SHAPES / sizeof SHAPES[0])

static int units_after_input(const shape *s)
{
    int u = 0;
    for (int l = 1; l <= s->n_layers; l++)
        u += s->sizes[l];
    return u;
}

/* x [n x in]: uniform in [-2, 2), a third of the values zero (the kernels'
 * zero-skipping path must not change a row's bits either). */
static float *make_x(int n, int in, uint32_t seed)
{
    float *x = malloc(sizeof(float) * (size_t)n * (size_t)in);
    uint32_t s = seed;
    for (int i = 0; i < n * in; i++)
        x[i] = tu_next(&s) % 3 == 0 ? 0.0f : 2.0f * tu_uniform(&s);
    return x;
}

static void check_forward(int si, int max_batch, int n)
{
    const shape *s = &SHAPES[si];
    int in = s->sizes[0], out = s->sizes[s->n_layers], units = units_after_input(s);
    nn_model *m = nn_create(s->n_layers, s->sizes, s->act, s->loss, 11u + (unsigned)si, max_batch);
    CHECK(m != NULL, "shape %d: create", si);
    if (!m)
        return;
    /* non-zero biases, so the point where the bias is added matters */
    for (int l = 0; l < s->n_layers; l++)
        for (int j = 0; j < s->sizes[l + 1]; j++)
            nn_set_param(m, l, 1, j, 0, 0.1f * (float)(j % 5) - 0.2f);
    float *x = make_x(n, in, 500u + (unsigned)si);
    float *batch_out = malloc(sizeof(float) * (size_t)n * (size_t)out);
    float *batch_all = malloc(sizeof(float) * (size_t)n * (size_t)units);
    float *row_out = malloc(sizeof(float) * (size_t)out);
    float *row_all = malloc(sizeof(float) * (size_t)units);
    CHECK(nn_forward(m, x, n, batch_out) == NN_OK, "shape %d: forward", si);
    CHECK(nn_forward_all(m, x, n, batch_all) == NN_OK, "shape %d: forward_all", si);
    int bad_rows = 0, bad_all = 0;
    for (int r = 0; r < n; r++) {
        nn_forward(m, x + (size_t)r * in, 1, row_out);
        bad_rows += memcmp(row_out, batch_out + (size_t)r * out, sizeof(float) * (size_t)out) != 0;
        nn_forward_all(m, x + (size_t)r * in, 1, row_all);
        /* forward_all's layout: per layer an [n x width] block */
        const float *blk = batch_all, *one = row_all;
        for (int l = 1; l <= s->n_layers; l++) {
            int w = s->sizes[l];
            bad_all += memcmp(one, blk + (size_t)r * w, sizeof(float) * (size_t)w) != 0;
            blk += (size_t)n * w;
            one += w;
        }
    }
    CHECK(bad_rows == 0, "shape %d, max_batch %d, n %d: %d rows differ alone vs in the batch", si,
          max_batch, n, bad_rows);
    CHECK(bad_all == 0, "shape %d, max_batch %d, n %d: %d layer rows of forward_all differ", si,
          max_batch, n, bad_all);
    /* the outputs are not trivially equal: rows differ from each other */
    CHECK(n < 2 || memcmp(batch_out, batch_out + out, sizeof(float) * (size_t)out) != 0,
          "shape %d: rows 0 and 1 give the same output", si);
    free(x);
    free(batch_out);
    free(batch_all);
    free(row_out);
    free(row_all);
    nn_destroy(m);
}

static float *make_y(const shape *s, int n, uint32_t seed)
{
    int out = s->sizes[s->n_layers];
    float *y = calloc((size_t)n * (size_t)out, sizeof(float));
    uint32_t st = seed;
    tu_targets(y, n, out, s->loss, &st);
    return y;
}

static uint32_t params_hash(const nn_model *m)
{
    return tu_fnv1a(nn_params(m), sizeof(float) * (size_t)nn_param_count(m));
}

/* Two epochs through nn_train_epoch with max_batch = batch, = 256 and with
 * the model's max_batch = 3 * batch + 1, and through nn_train_step on each
 * gathered batch: the same parameters every way. */
static void check_training(int si, int batch, int n)
{
    const shape *s = &SHAPES[si];
    int in = s->sizes[0], out = s->sizes[s->n_layers];
    float *x = make_x(n, in, 900u + (unsigned)si);
    float *y = make_y(s, n, 77u + (unsigned)si);
    int32_t *order = malloc(sizeof(int32_t) * (size_t)n);
    for (int i = 0; i < n; i++)
        order[i] = (int32_t)((i * 7 + 3) % n); /* a permutation when gcd(7, n) = 1 */
    int max_batches[3] = {batch, 256, 3 * batch + 1};
    uint32_t hashes[4];
    float losses[4];
    for (int v = 0; v < 3; v++) {
        nn_model *m = nn_create(s->n_layers, s->sizes, s->act, s->loss, 5u, max_batches[v]);
        nn_set_optimizer(m, NN_OPT_SGD, 0.05f, 0, 0, 0);
        nn_train_epoch(m, x, y, n, order, batch);
        losses[v] = nn_train_epoch(m, x, y, n, order, batch);
        CHECK(nn_status(m) == NN_OK, "shape %d: epoch status %d", si, nn_status(m));
        hashes[v] = params_hash(m);
        nn_destroy(m);
    }
    /* the same epochs, one nn_train_step per gathered batch */
    nn_model *m = nn_create(s->n_layers, s->sizes, s->act, s->loss, 5u, batch);
    nn_set_optimizer(m, NN_OPT_SGD, 0.05f, 0, 0, 0);
    float *xb = malloc(sizeof(float) * (size_t)batch * (size_t)in);
    float *yb = malloc(sizeof(float) * (size_t)batch * (size_t)out);
    for (int e = 0; e < 2; e++) {
        double sum = 0.0;
        int steps = 0;
        for (int start = 0; start < n; start += batch) {
            int rows = n - start < batch ? n - start : batch;
            for (int r = 0; r < rows; r++) {
                memcpy(xb + (size_t)r * in, x + (size_t)order[start + r] * in, sizeof(float) * (size_t)in);
                memcpy(yb + (size_t)r * out, y + (size_t)order[start + r] * out, sizeof(float) * (size_t)out);
            }
            sum += nn_train_step(m, xb, yb, rows);
            steps++;
        }
        losses[3] = (float)(sum / steps);
    }
    hashes[3] = params_hash(m);
    nn_destroy(m);
    for (int v = 1; v < 4; v++) {
        CHECK(hashes[v] == hashes[0], "shape %d batch %d: way %d gives %08x, way 0 %08x", si, batch, v,
              hashes[v], hashes[0]);
        CHECK(memcmp(&losses[v], &losses[0], sizeof(float)) == 0, "shape %d batch %d: loss %.9g vs %.9g",
              si, batch, losses[v], losses[0]);
    }
    free(x);
    free(y);
    free(order);
    free(xb);
    free(yb);
}

int main(void)
{
    for (int si = 0; si < N_SHAPES; si++) {
        check_forward(si, 256, 1000); /* chunks of 256, the last one 232 rows */
        check_forward(si, 7, 23);     /* odd chunks: 7, 7, 7, 2 */
        check_forward(si, 1, 5);
        check_training(si, 10, 251);
        check_training(si, 1, 13);
        check_training(si, 4, 50);
    }
    return tu_finish("test_batch_invariance");
}
