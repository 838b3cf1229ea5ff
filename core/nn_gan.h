/* GANs (ABI version 7): the discriminator and generator steps and the
 * per-sample generator gradient.
 * Part of the ABI: included by nn.h (include nn.h); its own file only
 * so that each concern reads on its own. */
#ifndef NN_GAN_H
#define NN_GAN_H

#include "nn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* GANs: a generator G (noise [g inputs] -> sample) and a discriminator D
 * (sample [d inputs = g outputs] -> one output, NN_ACT_LINEAR: a logit or a
 * score; else NN_ERR_GAN_PAIR, also when g == d). The models' own loss
 * settings are not used; the GAN loss is one of: */
typedef enum {
    /* BCE with logits, G non-saturating: L_D = mean softplus(-D(x)) + mean
     * softplus(D(G(z))) (torch: BCEWithLogitsLoss against 1, plus against 0);
     * L_G = mean softplus(-D(G(z))) (BCEWithLogitsLoss against 1). */
    NN_GAN_BCE = 0,
    /* Least squares (LSGAN, a = 0, b = c = 1): L_D = 0.5 mean (D(x) - 1)^2
     * + 0.5 mean D(G(z))^2; L_G = 0.5 mean (D(G(z)) - 1)^2. */
    NN_GAN_LEAST_SQUARES = 1
} nn_gan_loss;

/* Floats nn_gan_step_d / _g write to `out` (NULL: none): [0] the loss
 * before the update, [1] mean D on the real rows (D step; 0 in a G step),
 * [2] mean D on the generated rows: D's probability "real" (sigmoid of the
 * logit) for NN_GAN_BCE, the raw score for least squares. */
#define NN_GAN_STATS 3

/* One discriminator step: samples = G(noise) (G forward only, G unchanged),
 * then D is trained on the 2*batch rows [real; samples] under L_D and
 * updated by its optimizer. real [batch x d inputs], noise [batch x g
 * inputs]; batch 1..g's max_batch and 2*batch <= d's max_batch
 * (NN_ERR_BATCH). Non-finite real or noise: NN_ERR_NONFINITE, nothing
 * changes. A non-finite sample of G (its weights overflow), D score, loss,
 * gradient or updated parameter / optimizer state (a huge learning rate):
 * NN_ERR_DIVERGED, no update (the network stays as it was; `out` holds
 * the step's stats, NaN when G's samples were not finite). NN_ERR_NOMEM
 * when the update's safety copy cannot be allocated (no update).
 * Returns (and sets d's status to) NN_OK or the error. */
int nn_gan_step_d(nn_model *d, nn_model *g, const float *real, const float *noise, int batch,
                  int loss, float *out);
/* One generator step: G forward (training) on noise, D forward on the
 * samples, L_G's gradient back through D to D's input (D's gradients are
 * computed and dropped: D is not updated, its optimizer state unchanged),
 * on into G, G's optimizer updates G. batch 1..both max_batch. Status on g
 * as nn_gan_step_d's on d; also NN_ERR_DIVERGED when D's input gradient
 * overflows (a finite loss through huge weights). */
int nn_gan_step_g(nn_model *g, nn_model *d, const float *noise, int batch, int loss, float *out);
/* Per sample x_i (n rows [n x d inputs], 1..d's max_batch): out [n x d
 * inputs] = d l_G(x_i) / d x_i, the gradient of that one sample's generator
 * loss (not divided by n): minus it is where D pushes a generated point
 * (the lab's arrows). D's gradients are overwritten, its parameters never.
 * NN_ERR_DIVERGED (out not written) when D's score or a gradient is not
 * finite (D's weights overflow it). */
int nn_gan_sample_grad(nn_model *d, const float *x, int n, int loss, float *out);

#ifdef __cplusplus
}
#endif

#endif /* NN_GAN_H */
