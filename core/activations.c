/* activations.c — element-wise activations and softmax, with derivatives
 * written from the outputs (PyTorch's conventions at 0: ReLU' = 0,
 * leaky ReLU' = 0.01). */
#include <string.h>
#include "nn_internal.h"

typedef float v4 __attribute__((vector_size(16)));

#define LEAKY_SLOPE 0.01f

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
        for (long i = 0; i < total; i++)
            a[i] = z[i] < 0.0f ? 0.0f : z[i]; /* NaN passes through */
        break;
    case NN_ACT_LEAKY_RELU:
        for (long i = 0; i < total; i++)
            a[i] = z[i] < 0.0f ? z[i] * LEAKY_SLOPE : z[i];
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
        for (long i = 0; i < total; i++)
            dz[i] = a[i] > 0.0f ? da[i] : 0.0f;
        break;
    case NN_ACT_LEAKY_RELU:
        for (long i = 0; i < total; i++)
            dz[i] = a[i] > 0.0f ? da[i] : da[i] * LEAKY_SLOPE;
        break;
    case NN_ACT_TANH: {
        /* four at a time (dz may equal da, so the compiler would not) */
        long i = 0;
        for (; i + 4 <= total; i += 4) {
            v4 g, y;
            memcpy(&g, da + i, sizeof g);
            memcpy(&y, a + i, sizeof y);
            g = g * (1.0f - y * y);
            memcpy(dz + i, &g, sizeof g);
        }
        for (; i < total; i++)
            dz[i] = da[i] * (1.0f - a[i] * a[i]);
        break;
    }
    case NN_ACT_SIGMOID:
        for (long i = 0; i < total; i++)
            dz[i] = da[i] * (1.0f - a[i]) * a[i];
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
