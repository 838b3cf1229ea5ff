/* test_util.h — tiny helpers shared by the native tests (header-only).
 * A test binary exits non-zero when any CHECK failed. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "nn.h"

static int tu_failures = 0;
static int tu_checks = 0;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        tu_checks++;                                                       \
        if (!(cond)) {                                                     \
            tu_failures++;                                                 \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

static inline int tu_finish(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, tu_checks, tu_failures);
    return tu_failures ? 1 : 0;
}

/* xorshift32 for test data; the Node tests use the same generator so both
 * sides train on identical bits. */
static inline uint32_t tu_next(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Uniform in [-1, 1): 24 random bits, exact in float. */
static inline float tu_uniform(uint32_t *s)
{
    return (float)(tu_next(s) >> 8) * (1.0f / 8388608.0f) - 1.0f;
}

/* Targets y [n x out] for a loss, drawn from *s: one-hot (CE), 0/1 (BCE) or
 * uniform in [-1, 1) (MSE). y must start zeroed. The Node mirror is makeData
 * in tests/node/core-determinism.test.mjs. */
static inline void tu_targets(float *y, int n, int out, int loss, uint32_t *s)
{
    for (int r = 0; r < n; r++) {
        if (loss == NN_LOSS_CE)
            y[r * out + (int)(tu_next(s) % (uint32_t)out)] = 1.0f;
        else
            for (int j = 0; j < out; j++)
                y[r * out + j] = loss == NN_LOSS_BCE ? (float)(tu_next(s) >> 31) : tu_uniform(s);
    }
}

/* FNV-1a over bytes. */
static inline uint32_t tu_fnv1a(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

#endif /* TEST_UTIL_H */
