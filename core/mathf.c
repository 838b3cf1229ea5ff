/* mathf.c — deterministic exp/log/tanh/sigmoid.
 *
 * glibc and Emscripten's musl round their libm results differently, which
 * would break native == WASM bit-identity. These versions use only IEEE
 * operations (+ - * / floor) in double, so every platform gives the same bits,
 * and double precision leaves them accurate to well under one float ulp. */
#include <stdint.h>
#include <string.h>
#include "nn_internal.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

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

/* tanh, sigmoid and BCE's softplus term over arrays, two elements at a time
 * in double lanes (GCC/Clang vector types: SSE2 natively, f64x2 in WASM;
 * element-wise IEEE operations only, so every build rounds the same way).
 * They share one range reduction for u <= 0: u = k ln2 + r with
 * |r| <= ln2/2 (k rounded to nearest with the 1.5*2^52 trick, whose low bits
 * also give 2^k without a conversion; one step, as |k| <= 1022 leaves
 * k * ln2's rounding near 1e-13). Sigmoid and softplus then take
 * p = e^r - 1 from a degree-7 polynomial fitted on the range (relative error
 * 2.4e-10, a few hundredths of a float ulp), scale = 2^k, and
 * e^u = scale * (1 + p); tanh folds a Padé form of e^r into its quotient
 * (tanh_finish2). */
typedef double d2 __attribute__((vector_size(16)));
typedef int64_t i2 __attribute__((vector_size(16)));

/* The vector constants, read once per array through a pointer the compiler
 * cannot see through (launder): WASM has no constant pool, and a folded
 * constant becomes a v128.const that V8 rebuilds in every iteration. */
enum { K_INV_LN2, K_MAGIC, K_LN2, K_Q1, K_Q2, K_Q3, K_Q4, K_Q5, K_Q6,
       K_ONE, K_TWO, K_SIGMOID_MAX, K_SOFTPLUS_MAX, K_HALF, K_P2, K_P3, K_P4,
       K_A3, K_A5, K_A7, K_A9, K_A11, K_A13, K_A15, K_A17, K_A19, K_COUNT };
static const double KONST[K_COUNT] = {
    1.44269504088896338700e+00, 6755399441055744.0 /* 1.5 * 2^52 */, 6.93147180559945286227e-01,
    /* (e^r - 1)/r ~ 1 + Q1 r + ... + Q6 r^6 on |r| <= ln2/2 */
    0x1.00000025e9e89p-1, 0x1.555554ef9f6bcp-3, 0x1.5554b13fc2660p-5, 0x1.1111895981604p-7,
    0x1.6d71e58d50418p-10, 0x1.a032bf2427630p-13,
    1.0, 2.0,
    /* clamps: e^-110 is below the smallest float; e^-708 is still a normal double */
    110.0, 708.0,
    /* tanh's Padé form: 1/2, 3/28, 1/84, 1/1680 */
    0.5, 3.0 / 28.0, 1.0 / 84.0, 1.0 / 1680.0,
    /* log1p_exp_neg's series: 1/3, 1/5, ..., 1/19 */
    1.0 / 3.0, 1.0 / 5.0, 1.0 / 7.0, 1.0 / 9.0, 1.0 / 11.0, 1.0 / 13.0, 1.0 / 15.0,
    1.0 / 17.0, 1.0 / 19.0};

typedef struct {
    d2 v[K_COUNT];
} konst2;

static inline void load_konst(konst2 *k)
{
    const double *p = KONST;
    __asm__("" : "+r"(p)); /* launder: p's target is unknown from here on */
    for (int i = 0; i < K_COUNT; i++)
        k->v[i] = (d2){p[i], p[i]};
}

/* 2^k from t = u / ln2 + 1.5*2^52, whose low bits hold k (-1022 <= k <= 0). */
static inline d2 pow2_low_bits(d2 t)
{
    i2 bits;
    memcpy(&bits, &t, sizeof bits);
    bits = (bits + 1023) << 52;
    d2 scale;
    memcpy(&scale, &bits, sizeof scale);
    return scale;
}

/* The range reduction: r = u - k ln2, and *t = u / ln2 + 1.5*2^52 with k in
 * its low bits. */
static inline d2 reduce2(d2 u, d2 *t, const konst2 *k)
{
    const d2 *c = k->v;
    *t = u * c[K_INV_LN2] + c[K_MAGIC];
    return u - (*t - c[K_MAGIC]) * c[K_LN2];
}

/* p = e^r - 1 and *scale = 2^k, so that e^u = scale * (1 + p), for
 * -708 <= u <= 0. Estrin's scheme: short dependency chains. */
static inline d2 exp_parts2(d2 u, d2 *scale, const konst2 *k)
{
    const d2 *c = k->v;
    d2 t, r = reduce2(u, &t, k);
    d2 r2 = r * r, r4 = r2 * r2;
    d2 e0 = r + r2 * c[K_Q1], e1 = c[K_Q2] + r * c[K_Q3], e2 = c[K_Q4] + r * c[K_Q5];
    *scale = pow2_low_bits(t);
    return (e0 + (r2 * r) * e1) + (r4 * r) * (e2 + r2 * c[K_Q6]);
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

/* b if b < a, else a (NaN in a is kept): WASM's pmin, one instruction in V8
 * (f64x2.min with its NaN rules takes several). */
static inline d2 pmin2(d2 a, d2 b)
{
#ifdef __wasm_simd128__
    return (d2)wasm_f64x2_pmin((v128_t)a, (v128_t)b);
#else
    return select2((i2)(b < a), b, a);
#endif
}

/* e^-min(|x|, clamp), and x's sign bits in *sign. */
static inline d2 exp_neg_abs2(d2 x, d2 clamp, i2 *sign, const konst2 *k)
{
    d2 scale, p = exp_parts2(-pmin2(abs2(x, sign), clamp), &scale, k);
    return scale + scale * p;
}

/* sigmoid from e = e^-|x|: 1 / (1 + e) for x >= 0, e / (1 + e) below, |x|
 * clamped at 110. */
static inline d2 sigmoid2(d2 x, const konst2 *k)
{
    const d2 *c = k->v;
    i2 sign;
    d2 e = exp_neg_abs2(x, c[K_SIGMOID_MAX], &sign, k);
    d2 num = select2((i2)(sign != 0), e, c[K_ONE]);
    return num / (c[K_ONE] + e);
}

/* log(1 + e^-|x|), the softplus term of BCE's loss: w = e^-|x| in (0, 1],
 * then log(1 + w) = 2 atanh(s) with s = w / (2 + w) <= 1/3, whose odd series
 * to s^19 keep the relative error near 2e-10, exp's (a float ulp is 6e-8). */
static inline d2 log1p_exp_neg2(d2 x, const konst2 *k)
{
    const d2 *c = k->v;
    i2 sign;
    d2 w = exp_neg_abs2(x, c[K_SOFTPLUS_MAX], &sign, k);
    d2 s = w / (c[K_TWO] + w), s2 = s * s;
    d2 q = c[K_A19];
    q = q * s2 + c[K_A17];
    q = q * s2 + c[K_A15];
    q = q * s2 + c[K_A13];
    q = q * s2 + c[K_A11];
    q = q * s2 + c[K_A9];
    q = q * s2 + c[K_A7];
    q = q * s2 + c[K_A5];
    q = q * s2 + c[K_A3];
    q = q * s2 + c[K_ONE];
    return (s + s) * q;
}

typedef float f4 __attribute__((vector_size(16)));
typedef float f2 __attribute__((vector_size(8)));

/* Four floats from two double pairs (WASM: two f32x4.demote_f64x2_zero;
 * Clang would otherwise convert lane by lane). */
static inline f4 narrow4(d2 lo, d2 hi)
{
#ifdef __wasm_simd128__
    return (f4)wasm_i64x2_shuffle(wasm_f32x4_demote_f64x2_zero((v128_t)lo),
                                  wasm_f32x4_demote_f64x2_zero((v128_t)hi), 0, 2);
#else
    return __builtin_shufflevector(__builtin_convertvector(lo, f2),
                                   __builtin_convertvector(hi, f2), 0, 1, 2, 3);
#endif
}

/* Two lanes of a float vector widened to double (WASM: promote_low, after a
 * shuffle V8 turns into one pshufd). */
static inline d2 widen_lo(f4 v)
{
#ifdef __wasm_simd128__
    return (d2)wasm_f64x2_promote_low_f32x4((v128_t)v);
#else
    return __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1), d2);
#endif
}

static inline d2 widen_hi(f4 v)
{
#ifdef __wasm_simd128__
    return (d2)wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle((v128_t)v, (v128_t)v, 2, 3, 2, 3));
#else
    return __builtin_convertvector(__builtin_shufflevector(v, v, 2, 3), d2);
#endif
}

/* in[0..rest-1] (rest < 4) zero-padded to four lanes, and the first rest
 * lanes back: the last values of an array take the vector path too. Loops,
 * not memcpy: a variable-length copy is a call in WASM. */
static inline f4 load_part4(const float *in, long rest)
{
    float pad[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (long j = 0; j < rest; j++)
        pad[j] = in[j];
    f4 v;
    memcpy(&v, pad, sizeof v);
    return v;
}

static inline void store_part4(float *out, f4 v, long rest)
{
    float pad[4];
    memcpy(pad, &v, sizeof v);
    for (long j = 0; j < rest; j++)
        out[j] = pad[j];
}

typedef int32_t i4 __attribute__((vector_size(16)));

/* min(|x|, clamp) in four float lanes (a NaN stays NaN). */
static inline f4 abs_clamp4(f4 x, f4 clamp)
{
    i4 bits;
    memcpy(&bits, &x, sizeof bits);
    bits &= (i4){INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX};
    f4 a;
    memcpy(&a, &bits, sizeof a);
#ifdef __wasm_simd128__
    return (f4)wasm_f32x4_pmin((v128_t)a, (v128_t)clamp); /* clamp < a ? clamp : a */
#else
    i4 over = (i4)(clamp < a), ia, ic;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ic, &clamp, sizeof ic);
    ia = (ia & ~over) | (ic & over);
    memcpy(&a, &ia, sizeof a);
    return a;
#endif
}

/* tanh over an array runs in two passes over chunks of TANH_CHUNK values:
 * exp_parts2's range reduction for the whole chunk, then e^r and the
 * quotient. One loop doing both is bound by its long dependency
 * chain and by register spills (V8 has 16 vector registers); two shorter
 * loops let the CPU overlap more iterations (about 1.3x faster in V8). */
enum { TANH_CHUNK = 64 };

/* Pass 1, four values: u = -2 min(|x|, 9.1f) (exact in float), then
 * t = u / ln2 + 1.5*2^52 (k in its low bits) and r = u - k ln2. */
static inline void tanh_reduce4(double *r_out, double *t_out, f4 x, f4 clamp, const konst2 *k)
{
    f4 u = abs_clamp4(x, clamp) * (f4){-2.0f, -2.0f, -2.0f, -2.0f};
    d2 t0, t1, r0 = reduce2(widen_lo(u), &t0, k), r1 = reduce2(widen_hi(u), &t1, k);
    memcpy(r_out, &r0, sizeof r0);
    memcpy(r_out + 2, &r1, sizeof r1);
    memcpy(t_out, &t0, sizeof t0);
    memcpy(t_out + 2, &t1, sizeof t1);
}

/* Pass 2, two values: with e^r = (E + O) / (E - O), the [4/4] Padé form
 * (E = 1 + 3r^2/28 + r^4/1680, O = r (1/2 + r^2/84); relative error 3e-12
 * for |r| <= ln2/2) and s = 2^k,
 *   tanh(a) = (1 - e^u) / (1 + e^u) = (E (1 - s) - O (1 + s)) / (E (1 + s) - O (1 - s)),
 * one quotient in all, with no cancellation (for k = 0 the numerator is
 * -2 O). Fewer operations than the polynomial exp and a division; checked on
 * every float in [0, 9.5]: at most 0.5001 ulp from the exact value. */
static inline d2 tanh_finish2(const double *r_in, const double *t_in, const konst2 *k)
{
    const d2 *c = k->v;
    d2 r, t;
    memcpy(&r, r_in, sizeof r);
    memcpy(&t, t_in, sizeof t);
    d2 s = pow2_low_bits(t), r2 = r * r;
    d2 e = c[K_ONE] + r2 * (c[K_P2] + r2 * c[K_P4]);
    d2 o = r * (c[K_HALF] + r2 * c[K_P3]);
    d2 lo = c[K_ONE] - s, hi = c[K_ONE] + s;
    return (e * lo - o * hi) / (e * hi - o * lo);
}

/* Pass 2, four values, with x's signs put back. */
static inline f4 tanh_finish4(const double *r_in, const double *t_in, f4 x, const konst2 *k)
{
    f4 v = narrow4(tanh_finish2(r_in, t_in, k), tanh_finish2(r_in + 2, t_in + 2, k));
    i4 bits, sign;
    memcpy(&sign, &x, sizeof sign);
    memcpy(&bits, &v, sizeof bits);
    bits |= sign & (i4){INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN};
    memcpy(&v, &bits, sizeof v);
    return v;
}

static const float TANH_CLAMP = 9.1f; /* tanh rounds to 1 in float from there */

void nn_tanh_array(float *out, const float *in, long n)
{
    konst2 k;
    load_konst(&k);
    const float *cp = &TANH_CLAMP;
    __asm__("" : "+r"(cp)); /* launder, as in load_konst */
    f4 clamp = {*cp, *cp, *cp, *cp};
    double r[TANH_CHUNK], t[TANH_CHUNK];
    for (long i0 = 0; i0 < n; i0 += TANH_CHUNK) {
        long m = n - i0 < TANH_CHUNK ? n - i0 : TANH_CHUNK, full = m & ~3L;
        const float *x = in + i0;
        float *y = out + i0;
        f4 v;
        for (long i = 0; i < full; i += 4) {
            memcpy(&v, x + i, sizeof v);
            tanh_reduce4(r + i, t + i, v, clamp, &k);
        }
        if (full < m)
            tanh_reduce4(r + full, t + full, load_part4(x + full, m - full), clamp, &k);
        /* each group of x is read again just before its results are written,
         * so out may be in */
        for (long i = 0; i < full; i += 4) {
            memcpy(&v, x + i, sizeof v);
            v = tanh_finish4(r + i, t + i, v, &k);
            memcpy(y + i, &v, sizeof v);
        }
        if (full < m)
            store_part4(y + full, tanh_finish4(r + full, t + full, load_part4(x + full, m - full), &k),
                        m - full);
    }
}

/* Four sigmoids, through two double pairs. */
static inline f4 sigmoid4(f4 v, const konst2 *k)
{
    return narrow4(sigmoid2(widen_lo(v), k), sigmoid2(widen_hi(v), k));
}

void nn_sigmoid_array(float *out, const float *in, long n)
{
    konst2 k;
    load_konst(&k);
    long i = 0;
    f4 v;
    for (; i + 4 <= n; i += 4) {
        memcpy(&v, in + i, sizeof v);
        v = sigmoid4(v, &k);
        memcpy(out + i, &v, sizeof v);
    }
    if (i < n)
        store_part4(out + i, sigmoid4(load_part4(in + i, n - i), &k), n - i);
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

void nn_log1p_exp_neg_array(double *out, const float *in, long n)
{
    konst2 k;
    load_konst(&k);
    long i = 0;
    d2 r;
    for (; i + 2 <= n; i += 2) {
        r = log1p_exp_neg2((d2){in[i], in[i + 1]}, &k);
        memcpy(out + i, &r, sizeof r);
    }
    if (i < n) { /* the same path for the last one */
        r = log1p_exp_neg2((d2){in[i], 0.0}, &k);
        out[i] = r[0];
    }
}
