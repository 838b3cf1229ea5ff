/* activations.c — element-wise activations and softmax, with derivatives
 * written from the outputs (PyTorch's conventions at 0: ReLU' = 0,
 * leaky ReLU' = 0.01). */
#include <string.h>
#include "nn_internal.h"
#include "vec4.h"

typedef int32_t vi4 __attribute__((vector_size(16)));

#define LEAKY_SLOPE 0.01f

/* Element-wise maps, four lanes at a time: a branch per element would be
 * mispredicted half the time on ReLU's signs, and the compiler does not
 * vectorise these loops itself (outputs may alias inputs). */
enum { MAP_RELU, MAP_LEAKY, MAP_D_RELU, MAP_D_LEAKY, MAP_D_TANH, MAP_D_SIGMOID };

static inline v4 blend(vi4 mask, v4 yes, v4 no)
{
    vi4 y, n;
    memcpy(&y, &yes, sizeof y);
    memcpy(&n, &no, sizeof n);
    y = (y & mask) | (n & ~mask);
    memcpy(&yes, &y, sizeof y);
    return yes;
}

/* x: the input (z forward, da backward), y: the outputs a (backward only). */
static inline v4 map4(int kind, v4 x, v4 y)
{
    const v4 zero = {0.0f, 0.0f, 0.0f, 0.0f};
    switch (kind) {
    case MAP_RELU: return blend((vi4)(x < zero), zero, x); /* NaN passes through */
    case MAP_LEAKY: return blend((vi4)(x < zero), x * LEAKY_SLOPE, x);
    case MAP_D_RELU: return blend((vi4)(y > zero), x, zero);
    case MAP_D_LEAKY: return blend((vi4)(y > zero), x, x * LEAKY_SLOPE);
    case MAP_D_TANH: return x * (1.0f - y * y);
    default: return x * (1.0f - y) * y; /* MAP_D_SIGMOID */
    }
}

/* out[n] = map(x[n], y[n]) (y may be NULL forward); the tail goes through a
 * padded copy, so every element takes the same path. out may equal x. */
static inline __attribute__((always_inline)) void map_array(float *out, const float *x,
                                                            const float *y, long n, int kind)
{
    long i = 0;
    v4 xv, yv = {0.0f, 0.0f, 0.0f, 0.0f};
    for (; i + 4 <= n; i += 4) {
        memcpy(&xv, x + i, sizeof xv);
        if (y)
            memcpy(&yv, y + i, sizeof yv);
        xv = map4(kind, xv, yv);
        memcpy(out + i, &xv, sizeof xv);
    }
    if (i < n) {
        /* loops, not memcpy: a variable-length copy is a call in WASM */
        float xp[4] = {0.0f, 0.0f, 0.0f, 0.0f}, yp[4] = {0.0f, 0.0f, 0.0f, 0.0f};
        for (long t = i; t < n; t++) {
            xp[t - i] = x[t];
            yp[t - i] = y ? y[t] : 0.0f;
        }
        memcpy(&xv, xp, sizeof xv);
        memcpy(&yv, yp, sizeof yv);
        xv = map4(kind, xv, yv);
        memcpy(xp, &xv, sizeof xv);
        for (long t = i; t < n; t++)
            out[t] = xp[t - i];
    }
}

static void softmax_row(float *a, const float *z, int cols)
{
    float mx = z[0];
    for (int j = 1; j < cols; j++)
        if (z[j] > mx)
            mx = z[j];
    double sum = 0.0;
    for (int j = 0; j < cols; j++)
        sum += nn_exp((double)z[j] - (double)mx);
    for (int j = 0; j < cols; j++)
        a[j] = (float)(nn_exp((double)z[j] - (double)mx) / sum);
}

void nn_activation_forward(float *a, const float *z, int rows, int cols, int act)
{
    long total = (long)rows * cols;
    switch (act) {
    case NN_ACT_RELU:
        map_array(a, z, 0, total, MAP_RELU);
        break;
    case NN_ACT_LEAKY_RELU:
        map_array(a, z, 0, total, MAP_LEAKY);
        break;
    case NN_ACT_TANH:
        nn_tanh_array(a, z, total);
        break;
    case NN_ACT_SIGMOID:
        nn_sigmoid_array(a, z, total);
        break;
    case NN_ACT_SOFTMAX:
        for (int r = 0; r < rows; r++)
            softmax_row(a + (long)r * cols, z + (long)r * cols, cols);
        break;
    default: /* linear */
        if (a != z)
            for (long i = 0; i < total; i++)
                a[i] = z[i];
        break;
    }
}

void nn_activation_backward(float *dz, const float *da, const float *a,
                            int rows, int cols, int act)
{
    long total = (long)rows * cols;
    switch (act) {
    case NN_ACT_RELU:
        map_array(dz, da, a, total, MAP_D_RELU);
        break;
    case NN_ACT_LEAKY_RELU:
        map_array(dz, da, a, total, MAP_D_LEAKY);
        break;
    case NN_ACT_TANH:
        map_array(dz, da, a, total, MAP_D_TANH);
        break;
    case NN_ACT_SIGMOID:
        map_array(dz, da, a, total, MAP_D_SIGMOID);
        break;
    case NN_ACT_SOFTMAX:
        /* Jacobian-vector product: dz_j = a_j * (da_j - sum_i da_i a_i) */
        for (int r = 0; r < rows; r++) {
            const float *ar = a + (long)r * cols, *gr = da + (long)r * cols;
            float *dr = dz + (long)r * cols;
            double dot = 0.0;
            for (int j = 0; j < cols; j++)
                dot += (double)gr[j] * (double)ar[j];
            float dotf = (float)dot;
            for (int j = 0; j < cols; j++)
                dr[j] = ar[j] * (gr[j] - dotf);
        }
        break;
    default: /* linear */
        if (dz != da)
            for (long i = 0; i < total; i++)
                dz[i] = da[i];
        break;
    }
}
