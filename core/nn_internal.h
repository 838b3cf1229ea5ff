/* nn_internal.h — declarations shared by the core's translation units.
 * Not part of the ABI: nothing here crosses into JavaScript. */
#ifndef NN_INTERNAL_H
#define NN_INTERNAL_H

#include <stdint.h>
#include "nn.h"

/* ---- mathf.c: deterministic elementary functions ----
 * Only +, -, *, / and IEEE rounding operations, all computed in double, so
 * glibc, musl and any compiler give the same bits (libm does not). */
double nn_exp(double x);
double nn_expm1(double x);
double nn_log(double x);   /* x > 0 */
double nn_log1p(double x); /* x > -1 */
float nn_tanhf(float x);
float nn_sigmoidf(float x);
/* out[i] = tanh / sigmoid of in[i] for i < n, the same bits as the scalar
 * versions; out may equal in. */
void nn_tanh_array(float *out, const float *in, long n);
void nn_sigmoid_array(float *out, const float *in, long n);
/* out[i] = log(1 + e^-|in[i]|) in double (BCE's softplus term), relative
 * error below 1e-9 */
void nn_log1p_exp_neg_array(double *out, const float *in, long n);

/* ---- rng.c: xoshiro128** seeded through splitmix64 ---- */
void nn_rng_seed(uint32_t state[4], uint64_t seed);
uint32_t nn_rng_next(uint32_t state[4]);
/* Uniform in [-bound, bound), deterministic float rounding. */
float nn_rng_uniform(uint32_t state[4], float bound);

/* ---- kernels.c: dense products ----
 * c[m x n] = init + sum_p a(i,p) * b[p x n], with a(i,p) = a[i*a_rs + p*a_cs]
 * and init = bias[j] (bias may be NULL for 0). Per element the sum runs over
 * p in order 0..k-1, whatever the vector width, so every build agrees bit for
 * bit. */
void nn_gemm(float *c, const float *a, int a_rs, int a_cs, const float *b,
             const float *bias, int m, int n, int k);
/* out[n] = sum_i in[i*n + j] over rows i in order; in: [rows x n] */
void nn_col_sums(float *out, const float *in, int rows, int n);
/* dst[cols x rows] = transpose of src[rows x cols] */
void nn_transpose(float *dst, const float *src, int rows, int cols);

/* ---- activations.c ---- */
/* a[rows x cols] = act(z[rows x cols]); softmax is per row. a may equal z. */
void nn_activation_forward(float *a, const float *z, int rows, int cols, int act);
/* dz[rows x cols] from da (dL/da), the outputs a. dz may equal da. */
void nn_activation_backward(float *dz, const float *da, const float *a,
                            int rows, int cols, int act);

/* ---- losses.c ---- */
/* Sum over the rows of each row's loss contribution, in double; the caller
 * divides (MSE/BCE: by rows*cols, CE: by rows). z: pre-activations,
 * a: outputs, y: targets, all [rows x cols]. */
double nn_loss_sum(const float *a, const float *z, const float *y, int rows,
                   int cols, int loss);
/* dz[rows x cols] = dL/dz for the batch mean loss, with the output
 * activation's derivative folded in (fused for sigmoid+BCE, softmax+CE). */
void nn_loss_grad(float *dz, const float *a, const float *y, int rows, int cols,
                  int loss, int act);
/* The divisor that turns nn_loss_sum into PyTorch's mean. */
double nn_loss_divisor(int rows, int cols, int loss);

/* ---- optim.c ---- */
typedef struct {
    int kind;
    float lr, beta1, beta2, eps;
    int reg_kind;
    float reg_rate;
    int64_t step; /* updates applied since the state was cleared */
} nn_optim_state;

/* grads[count] += the regularisation gradient of params[count] (called on
 * weight blocks only). */
void nn_regularize(float *grads, const float *params, int count, int kind,
                   float rate);
/* One update of params[count] from grads; s1, s2 are the optimizer buffers. */
void nn_optim_update(float *params, const float *grads, float *s1, float *s2,
                     int count, nn_optim_state *st);

#endif /* NN_INTERNAL_H */
