/* fuzz_create_layers.c — nn_check_layers, nn_plan_layers and
 * nn_create_layers from fuzzed descriptors of every kind (dense and per-step
 * dense, conv2d, max-pool, flatten, RNN, LSTM), input shapes, losses and
 * max_batch; on a created model, the layout queries, a forward pass, a
 * training step (with or without gradient clipping), the split step (both
 * backwards, the input gradient), nn_explain, and on recurrent models the
 * carried state, stateful passes, the per-step views and a finite
 * difference, on small fuzzed data.
 *
 * Promises checked: nn_check_layers returns a known status for anything and
 * reads no descriptor past n (the buffers are exactly n x NN_DESC_INTS, so
 * ASan sees an overread); nn_plan_layers agrees with it (a plan refusal is
 * a check refusal, a layer's refusal names a layer, an accepted check has
 * an accepted plan whose shapes and parameter counts the model has);
 * nn_create_layers returns NULL exactly when the check refuses; a created model reports the shapes, descriptors and a
 * contiguous parameter layout; the split step equals nn_train_step.
 *
 * Build (from the repository root):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -Icore \
 *     tests/fuzz/fuzz_create_layers.c core/[a-v]*.c -lm   (every core file but wasm_exports.c)
 *   ./a.out -max_total_time=120 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nn.h"
#include "fuzz_input.h" /* FZ_REQUIRE */

#define MAX_CREATED_FLOATS (1 << 21) /* only models about this small are built */

typedef struct {
    const uint8_t *p;
    size_t n;
} bytes;

static uint8_t u8(bytes *b)
{
    if (!b->n)
        return 0;
    b->n--;
    return *b->p++;
}

static int32_t i32(bytes *b)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | u8(b);
    return (int32_t)v;
}

/* Mostly small (1..max), sometimes an edge of the core's limits or any int. */
static int32_t size_value(bytes *b, int max)
{
    uint8_t sel = u8(b);
    if (sel < 224)
        return 1 + sel % max;
    static const int32_t edge[] = {0, -1, NN_MAX_WIDTH, NN_MAX_WIDTH + 1, INT32_MAX, INT32_MIN,
                                   1 << 15, 1 << 16};
    return sel < 248 ? edge[sel % 8] : i32(b);
}

/* Mostly v, sometimes anything. */
static int32_t mostly(bytes *b, int32_t v)
{
    uint8_t sel = u8(b);
    return sel < 240 ? v : sel < 250 ? (int32_t)(sel % 8) - 2 : i32(b);
}

static float value(bytes *b)
{
    uint8_t sel = u8(b);
    if (sel < 4) {
        static const float special[] = {NAN, INFINITY, -INFINITY, 3e38f};
        return special[sel];
    }
    return (float)((int)u8(b) - 128) / 64.0f;
}

static float *floats(bytes *b, size_t n)
{
    float *v = calloc(n ? n : 1, sizeof *v);
    FZ_REQUIRE(v, "%zu floats", n);
    for (size_t i = 0; i < n; i++)
        v[i] = value(b);
    return v;
}

/* A generous bound of what the model allocates, in floats (64-bit), from
 * its plan: parameters (x6: gradients, optimizer state, dense W^T copies),
 * activations and deltas, a conv layer's im2col scratch. */
static int64_t rough_floats(int n, const int32_t *desc, const int32_t *shape, const int32_t *plan,
                            int max_batch)
{
    int64_t c = shape[0], in = (int64_t)shape[0] * shape[1] * shape[2];
    int64_t total = (int64_t)max_batch * in * 4;
    for (int l = 0; l < n; l++) {
        const int32_t *o = plan + l * NN_PLAN_INTS, *d = desc + l * NN_DESC_INTS;
        int64_t out = (int64_t)o[0] * o[1] * o[2];
        total += 6 * ((int64_t)o[3] + in * (d[0] == NN_LAYER_DENSE ? out : 0)) + 5 * (int64_t)max_batch * out;
        if (d[0] == NN_LAYER_CONV2D)
            total += (int64_t)max_batch * o[1] * o[2] * (c * d[3] * d[4] + o[0]);
        if (d[0] == NN_LAYER_RNN || d[0] == NN_LAYER_LSTM) /* BPTT buffers: T x batch x (F, 4H) */
            total += 16 * (int64_t)max_batch * c * (in / c + 4 * (int64_t)d[2]);
        c = o[0];
        in = out;
    }
    return total;
}

/* Statuses that name no layer (nn_plan_layers' bad_layer -1). */
static int whole_model_status(int st)
{
    return st == NN_ERR_LAYERS || st == NN_ERR_NULL || st == NN_ERR_SIZE;
}

/* Statuses nn_check_layers may add to an accepted plan. */
static int beyond_plan_status(int st)
{
    return st == NN_OK || st == NN_ERR_LOSS || st == NN_ERR_LOSS_OUTPUT || st == NN_ERR_BATCH ||
           st == NN_ERR_TOO_LARGE;
}

/* Recurrent models: the carried state round-trips, stateful passes keep
 * their promises, every layer's per-step views answer with a known status,
 * and a finite difference (the kinds' double forward) runs. Others refuse
 * the state calls with NN_ERR_NO_STATE. */
static void exercise_sequence(nn_model *m, int n, const int32_t *desc, const float *x, const float *y,
                              int rows, bytes *b)
{
    int sf = nn_state_floats(m), recurrent = 0, st;
    for (int l = 0; l < n; l++)
        recurrent += desc[l * NN_DESC_INTS] == NN_LAYER_RNN || desc[l * NN_DESC_INTS] == NN_LAYER_LSTM;
    FZ_REQUIRE((sf > 0) == (recurrent > 0), "%d state floats, %d recurrent layers", sf, recurrent);
    if (!sf) {
        FZ_REQUIRE(nn_set_stateful(m, 1) == NN_ERR_NO_STATE && nn_reset_state(m) == NN_ERR_NO_STATE,
                   "state calls without a recurrent layer");
    } else {
        float *state = floats(b, (size_t)rows * (size_t)sf), *back = calloc((size_t)rows * sf, sizeof *back);
        FZ_REQUIRE(back, "state buffer");
        st = nn_set_state(m, state, rows);
        FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "set_state %d", st);
        FZ_REQUIRE(nn_get_state(m, back, rows) == NN_OK, "get_state");
        if (st == NN_OK)
            FZ_REQUIRE(!memcmp(back, state, sizeof(float) * (size_t)rows * sf), "state round trip");
        FZ_REQUIRE(nn_set_stateful(m, u8(b) & 1) == NN_OK, "stateful");
        float *out = calloc((size_t)rows * nn_layer_size(m, n), sizeof *out);
        FZ_REQUIRE(out, "out");
        st = nn_forward(m, x, rows, out);
        FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "stateful forward %d", st);
        float loss = nn_train_step(m, x, y, rows);
        FZ_REQUIRE(nn_status(m) == NN_OK || nn_status(m) == NN_ERR_NONFINITE || nn_status(m) == NN_ERR_DIVERGED,
                   "stateful step %d (loss %g)", nn_status(m), loss);
        free(out);
        free(state);
        free(back);
    }
    for (int l = 0; l < n; l++) {
        int nf = nn_sequence_floats(m, l);
        int is_rec = desc[l * NN_DESC_INTS] == NN_LAYER_RNN || desc[l * NN_DESC_INTS] == NN_LAYER_LSTM;
        FZ_REQUIRE(is_rec ? nf > 0 : nf == NN_ERR_NO_STATE, "layer %d: sequence floats %d", l, nf);
        if (nf > 0) {
            float *v = calloc((size_t)nf, sizeof *v);
            FZ_REQUIRE(v, "views");
            st = nn_sequence_inspect(m, l, x, y, v);
            FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "inspect %d", st);
            free(v);
        }
        int nm = nn_sequence_math_floats(m, l);
        FZ_REQUIRE(is_rec ? nm > 0 : nm == NN_ERR_NO_STATE, "layer %d: math floats %d", l, nm);
        if (nm > 0) {
            float *v = calloc((size_t)nm, sizeof *v);
            FZ_REQUIRE(v, "math views");
            st = nn_sequence_math(m, l, x, y, v);
            FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "math %d", st);
            free(v);
        }
    }
    if (nn_param_count(m) > 0) {
        double fd[NN_FD_DOUBLES];
        st = nn_finite_difference(m, (int)(u8(b) % nn_param_count(m)), x, y, rows, fd);
        FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "finite difference %d", st);
    }
}

static void exercise(nn_model *m, int n, const int32_t *desc, const int32_t *shape,
                     const int32_t *plan, bytes *b)
{
    FZ_REQUIRE(nn_n_layers(m) == n, "n_layers %d vs %d", nn_n_layers(m), n);
    int32_t s[3], d[NN_DESC_INTS], blk[NN_BLOCK_INTS];
    int st, with_params = 0;
    int64_t layer_params[NN_MAX_LAYERS] = {0};
    FZ_REQUIRE(nn_layer_shape(m, 0, s) == NN_OK && !memcmp(s, shape, sizeof s), "input shape");
    for (int l = 0; l < n; l++) {
        FZ_REQUIRE(nn_layer_desc(m, l, d) == NN_OK && !memcmp(d, desc + l * NN_DESC_INTS, sizeof d),
                "descriptor %d", l);
        FZ_REQUIRE(nn_layer_shape(m, l + 1, s) == NN_OK && (int64_t)s[0] * s[1] * s[2] == nn_layer_size(m, l + 1),
                "layer %d shape", l);
        FZ_REQUIRE(!memcmp(s, plan + l * NN_PLAN_INTS, sizeof s), "layer %d: plan's shape differs", l);
        with_params += d[0] == NN_LAYER_DENSE || d[0] == NN_LAYER_CONV2D ? 2
                       : d[0] == NN_LAYER_RNN || d[0] == NN_LAYER_LSTM ? 4 : 0;
    }
    int blocks = nn_param_blocks(m), offset = 0;
    FZ_REQUIRE(blocks == with_params, "%d blocks, %d expected", blocks, with_params);
    for (int i = 0; i < blocks; i++) {
        FZ_REQUIRE(nn_param_block(m, i, blk) == NN_OK, "block %d", i);
        FZ_REQUIRE(blk[2] == offset && blk[3] >= 1 && blk[3] <= 4, "block %d at %d, %d dims", i, blk[2], blk[3]);
        offset += blk[4] * blk[5] * blk[6] * blk[7];
        layer_params[blk[0]] += blk[4] * blk[5] * blk[6] * blk[7];
    }
    for (int l = 0; l < n; l++)
        FZ_REQUIRE(layer_params[l] == plan[l * NN_PLAN_INTS + 3], "layer %d: %lld parameters, plan %d", l,
                   (long long)layer_params[l], plan[l * NN_PLAN_INTS + 3]);
    if (blocks == 0) { /* nothing to address or train */
        FZ_REQUIRE(nn_param_count(m) == 0, "no blocks, %d parameters", nn_param_count(m));
    }
    FZ_REQUIRE(offset == nn_param_count(m), "blocks cover %d of %d", offset, nn_param_count(m));
    FZ_REQUIRE(nn_param_block(m, blocks, blk) == NN_ERR_INDEX, "block past the end");

    /* a parameter through every block's (row, col) addressing, in and out of range */
    if (blocks > 0) {
        FZ_REQUIRE(nn_param_block(m, u8(b) % blocks, blk) == NN_OK, "block");
        int64_t rows_in_block = blk[4], cols = (int64_t)blk[5] * blk[6] * blk[7];
        int row = (int)(u8(b) % (rows_in_block + 1)), col = (int)(u8(b) % (cols + 1));
        st = nn_set_param(m, blk[0], blk[1], row, col, 0.5f);
        FZ_REQUIRE((st == NN_OK) == (row < rows_in_block && col < cols), "set_param (%d, %d): %d", row, col, st);
        if (st == NN_OK)
            FZ_REQUIRE(nn_params(m)[blk[2] + row * cols + col] == 0.5f && nn_get_param(m, blk[0], blk[1], row, col) == 0.5f,
                    "set_param wrote elsewhere");
    } else {
        FZ_REQUIRE(nn_set_param(m, 0, 0, 0, 0, 0.5f) == NN_ERR_INDEX, "set_param without parameters");
    }
    FZ_REQUIRE(nn_set_regularization(m, u8(b) % 3, 0.01f) == NN_OK, "regularization");
    if (u8(b) & 1)
        FZ_REQUIRE(nn_set_clip_norm(m, (float)(u8(b) % 5) * 0.25f) == NN_OK, "clip norm");

    int ni = nn_layer_size(m, 0), no = nn_layer_size(m, n), max_batch = nn_max_batch(m);
    int rows = 1 + u8(b) % (max_batch < 4 ? max_batch : 4);
    float *x = floats(b, (size_t)rows * ni), *y = floats(b, (size_t)rows * no);
    float *out = calloc((size_t)rows * no, sizeof *out);
    float *params = calloc((size_t)nn_param_count(m) + 1, sizeof *params); /* +1: a CNN of pools has none */
    FZ_REQUIRE(out && params, "buffers");
    st = nn_forward(m, x, rows, out);
    FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "forward %d", st);

    /* the split step from the same state equals nn_train_step */
    memcpy(params, nn_params(m), sizeof(float) * (size_t)nn_param_count(m));
    float loss = nn_train_step(m, x, y, rows);
    int step_status = nn_status(m);
    float *after = calloc((size_t)nn_param_count(m) + 1, sizeof *after);
    FZ_REQUIRE(after, "buffer");
    memcpy(after, nn_params(m), sizeof(float) * (size_t)nn_param_count(m));
    /* back to the parameters before the step; plain SGD (the default) keeps
     * no state, so the split step below must land on the same bits */
    FZ_REQUIRE(nn_load_params(m, params, nn_param_count(m)) == NN_OK, "reload");
    int flags = u8(b) % 4 == 0 ? 2 : u8(b) & 1;
    st = nn_forward_train(m, x, rows);
    if (st == NN_OK) {
        float split = nn_backward(m, y, flags);
        if (flags == 2) {
            FZ_REQUIRE(nn_status(m) == NN_ERR_FLAGS, "flags 2: %d", nn_status(m));
        } else if (nn_status(m) == NN_OK) {
            FZ_REQUIRE(!flags || nn_input_grad(m) != NULL, "no input gradient");
            int upd = nn_update(m);
            FZ_REQUIRE(upd == step_status, "update %d vs train_step %d", upd, step_status);
            FZ_REQUIRE(memcmp(&split, &loss, sizeof loss) == 0 || (isnan(split) && isnan(loss)),
                    "split loss %g vs %g", split, loss);
            FZ_REQUIRE(!memcmp(after, nn_params(m), sizeof(float) * (size_t)nn_param_count(m)),
                    "split step parameters differ from nn_train_step");
        }
    } else {
        FZ_REQUIRE(st == step_status, "forward_train %d vs train_step %d", st, step_status);
    }
    if (nn_forward_train(m, x, rows) == NN_OK) {
        st = nn_backward_from(m, y, NN_BACKWARD_INPUT_GRAD);
        FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "backward_from %d", st);
        if (st == NN_OK)
            FZ_REQUIRE(nn_input_grad(m) != NULL, "no input gradient after backward_from");
        st = nn_update(m);
        FZ_REQUIRE(st == NN_OK || st == NN_ERR_DIVERGED || st == NN_ERR_SEQUENCE, "update %d", st);
    }
    int nf = nn_explain_floats(m);
    FZ_REQUIRE(nf >= ni + 3 * no, "explain floats %d", nf);
    float *e = calloc((size_t)nf, sizeof *e);
    FZ_REQUIRE(e, "explain buffer");
    st = nn_explain(m, x, y, e);
    FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "explain %d", st);
    free(e);
    exercise_sequence(m, n, desc, x, y, rows, b);
    free(after);
    free(params);
    free(out);
    free(x);
    free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bytes b = {data, size};
    int n = (int)(u8(&b) % 72) - 2; /* -2..69: the edges around 1..64 */
    int fits = n >= 1 && n <= NN_MAX_LAYERS;
    /* exactly n descriptors: any read past them is an ASan finding */
    size_t count = (size_t)(fits ? n : 1) * NN_DESC_INTS;
    int32_t *desc = malloc(count * sizeof *desc);
    FZ_REQUIRE(desc, "descriptors");
    for (size_t l = 0; l < count / NN_DESC_INTS; l++) {
        int32_t *d = desc + l * NN_DESC_INTS;
        d[0] = mostly(&b, (int32_t)(u8(&b) % 6)); /* dense, conv2d, maxpool, flatten, rnn, lstm */
        d[1] = mostly(&b, (int32_t)(u8(&b) % 6));
        for (int i = 2; i < NN_DESC_INTS; i++)
            d[i] = mostly(&b, 0);
        if (d[0] == NN_LAYER_DENSE) {
            d[2] = size_value(&b, 12);
            d[3] = mostly(&b, u8(&b) % 4 == 0); /* per step */
        } else if (d[0] == NN_LAYER_RNN || d[0] == NN_LAYER_LSTM) { /* hidden, return_sequences */
            d[2] = size_value(&b, 6);
            d[3] = mostly(&b, u8(&b) & 1);
        } else if (d[0] == NN_LAYER_CONV2D) { /* channels, kernel h, w, stride, padding */
            d[2] = size_value(&b, 5);
            d[3] = size_value(&b, 4);
            d[4] = size_value(&b, 4);
            d[5] = size_value(&b, 3);
            d[6] = mostly(&b, (int32_t)(u8(&b) % 3));
        } else if (d[0] == NN_LAYER_MAXPOOL) { /* kernel, stride */
            d[2] = size_value(&b, 3);
            d[3] = size_value(&b, 3);
        }
    }
    int32_t shape[3] = {size_value(&b, 4), size_value(&b, 9), 0};
    shape[2] = u8(&b) < 128 ? 1 : size_value(&b, 9); /* width 1: a sequence */
    int loss = mostly(&b, (int32_t)(u8(&b) % 3));
    int max_batch = u8(&b) < 240 ? 1 + u8(&b) % 8 : size_value(&b, 8);
    int use_null = u8(&b) < 4;

    int st = nn_check_layers(n, use_null ? NULL : desc, shape, loss, max_batch);
    FZ_REQUIRE(st <= NN_OK && st >= NN_ERR_NO_STATE, "unknown status %d", st);
    FZ_REQUIRE(st != NN_OK || fits, "n %d accepted", n);
    /* exactly n plan rows: a write past them is an ASan finding */
    int32_t *plan = malloc((size_t)(fits ? n : 1) * NN_PLAN_INTS * sizeof *plan), bad = -7;
    FZ_REQUIRE(plan, "plan");
    int pst = nn_plan_layers(n, use_null ? NULL : desc, shape, plan, &bad);
    FZ_REQUIRE(pst <= NN_OK && pst >= NN_ERR_NO_STATE, "unknown plan status %d", pst);
    FZ_REQUIRE(pst != NN_OK || bad == -1, "plan accepted, bad layer %d", bad);
    FZ_REQUIRE(pst == NN_OK || (bad >= 0 && bad < n) || (bad == -1 && whole_model_status(pst)),
               "plan status %d at layer %d", pst, bad);
    FZ_REQUIRE(pst == NN_OK ? beyond_plan_status(st) : st != NN_OK, "plan %d, check %d", pst, st);
    if (st == NN_OK && rough_floats(n, desc, shape, plan, max_batch) <= MAX_CREATED_FLOATS) {
        nn_model *m = nn_create_layers(n, desc, shape, loss, (unsigned)i32(&b), max_batch);
        FZ_REQUIRE(m != NULL, "check accepted, create refused");
        exercise(m, n, desc, shape, plan, &b);
        nn_destroy(m);
    } else if (st != NN_OK) {
        FZ_REQUIRE(nn_create_layers(n, use_null ? NULL : desc, shape, loss, 1, max_batch) == NULL,
                "check refused (%d), create built", st);
    }
    free(plan);
    free(desc);
    return 0;
}
