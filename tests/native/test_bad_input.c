/* test_bad_input.c — every exported function with invalid arguments returns
 * an error and changes nothing; nothing crashes (run under ASan/UBSan too). */
#include <stdlib.h>
#include "test_util.h"

static const int SIZES[] = {3, 4, 2};
static const int ACTS[] = {NN_ACT_TANH, NN_ACT_SOFTMAX};

static nn_model *good_model(void)
{
    return nn_create(2, SIZES, ACTS, NN_LOSS_CE, 1, 4);
}

static void config_errors(void)
{
    int s[] = {3, 4, 2}, a[] = {NN_ACT_TANH, NN_ACT_SOFTMAX};
    CHECK(nn_check_config(2, s, a, NN_LOSS_CE, 4) == NN_OK, "valid config");
    CHECK(nn_check_config(0, s, a, NN_LOSS_CE, 4) == NN_ERR_LAYERS, "zero layers");
    CHECK(nn_check_config(-3, s, a, NN_LOSS_CE, 4) == NN_ERR_LAYERS, "negative layers");
    CHECK(nn_check_config(NN_MAX_LAYERS + 1, s, a, NN_LOSS_CE, 4) == NN_ERR_LAYERS, "too many layers");
    CHECK(nn_check_config(2, NULL, a, NN_LOSS_CE, 4) == NN_ERR_NULL, "NULL sizes");
    CHECK(nn_check_config(2, s, NULL, NN_LOSS_CE, 4) == NN_ERR_NULL, "NULL activations");
    int zero[] = {3, 0, 2}, neg[] = {3, -4, 2}, wide[] = {3, NN_MAX_WIDTH + 1, 2};
    CHECK(nn_check_config(2, zero, a, NN_LOSS_CE, 4) == NN_ERR_SIZE, "zero width");
    CHECK(nn_check_config(2, neg, a, NN_LOSS_CE, 4) == NN_ERR_SIZE, "negative width");
    CHECK(nn_check_config(2, wide, a, NN_LOSS_CE, 4) == NN_ERR_SIZE, "too wide");
    /* each size allowed, but the product overflows 32 bits */
    int huge[] = {NN_MAX_WIDTH, NN_MAX_WIDTH, 2};
    CHECK(nn_check_config(2, huge, a, NN_LOSS_CE, 4) == NN_ERR_TOO_LARGE, "overflowing product");
    int big_batch[] = {4096, 4096, 2};
    CHECK(nn_check_config(2, big_batch, a, NN_LOSS_CE, NN_MAX_BATCH) == NN_ERR_TOO_LARGE, "activations too large");
    int bad_act[] = {NN_ACT_TANH, 99}, neg_act[] = {-1, NN_ACT_SOFTMAX};
    CHECK(nn_check_config(2, s, bad_act, NN_LOSS_CE, 4) == NN_ERR_ACTIVATION, "unknown activation");
    CHECK(nn_check_config(2, s, neg_act, NN_LOSS_CE, 4) == NN_ERR_ACTIVATION, "negative activation");
    int soft_hidden[] = {NN_ACT_SOFTMAX, NN_ACT_SOFTMAX};
    CHECK(nn_check_config(2, s, soft_hidden, NN_LOSS_CE, 4) == NN_ERR_SOFTMAX_HIDDEN, "softmax hidden");
    CHECK(nn_check_config(2, s, a, 7, 4) == NN_ERR_LOSS, "unknown loss");
    CHECK(nn_check_config(2, s, a, -1, 4) == NN_ERR_LOSS, "negative loss");
    CHECK(nn_check_config(2, s, a, NN_LOSS_BCE, 4) == NN_ERR_LOSS_OUTPUT, "BCE on softmax");
    int lin[] = {NN_ACT_TANH, NN_ACT_LINEAR};
    CHECK(nn_check_config(2, s, lin, NN_LOSS_CE, 4) == NN_ERR_LOSS_OUTPUT, "CE on linear");
    CHECK(nn_check_config(2, s, a, NN_LOSS_CE, 0) == NN_ERR_BATCH, "max_batch 0");
    CHECK(nn_check_config(2, s, a, NN_LOSS_CE, -5) == NN_ERR_BATCH, "max_batch negative");
    CHECK(nn_check_config(2, s, a, NN_LOSS_CE, NN_MAX_BATCH + 1) == NN_ERR_BATCH, "max_batch too big");
    CHECK(nn_create(2, huge, a, NN_LOSS_CE, 1, 4) == NULL, "create refuses overflow");
    CHECK(nn_create(0, s, a, NN_LOSS_CE, 1, 4) == NULL, "create refuses zero layers");
    CHECK(nn_create(2, s, soft_hidden, NN_LOSS_CE, 1, 4) == NULL, "create refuses softmax hidden");
    CHECK(nn_create(2, NULL, NULL, NN_LOSS_CE, 1, 4) == NULL, "create refuses NULL");
    CHECK(strlen(nn_status_str(12345)) > 0 && strlen(nn_status_str(NN_ERR_DIVERGED)) > 0, "status strings");
    for (int st = 0; st >= NN_ERR_FLAGS; st--)
        CHECK(strcmp(nn_status_str(st), nn_status_str(12345)) != 0, "status %d has its own sentence", st);
}

/* Descriptor n (count) layers of dense `units` with activation act. */
static void dense(int32_t *desc, int n, int units, int act)
{
    memset(desc, 0, sizeof(int32_t) * (size_t)n * NN_DESC_INTS);
    for (int l = 0; l < n; l++) {
        desc[l * NN_DESC_INTS + 1] = act;
        desc[l * NN_DESC_INTS + 2] = units;
    }
}

static void layers_errors(void)
{
    int32_t d[3 * NN_DESC_INTS], in[3] = {2, 3, 1};
    dense(d, 3, 4, NN_ACT_RELU);
    d[2 * NN_DESC_INTS + 1] = NN_ACT_SOFTMAX;
    CHECK(nn_check_layers(3, d, in, NN_LOSS_CE, 8) == NN_OK, "valid descriptors");
    CHECK(nn_check_layers(0, d, in, NN_LOSS_CE, 8) == NN_ERR_LAYERS, "n 0");
    CHECK(nn_check_layers(-1, d, in, NN_LOSS_CE, 8) == NN_ERR_LAYERS, "n negative");
    CHECK(nn_check_layers(NN_MAX_LAYERS + 1, d, in, NN_LOSS_CE, 8) == NN_ERR_LAYERS, "n too large");
    CHECK(nn_check_layers(3, NULL, in, NN_LOSS_CE, 8) == NN_ERR_NULL, "NULL descriptors");
    CHECK(nn_check_layers(3, d, NULL, NN_LOSS_CE, 8) == NN_ERR_NULL, "NULL input shape");
    int32_t zero_in[3] = {2, 0, 1}, neg_in[3] = {-2, 3, 1}, wide_in[3] = {1024, 1024, 2};
    CHECK(nn_check_layers(3, d, zero_in, NN_LOSS_CE, 8) == NN_ERR_SIZE, "input height 0");
    CHECK(nn_check_layers(3, d, neg_in, NN_LOSS_CE, 8) == NN_ERR_SIZE, "negative channels");
    CHECK(nn_check_layers(3, d, wide_in, NN_LOSS_CE, 8) == NN_ERR_SIZE, "input product past NN_MAX_WIDTH");
    int32_t big_in[3] = {NN_MAX_WIDTH, NN_MAX_WIDTH, NN_MAX_WIDTH}; /* 2^60: must not wrap */
    CHECK(nn_check_layers(3, d, big_in, NN_LOSS_CE, 8) == NN_ERR_SIZE, "input product overflowing 32 bits");
    int32_t e[3 * NN_DESC_INTS];
    memcpy(e, d, sizeof e);
    e[NN_DESC_INTS] = 7; /* layer 1: a kind not in the table (reserved) */
    CHECK(nn_check_layers(3, e, in, NN_LOSS_CE, 8) == NN_ERR_KIND, "unknown kind");
    e[NN_DESC_INTS] = -1;
    CHECK(nn_check_layers(3, e, in, NN_LOSS_CE, 8) == NN_ERR_KIND, "negative kind");
    memcpy(e, d, sizeof e);
    e[NN_DESC_INTS + 5] = 3; /* an unused int of a dense layer */
    CHECK(nn_check_layers(3, e, in, NN_LOSS_CE, 8) == NN_ERR_LAYER_CONFIG, "unused int not 0");
    memcpy(e, d, sizeof e);
    e[NN_DESC_INTS + 2] = 0;
    CHECK(nn_check_layers(3, e, in, NN_LOSS_CE, 8) == NN_ERR_SIZE, "0 units");
    e[NN_DESC_INTS + 2] = NN_MAX_WIDTH + 1;
    CHECK(nn_check_layers(3, e, in, NN_LOSS_CE, 8) == NN_ERR_SIZE, "too many units");
    memcpy(e, d, sizeof e);
    e[1] = 99;
    CHECK(nn_check_layers(3, e, in, NN_LOSS_CE, 8) == NN_ERR_ACTIVATION, "unknown activation");
    e[1] = NN_ACT_SOFTMAX;
    CHECK(nn_check_layers(3, e, in, NN_LOSS_CE, 8) == NN_ERR_SOFTMAX_HIDDEN, "softmax hidden");
    CHECK(nn_check_layers(3, d, in, 9, 8) == NN_ERR_LOSS, "unknown loss");
    CHECK(nn_check_layers(3, d, in, NN_LOSS_BCE, 8) == NN_ERR_LOSS_OUTPUT, "BCE on softmax");
    CHECK(nn_check_layers(3, d, in, NN_LOSS_CE, 0) == NN_ERR_BATCH, "max_batch 0");
    CHECK(nn_check_layers(3, d, in, NN_LOSS_CE, NN_MAX_BATCH + 1) == NN_ERR_BATCH, "max_batch too large");
    int32_t huge[2 * NN_DESC_INTS], flat[3] = {NN_MAX_WIDTH, 1, 1};
    dense(huge, 2, NN_MAX_WIDTH, NN_ACT_LINEAR); /* 2^40 weights: must not wrap */
    CHECK(nn_check_layers(2, huge, flat, NN_LOSS_MSE, 1) == NN_ERR_TOO_LARGE, "overflowing sizes");
    CHECK(nn_create_layers(2, huge, flat, NN_LOSS_MSE, 1, 1) == NULL, "create refuses overflow");
    CHECK(nn_create_layers(0, d, in, NN_LOSS_CE, 1, 8) == NULL, "create refuses n 0");
    CHECK(nn_create_layers(3, NULL, in, NN_LOSS_CE, 1, 8) == NULL, "create refuses NULL");
    CHECK(nn_create_layers(3, e, in, NN_LOSS_CE, 1, 8) == NULL, "create refuses softmax hidden");
    /* the sentences quote nn.h's limits */
    char want[32];
    snprintf(want, sizeof want, "%d", NN_MAX_LAYERS);
    CHECK(strstr(nn_status_str(NN_ERR_LAYERS), want) != NULL, "layers sentence quotes %s", want);
    snprintf(want, sizeof want, "%d", NN_MAX_WIDTH);
    CHECK(strstr(nn_status_str(NN_ERR_SIZE), want) != NULL, "size sentence quotes %s", want);
    snprintf(want, sizeof want, "%d", NN_MAX_FLOATS);
    CHECK(strstr(nn_status_str(NN_ERR_TOO_LARGE), want) != NULL, "too-large sentence quotes %s", want);
}

/* The split step, the layout queries and explain with bad arguments. */
static void split_errors(void)
{
    nn_model *m = good_model();
    float x[12] = {0}, y[8] = {0}, out[64], nan_y[8] = {NAN};
    y[0] = y[2 + 1] = y[4] = y[6 + 1] = 1; /* one-hot rows for CE */
    float before[64];
    int count = nn_param_count(m);
    memcpy(before, nn_params(m), sizeof(float) * (size_t)count);
    CHECK(isnan(nn_backward(m, y, 0)) && nn_status(m) == NN_ERR_SEQUENCE, "backward before forward_train");
    CHECK(nn_backward_from(m, y, 0) == NN_ERR_SEQUENCE, "backward_from before forward_train");
    CHECK(nn_update(m) == NN_ERR_SEQUENCE, "update before backward");
    CHECK(nn_input_grad(m) == NULL, "no input gradient yet");
    CHECK(nn_forward_train(m, NULL, 4) == NN_ERR_NULL, "forward_train NULL x");
    CHECK(nn_forward_train(m, x, 0) == NN_ERR_BATCH, "forward_train batch 0");
    CHECK(nn_forward_train(m, x, 5) == NN_ERR_BATCH, "forward_train batch > max_batch");
    x[1] = INFINITY;
    CHECK(nn_forward_train(m, x, 4) == NN_ERR_NONFINITE, "forward_train Inf");
    x[1] = 0;
    CHECK(nn_forward_train(m, x, 4) == NN_OK, "forward_train");
    CHECK(isnan(nn_backward(m, NULL, 0)) && nn_status(m) == NN_ERR_NULL, "backward NULL y");
    CHECK(isnan(nn_backward(m, nan_y, 0)) && nn_status(m) == NN_ERR_NONFINITE, "backward NaN y");
    CHECK(isnan(nn_backward(m, y, 2)) && nn_status(m) == NN_ERR_FLAGS, "backward unknown flag");
    CHECK(nn_backward_from(m, NULL, 0) == NN_ERR_NULL, "backward_from NULL dy");
    CHECK(nn_backward_from(m, nan_y, 0) == NN_ERR_NONFINITE, "backward_from NaN dy");
    CHECK(nn_backward_from(m, y, -1) == NN_ERR_FLAGS, "backward_from unknown flags");
    CHECK(nn_update(m) == NN_ERR_SEQUENCE, "update after failed backwards");
    CHECK(!isnan(nn_backward(m, y, NN_BACKWARD_INPUT_GRAD)) && nn_input_grad(m) != NULL, "input gradient");
    CHECK(nn_forward(m, x, 1, out) == NN_OK && nn_input_grad(m) == NULL, "a forward ends the input gradient");
    CHECK(nn_forward_train(m, x, 4) == NN_OK && !isnan(nn_backward(m, y, NN_BACKWARD_INPUT_GRAD)), "again");
    CHECK(nn_explain(m, x, y, out) == NN_OK && nn_input_grad(m) == NULL, "explain ends the input gradient");
    CHECK(nn_update(m) == NN_ERR_SEQUENCE, "update after explain");
    CHECK(memcmp(before, nn_params(m), sizeof(float) * (size_t)count) == 0, "parameters unchanged");
    CHECK(nn_explain(m, NULL, y, out) == NN_ERR_NULL && nn_explain(m, x, NULL, out) == NN_ERR_NULL &&
          nn_explain(m, x, y, NULL) == NN_ERR_NULL, "explain NULL");
    CHECK(nn_explain(m, x, nan_y, out) == NN_ERR_NONFINITE, "explain NaN target");
    int32_t b[NN_BLOCK_INTS];
    CHECK(nn_param_block(m, -1, b) == NN_ERR_INDEX && nn_param_block(m, 4, b) == NN_ERR_INDEX,
          "block index out of range");
    CHECK(nn_param_block(m, 0, NULL) == NN_ERR_NULL, "block NULL out");
    CHECK(nn_layer_shape(m, -1, b) == NN_ERR_INDEX && nn_layer_shape(m, 3, b) == NN_ERR_INDEX &&
          nn_layer_shape(m, 0, NULL) == NN_ERR_NULL, "layer shape");
    CHECK(nn_layer_desc(m, -1, b) == NN_ERR_INDEX && nn_layer_desc(m, 2, b) == NN_ERR_INDEX &&
          nn_layer_desc(m, 0, NULL) == NN_ERR_NULL, "layer desc");
    CHECK(nn_set_param(m, 0, 2, 0, 0, 1.0f) == NN_ERR_INDEX, "block 2 of a dense layer");
    CHECK(memcmp(before, nn_params(m), sizeof(float) * (size_t)count) == 0, "parameters still unchanged");
    nn_destroy(m);
}

static void null_model(void)
{
    float x[12] = {0}, y[8] = {0}, out[8];
    int32_t order[4] = {0, 1, 2, 3};
    nn_destroy(NULL);
    CHECK(nn_reset(NULL, 1) == NN_ERR_NULL, "reset");
    CHECK(nn_status(NULL) == NN_ERR_NULL, "status");
    CHECK(nn_set_optimizer(NULL, NN_OPT_SGD, 0.1f, 0, 0, 0) == NN_ERR_NULL, "set_optimizer");
    CHECK(nn_set_regularization(NULL, NN_REG_L2, 0.1f) == NN_ERR_NULL, "set_regularization");
    CHECK(isnan(nn_train_step(NULL, x, y, 4)), "train_step");
    CHECK(isnan(nn_train_epoch(NULL, x, y, 4, order, 2)), "train_epoch");
    CHECK(isnan(nn_compute_gradients(NULL, x, y, 4)), "compute_gradients");
    CHECK(nn_forward(NULL, x, 4, out) == NN_ERR_NULL, "forward");
    CHECK(nn_forward_all(NULL, x, 4, out) == NN_ERR_NULL, "forward_all");
    CHECK(nn_evaluate(NULL, x, y, 4, NULL, NULL) == NN_ERR_NULL, "evaluate");
    CHECK(nn_set_param(NULL, 0, 0, 0, 0, 1.0f) == NN_ERR_NULL, "set_param");
    CHECK(isnan(nn_get_param(NULL, 0, 0, 0, 0)), "get_param");
    CHECK(nn_param_count(NULL) == NN_ERR_NULL, "param_count");
    CHECK(nn_params(NULL) == NULL && nn_grads(NULL) == NULL, "params/grads");
    CHECK(nn_load_params(NULL, x, 4) == NN_ERR_NULL, "load_params");
    CHECK(nn_n_layers(NULL) == NN_ERR_NULL && nn_layer_size(NULL, 0) == NN_ERR_NULL &&
          nn_max_batch(NULL) == NN_ERR_NULL, "shape queries");
    int32_t ints[NN_BLOCK_INTS];
    CHECK(nn_forward_train(NULL, x, 4) == NN_ERR_NULL, "forward_train");
    CHECK(isnan(nn_backward(NULL, y, 0)), "backward");
    CHECK(nn_backward_from(NULL, y, 0) == NN_ERR_NULL, "backward_from");
    CHECK(nn_update(NULL) == NN_ERR_NULL, "update");
    CHECK(nn_input_grad(NULL) == NULL, "input_grad");
    CHECK(nn_explain_floats(NULL) == NN_ERR_NULL && nn_explain(NULL, x, y, out) == NN_ERR_NULL, "explain");
    CHECK(nn_param_blocks(NULL) == NN_ERR_NULL && nn_param_block(NULL, 0, ints) == NN_ERR_NULL, "param blocks");
    CHECK(nn_layer_shape(NULL, 0, ints) == NN_ERR_NULL && nn_layer_desc(NULL, 0, ints) == NN_ERR_NULL,
          "layer shape/desc");
    CHECK(nn_set_clip_norm(NULL, 1.0f) == NN_ERR_NULL && isnan(nn_grad_norm(NULL)), "clipping");
    CHECK(nn_state_floats(NULL) == NN_ERR_NULL && nn_get_state(NULL, out, 1) == NN_ERR_NULL &&
          nn_set_state(NULL, x, 1) == NN_ERR_NULL && nn_reset_state(NULL) == NN_ERR_NULL &&
          nn_set_stateful(NULL, 1) == NN_ERR_NULL, "state");
    CHECK(nn_sequence_floats(NULL, 0) == NN_ERR_NULL && nn_sequence_inspect(NULL, 0, x, y, out) == NN_ERR_NULL,
          "sequence views");
}

/* RNN/LSTM and per-step descriptors, sizes that overflow, and the state and
 * view calls with bad arguments or on a model without a recurrent layer. */
static void sequence_errors(void)
{
    int32_t d[2 * NN_DESC_INTS] = {NN_LAYER_LSTM, 0, 4, 1, 0, 0, 0, 0,
                                   NN_LAYER_DENSE, NN_ACT_SOFTMAX, 3, 1, 0, 0, 0, 0};
    int32_t in[3] = {5, 2, 1};
    CHECK(nn_check_layers(2, d, in, NN_LOSS_CE, 4) == NN_OK, "valid sequence model");
    int32_t e[2 * NN_DESC_INTS];
    for (int kind = NN_LAYER_RNN; kind <= NN_LAYER_LSTM; kind++) {
        memcpy(e, d, sizeof e);
        e[0] = kind;
        e[2] = 0;
        CHECK(nn_check_layers(2, e, in, NN_LOSS_CE, 4) == NN_ERR_SIZE, "hidden 0");
        e[2] = NN_MAX_WIDTH + 1;
        CHECK(nn_check_layers(2, e, in, NN_LOSS_CE, 4) == NN_ERR_SIZE, "hidden too large");
        e[2] = 4;
        e[3] = 2;
        CHECK(nn_check_layers(2, e, in, NN_LOSS_CE, 4) == NN_ERR_LAYER_CONFIG, "return_sequences 2");
        e[3] = -1;
        CHECK(nn_check_layers(2, e, in, NN_LOSS_CE, 4) == NN_ERR_LAYER_CONFIG, "return_sequences -1");
        e[3] = 1;
        e[4] = 1;
        CHECK(nn_check_layers(2, e, in, NN_LOSS_CE, 4) == NN_ERR_LAYER_CONFIG, "unused int not 0");
        e[4] = 0;
        int32_t wide[3] = {5, 2, 3};
        CHECK(nn_check_layers(2, e, wide, NN_LOSS_CE, 4) == NN_ERR_LAYER_CONFIG, "input width not 1");
        int32_t zero_t[3] = {0, 2, 1};
        CHECK(nn_check_layers(2, e, zero_t, NN_LOSS_CE, 4) == NN_ERR_SIZE, "T = 0");
        /* T*H past NN_MAX_WIDTH for a sequence output; the same H on the last step only fits */
        int32_t long_t[3] = {4096, 1, 1};
        e[2] = 512;
        CHECK(nn_check_layers(2, e, long_t, NN_LOSS_CE, 1) == NN_ERR_SIZE, "T x H output too wide");
        /* huge T x batch x H: the BPTT buffers are counted in 64 bits, never wrap */
        e[3] = 0;
        e[NN_DESC_INTS + 3] = 0;
        int32_t huge_t[3] = {NN_MAX_WIDTH, 1, 1};
        CHECK(nn_check_layers(2, e, huge_t, NN_LOSS_CE, NN_MAX_BATCH) == NN_ERR_TOO_LARGE,
              "T x batch x H overflowing");
        CHECK(nn_create_layers(2, e, huge_t, NN_LOSS_CE, 1, NN_MAX_BATCH) == NULL, "create refuses it");
        e[2] = NN_MAX_WIDTH;
        CHECK(nn_check_layers(2, e, huge_t, NN_LOSS_CE, NN_MAX_BATCH) == NN_ERR_TOO_LARGE,
              "everything at its limit");
        int32_t t256[3] = {256, 8, 1};
        e[2] = 16;
        e[3] = 1;
        e[NN_DESC_INTS + 3] = 1;
        CHECK(nn_check_layers(2, e, t256, NN_LOSS_CE, 64) == NN_OK, "T = 256 fits");
    }
    memcpy(e, d, sizeof e);
    e[NN_DESC_INTS + 3] = 2;
    CHECK(nn_check_layers(2, e, in, NN_LOSS_CE, 4) == NN_ERR_LAYER_CONFIG, "per_step 2");
    int32_t flat_desc[NN_DESC_INTS] = {NN_LAYER_DENSE, 0, 3, 1, 0, 0, 0, 0}, img[3] = {2, 3, 3};
    CHECK(nn_check_layers(1, flat_desc, img, NN_LOSS_MSE, 4) == NN_ERR_LAYER_CONFIG, "per step on width 3");

    /* a recurrent model refuses non-finite data and bad state calls, unchanged */
    nn_model *m = nn_create_layers(2, d, in, NN_LOSS_CE, 3u, 4);
    CHECK(m != NULL, "create");
    if (!m)
        return;
    int n = nn_param_count(m), sf = nn_state_floats(m);
    CHECK(sf == 8, "LSTM state floats: h and c");
    float *before = malloc(sizeof(float) * (size_t)n);
    memcpy(before, nn_params(m), sizeof(float) * (size_t)n);
    float x[4 * 10] = {0}, y[4 * 15] = {0}, out[4 * 15], st[4 * 8] = {0};
    x[3] = NAN;
    CHECK(isnan(nn_train_step(m, x, y, 4)) && nn_status(m) == NN_ERR_NONFINITE, "NaN input");
    x[3] = INFINITY;
    CHECK(nn_forward(m, x, 1, out) == NN_ERR_NONFINITE, "Inf input");
    x[3] = 0;
    CHECK(nn_set_stateful(m, 2) == NN_ERR_FLAGS, "stateful 2");
    CHECK(nn_get_state(m, st, 0) == NN_ERR_BATCH && nn_get_state(m, st, 5) == NN_ERR_BATCH, "rows");
    CHECK(nn_get_state(m, NULL, 1) == NN_ERR_NULL && nn_set_state(m, NULL, 1) == NN_ERR_NULL, "NULL");
    st[5] = NAN;
    CHECK(nn_set_state(m, st, 4) == NN_ERR_NONFINITE, "NaN state");
    float got[4 * 8];
    CHECK(nn_get_state(m, got, 4) == NN_OK && got[5] == 0.0f, "a refused state changes nothing");
    CHECK(nn_sequence_floats(m, 2) == NN_ERR_INDEX && nn_sequence_floats(m, -1) == NN_ERR_INDEX, "layer");
    CHECK(nn_sequence_floats(m, 1) == NN_ERR_NO_STATE, "dense layer: no views");
    float views[7 * 5 * 4];
    CHECK(nn_sequence_inspect(m, 0, x, y, NULL) == NN_ERR_NULL, "NULL out");
    x[0] = NAN;
    CHECK(nn_sequence_inspect(m, 0, x, y, views) == NN_ERR_NONFINITE, "NaN input to inspect");
    x[0] = 0;
    CHECK(nn_set_stateful(m, 1) == NN_OK, "stateful");
    double fd[NN_FD_DOUBLES];
    CHECK(nn_finite_difference(m, 0, x, y, 5, fd) == NN_ERR_BATCH, "stateful difference: n <= max_batch");
    CHECK(nn_set_clip_norm(m, INFINITY) == NN_ERR_NONFINITE && nn_set_clip_norm(m, -0.5f) == NN_ERR_OPTIMIZER,
          "clip norm");
    CHECK(memcmp(before, nn_params(m), sizeof(float) * (size_t)n) == 0, "parameters untouched");
    free(before);
    nn_destroy(m);

    /* a model without a recurrent layer has no state to carry */
    int32_t dd[NN_DESC_INTS] = {NN_LAYER_DENSE, 0, 3, 0, 0, 0, 0, 0}, flat[3] = {4, 1, 1};
    m = nn_create_layers(1, dd, flat, NN_LOSS_MSE, 1u, 2);
    CHECK(m != NULL, "dense model");
    if (!m)
        return;
    CHECK(nn_state_floats(m) == 0, "no state floats");
    CHECK(nn_get_state(m, st, 1) == NN_ERR_NO_STATE && nn_set_state(m, st, 1) == NN_ERR_NO_STATE &&
          nn_reset_state(m) == NN_ERR_NO_STATE && nn_set_stateful(m, 1) == NN_ERR_NO_STATE &&
          nn_sequence_floats(m, 0) == NN_ERR_NO_STATE &&
          nn_sequence_inspect(m, 0, x, y, views) == NN_ERR_NO_STATE, "state calls on a dense model");
    CHECK(nn_status(m) == NN_ERR_NO_STATE, "status says why");
    nn_destroy(m);
}

/* Every call below must fail and leave the parameters untouched. */
static void model_errors(void)
{
    nn_model *m = good_model();
    CHECK(m != NULL, "create");
    if (!m)
        return;
    int count = nn_param_count(m);
    float *before = malloc(sizeof(float) * count);
    memcpy(before, nn_params(m), sizeof(float) * count);
    float x[5 * 3], y[5 * 2], out[64];
    for (int i = 0; i < 15; i++)
        x[i] = 0.1f * (float)i;
    for (int i = 0; i < 10; i++)
        y[i] = (float)(i % 2);
    int32_t order[4] = {0, 1, 2, 3};

#define EXPECT_NAN_STATUS(call, want, what)                                           \
    do {                                                                               \
        float r_ = (call);                                                             \
        CHECK(isnan(r_) && nn_status(m) == (want), "%s: got %g, status %d", what, r_, \
              nn_status(m));                                                           \
    } while (0)

    EXPECT_NAN_STATUS(nn_train_step(m, NULL, y, 2), NN_ERR_NULL, "train_step NULL x");
    EXPECT_NAN_STATUS(nn_train_step(m, x, NULL, 2), NN_ERR_NULL, "train_step NULL y");
    EXPECT_NAN_STATUS(nn_train_step(m, x, y, 0), NN_ERR_BATCH, "train_step batch 0");
    EXPECT_NAN_STATUS(nn_train_step(m, x, y, -1), NN_ERR_BATCH, "train_step batch -1");
    EXPECT_NAN_STATUS(nn_train_step(m, x, y, 5), NN_ERR_BATCH, "train_step batch > max_batch");
    float keep = x[4];
    x[4] = NAN;
    EXPECT_NAN_STATUS(nn_train_step(m, x, y, 2), NN_ERR_NONFINITE, "train_step NaN x");
    x[4] = INFINITY;
    EXPECT_NAN_STATUS(nn_train_step(m, x, y, 2), NN_ERR_NONFINITE, "train_step Inf x");
    x[4] = keep;
    y[1] = -INFINITY;
    EXPECT_NAN_STATUS(nn_train_step(m, x, y, 2), NN_ERR_NONFINITE, "train_step Inf y");
    EXPECT_NAN_STATUS(nn_compute_gradients(m, x, y, 2), NN_ERR_NONFINITE, "compute_gradients Inf y");
    EXPECT_NAN_STATUS(nn_train_epoch(m, x, y, 4, order, 2), NN_ERR_NONFINITE, "train_epoch Inf y");
    y[1] = 1.0f;
    EXPECT_NAN_STATUS(nn_compute_gradients(m, x, y, 9), NN_ERR_BATCH, "compute_gradients batch");
    EXPECT_NAN_STATUS(nn_train_epoch(m, x, y, 0, NULL, 2), NN_ERR_BATCH, "train_epoch n 0");
    EXPECT_NAN_STATUS(nn_train_epoch(m, x, y, 4, NULL, 0), NN_ERR_BATCH, "train_epoch batch 0");
    EXPECT_NAN_STATUS(nn_train_epoch(m, x, y, 4, NULL, 5), NN_ERR_BATCH, "train_epoch batch > max");
    /* (n past the caller's buffer is only detectable where n * width overflows
     * the address space: on wasm32, tested in tests/node/core-bad-input.test.mjs) */
    int32_t bad_order[4] = {0, 1, 4, 2}, neg_order[4] = {0, -1, 2, 3};
    EXPECT_NAN_STATUS(nn_train_epoch(m, x, y, 4, bad_order, 2), NN_ERR_INDEX, "train_epoch order out of range");
    EXPECT_NAN_STATUS(nn_train_epoch(m, x, y, 4, neg_order, 2), NN_ERR_INDEX, "train_epoch negative order");

    CHECK(nn_forward(m, x, 2, NULL) == NN_ERR_NULL, "forward NULL out");
    CHECK(nn_forward(m, NULL, 2, out) == NN_ERR_NULL, "forward NULL x");
    CHECK(nn_forward(m, x, 0, out) == NN_ERR_BATCH, "forward n 0");
    x[0] = NAN;
    CHECK(nn_forward(m, x, 2, out) == NN_ERR_NONFINITE, "forward NaN");
    CHECK(nn_forward_all(m, x, 2, out) == NN_ERR_NONFINITE, "forward_all NaN");
    CHECK(nn_evaluate(m, x, y, 2, NULL, NULL) == NN_ERR_NONFINITE, "evaluate NaN");
    x[0] = 0;
    CHECK(nn_forward_all(m, x, -2, out) == NN_ERR_BATCH, "forward_all n<0");
    CHECK(nn_forward_all(m, x, 2, NULL) == NN_ERR_NULL, "forward_all NULL");
    CHECK(nn_evaluate(m, x, NULL, 2, NULL, NULL) == NN_ERR_NULL, "evaluate NULL y");
    CHECK(nn_evaluate(m, x, y, 0, NULL, NULL) == NN_ERR_BATCH, "evaluate n 0");

    CHECK(nn_set_optimizer(m, 3, 0.1f, 0.9f, 0.999f, 1e-8f) == NN_ERR_OPTIMIZER, "unknown optimizer");
    CHECK(nn_set_optimizer(m, -1, 0.1f, 0.9f, 0.999f, 1e-8f) == NN_ERR_OPTIMIZER, "negative optimizer");
    CHECK(nn_set_optimizer(m, NN_OPT_SGD, 0.0f, 0, 0, 0) == NN_ERR_OPTIMIZER, "lr 0");
    CHECK(nn_set_optimizer(m, NN_OPT_SGD, -0.1f, 0, 0, 0) == NN_ERR_OPTIMIZER, "lr < 0");
    CHECK(nn_set_optimizer(m, NN_OPT_SGD, NAN, 0, 0, 0) == NN_ERR_NONFINITE, "lr NaN");
    CHECK(nn_set_optimizer(m, NN_OPT_SGD, INFINITY, 0, 0, 0) == NN_ERR_NONFINITE, "lr Inf");
    CHECK(nn_set_optimizer(m, NN_OPT_MOMENTUM, 0.1f, 1.0f, 0, 0) == NN_ERR_OPTIMIZER, "momentum 1");
    CHECK(nn_set_optimizer(m, NN_OPT_MOMENTUM, 0.1f, -0.5f, 0, 0) == NN_ERR_OPTIMIZER, "momentum < 0");
    CHECK(nn_set_optimizer(m, NN_OPT_MOMENTUM, 0.1f, NAN, 0, 0) == NN_ERR_NONFINITE, "momentum NaN");
    CHECK(nn_set_optimizer(m, NN_OPT_ADAM, 0.1f, 0.9f, 1.0f, 1e-8f) == NN_ERR_OPTIMIZER, "beta2 1");
    CHECK(nn_set_optimizer(m, NN_OPT_ADAM, 0.1f, 0.9f, 0.999f, 0.0f) == NN_ERR_OPTIMIZER, "eps 0");
    CHECK(nn_set_optimizer(m, NN_OPT_ADAM, 0.1f, 0.9f, 0.999f, NAN) == NN_ERR_NONFINITE, "eps NaN");
    CHECK(nn_set_optimizer(m, NN_OPT_SGD, 0.1f, NAN, NAN, NAN) == NN_OK, "SGD ignores unused values");
    CHECK(nn_set_regularization(m, 3, 0.1f) == NN_ERR_REGULARIZATION, "unknown regularisation");
    CHECK(nn_set_regularization(m, NN_REG_L2, -0.1f) == NN_ERR_REGULARIZATION, "rate < 0");
    CHECK(nn_set_regularization(m, NN_REG_L1, NAN) == NN_ERR_REGULARIZATION, "rate NaN");
    CHECK(nn_set_regularization(m, NN_REG_L1, INFINITY) == NN_ERR_REGULARIZATION, "rate Inf");

    CHECK(nn_set_param(m, 2, 0, 0, 0, 1.0f) == NN_ERR_INDEX, "set_param layer");
    CHECK(nn_set_param(m, -1, 0, 0, 0, 1.0f) == NN_ERR_INDEX, "set_param layer < 0");
    CHECK(nn_set_param(m, 0, 2, 0, 0, 1.0f) == NN_ERR_INDEX, "set_param which");
    CHECK(nn_set_param(m, 0, 0, 4, 0, 1.0f) == NN_ERR_INDEX, "set_param row");
    CHECK(nn_set_param(m, 0, 0, 0, 3, 1.0f) == NN_ERR_INDEX, "set_param col");
    CHECK(nn_set_param(m, 0, 1, 0, 1, 1.0f) == NN_ERR_INDEX, "set_param bias col");
    CHECK(nn_set_param(m, 0, 0, 0, 0, NAN) == NN_ERR_NONFINITE, "set_param NaN");
    CHECK(isnan(nn_get_param(m, 0, 0, -1, 0)) && nn_status(m) == NN_ERR_INDEX, "get_param row");
    CHECK(isnan(nn_get_param(m, 5, 1, 0, 0)) && nn_status(m) == NN_ERR_INDEX, "get_param layer");
    CHECK(nn_load_params(m, NULL, count) == NN_ERR_NULL, "load NULL");
    CHECK(nn_load_params(m, before, count - 1) == NN_ERR_INDEX, "load short");
    CHECK(nn_load_params(m, before, -1) == NN_ERR_INDEX, "load negative");
    float *bad = malloc(sizeof(float) * count);
    memcpy(bad, before, sizeof(float) * count);
    bad[count - 1] = INFINITY;
    CHECK(nn_load_params(m, bad, count) == NN_ERR_NONFINITE, "load Inf");
    CHECK(nn_layer_size(m, 3) == NN_ERR_INDEX && nn_layer_size(m, -1) == NN_ERR_INDEX, "layer_size index");
    CHECK(memcmp(before, nn_params(m), sizeof(float) * count) == 0, "parameters unchanged by rejected calls");

    /* divergence: a huge learning rate on a linear MSE model overflows */
    int s2[] = {1, 1}, a2[] = {NN_ACT_LINEAR};
    nn_model *lin = nn_create(1, s2, a2, NN_LOSS_MSE, 1, 1);
    nn_set_optimizer(lin, NN_OPT_SGD, 1e30f, 0, 0, 0);
    float one = 1e10f, target = 0, snap[2] = {0, 0};
    int diverged = 0;
    for (int i = 0; i < 10 && !diverged; i++) {
        memcpy(snap, nn_params(lin), sizeof snap);
        nn_train_step(lin, &one, &target, 1);
        diverged = nn_status(lin) == NN_ERR_DIVERGED;
    }
    CHECK(diverged, "training that overflows reports NN_ERR_DIVERGED");
    CHECK(memcmp(snap, nn_params(lin), sizeof snap) == 0, "the diverged step was skipped");
    nn_destroy(lin);
    free(bad);
    free(before);
    nn_destroy(m);
}

static void gather_errors(void)
{
    uint8_t src[6] = {0, 51, 102, 153, 204, 255};
    float dst[6];
    int32_t idx[2] = {1, 0}, bad_idx[2] = {1, 2}, neg_idx[2] = {-1, 0};
    CHECK(nn_gather_u8(dst, src, 2, idx, 2, 3, 1.0f / 255) == NN_OK, "valid gather");
    CHECK(dst[0] == 153.0f / 255 * 1.0f || fabsf(dst[0] - 0.6f) < 1e-6f, "gathered row 1 first (%g)", dst[0]);
    CHECK(nn_gather_u8(NULL, src, 2, idx, 2, 3, 1) == NN_ERR_NULL, "NULL dst");
    CHECK(nn_gather_u8(dst, NULL, 2, idx, 2, 3, 1) == NN_ERR_NULL, "NULL src");
    CHECK(nn_gather_u8(dst, src, 2, bad_idx, 2, 3, 1) == NN_ERR_INDEX, "index past src_rows");
    CHECK(nn_gather_u8(dst, src, 2, neg_idx, 2, 3, 1) == NN_ERR_INDEX, "negative index");
    CHECK(nn_gather_u8(dst, src, 2, NULL, 3, 3, 1) == NN_ERR_INDEX, "n > src_rows without idx");
    CHECK(nn_gather_u8(dst, src, 2, idx, 0, 3, 1) == NN_ERR_SIZE, "n 0");
    CHECK(nn_gather_u8(dst, src, 2, idx, 2, 0, 1) == NN_ERR_SIZE, "row_len 0");
    CHECK(nn_gather_u8(dst, src, -2, idx, 2, 3, 1) == NN_ERR_SIZE, "src_rows < 0");
    CHECK(nn_gather_u8(dst, src, 0x7fffffff, idx, 2, 0x7fffffff, 1) == NN_ERR_TOO_LARGE, "overflowing src");
    CHECK(nn_gather_u8(dst, src, 2, idx, 2, 3, NAN) == NN_ERR_NONFINITE, "NaN scale");
}

int main(void)
{
    config_errors();
    layers_errors();
    split_errors();
    null_model();
    model_errors();
    gather_errors();
    sequence_errors();
    return tu_finish("test_bad_input");
}
