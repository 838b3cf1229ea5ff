/* mathf.c — deterministic exp/log/tanh/sigmoid.
 *
 * glibc and Emscripten's musl round their libm results differently, which
 * would break native == WASM bit-identity. These versions use only IEEE
 * operations (+ - * / floor) in double, so every platform gives the same bits,
 * and double precision leaves them accurate to well under one float ulp. */
#include <stdint.h>
#include <string.h>
#include "nn_internal.h"

static const double LN2_HI = 6.93147180369123816490e-01; /* low bits zero: k*LN2_HI exact */
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00;

/* 2^k for -1022 <= k <= 1023, built from the bit pattern. */
static double pow2i(int k)
{
    uint64_t bits = (uint64_t)(k + 1023) << 52;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* e^r - 1 for |r| <= 0.35: Taylor series to r^14 (error below 1e-17). */
static double expm1_small(double r)
{
    double p = 1.0 / 87178291200.0; /* 1/14! */
    static const double inv_fact[13] = {
        1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,
        1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0,
        1.0 / 24.0, 1.0 / 6.0, 1.0 / 2.0, 1.0};
    for (int i = 0; i < 13; i++)
        p = p * r + inv_fact[i];
    return p * r;
}

double nn_exp(double x)
{
    if (x != x)
        return x;
    if (x > 709.78)
        return 1.0 / 0.0;
    if (x < -745.0)
        return 0.0;
    double kd = (double)(int64_t)(x * INV_LN2 + (x < 0 ? -0.5 : 0.5)); /* round half away */
    int k = (int)kd;
    double r = (x - kd * LN2_HI) - kd * LN2_LO;
    double e = 1.0 + expm1_small(r);
    /* Split the scaling so 2^k never leaves the normal range. */
    int k1 = k / 2, k2 = k - k1;
    return e * pow2i(k1) * pow2i(k2);
}

double nn_expm1(double x)
{
    if (x > -0.35 && x < 0.35)
        return expm1_small(x);
    return nn_exp(x) - 1.0;
}

double nn_log(double x)
{
    if (x != x || x < 0.0)
        return 0.0 / 0.0;
    if (x == 0.0)
        return -1.0 / 0.0;
    if (x > 1.7976931348623157e308)
        return x;
    int e = 0;
    if (x < 2.2250738585072014e-308) { /* subnormal: scale into range */
        x *= 18014398509481984.0;      /* 2^54 */
        e = -54;
    }
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    e += (int)((bits >> 52) & 0x7ff) - 1023;
    bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
    double m;
    memcpy(&m, &bits, sizeof m); /* m in [1, 2) */
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e += 1;
    }
    /* log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716: series to s^25. */
    double s = (m - 1.0) / (m + 1.0);
    double s2 = s * s;
    double p = 1.0 / 25.0;
    for (int n = 23; n >= 1; n -= 2)
        p = p * s2 + 1.0 / (double)n;
    double ed = (double)e;
    return ed * LN2_HI + (ed * LN2_LO + 2.0 * s * p);
}

double nn_log1p(double x)
{
    if (x != x || x < -1.0)
        return 0.0 / 0.0;
    double u = 1.0 + x;
    if (u == 1.0)
        return x;
    /* log(u) * x / (u - 1) corrects the rounding of 1 + x. */
    return nn_log(u) * (x / (u - 1.0));
}

/* tanh and sigmoid over arrays, two elements at a time in double lanes
 * (GCC/Clang vector types: SSE2 natively, f64x2 in WASM; element-wise IEEE
 * operations only, so every build rounds the same way). For u <= 0:
 * u = k ln2 + r with |r| <= ln2/2 (k rounded to nearest with the 1.5*2^52
 * trick, whose low bits also give 2^k without a conversion), p = e^r - 1 from
 * its Taylor polynomial to r^8 (relative error below 1e-9, a hundredth of a
 * float ulp), scale = 2^k. Then e^u = scale * (1 + p) and
 * e^u - 1 = scale * p + (scale - 1), which never cancels badly. */
typedef double d2 __attribute__((vector_size(16)));
typedef int64_t i2 __attribute__((vector_size(16)));

static const double ROUND_MAGIC = 6755399441055744.0; /* 1.5 * 2^52 */

static inline d2 splat2(double v)
{
    return (d2){v, v};
}

static inline d2 exp_parts2(d2 u, d2 *scale)
{
    d2 t = u * splat2(INV_LN2) + splat2(ROUND_MAGIC);
    d2 kd = t - splat2(ROUND_MAGIC);
    d2 r = (u - kd * splat2(LN2_HI)) - kd * splat2(LN2_LO);
    d2 q = splat2(1.0 / 40320.0);
    q = q * r + splat2(1.0 / 5040.0);
    q = q * r + splat2(1.0 / 720.0);
    q = q * r + splat2(1.0 / 120.0);
    q = q * r + splat2(1.0 / 24.0);
    q = q * r + splat2(1.0 / 6.0);
    q = q * r + splat2(0.5);
    q = q * r + splat2(1.0);
    i2 bits;
    memcpy(&bits, &t, sizeof bits);
    bits = (bits + 1023) << 52; /* the low bits of t hold k: 2^k for -1022 <= k <= 0 */
    memcpy(scale, &bits, sizeof bits);
    return q * r;
}

static inline d2 abs2(d2 x, i2 *sign)
{
    i2 bits;
    memcpy(&bits, &x, sizeof bits);
    *sign = bits & (i2){INT64_MIN, INT64_MIN};
    bits &= (i2){INT64_MAX, INT64_MAX};
    memcpy(&x, &bits, sizeof bits);
    return x;
}

/* Picks b where mask lanes are set, else a. */
static inline d2 select2(i2 mask, d2 b, d2 a)
{
    i2 ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    ia = (ia & ~mask) | (ib & mask);
    memcpy(&a, &ia, sizeof a);
    return a;
}

/* tanh(|x|) = -t / (2 + t) with t = e^(-2|x|) - 1; tanh rounds to +-1 in
 * float from |x| = 9.1 on, so |x| is clamped there (NaN restored at the end). */
static inline d2 tanh2(d2 x)
{
    i2 sign, isnan = x != x;
    d2 ax = abs2(x, &sign);
    ax = select2(ax < splat2(9.1), ax, splat2(9.1));
    d2 scale, p = exp_parts2(splat2(-2.0) * ax, &scale);
    d2 t = scale * p + (scale - splat2(1.0));
    d2 r = -t / (splat2(2.0) + t);
    i2 rb;
    memcpy(&rb, &r, sizeof rb);
    rb |= sign;
    memcpy(&r, &rb, sizeof r);
    return select2(isnan, x, r);
}

/* sigmoid from e = e^-|x|: 1 / (1 + e) for x >= 0, e / (1 + e) below; e^-110
 * is below the smallest float, so |x| is clamped there. */
static inline d2 sigmoid2(d2 x)
{
    i2 sign, isnan = x != x;
    d2 ax = abs2(x, &sign);
    ax = select2(ax < splat2(110.0), ax, splat2(110.0));
    d2 scale, p = exp_parts2(-ax, &scale);
    d2 e = scale * (splat2(1.0) + p);
    d2 num = select2(x < splat2(0.0), e, splat2(1.0));
    return select2(isnan, x, num / (splat2(1.0) + e));
}

void nn_tanh_array(float *out, const float *in, long n)
{
    long i = 0;
    for (; i + 2 <= n; i += 2) {
        d2 r = tanh2((d2){in[i], in[i + 1]});
        out[i] = (float)r[0];
        out[i + 1] = (float)r[1];
    }
    if (i < n)
        out[i] = (float)tanh2((d2){in[i], 0.0})[0];
}

void nn_sigmoid_array(float *out, const float *in, long n)
{
    long i = 0;
    for (; i + 2 <= n; i += 2) {
        d2 r = sigmoid2((d2){in[i], in[i + 1]});
        out[i] = (float)r[0];
        out[i + 1] = (float)r[1];
    }
    if (i < n)
        out[i] = (float)sigmoid2((d2){in[i], 0.0})[0];
}

float nn_tanhf(float x)
{
    float r;
    nn_tanh_array(&r, &x, 1);
    return r;
}

float nn_sigmoidf(float x)
{
    float r;
    nn_sigmoid_array(&r, &x, 1);
    return r;
}
