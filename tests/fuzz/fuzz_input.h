/* fuzz_input.h — turns libFuzzer's bytes into the arguments of core calls
 * (header-only, shared by the tests/fuzz/fuzz_*.c targets).
 *
 * Reading past the end yields zeros, so every input decodes to some call.
 * Integers come either in range or as an edge value (just outside the range,
 * 0, -1, INT_MIN, INT_MAX): the core's checks are what is being fuzzed.
 * Floats favour the values that break arithmetic (NaN, infinities, huge,
 * subnormal, signed zeros) over raw bit patterns. */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nn.h"

typedef struct {
    const uint8_t *p;
    size_t n;
} fz_input;

/* A broken promise of the API: report it and abort, which libFuzzer records
 * as a finding with the input that caused it. */
#define FZ_REQUIRE(cond, ...)                                                     \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "fuzz invariant failed at %s:%d: %s: ", __FILE__,    \
                    __LINE__, #cond);                                             \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
            abort();                                                              \
        }                                                                         \
    } while (0)

static inline uint8_t fz_u8(fz_input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

static inline uint32_t fz_u32(fz_input *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | fz_u8(in);
    return v;
}

/* Uniform-ish in [lo, hi] (hi - lo < 2^31). */
static inline int fz_in_range(fz_input *in, int lo, int hi)
{
    uint32_t span = (uint32_t)((int64_t)hi - lo + 1);
    uint32_t v = span > 255 ? fz_u32(in) : fz_u8(in);
    return (int)((int64_t)lo + (int64_t)(v % span));
}

/* Mostly in [lo, hi]; one time in four an edge value around or far outside. */
static inline int fz_int(fz_input *in, int lo, int hi)
{
    uint8_t sel = fz_u8(in);
    if (sel >= 64)
        return fz_in_range(in, lo, hi);
    switch (sel % 8) {
    case 0: return lo;
    case 1: return hi;
    case 2: return lo == INT_MIN ? lo : lo - 1;
    case 3: return hi == INT_MAX ? hi : hi + 1;
    case 4: return 0;
    case 5: return -1;
    case 6: return INT_MIN;
    default: return INT_MAX;
    }
}

static inline float fz_float(fz_input *in)
{
    static const float special[] = {
        0.0f, -0.0f, 1.0f, -1.0f, 0.5f, NAN, INFINITY, -INFINITY, FLT_MAX, -FLT_MAX,
        FLT_MIN, -FLT_MIN, 1e-45f /* smallest subnormal */, 1e20f, -1e20f, 1e-30f,
    };
    uint8_t sel = fz_u8(in);
    if (sel < 16)
        return special[sel];
    if (sel < 32) { /* any bit pattern, NaN payloads included */
        uint32_t bits = fz_u32(in);
        float f;
        memcpy(&f, &bits, sizeof f);
        return f;
    }
    return (float)((int)fz_u8(in) - 128) / 32.0f; /* [-4, 4) in steps of 1/32 */
}

/* A float that is finite and in range with high probability: keeps training
 * going instead of stopping at the first NaN check. */
static inline float fz_mostly_finite(fz_input *in)
{
    if (fz_u8(in) < 8)
        return fz_float(in);
    return (float)((int)fz_u8(in) - 128) / 64.0f;
}

static inline void fz_fill(fz_input *in, float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = fz_mostly_finite(in);
}

/* A caller's buffer of exactly n floats (one float when the API must refuse
 * the count before reading: an overread then shows up under ASan). */
static inline float *fz_floats(size_t n)
{
    float *v = calloc(n ? n : 1, sizeof *v);
    FZ_REQUIRE(v, "test buffer of %zu floats", n);
    return v;
}

static inline int fz_all_finite(const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* Equal values (NaN equal to NaN): outputs of two call orders that the API
 * promises to agree. */
static inline int fz_same_values(const float *a, const float *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(a[i] == b[i] || (isnan(a[i]) && isnan(b[i]))))
            return 0;
    return 1;
}

static inline int fz_known_status(int s)
{
    return s <= NN_OK && s >= NN_ERR_FLAGS; /* the last status code in nn.h */
}

#endif /* FUZZ_INPUT_H */
