// @ts-check
// enums.js — the one JavaScript table of the core's enum values (core/nn.h).
//
// Plain JS so plain Node (tests, bench, build scripts) imports it as is.
// tests/node/core-enums.test.mjs parses core/nn.h and fails when a name or a
// value here differs from it, so this table cannot drift from the C side.

/** nn_activation. Softmax only on the output layer. */
export const Activation = Object.freeze(/** @type {const} */ ({ LINEAR: 0, RELU: 1, LEAKY_RELU: 2, TANH: 3, SIGMOID: 4, SOFTMAX: 5 }));
/** nn_loss: MSE any output, BCE needs sigmoid, CE needs softmax. */
export const Loss = Object.freeze(/** @type {const} */ ({ MSE: 0, BCE: 1, CE: 2 }));
/** nn_optimizer. */
export const Optimizer = Object.freeze(/** @type {const} */ ({ SGD: 0, MOMENTUM: 1, ADAM: 2 }));
/** nn_regularization, on weights only. */
export const Regularization = Object.freeze(/** @type {const} */ ({ NONE: 0, L1: 1, L2: 2 }));
/** nn_layer_kind_id: a layer descriptor's first int. */
export const LayerKind = Object.freeze(/** @type {const} */ ({ DENSE: 0, CONV2D: 1, MAXPOOL: 2, FLATTEN: 3, RNN: 4, LSTM: 5 }));
/** nn_gan_loss: BCE with logits (G non-saturating) or least squares, on D's one linear output. */
export const GanLoss = Object.freeze(/** @type {const} */ ({ BCE: 0, LEAST_SQUARES: 1 }));
/** nn_backward_flag. */
export const BackwardFlag = Object.freeze(/** @type {const} */ ({ INPUT_GRAD: 1 }));
/** nn_status_code: 0 ok, errors negative. */
export const Status = Object.freeze(/** @type {const} */ ({
  OK: 0, ERR_NULL: -1, ERR_LAYERS: -2, ERR_SIZE: -3, ERR_ACTIVATION: -4, ERR_SOFTMAX_HIDDEN: -5,
  ERR_LOSS: -6, ERR_LOSS_OUTPUT: -7, ERR_TOO_LARGE: -8, ERR_BATCH: -9, ERR_NOMEM: -10,
  ERR_NONFINITE: -11, ERR_OPTIMIZER: -12, ERR_REGULARIZATION: -13, ERR_INDEX: -14, ERR_DIVERGED: -15,
  ERR_KIND: -16, ERR_LAYER_CONFIG: -17, ERR_SEQUENCE: -18, ERR_FLAGS: -19, ERR_NO_STATE: -20,
  ERR_GAN_PAIR: -21,
}));
/** nn.h's #define'd limits and record sizes. */
export const Limits = Object.freeze(/** @type {const} */ ({
  ABI_VERSION: 7, MAX_LAYERS: 64, MAX_WIDTH: 1048576, MAX_BATCH: 65536, MAX_FLOATS: 134217728,
  DESC_INTS: 8, BLOCK_INTS: 8, PLAN_INTS: 4, FD_DOUBLES: 4, OPTIM_INFO_DOUBLES: 8, PREVIEW_FLOATS: 7, GAN_STATS: 3,
}));

/** @typedef {'linear' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'softmax'} ActivationName */
/** @typedef {'mse' | 'bce' | 'ce'} LossName */
/** @typedef {'sgd' | 'momentum' | 'adam'} OptimizerName */
/** @typedef {'none' | 'l1' | 'l2'} RegularizationName */
/** @typedef {'bce' | 'least_squares'} GanLossName */
/** @typedef {'dense' | 'conv2d' | 'maxpool' | 'flatten' | 'rnn' | 'lstm'} LayerKindName */

/**
 * The lower-case names the wrapper and the page use, derived from the
 * tables above (ACTIVATION_NAMES.leaky_relu === Activation.LEAKY_RELU).
 * @template {Readonly<Record<string, number>>} T
 * @param {T} table
 * @returns {Readonly<Record<string, number>>}
 */
function lowerCaseNames(table) {
  return Object.freeze(Object.fromEntries(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v])));
}

export const ACTIVATION_NAMES = lowerCaseNames(Activation);
export const LOSS_NAMES = lowerCaseNames(Loss);
export const OPTIMIZER_NAMES = lowerCaseNames(Optimizer);
export const REGULARIZATION_NAMES = lowerCaseNames(Regularization);
export const LAYER_KIND_NAMES = lowerCaseNames(LayerKind);
export const GAN_LOSS_NAMES = lowerCaseNames(GanLoss);
