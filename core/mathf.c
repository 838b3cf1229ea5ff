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

/* For -120 <= u <= 0 (the float-valued tanh and sigmoid): u = k ln2 + r with
 * |r| <= ln2/2, *scale = 2^k and *p = e^r - 1 from a degree-10 Taylor
 * polynomial (relative error below 1e-12, far under a float ulp). Then
 * e^u = scale * (1 + p) and e^u - 1 = scale * p + (scale - 1), which never
 * cancels badly. */
static void exp_parts(double u, double *scale, double *p)
{
    double kd = (double)(int)(u * INV_LN2 - 0.5); /* round half away from 0 */
    double r = (u - kd * LN2_HI) - kd * LN2_LO;
    double q = 1.0 / 3628800.0; /* 1/10! */
    static const double inv_fact[9] = {1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0,
                                       1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0,
                                       1.0 / 6.0, 1.0 / 2.0, 1.0};
    for (int i = 0; i < 9; i++)
        q = q * r + inv_fact[i];
    *p = q * r;
    *scale = pow2i((int)kd);
}

float nn_tanhf(float xf)
{
    double x = (double)xf;
    if (x != x)
        return xf;
    double ax = x < 0 ? -x : x;
    if (ax > 9.1) /* tanh rounds to +-1 in float from here */
        return x < 0 ? -1.0f : 1.0f;
    double scale, p;
    exp_parts(-2.0 * ax, &scale, &p);
    double t = scale * p + (scale - 1.0); /* e^(-2|x|) - 1, in (-1, 0] */
    double r = -t / (2.0 + t);
    return (float)(x < 0 ? -r : r);
}

float nn_sigmoidf(float xf)
{
    double x = (double)xf;
    if (x != x)
        return xf;
    if (x > 110.0 || x < -110.0) /* e^-110 is below the smallest float */
        return x > 0 ? 1.0f : 0.0f;
    double scale, p;
    exp_parts(x < 0 ? x : -x, &scale, &p);
    double e = scale * (1.0 + p); /* e^-|x| in (0, 1] */
    return (float)(x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
}
