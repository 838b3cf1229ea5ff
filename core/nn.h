/* nn.h — public API of the neural-network core.
 *
 * Fully connected networks over flat float32 arrays. One opaque handle owns
 * every buffer (parameters, gradients, optimizer state, activations); a
 * training step allocates nothing. Only ints, floats and pointers cross this
 * API, so it is also the WebAssembly ABI (Emscripten adds a leading '_').
 *
 * Enum values are part of the ABI: they are explicit and never reordered.
 * NN_ABI_VERSION rises with every change to this file's functions or values,
 * and the JavaScript side refuses a module whose nn_abi_version() differs.
 * The WASM build also exports nn_wasm_alloc(bytes) -> 16-byte aligned pointer
 * (0 on failure) and nn_wasm_free(ptr) for data living in the module's heap
 * (core/wasm_exports.c); web/src/engine/nn-wasm.js wraps all of it.
 *
 * Version 2: nn_gather_u8 takes src_rows (bounds-checked indices); the status
 * enum's typedef is nn_status_code (nn_status is the function).
 * Version 3: layers are built from descriptors (nn_check_layers,
 * nn_create_layers; nn_create stays as a dense shim) over an input shape;
 * the core hands out the parameter layout (nn_param_blocks, nn_param_block)
 * and each layer's shape and descriptor; a training step splits into
 * nn_forward_train, nn_backward / nn_backward_from (caller-supplied output
 * gradient) and nn_update, with the input gradient on request
 * (NN_BACKWARD_INPUT_GRAD, nn_input_grad); nn_explain gives one example's
 * per-layer pre-activations, activations and deltas. New status codes
 * -16..-19; NN_MAX_* are plain numbers.
 * Version 4: layer kinds NN_LAYER_CONV2D, NN_LAYER_MAXPOOL, NN_LAYER_FLATTEN;
 * nn_plan_layers (every layer's output shape and parameter count, or the
 * first refused layer).
 * Version 5: "show the math": nn_finite_difference (a central difference of
 * the loss for one parameter, NN_FD_DOUBLES), nn_optimizer_info
 * (NN_OPTIM_INFO_DOUBLES) and nn_optimizer_preview (NN_PREVIEW_FLOATS per
 * parameter: the optimizer's state and the update it would make).
 * Version 6: sequences (issue 13): layer kinds NN_LAYER_RNN and
 * NN_LAYER_LSTM (backprop through time), a per-step flag for
 * NN_LAYER_DENSE (softmax and cross-entropy then per time step), gradient
 * clipping by global norm (nn_set_clip_norm, nn_grad_norm), carried
 * recurrent state (nn_state_floats, nn_get_state, nn_set_state,
 * nn_reset_state, nn_set_stateful), per-step views (nn_sequence_floats,
 * nn_sequence_inspect, nn_sequence_math_floats, nn_sequence_math);
 * status NN_ERR_NO_STATE.
 * Version 7: GANs (issue 14): nn_gan_step_d, nn_gan_step_g,
 * nn_gan_sample_grad, enum nn_gan_loss, NN_GAN_STATS, status
 * NN_ERR_GAN_PAIR.
 *
 * Results are bit-identical between the native and the WASM build (no FMA,
 * no lane reductions, libm-free deterministic exp/log/tanh/sigmoid).
 */
#ifndef NN_H
#define NN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NN_ABI_VERSION 7

/* Limits checked by nn_create and nn_create_layers. Plain numbers, so the
 * status sentences can quote them (nn_status_str). */
#define NN_MAX_LAYERS 64          /* layers, output included */
#define NN_MAX_WIDTH 1048576      /* 2^20 values in any one layer's input or output */
#define NN_MAX_BATCH 65536        /* 2^16 */
#define NN_MAX_FLOATS 134217728   /* 2^27: all floats the model owns, 512 MiB */

/* Activations, one per dense layer. Softmax only on the output layer. */
typedef enum {
    NN_ACT_LINEAR = 0,
    NN_ACT_RELU = 1,
    NN_ACT_LEAKY_RELU = 2, /* slope 0.01 below zero, like torch.nn.LeakyReLU() */
    NN_ACT_TANH = 3,
    NN_ACT_SIGMOID = 4,
    NN_ACT_SOFTMAX = 5
} nn_activation;

/* Losses, all with PyTorch's mean reduction.
 * MSE: mean over every element (batch x outputs), any output activation.
 * BCE: torch.nn.BCELoss on a sigmoid output, mean over every element,
 *      computed from the pre-activation z as max(z,0) - z*y + log(1+exp(-|z|)).
 *      Requires NN_ACT_SIGMOID on the output layer.
 * CE:  torch.nn.CrossEntropyLoss with probability (e.g. one-hot) targets,
 *      mean over the batch. Requires NN_ACT_SOFTMAX on the output layer;
 *      forward outputs are the softmax probabilities.
 * A sequence output (a per-step dense layer, or an RNN/LSTM layer with
 * return_sequences; shape T x n x 1) is T rows of n per example: softmax
 * normalises each step's n values, and CE is the mean over batch x T
 * steps (torch CrossEntropyLoss on the logits reshaped to (B*T, n)); MSE
 * and BCE stay means over every element. */
typedef enum {
    NN_LOSS_MSE = 0,
    NN_LOSS_BCE = 1,
    NN_LOSS_CE = 2
} nn_loss;

/* Optimizers with torch.optim's exact update rules (see nn_set_optimizer). */
typedef enum {
    NN_OPT_SGD = 0,
    NN_OPT_MOMENTUM = 1, /* torch.optim.SGD(momentum=beta1), no dampening, no Nesterov */
    NN_OPT_ADAM = 2      /* torch.optim.Adam, bias-corrected */
} nn_optimizer;

/* Regularisation on weights only, never biases. */
typedef enum {
    NN_REG_NONE = 0,
    NN_REG_L1 = 1, /* grad += rate * sign(w) */
    NN_REG_L2 = 2  /* grad += rate * w, like weight_decay */
} nn_regularization;

/* Status codes. NN_OK is 0; every error is negative. */
typedef enum {
    NN_OK = 0,
    NN_ERR_NULL = -1,           /* a required pointer is NULL */
    NN_ERR_LAYERS = -2,         /* n_layers < 1 or > NN_MAX_LAYERS */
    NN_ERR_SIZE = -3,           /* a layer size < 1 or > NN_MAX_WIDTH */
    NN_ERR_ACTIVATION = -4,     /* unknown activation value */
    NN_ERR_SOFTMAX_HIDDEN = -5, /* softmax on a hidden layer */
    NN_ERR_LOSS = -6,           /* unknown loss value */
    NN_ERR_LOSS_OUTPUT = -7,    /* loss does not fit the output activation */
    NN_ERR_TOO_LARGE = -8,      /* the model would exceed NN_MAX_FLOATS */
    NN_ERR_BATCH = -9,          /* batch/n < 1, or batch > max_batch, or max_batch out of range */
    NN_ERR_NOMEM = -10,         /* allocation failed */
    NN_ERR_NONFINITE = -11,     /* NaN or Inf in an input, target or hyperparameter */
    NN_ERR_OPTIMIZER = -12,     /* unknown optimizer, or a hyperparameter out of range */
    NN_ERR_REGULARIZATION = -13,/* unknown kind, or rate < 0 or not finite */
    NN_ERR_INDEX = -14,         /* layer / which / row / col / count out of range */
    NN_ERR_DIVERGED = -15,      /* the loss became NaN or Inf during training */
    NN_ERR_KIND = -16,          /* unknown layer kind */
    NN_ERR_LAYER_CONFIG = -17,  /* a layer's kind-specific ints do not fit its kind or input */
    NN_ERR_SEQUENCE = -18,      /* nn_backward/nn_update without the call that must come first */
    NN_ERR_FLAGS = -19,         /* unknown flag bits */
    NN_ERR_NO_STATE = -20,      /* a state or sequence call on a model or layer that is not recurrent */
    NN_ERR_GAN_PAIR = -21       /* a GAN's D is not one linear output, G's output is not D's input, or G is D */
} nn_status_code;

/* Layer descriptors: NN_DESC_INTS ints per layer,
 *   [0] kind (nn_layer_kind_id), [1] activation (nn_activation),
 *   [2..7] the kind's own ints; unused ones must be 0 (NN_ERR_LAYER_CONFIG).
 * Shapes are channels x height x width; a flat vector is n x 1 x 1, and a
 * batch row holds one example's values in c, h, w order (PyTorch's NCHW).
 * Every kind takes every activation (applied after the kind; softmax only
 * on the output layer).
 * NN_LAYER_DENSE: [2] units (1..NN_MAX_WIDTH, else NN_ERR_SIZE); reads its
 *   input flat (c*h*w features, so a dense layer may follow a conv or pool
 *   directly); output units x 1 x 1; blocks weight [units x in] (decay),
 *   bias [units]. torch.nn.Linear (after nn.Flatten() on an image input).
 * NN_LAYER_CONV2D: [2] out channels (1..NN_MAX_WIDTH, else NN_ERR_SIZE),
 *   [3] kernel h, [4] kernel w, [5] stride (each 1..NN_MAX_WIDTH),
 *   [6] zero padding p on every side, 0 <= p < kernel h and < kernel w (so
 *   every window covers at least one input value; a larger p only adds
 *   outputs that see nothing but padding). The kernel must fit the padded
 *   input: kh <= h + 2p, kw <= w + 2p. Output out x oh x ow, oh = (h + 2p -
 *   kh) / s + 1 (floor), ow likewise: torch.nn.Conv2d(c, out, (kh, kw),
 *   stride=s, padding=p). Blocks weight [out x c x kh x kw] (decay), bias
 *   [out]. Anything else: NN_ERR_LAYER_CONFIG; a weight over NN_MAX_FLOATS:
 *   NN_ERR_TOO_LARGE; an output over NN_MAX_WIDTH values: NN_ERR_SIZE.
 * NN_LAYER_MAXPOOL: [2] kernel k, [3] stride s (each 1..NN_MAX_WIDTH), no
 *   padding, k <= h and k <= w (a window must fit: pooling that leaves
 *   nothing is NN_ERR_LAYER_CONFIG). Output c x ((h - k)/s + 1) x ((w -
 *   k)/s + 1): torch.nn.MaxPool2d(k, s). Its gradient goes to the first
 *   maximum of each window in row-major order (as PyTorch's CPU kernel).
 *   No parameters.
 * NN_LAYER_FLATTEN: no ints; c x h x w -> (c*h*w) x 1 x 1, the same values
 *   in the same order (torch.nn.Flatten()). No parameters.
 *   Dense [3] per_step: 0 (above) or 1: the input must be T x F x 1 (a
 *   sequence, else NN_ERR_LAYER_CONFIG), read as T rows of F features;
 *   the same weight [units x F] and bias [units] apply at every step;
 *   output T x units x 1 (torch.nn.Linear on a (B, T, F) tensor). Any
 *   other [3]: NN_ERR_LAYER_CONFIG.
 * Sequences: T x F x 1 (channels = T time steps, height = F features per
 *   step, width 1); a batch row holds step 0's F values, then step 1's...
 *   (PyTorch's batch_first (B, T, F)). Parameters never depend on T, so a
 *   T = 1 model takes a T = 100 model's parameters (stepwise generation).
 * NN_LAYER_RNN: Elman, h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
 *   = torch.nn.RNN(F, H, batch_first=True). NN_LAYER_LSTM:
 *   torch.nn.LSTM(F, H, batch_first=True), gates in PyTorch's order i, f,
 *   g, o: i,f,o = sigmoid, g = tanh, c_t = f c_{t-1} + i g, h_t = o
 *   tanh(c_t). Both: [2] hidden size H (1..NN_MAX_WIDTH, else
 *   NN_ERR_SIZE), [3] return_sequences: 1 = output T x H x 1 (h_t for
 *   every t), 0 = output H x 1 x 1 (h_{T-1} only; a sequence-to-one model
 *   puts a plain dense layer after it); any other value, an input whose
 *   width is not 1, or kind ints [4..7] not 0: NN_ERR_LAYER_CONFIG; an
 *   output over NN_MAX_WIDTH values: NN_ERR_SIZE; the backprop-through-time
 *   buffers (about max_batch x T x 12H floats for an LSTM) count towards
 *   NN_MAX_FLOATS (NN_ERR_TOO_LARGE). With G = 1 (RNN) or 4 (LSTM), blocks
 *   in PyTorch's order and shapes: 0 weight_ih [G*H x F] (decay), 1
 *   weight_hh [G*H x H] (decay), 2 bias_ih [G*H], 3 bias_hh [G*H]; LSTM
 *   rows are the gates i, f, g, o, H rows each. Initialised like PyTorch:
 *   every value of the four blocks, in block order, U(-1/sqrt(H), 1/sqrt(H))
 *   from the model's generator. The initial state is zero (torch's default)
 *   unless the model is stateful (nn_set_stateful). Stacked layers are two
 *   RNN/LSTM descriptors in a row (torch num_layers=2, dropout 0; the first
 *   with return_sequences 1). The descriptor's activation is applied to the
 *   output as for any kind (torch has none: use NN_ACT_LINEAR).
 * The input shape is 3 ints, channels x height x width; a flat vector is
 * n x 1 x 1. */
typedef enum {
    NN_LAYER_DENSE = 0,
    NN_LAYER_CONV2D = 1,
    NN_LAYER_MAXPOOL = 2,
    NN_LAYER_FLATTEN = 3,
    NN_LAYER_RNN = 4,
    NN_LAYER_LSTM = 5
} nn_layer_kind_id;

#define NN_DESC_INTS 8

/* nn_param_block fills NN_BLOCK_INTS ints:
 *   [0] layer, [1] block within the layer (0 weight, 1 bias for dense),
 *   [2] offset in floats into nn_params/nn_grads, [3] ndims (1..4),
 *   [4..7] dims in PyTorch's order (unused dims are 1; their product is
 *   the block's length). */
#define NN_BLOCK_INTS 8

/* Flags of nn_backward / nn_backward_from. */
typedef enum {
    NN_BACKWARD_INPUT_GRAD = 1  /* also compute dL/dx (nn_input_grad) */
} nn_backward_flag;

typedef struct nn_model nn_model;

int nn_abi_version(void);

/* A static English sentence for any status value (unknown values included). */
const char *nn_status_str(int status);

/* Validates a configuration without allocating: NN_OK or the first problem.
 * nn_create returns NULL exactly when this does not return NN_OK (or when
 * allocation fails), so call it to learn why nn_create failed. */
int nn_check_config(int n_layers, const int *sizes, const int *activations,
                    int loss, int max_batch);

/* Validates n layer descriptors (desc: n x NN_DESC_INTS ints, see above)
 * over in_shape (3 ints: channels, height, width) without allocating:
 * NN_OK or the first problem (sizes, kinds and kind ints of every layer
 * first, then activations, loss, max_batch, total size). */
int nn_check_layers(int n, const int32_t *desc, const int32_t *in_shape, int loss,
                    int max_batch);
/* The model editor's per-layer plan: checks n descriptors over in_shape
 * layer by layer, as nn_check_layers does (kind, kind ints, activation,
 * softmax only on the last layer, the running parameter total), and writes
 * NN_PLAN_INTS ints per accepted layer into out (n x NN_PLAN_INTS ints):
 * its output channels, height, width and parameter count. Returns NN_OK,
 * or the status of the first refused layer with its index in *bad_layer
 * (out filled for the layers before it). *bad_layer is -1 when every layer
 * passed, or when the refusal is not one layer's: n out of range (NN_ERR_LAYERS),
 * a NULL pointer, or a bad input shape (NN_ERR_SIZE). The loss and max_batch
 * are not checked (nn_check_layers does). bad_layer may be NULL. */
#define NN_PLAN_INTS 4
int nn_plan_layers(int n, const int32_t *desc, const int32_t *in_shape, int32_t *out,
                   int32_t *bad_layer);
/* Builds the network nn_check_layers accepts (NULL exactly when it does not,
 * or when allocation fails). Initialised as nn_create does. */
nn_model *nn_create_layers(int n, const int32_t *desc, const int32_t *in_shape, int loss,
                           unsigned seed, int max_batch);

/* sizes: n_layers + 1 entries, inputs first. activations: n_layers entries.
 * Weights are initialised from `seed` (see nn_reset); biases are 0.
 * The optimizer starts as plain SGD with lr 0.01, no regularisation. */
nn_model *nn_create(int n_layers, const int *sizes, const int *activations,
                    int loss, unsigned seed, int max_batch);
void nn_destroy(nn_model *m); /* NULL is allowed */

/* Re-initialises every parameter from `seed` and clears optimizer state
 * (the optimizer kind, its hyperparameters and the regularisation stay).
 * Initialisation, uniform: He/Kaiming U(-sqrt(6/fan_in), +) for ReLU and
 * leaky ReLU layers; Xavier/Glorot U(-sqrt(6/(fan_in+fan_out)), +) for tanh,
 * sigmoid, linear and softmax layers (a per-step dense layer's fan_in is
 * F); biases 0. RNN/LSTM layers: see their descriptor. The carried
 * recurrent state is zeroed; the stateful mode and clip norm stay. The generator is xoshiro128**
 * seeded through splitmix64; its state lives in the model. */
int nn_reset(nn_model *m, unsigned seed);

/* Status of the last call made on this model (NN_OK after a success). */
int nn_status(const nn_model *m);

/* kind: nn_optimizer. lr > 0; momentum: 0 <= beta1 < 1 is the momentum factor;
 * Adam: 0 <= beta1, beta2 < 1, eps > 0. Unused values are ignored.
 * Changing only hyperparameters keeps optimizer state (momentum buffers,
 * Adam moments and step count); changing the kind clears it, like building a
 * new torch optimizer. Adam flushes moments below 1e-30 in magnitude to zero
 * (WASM cannot flush subnormals in hardware; doing it everywhere keeps native
 * and WASM bit-identical). */
int nn_set_optimizer(nn_model *m, int kind, float lr, float beta1, float beta2, float eps);
int nn_set_regularization(nn_model *m, int kind, float rate);

/* One update on `batch` examples. x: [batch x sizes[0]], y: [batch x outputs].
 * Returns the batch's mean loss before the update. On invalid input returns
 * NaN, changes nothing, and nn_status(m) says why. If the loss or gradients
 * are not finite the update is skipped and the status is NN_ERR_DIVERGED. */
float nn_train_step(nn_model *m, const float *x, const float *y, int batch);

/* One pass over n examples in steps of `batch` (the last step may be smaller):
 * the examples are taken in the order given by `order` (n indices into x/y
 * rows), or 0..n-1 when order is NULL. Returns the mean of the step losses.
 * Equivalent to calling nn_train_step on each gathered batch. */
float nn_train_epoch(nn_model *m, const float *x, const float *y, int n,
                     const int32_t *order, int batch);

/* Forward + backward without an update: fills the gradient array (nn_grads)
 * and returns the mean loss. Regularisation terms are included. */
float nn_compute_gradients(nn_model *m, const float *x, const float *y, int batch);

/* The training step in three parts; nn_train_step(x, y, batch) is exactly
 * nn_forward_train(x, batch), nn_backward(y, 0), nn_update().
 *
 * nn_forward_train: forward in training mode on `batch` rows of x (copied
 * in), keeping every layer's activations for a backward. Any other call
 * that runs the network (forward, evaluate, train, explain, update) ends
 * that state.
 * nn_backward: the gradients (nn_grads, regularisation included) of the
 * loss against targets y [batch x outputs]; returns the mean loss (NaN and
 * a status on bad input or without a forward_train).
 * nn_backward_from: the same from a caller-supplied dL/d(output) dy [batch x
 * outputs] instead of a loss (e.g. a GAN's generator, with the
 * discriminator's input gradient); returns a status.
 * flags: 0 or NN_BACKWARD_INPUT_GRAD to also compute dL/dx, read with
 * nn_input_grad(m) ([batch x inputs]; NULL when the last backward did not
 * compute it, or after a call that ran the network since; valid until the
 * next call on the model).
 * nn_update: applies the optimizer to the last backward's gradients. Skips
 * the update with NN_ERR_DIVERGED when the loss or a gradient is not
 * finite; NN_ERR_SEQUENCE without a backward since the last update.
 * Before the optimizer it takes the gradients' global norm and, when a
 * clip norm is set, scales them (see nn_set_clip_norm). */
int nn_forward_train(nn_model *m, const float *x, int batch);
float nn_backward(nn_model *m, const float *y, int flags);
int nn_backward_from(nn_model *m, const float *dy, int flags);
const float *nn_input_grad(const nn_model *m);
int nn_update(nn_model *m);

/* One example, every layer shown: out gets, for each layer l in order, its
 * pre-activation z, activation a and delta dL/dz (out_size floats each),
 * then dL/dx (inputs floats): nn_explain_floats(m) in all. The loss is the
 * model's, against target y [outputs]. Off the hot path: it overwrites the
 * gradient array (like nn_compute_gradients) and ends a forward_train, but
 * never changes parameters or optimizer state. Afterwards nn_grads holds this
 * one example's gradients (a batch of 1; regularisation included when set). */
int nn_explain_floats(const nn_model *m);
int nn_explain(nn_model *m, const float *x, const float *y, float *out);

/* Outputs for any n >= 1 (chunked by max_batch). out: [n x outputs].
 * Stateful models: n <= max_batch (NN_ERR_BATCH otherwise), see
 * nn_set_stateful. */
int nn_forward(nn_model *m, const float *x, int n, float *out);

/* Every layer's post-activation output for n inputs, for per-neuron views.
 * out: for each layer l in order, an [n x sizes[l+1]] block. */
int nn_forward_all(nn_model *m, const float *x, int n, float *out);

/* Mean loss over n examples (chunked), and the number classified correctly:
 * argmax(out) == argmax(y) when there are several outputs; for one output,
 * (out >= 0.5) == (y >= 0.5) with BCE, (out > 0) == (y > 0) otherwise.
 * A sequence output counts each of its T steps (correct is then out of
 * n x T). Either output pointer may be NULL. */
int nn_evaluate(nn_model *m, const float *x, const float *y, int n,
                float *loss_out, int *correct_out);

/* which: the layer's parameter block (nn_param_block's [1]); row indexes
 * the block's first dimension, col the rest flattened. Dense: 0 = weight,
 * rows output units, columns input units (torch.nn.Linear.weight); 1 =
 * bias, col 0. nn_get_param returns NaN on a bad index (NN_ERR_INDEX). */
int nn_set_param(nn_model *m, int layer, int which, int row, int col, float value);
float nn_get_param(nn_model *m, int layer, int which, int row, int col);

/* The flat parameter array: every layer's blocks in order, each row-major
 * in PyTorch's layout (nn_param_block gives offsets and shapes; dense: its
 * weight [out x in], then its bias [out]). Read-only: write parameters with nn_set_param or
 * nn_load_params, which keep internal copies in step. nn_grads has the same
 * layout. The pointers stay valid until nn_destroy. */
int nn_param_count(const nn_model *m);
const float *nn_params(const nn_model *m);
const float *nn_grads(const nn_model *m);
/* Copies `count` (must equal nn_param_count) values in; rejects non-finite
 * values without changing anything. Optimizer state is kept. */
int nn_load_params(nn_model *m, const float *src, int count);

/* The parameter layout: how many blocks the flat array holds, and block i's
 * layer, index, offset and shape (NN_BLOCK_INTS ints into out). Blocks are
 * in array order. Returns NN_OK, NN_ERR_NULL or NN_ERR_INDEX. */
int nn_param_blocks(const nn_model *m);
int nn_param_block(const nn_model *m, int i, int32_t *out);

int nn_n_layers(const nn_model *m);
/* i in 0..n_layers: the input's size (i = 0) or layer i-1's output size,
 * channels x height x width flattened */
int nn_layer_size(const nn_model *m, int i);
/* The same shape as 3 ints (channels, height, width) into out. */
int nn_layer_shape(const nn_model *m, int i, int32_t *out);
/* Layer l's descriptor (NN_DESC_INTS ints) into out, as given. */
int nn_layer_desc(const nn_model *m, int l, int32_t *out);
int nn_max_batch(const nn_model *m);

/* Gathers rows of a uint8 data set into floats: dst[i*row_len + j] =
 * src[idx[i]*row_len + j] * scale (idx NULL: rows 0..n-1). For MNIST
 * batches held as bytes in the module's memory. src holds src_rows rows;
 * every idx[i] must lie in 0..src_rows-1 (NN_ERR_INDEX otherwise).
 * Returns NN_OK or an error (NN_ERR_NULL, NN_ERR_SIZE, NN_ERR_INDEX,
 * NN_ERR_NONFINITE for a non-finite scale); there is no model, no status. */
int nn_gather_u8(float *dst, const uint8_t *src, int src_rows, const int32_t *idx,
                 int n, int row_len, float scale);

/* ---- Show the math (version 5). Off the hot path; none of these
 * changes a parameter or the optimizer state. ---- */

/* Central finite difference of the mean data loss (the loss function only,
 * no regularisation) of n examples x [n x inputs], y [n x outputs] with
 * respect to flat parameter `index` (nn_params' layout):
 *   (L(w + h) - L(w - h)) / 2h, h = 1e-5 * max(|w|, 1),
 * with L evaluated by a forward pass in double precision on a double copy
 * of the parameters (float32 rounding would swamp a small step), so the
 * model is never touched: parameters, gradients, optimizer state and a
 * kept forward_train all stay. out: NN_FD_DOUBLES doubles: the difference,
 * h, L(w + h), L(w - h). Statuses: NN_ERR_NULL, NN_ERR_INDEX (index),
 * NN_ERR_BATCH (n < 1), NN_ERR_NONFINITE, NN_ERR_NOMEM, NN_ERR_KIND (a
 * layer kind without a double form). */
#define NN_FD_DOUBLES 4
int nn_finite_difference(nn_model *m, int index, const float *x, const float *y, int n,
                         double *out);

/* The optimizer's settings and position, NN_OPTIM_INFO_DOUBLES doubles:
 * kind (nn_optimizer), updates applied since its state was cleared (the
 * next Adam step is this + 1), lr, beta1, beta2, eps, regularisation kind,
 * regularisation rate (each float as the model holds it). */
#define NN_OPTIM_INFO_DOUBLES 8
int nn_optimizer_info(const nn_model *m, double *out);

/* What the next update would do to parameters first..first+count-1 if
 * their data-loss gradients were grads[count] (e.g. one example's, from
 * nn_explain): NN_PREVIEW_FLOATS floats per parameter into out:
 *   [0] w, [1] the gradient the optimizer would use (grads[i] plus the
 *   regularisation term on weight blocks, as nn_backward adds it),
 *   [2] state 1 (momentum buffer / Adam m), [3] state 2 (Adam v),
 *   [4] state 1 after, [5] state 2 after, [6] w after.
 * Computed by the update's own code on copies: the same bits nn_update
 * gives when these are its gradients. State SGD does not use reads 0.
 * Statuses: NN_ERR_NULL, NN_ERR_INDEX (range), NN_ERR_NONFINITE (grads).
 * Gradient clipping is not applied (it needs every parameter's gradient). */
#define NN_PREVIEW_FLOATS 7
int nn_optimizer_preview(nn_model *m, int first, int count, const float *grads, float *out);

#ifdef __cplusplus
}
#endif

/* The sequence and GAN parts of the ABI, each in its own file (after the
 * declarations above, which they use). */
#include "nn_sequence.h"
#include "nn_gan.h"

#endif /* NN_H */
