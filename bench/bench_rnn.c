/* bench_rnn.c — native speed of the core on the recurrent benchmark's workload (issue 13 §3):
 * the character-level LSTM 1x128 + per-step softmax head on Moby Dick, B = 32, T = 64, Adam,
 * from the bundle bench/rnn-data.mjs writes (the same batches and initial weights as every
 * peer of bench/rnn-bench.mjs). Prints characters/s of training per CPU second and per wall
 * second, and the first and last losses (the first equals the other peers'). Made to run under
 * `perf record` to see where an LSTM step spends its time.
 *
 * Usage: bench_rnn BUNDLE_DIR [steps]   (BUNDLE_DIR: node bench/rnn-data.mjs writes build/bench/rnn)
 * Build (from the repository root; -ffp-contract=off as the core's own build):
 *   gcc -std=c11 -O3 -march=native -ffp-contract=off -Icore -o build/bench/bench_rnn
 *     bench/bench_rnn.c core/[a-v]*.c -lm     (every core file but wasm_exports.c)
 * A WASM profile (function names kept; the CPU clock is then the wall clock):
 *   emcc -std=c11 -O3 -msimd128 -ffp-contract=off --profiling-funcs -sNODERAWFS=1
 *     -sALLOW_MEMORY_GROWTH=1 -o build/bench/bench_rnn.cjs bench/bench_rnn.c core/[a-v]*.c
 *   node --no-experimental-fetch --cpu-prof --cpu-prof-dir=build/bench build/bench/bench_rnn.cjs build/bench/rnn 15
 * (NODE_PATH=/usr/share/nodejs for emcc, as build.sh sets; Node 20 needs --no-experimental-fetch
 * for Emscripten 3.1.6's loader) */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/nn.h"

/* bench/rnn-workload.mjs TEXT_RUN; the vocabulary size comes from the bundle. */
#define HIDDEN 128
#define BATCH 32
#define STEPS 64
#define WARMUP 3

static double clock_s(clockid_t id)
{
    struct timespec ts;
#ifdef __EMSCRIPTEN__ /* no CPU clock: the wall clock (for a WASM profile under node --cpu-prof) */
    id = CLOCK_MONOTONIC;
#endif
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The whole file at dir/name; *len gets its size in bytes. NULL on failure. */
static unsigned char *read_file(const char *dir, const char *name, long *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)*len + 1);
    if (!buf || fread(buf, 1, (size_t)*len, f) != (size_t)*len) {
        fprintf(stderr, "cannot read %s\n", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s BUNDLE_DIR [steps]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int steps = argc > 2 ? atoi(argv[2]) : 40;
    long n_ids = 0, n_starts = 0, n_init = 0;
    unsigned char *ids = read_file(dir, "text-ids.u8", &n_ids);
    int32_t *starts = (int32_t *)read_file(dir, "text-starts.i32", &n_starts);
    float *init = (float *)read_file(dir, "text-init.f32", &n_init);
    if (!ids || !starts || !init)
        return 1;
    int vocab = 0;
    for (long i = 0; i < n_ids; i++)
        if (ids[i] + 1 > vocab)
            vocab = ids[i] + 1;
    int stored = (int)(n_starts / 4 / BATCH);

    int32_t desc[2 * NN_DESC_INTS] = {NN_LAYER_LSTM, NN_ACT_LINEAR, HIDDEN, 1, 0, 0, 0, 0,
                                      NN_LAYER_DENSE, NN_ACT_SOFTMAX, vocab, 1, 0, 0, 0, 0};
    int32_t shape[3] = {STEPS, vocab, 1};
    nn_model *m = nn_create_layers(2, desc, shape, NN_LOSS_CE, 1, BATCH);
    if (!m) {
        fprintf(stderr, "nn_create_layers refused the model\n");
        return 1;
    }
    int st = nn_load_params(m, init, (int)(n_init / 4));
    if (st != NN_OK) {
        fprintf(stderr, "nn_load_params: %s (%ld floats in the bundle)\n", nn_status_str(st), n_init / 4);
        return 1;
    }
    nn_set_optimizer(m, NN_OPT_ADAM, 0.002f, 0.9f, 0.999f, 1e-8f);
    size_t row = (size_t)STEPS * vocab;
    float *x = calloc(BATCH * row, sizeof(float)), *y = calloc(BATCH * row, sizeof(float));
    if (!x || !y)
        return 1;
    float first = 0, last = 0;
    double c0 = 0, w0 = 0;
    for (int s = 0; s < WARMUP + steps; s++) {
        if (s == WARMUP) {
            c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
            w0 = clock_s(CLOCK_MONOTONIC);
        }
        memset(x, 0, BATCH * row * sizeof(float));
        memset(y, 0, BATCH * row * sizeof(float));
        const int32_t *st0 = starts + (size_t)(s % stored) * BATCH;
        for (int b = 0; b < BATCH; b++)
            for (int t = 0; t < STEPS; t++) {
                x[b * row + (size_t)t * vocab + ids[st0[b] + t]] = 1.0f;
                y[b * row + (size_t)t * vocab + ids[st0[b] + t + 1]] = 1.0f;
            }
        last = nn_train_step(m, x, y, BATCH);
        if (s == 0)
            first = last;
    }
    double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0, wall = clock_s(CLOCK_MONOTONIC) - w0;
    double chars = (double)steps * BATCH * STEPS;
#ifdef __EMSCRIPTEN__
#define BUILD "WASM"
#else
#define BUILD "native"
#endif
    printf("char LSTM 1x%d, V %d, B %d, T %d: %.0f characters/s of CPU time (wall clock: %.0f/s; " BUILD "; "
           "%d steps, first loss %.6f, last loss %.6f)\n",
           HIDDEN, vocab, BATCH, STEPS, chars / cpu, chars / wall, steps, first, last);
    nn_destroy(m);
    free(x);
    free(y);
    free(ids);
    free(starts);
    free(init);
    return 0;
}
