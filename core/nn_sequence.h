/* Sequences (ABI version 6): gradient clipping, carried recurrent state,
 * per-step views and the math of a recurrent layer.
 * Part of the ABI: included by nn.h (include nn.h); its own file only
 * so that each concern reads on its own. */
#ifndef NN_SEQUENCE_H
#define NN_SEQUENCE_H

#include "nn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Gradient clipping by global norm, torch.nn.utils.clip_grad_norm_(
 * parameters, max_norm): every nn_update (and nn_train_step, nn_train_epoch
 * step) first takes total = sqrt(sum of g^2) over the whole gradient array
 * (nn_grads, regularisation included, summed in double in array order),
 * then, when max_norm > 0 and coef = max_norm / (total + 1e-6) < 1,
 * multiplies every gradient by coef (in place: nn_grads shows the clipped
 * gradients) before the optimizer. max_norm 0 turns clipping off (the
 * default). NN_ERR_NONFINITE (NaN/Inf), NN_ERR_OPTIMIZER (max_norm < 0).
 * Kept by nn_reset and nn_set_optimizer. */
int nn_set_clip_norm(nn_model *m, float max_norm);
/* The total norm of the gradients the last update used (before clipping;
 * whether or not clipping is on); 0 before the first update, NaN for a NULL
 * model. After a step refused as diverged: the norm of its gradients. (An
 * unclipped update does not measure it: this call does, from the gradients
 * the update left; whatever computes new gradients keeps the old norm first.) */
float nn_grad_norm(const nn_model *m);

/* Carried recurrent state, per batch row (0..max_batch-1). A row's state is,
 * for each RNN/LSTM layer in layer order, h [H] then (LSTM only) c [H]:
 * nn_state_floats(m) floats per row (0 when the model has no recurrent
 * layer). Every state call on a model without a recurrent layer returns
 * NN_ERR_NO_STATE.
 * nn_get_state: rows 0..rows-1 into out [rows x nn_state_floats].
 * nn_set_state: rows 0..rows-1 from src (non-finite: NN_ERR_NONFINITE, and
 *   nothing changes); the other rows keep theirs.
 * nn_reset_state: every row to zero (nn_reset does it too).
 * rows: 1..max_batch, else NN_ERR_BATCH.
 * nn_set_stateful(m, on): on = 1: every forward pass (nn_forward,
 *   nn_forward_all, nn_forward_train, nn_train_step, nn_train_epoch,
 *   nn_compute_gradients, nn_evaluate, nn_explain, nn_sequence_inspect)
 *   starts batch row r of each recurrent layer from carried row r, and
 *   leaves the row's final state (after step T-1) there; nn_forward then
 *   takes at most max_batch examples. Backprop stops at the carried state
 *   (truncated BPTT: no gradient flows into an earlier call).
 *   nn_finite_difference reads the carried state (example r: row r, so
 *   n <= max_batch, else NN_ERR_BATCH) and never changes it.
 *   on = 0 (the default): every pass starts from zero; the carried state
 *   is neither read nor written. Other values: NN_ERR_FLAGS.
 * Generation: build a T = 1 model with the same descriptors (and
 *   max_batch = the number of parallel samples), nn_load_params the trained
 *   parameters, nn_set_stateful(m, 1), nn_reset_state, then call
 *   nn_forward on one step at a time, feeding back what you sample. */
int nn_state_floats(const nn_model *m);
int nn_get_state(nn_model *m, float *out, int rows);
int nn_set_state(nn_model *m, const float *src, int rows);
int nn_reset_state(nn_model *m);
int nn_set_stateful(nn_model *m, int on);

/* Per-step views of recurrent layer `layer` for one example x [inputs]
 * against target y [outputs] (the model's loss): T x H floats per view,
 * row t = step t, in this order:
 *   RNN:  h_t, dL/dh_t;
 *   LSTM: h_t, dL/dh_t, c_t, i_t, f_t, g_t, o_t (gates after their
 *         sigmoid / tanh).
 * h_t is the recurrence's own state (before the descriptor's activation,
 * which is linear in a torch-like model); dL/dh_t likewise.
 * dL/dh_t is the whole gradient of the loss with respect to h_t through
 * time: from the layer's output at t (with return_sequences) plus the
 * recurrent path through h_{t+1} (what shows vanishing gradients).
 * nn_sequence_floats(m, layer): 2*T*H (RNN) or 7*T*H (LSTM), the size of
 * out; NN_ERR_INDEX for a bad layer, NN_ERR_NO_STATE for a layer that is
 * not recurrent. nn_sequence_inspect: as nn_explain, off the hot path: it
 * overwrites the gradient array with this example's and ends a
 * forward_train, but never changes parameters or optimizer state. */
int nn_sequence_floats(const nn_model *m, int layer);
int nn_sequence_inspect(nn_model *m, int layer, const float *x, const float *y, float *out);

/* The math of every step of recurrent layer `layer` for one example (the
 * numbers of "show the math"), from the same passes as nn_sequence_inspect,
 * G = 1 (RNN) or 4 (LSTM), in this order:
 *   z_t     [T x G*H] the pre-activations W_ih x_t + b_ih + (W_hh h_{t-1}
 *           + b_hh), the forward's bit for bit (RNN: h_t = tanh(z_t); LSTM:
 *           the rows i, f, g, o as torch's, gates = sigmoid/tanh of them);
 *   dL/dz_t [T x G*H] delta_t: summed over t it is the bias gradient, and
 *           delta_t x_t^T, delta_t h_{t-1}^T are step t's shares of the
 *           weight gradients;
 *   dL/dh_t from the layer's output at t [T x H] (zero at the steps a
 *           return_sequences = 0 layer does not output): dL/dh_t minus
 *           the next view;
 *   dL/dh_t from step t+1 [T x H] (delta_{t+1} W_hh; zero at t = T-1).
 * nn_sequence_math_floats(m, layer): 2*T*G*H + 2*T*H, the size of out;
 * NN_ERR_INDEX, NN_ERR_NO_STATE as nn_sequence_floats. nn_sequence_math
 * overwrites the gradient array with this example's, as nn_sequence_inspect. */
int nn_sequence_math_floats(const nn_model *m, int layer);
int nn_sequence_math(nn_model *m, int layer, const float *x, const float *y, float *out);

#ifdef __cplusplus
}
#endif

#endif /* NN_SEQUENCE_H */
