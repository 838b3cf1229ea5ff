/* fuzz_model_ops.c — a small model (1-4 dense layers, mostly of 1-8 units,
 * now and then 9-40 or 257-304 so the kernels' wide blocks run too; or a
 * small CNN: conv2d, maybe max-pool and flatten, dense; max_batch 1-8)
 * or a small recurrent model: RNN/LSTM, maybe a second, then a dense or
 * per-step dense output)
 * driven by a fuzzed sequence of calls: nn_train_step, nn_train_epoch (with
 * fuzzed orders), nn_compute_gradients, nn_forward, nn_forward_all,
 * nn_evaluate, nn_set_param / nn_get_param, nn_load_params,
 * nn_set_optimizer, nn_set_regularization, nn_reset, and the "show the
 * math" calls nn_finite_difference and nn_optimizer_preview, gradient
 * clipping, the carried state (get, set, reset, stateful passes) and the
 * per-step views, with fuzzed row
 * counts, indices, counts and values (NaN and infinities included).
 *
 * Every buffer passed holds exactly what the call is told it holds; a count
 * the API must refuse before reading comes with a one-row buffer, so reading
 * it anyway is an ASan finding. Promises checked (nn.h): a refused call
 * returns one of the errors that apply, sets nn_status and changes no
 * parameter; a diverged step skips its update; results do not depend on the
 * batch a row is in; nn_set_param / nn_get_param address nn_params' layout;
 * nn_load_params copies bit for bit and keeps the forward pass in step. */
#include "fuzz_input.h"
#include "fuzz_model.h"

#define MAX_OPS 48

/* Mostly narrow (the kernels' narrow path), sometimes wider than one 8-wide
 * block, rarely past the narrow path's 256 inputs. */
static int layer_width(fz_input *in)
{
    uint8_t sel = fz_u8(in);
    if (sel < 224)
        return 1 + sel % 8;
    if (sel < 252)
        return 9 + fz_u8(in) % 32;
    return 257 + fz_u8(in) % 48;
}

static void op_train_step(fz_model *f, fz_input *in, int gradients_only)
{
    int batch = fz_int(in, 1, f->max_batch);
    int bad_batch = batch < 1 || batch > f->max_batch;
    fz_data d = make_data(in, f, rows_held(batch, bad_batch));
    uint8_t nulls = fz_u8(in);
    const float *x = nulls == 1 ? NULL : d.x, *y = nulls == 2 ? NULL : d.y;
    unsigned allowed = (x && y ? 0 : ERR(NN_ERR_NULL)) | (bad_batch ? ERR(NN_ERR_BATCH) : 0);
    if (!allowed && !(d.x_finite && d.y_finite))
        allowed = ERR(NN_ERR_NONFINITE);
    snapshot(f);
    float loss = gradients_only ? nn_compute_gradients(f->m, x, y, batch)
                                : nn_train_step(f->m, x, y, batch);
    int st = nn_status(f->m);
    const char *what = gradients_only ? "nn_compute_gradients" : "nn_train_step";
    check_outcome(f, what, st, allowed);
    FZ_REQUIRE(st == NN_OK ? isfinite(loss) || gradients_only : st == NN_ERR_DIVERGED || isnan(loss),
               "%s: status %d with loss %g", what, st, (double)loss);
    if (st == NN_ERR_DIVERGED || gradients_only)
        FZ_REQUIRE(unchanged(f), "%s: parameters changed without an update (status %d)", what, st);
    free_data(&d);
}

static void op_train_epoch(fz_model *f, fz_input *in)
{
    int n = any_rows(in), batch = fz_int(in, 1, f->max_batch);
    fz_data d = make_data(in, f, rows_held(n, 0));
    int32_t *order = NULL;
    int order_ok = 1;
    if (fz_u8(in) & 1 && n >= 1) {
        order = calloc((size_t)n, sizeof *order);
        FZ_REQUIRE(order, "order buffer");
        for (int i = 0; i < n; i++) {
            order[i] = fz_u8(in) < 248 ? fz_in_range(in, 0, n - 1) : fz_int(in, 0, n - 1);
            order_ok &= order[i] >= 0 && order[i] < n;
        }
    }
    unsigned allowed = (batch < 1 || batch > f->max_batch ? ERR(NN_ERR_BATCH) : 0) |
                       (n < 1 ? ERR(NN_ERR_BATCH) : 0);
    if (!allowed && !(d.x_finite && d.y_finite))
        allowed |= ERR(NN_ERR_NONFINITE);
    if (!allowed && !order_ok)
        allowed |= ERR(NN_ERR_INDEX);
    snapshot(f);
    float loss = nn_train_epoch(f->m, d.x, d.y, n, order, batch);
    int st = nn_status(f->m);
    check_outcome(f, "nn_train_epoch", st, allowed);
    FZ_REQUIRE(st != NN_OK || isfinite(loss), "nn_train_epoch: OK with loss %g", (double)loss);
    free(order);
    free_data(&d);
}

/* nn_forward of n rows, then each row alone: the same values. */
static void op_forward(fz_model *f, fz_input *in)
{
    int n = any_rows(in);
    size_t rows = rows_held(n, 0);
    fz_data d = make_data(in, f, rows);
    float *out = fz_floats(rows * (size_t)f->out), *one = fz_floats((size_t)f->out);
    int null_out = fz_u8(in) == 1;
    unsigned allowed = (null_out ? ERR(NN_ERR_NULL) : 0) | (n < 1 ? ERR(NN_ERR_BATCH) : 0);
    if (!allowed && !d.x_finite)
        allowed = ERR(NN_ERR_NONFINITE);
    snapshot(f);
    int st = nn_forward(f->m, d.x, n, null_out ? NULL : out);
    check_outcome(f, "nn_forward", st, allowed);
    FZ_REQUIRE(unchanged(f), "nn_forward changed parameters");
    if (st == NN_OK)
        for (int r = 0; r < n; r++) {
            FZ_REQUIRE(nn_forward(f->m, d.x + (size_t)r * (size_t)f->in, 1, one) == NN_OK, "row");
            FZ_REQUIRE(fz_same_values(one, out + (size_t)r * (size_t)f->out, (size_t)f->out),
                       "nn_forward: row %d of %d differs from the row alone", r, n);
        }
    free(out);
    free(one);
    free_data(&d);
}

/* nn_forward_all: its last block is nn_forward's output. */
static void op_forward_all(fz_model *f, fz_input *in)
{
    int n = any_rows(in);
    size_t rows = rows_held(n, 0), units = 0;
    for (int l = 1; l <= f->n_layers; l++)
        units += (size_t)f->sizes[l];
    fz_data d = make_data(in, f, rows);
    float *all = fz_floats(rows * units), *out = fz_floats(rows * (size_t)f->out);
    unsigned allowed = n < 1 ? ERR(NN_ERR_BATCH) : 0;
    if (!allowed && !d.x_finite)
        allowed = ERR(NN_ERR_NONFINITE);
    snapshot(f);
    int st = nn_forward_all(f->m, d.x, n, all);
    check_outcome(f, "nn_forward_all", st, allowed);
    if (st == NN_OK) {
        FZ_REQUIRE(nn_forward(f->m, d.x, n, out) == NN_OK, "nn_forward after forward_all");
        size_t last = rows * (units - (size_t)f->out);
        FZ_REQUIRE(fz_same_values(all + last, out, rows * (size_t)f->out),
                   "nn_forward_all's last block differs from nn_forward");
    }
    free(all);
    free(out);
    free_data(&d);
}

static void op_evaluate(fz_model *f, fz_input *in)
{
    int n = any_rows(in);
    fz_data d = make_data(in, f, rows_held(n, 0));
    uint8_t nulls = fz_u8(in);
    float loss = -1.0f;
    int correct = -1;
    unsigned allowed = n < 1 ? ERR(NN_ERR_BATCH) : 0;
    if (!allowed && !(d.x_finite && d.y_finite))
        allowed = ERR(NN_ERR_NONFINITE);
    snapshot(f);
    int st = nn_evaluate(f->m, d.x, d.y, n, nulls & 1 ? NULL : &loss, nulls & 2 ? NULL : &correct);
    check_outcome(f, "nn_evaluate", st, allowed);
    int steps = f->out_steps ? f->out_steps : 1; /* a sequence output counts every step */
    if (st == NN_OK && !(nulls & 2))
        FZ_REQUIRE(correct >= 0 && correct <= n * steps, "nn_evaluate: %d correct of %d x %d", correct, n, steps);
    free_data(&d);
}

/* Offset of a parameter in nn_params' layout, or -1 for a bad index. */
static int64_t param_offset(const fz_model *f, int layer, int which, int row, int col)
{
    if (layer < 0 || layer >= f->n_layers)
        return -1;
    int64_t off = 0;
    for (int l = 0; l < layer; l++)
        off += (int64_t)f->w_rows[l] * (f->w_cols[l] + (f->hidden[l] ? f->hidden[l] + 2 : 1));
    int in = f->w_cols[layer], out = f->w_rows[layer], h = f->hidden[layer];
    if (row < 0 || row >= out)
        return -1;
    if (h) { /* weight_ih, weight_hh, bias_ih, bias_hh */
        if (which == 0 && col >= 0 && col < in)
            return off + (int64_t)row * in + col;
        if (which == 1 && col >= 0 && col < h)
            return off + (int64_t)out * in + (int64_t)row * h + col;
        if ((which == 2 || which == 3) && col == 0)
            return off + (int64_t)out * (in + h) + (int64_t)(which - 2) * out + row;
        return -1;
    }
    if (which == 0 && col >= 0 && col < in)
        return off + (int64_t)row * in + col;
    if (which == 1 && col == 0)
        return off + (int64_t)in * out + row;
    return -1;
}

static void fuzz_index(const fz_model *f, fz_input *in, int *layer, int *which, int *row, int *col)
{
    *layer = fz_int(in, 0, f->n_layers - 1);
    int l = *layer >= 0 && *layer < f->n_layers ? *layer : 0;
    int h = f->hidden[l];
    *which = fz_int(in, 0, h ? 3 : 1);
    *row = fz_int(in, 0, f->w_rows[l] > 0 ? f->w_rows[l] - 1 : 0);
    int cols = *which == 0 ? f->w_cols[l] : *which == 1 && h ? h : 1;
    *col = fz_int(in, 0, cols > 0 ? cols - 1 : 0);
}

static void op_set_param(fz_model *f, fz_input *in)
{
    int layer, which, row, col;
    fuzz_index(f, in, &layer, &which, &row, &col);
    float value = fz_float(in);
    int64_t off = param_offset(f, layer, which, row, col);
    unsigned allowed = (off < 0 ? ERR(NN_ERR_INDEX) : 0) | (isfinite(value) ? 0 : ERR(NN_ERR_NONFINITE));
    snapshot(f);
    int st = nn_set_param(f->m, layer, which, row, col, value);
    check_outcome(f, "nn_set_param", st, allowed);
    if (st == NN_OK) {
        FZ_REQUIRE(memcmp(&nn_params(f->m)[off], &value, sizeof value) == 0, "set_param's value not at offset");
        float got = nn_get_param(f->m, layer, which, row, col);
        FZ_REQUIRE(memcmp(&got, &value, sizeof value) == 0, "get_param after set_param");
        f->before[off] = value;
        FZ_REQUIRE(unchanged(f), "nn_set_param changed another parameter");
    }
}

static void op_get_param(fz_model *f, fz_input *in)
{
    int layer, which, row, col;
    fuzz_index(f, in, &layer, &which, &row, &col);
    int64_t off = param_offset(f, layer, which, row, col);
    float got = nn_get_param(f->m, layer, which, row, col);
    if (off < 0)
        FZ_REQUIRE(isnan(got) && nn_status(f->m) == NN_ERR_INDEX, "get_param of a bad index");
    else
        FZ_REQUIRE(nn_status(f->m) == NN_OK && memcmp(&got, &nn_params(f->m)[off], sizeof got) == 0,
                   "get_param (%d,%d,%d,%d) is not nn_params[%lld]", layer, which, row, col,
                   (long long)off);
}

static void op_load_params(fz_model *f, fz_input *in)
{
    int count = f->count;
    uint8_t sel = fz_u8(in);
    if (sel >= 128) {
        static const int delta[] = {-1, 1, -2, 2};
        count = sel < 160 ? f->count + delta[sel % 4] : fz_int(in, f->count, f->count);
    }
    int bad_count = count != f->count;
    size_t held = rows_held(count, bad_count && count > f->count);
    float *src = fz_floats(held);
    memcpy(src, nn_params(f->m), (held < (size_t)f->count ? held : (size_t)f->count) * sizeof(float));
    for (int k = fz_u8(in) % 4; k > 0; k--)
        src[(size_t)fz_in_range(in, 0, (int)held - 1)] = fz_float(in);
    int null_src = fz_u8(in) == 1;
    unsigned allowed = (null_src ? ERR(NN_ERR_NULL) : 0) | (bad_count ? ERR(NN_ERR_INDEX) : 0);
    if (!allowed && !fz_all_finite(src, held))
        allowed = ERR(NN_ERR_NONFINITE);
    snapshot(f);
    int st = nn_load_params(f->m, null_src ? NULL : src, count);
    check_outcome(f, "nn_load_params", st, allowed);
    if (st == NN_OK)
        FZ_REQUIRE(memcmp(src, nn_params(f->m), (size_t)f->count * sizeof(float)) == 0,
                   "nn_load_params did not copy bit for bit");
    free(src);
}

/* The forward pass uses transposed copies of the weights: after any mix of
 * calls they must match nn_params, so reloading nn_params changes no output. */
static void op_copies_in_step(fz_model *f, fz_input *in)
{
    int n = 1 + fz_u8(in) % 4;
    fz_data d = make_data(in, f, (size_t)n);
    size_t n_out = (size_t)n * (size_t)f->out;
    float *a = fz_floats(n_out), *b = fz_floats(n_out), *copy = fz_floats((size_t)f->count);
    if (nn_forward(f->m, d.x, n, a) == NN_OK) {
        memcpy(copy, nn_params(f->m), (size_t)f->count * sizeof(float));
        if (nn_load_params(f->m, copy, f->count) == NN_OK) { /* NN_ERR_NONFINITE after a blow-up */
            FZ_REQUIRE(nn_forward(f->m, d.x, n, b) == NN_OK, "forward after reload");
            FZ_REQUIRE(memcmp(a, b, n_out * sizeof(float)) == 0,
                       "outputs changed when nn_params was reloaded: a weight copy is stale");
        }
    }
    free(a);
    free(b);
    free(copy);
    free_data(&d);
}

/* nn_finite_difference: a fuzzed parameter index and rows; refused calls
 * return an error that applies, and no call changes a parameter. */
static void op_finite_difference(fz_model *f, fz_input *in)
{
    int index = fz_int(in, 0, f->count - 1);
    int n = fz_int(in, 1, MAX_ROWS);
    int bad_n = n < 1 || n > MAX_ROWS;
    int bad_index = index < 0 || index >= f->count;
    fz_data d = make_data(in, f, rows_held(n, bad_n));
    if (n > MAX_ROWS) /* a count nothing refuses needs its rows: make it fit */
        n = 1, bad_n = 0;
    double out[NN_FD_DOUBLES];
    uint8_t nulls = fz_u8(in);
    const float *x = nulls == 1 ? NULL : d.x, *y = nulls == 2 ? NULL : d.y;
    unsigned allowed = (x && y && nulls != 3 ? 0 : ERR(NN_ERR_NULL)) | (bad_index ? ERR(NN_ERR_INDEX) : 0) |
                       (n < 1 ? ERR(NN_ERR_BATCH) : 0);
    if (!allowed && !(d.x_finite && d.y_finite))
        allowed = ERR(NN_ERR_NONFINITE);
    snapshot(f);
    int st = nn_finite_difference(f->m, index, x, y, n, nulls == 3 ? NULL : out);
    check_outcome(f, "nn_finite_difference", st, allowed);
    FZ_REQUIRE(unchanged(f), "nn_finite_difference changed a parameter");
    if (st == NN_OK)
        FZ_REQUIRE(out[1] > 0.0, "finite difference step %g", out[1]);
    free_data(&d);
}

/* nn_optimizer_preview over a fuzzed range: w is nn_params', nothing changes. */
static void op_optimizer_preview(fz_model *f, fz_input *in)
{
    int first = fz_int(in, 0, f->count - 1);
    int count = fz_int(in, 1, f->count);
    int bad = first < 0 || count < 1 || first >= f->count || count > f->count - first;
    size_t held = bad ? 1 : (size_t)count;
    float *g = fz_floats(held), *out = fz_floats(held * NN_PREVIEW_FLOATS);
    fz_fill(in, g, held);
    unsigned allowed = bad ? ERR(NN_ERR_INDEX) : !fz_all_finite(g, held) ? ERR(NN_ERR_NONFINITE) : 0;
    snapshot(f);
    int st = nn_optimizer_preview(f->m, first, count, g, out);
    check_outcome(f, "nn_optimizer_preview", st, allowed);
    FZ_REQUIRE(unchanged(f), "nn_optimizer_preview changed a parameter");
    if (st == NN_OK)
        for (int i = 0; i < count; i++)
            FZ_REQUIRE(memcmp(&out[(size_t)i * NN_PREVIEW_FLOATS], &nn_params(f->m)[first + i], sizeof(float)) == 0,
                       "preview's w of parameter %d is not nn_params'", first + i);
    free(g);
    free(out);
}

/* A hyperparameter: usually sane, sometimes anything. */
static float hyper(fz_input *in, float sane)
{
    return fz_u8(in) < 192 ? sane : fz_float(in);
}

static void op_set_optimizer(fz_model *f, fz_input *in)
{
    int kind = fz_int(in, NN_OPT_SGD, NN_OPT_ADAM);
    float lr = hyper(in, 0.05f), b1 = hyper(in, 0.9f), b2 = hyper(in, 0.999f), eps = hyper(in, 1e-8f);
    int ok = kind >= NN_OPT_SGD && kind <= NN_OPT_ADAM && isfinite(lr) && lr > 0.0f &&
             (kind == NN_OPT_SGD || (isfinite(b1) && b1 >= 0.0f && b1 < 1.0f)) &&
             (kind != NN_OPT_ADAM || (isfinite(b2) && b2 >= 0.0f && b2 < 1.0f && isfinite(eps) && eps > 0.0f));
    snapshot(f);
    int st = nn_set_optimizer(f->m, kind, lr, b1, b2, eps);
    check_outcome(f, "nn_set_optimizer", st, ok ? 0 : ERR(NN_ERR_OPTIMIZER) | ERR(NN_ERR_NONFINITE));
    FZ_REQUIRE(st != NN_ERR_DIVERGED, "nn_set_optimizer diverged");
}

static void op_set_regularization(fz_model *f, fz_input *in)
{
    int kind = fz_int(in, NN_REG_NONE, NN_REG_L2);
    float rate = hyper(in, 0.001f);
    int ok = kind >= NN_REG_NONE && kind <= NN_REG_L2 && isfinite(rate) && !(rate < 0.0f);
    snapshot(f);
    int st = nn_set_regularization(f->m, kind, rate);
    check_outcome(f, "nn_set_regularization", st, ok ? 0 : ERR(NN_ERR_REGULARIZATION));
    FZ_REQUIRE(st != NN_ERR_DIVERGED, "nn_set_regularization diverged");
}

static void op_reset(fz_model *f, fz_input *in)
{
    FZ_REQUIRE(nn_reset(f->m, fz_u32(in)) == NN_OK, "nn_reset");
    FZ_REQUIRE(fz_all_finite(nn_params(f->m), (size_t)f->count), "non-finite parameters after reset");
}

/* A loss that fits the output activation (pick: BCE / CE when they can). */
static int loss_for(int out_act, int pick)
{
    return out_act == NN_ACT_SIGMOID && pick ? NN_LOSS_BCE
         : out_act == NN_ACT_SOFTMAX && pick ? NN_LOSS_CE
         : NN_LOSS_MSE;
}

/* Gradient clipping with a fuzzed max_norm (NaN, infinities, negatives). */
static void op_clip(fz_model *f, fz_input *in)
{
    float v = fz_float(in);
    unsigned allowed = !isfinite(v) ? ERR(NN_ERR_NONFINITE) : v < 0.0f ? ERR(NN_ERR_OPTIMIZER) : 0;
    snapshot(f);
    check_outcome(f, "nn_set_clip_norm", nn_set_clip_norm(f->m, v), allowed);
    FZ_REQUIRE(unchanged(f), "nn_set_clip_norm changed a parameter");
}

/* The carried state: set with fuzzed rows and values, read back bit for bit;
 * a stateful pass from a restored state repeats bit for bit; the model is
 * stateless again afterwards (the other ops compare rows alone). Without a
 * recurrent layer every state call is NN_ERR_NO_STATE. */
static void op_state(fz_model *f, fz_input *in)
{
    int sf = nn_state_floats(f->m);
    FZ_REQUIRE((sf > 0) == (f->seq > 0), "state floats %d", sf);
    snapshot(f);
    if (!sf) {
        float v[1] = {0};
        check_outcome(f, "nn_set_state", nn_set_state(f->m, v, 1), ERR(NN_ERR_NO_STATE));
        check_outcome(f, "nn_set_stateful", nn_set_stateful(f->m, 1), ERR(NN_ERR_NO_STATE));
        check_outcome(f, "nn_reset_state", nn_reset_state(f->m), ERR(NN_ERR_NO_STATE));
        return;
    }
    int rows = fz_int(in, 1, f->max_batch);
    int bad_rows = rows < 1 || rows > f->max_batch;
    size_t held = rows_held(rows, bad_rows) * (size_t)sf;
    float *state = fz_floats(held), *back = fz_floats(held), *back2 = fz_floats(held);
    fz_fill(in, state, held);
    unsigned allowed = bad_rows ? ERR(NN_ERR_BATCH) : !fz_all_finite(state, held) ? ERR(NN_ERR_NONFINITE) : 0;
    int st = nn_set_state(f->m, state, rows);
    check_outcome(f, "nn_set_state", st, allowed);
    if (st == NN_OK) {
        FZ_REQUIRE(nn_get_state(f->m, back, rows) == NN_OK && !memcmp(back, state, held * sizeof(float)),
                   "state round trip");
        FZ_REQUIRE(nn_set_stateful(f->m, 1) == NN_OK, "stateful");
        fz_data d = make_data(in, f, (size_t)rows);
        size_t n_out = (size_t)rows * (size_t)f->out;
        float *a = fz_floats(n_out), *b = fz_floats(n_out);
        int st1 = nn_forward(f->m, d.x, rows, a);
        FZ_REQUIRE(st1 == (d.x_finite ? NN_OK : NN_ERR_NONFINITE), "stateful forward %d", st1);
        if (st1 == NN_OK) {
            nn_get_state(f->m, back2, rows);
            FZ_REQUIRE(nn_set_state(f->m, state, rows) == NN_OK, "restore");
            FZ_REQUIRE(nn_forward(f->m, d.x, rows, b) == NN_OK && fz_same_values(a, b, n_out),
                       "a stateful pass from the same state differs");
            nn_get_state(f->m, back, rows);
            FZ_REQUIRE(fz_same_values(back, back2, held), "the final state differs");
        }
        /* more rows than max_batch: refused before x (rows long) is read */
        check_outcome(f, "stateful nn_forward", nn_forward(f->m, d.x, f->max_batch + 1, a), ERR(NN_ERR_BATCH));
        check_outcome(f, "nn_set_stateful", nn_set_stateful(f->m, 2), ERR(NN_ERR_FLAGS));
        FZ_REQUIRE(nn_set_stateful(f->m, 0) == NN_OK, "stateless again");
        free(a);
        free(b);
        free_data(&d);
    }
    if (fz_u8(in) & 1)
        FZ_REQUIRE(nn_reset_state(f->m) == NN_OK, "reset state");
    FZ_REQUIRE(unchanged(f), "state calls changed a parameter");
    free(state);
    free(back);
    free(back2);
}

/* nn_sequence_inspect of a fuzzed layer on one example: an error that
 * applies, or views whose h rows are the layer's outputs (every step, or
 * the last one) when its activation is linear. Parameters never change. */
static void op_inspect(fz_model *f, fz_input *in)
{
    int layer = fz_int(in, 0, f->n_layers - 1);
    int bad_layer = layer < 0 || layer >= f->n_layers;
    fz_data d = make_data(in, f, 1);
    int nf = nn_sequence_floats(f->m, layer);
    int rec = !bad_layer && f->hidden[layer];
    FZ_REQUIRE(nf == (bad_layer ? NN_ERR_INDEX : rec ? nf : NN_ERR_NO_STATE) && (!rec || nf > 0),
               "sequence floats %d", nf);
    float *v = fz_floats(nf > 0 ? (size_t)nf : 1);
    unsigned allowed = bad_layer ? ERR(NN_ERR_INDEX) : !rec ? ERR(NN_ERR_NO_STATE) : 0;
    if (!allowed && !(d.x_finite && d.y_finite))
        allowed = ERR(NN_ERR_NONFINITE);
    snapshot(f);
    int st = nn_sequence_inspect(f->m, layer, d.x, d.y, v);
    check_outcome(f, "nn_sequence_inspect", st, allowed);
    FZ_REQUIRE(unchanged(f), "nn_sequence_inspect changed a parameter");
    if (st == NN_OK && f->act_linear[layer]) { /* h_t is before the layer's activation */
        size_t units = 0;
        for (int l = 1; l <= f->n_layers; l++)
            units += (size_t)f->sizes[l];
        float *all = fz_floats(units);
        FZ_REQUIRE(nn_forward_all(f->m, d.x, 1, all) == NN_OK, "forward_all");
        size_t at = 0;
        for (int l = 1; l <= layer; l++)
            at += (size_t)f->sizes[l];
        int h = f->hidden[layer], width = f->sizes[layer + 1];
        /* every step: the h view is the output; last step only: its last row */
        const float *hv = width == h ? v + (size_t)(f->seq - 1) * (size_t)h : v;
        FZ_REQUIRE(fz_same_values(hv, all + at, (size_t)width), "layer %d: h view differs from the output", layer);
        free(all);
    }
    free(v);
    free_data(&d);
}

/* A small recurrent model over T x F x 1 (T 1-6, F 1-4): RNN or LSTM
 * (hidden 1-5), maybe a second one, then a dense output (1-4 units, any
 * activation), per step when the last recurrent layer returns sequences. */
static void build_rnn(fz_model *f, fz_input *in)
{
    int T = 1 + fz_u8(in) % 6, F = 1 + fz_u8(in) % 4;
    int32_t shape[3] = {T, F, 1}, desc[3 * NN_DESC_INTS] = {0};
    int n_rec = 1 + fz_u8(in) % 2, feat = F, seq = 1, n = 0;
    f->seq = T;
    f->sizes[0] = T * F;
    for (; n < n_rec; n++) {
        int kind = fz_u8(in) & 1 ? NN_LAYER_LSTM : NN_LAYER_RNN, h = 1 + fz_u8(in) % 5;
        seq = n < n_rec - 1 ? 1 : fz_u8(in) & 1;
        int32_t *d = desc + n * NN_DESC_INTS;
        d[0] = kind;
        d[1] = fz_u8(in) % 8 == 0 ? NN_ACT_TANH : NN_ACT_LINEAR;
        f->act_linear[n] = d[1] == NN_ACT_LINEAR;
        d[2] = h;
        d[3] = seq;
        f->w_rows[n] = (kind == NN_LAYER_LSTM ? 4 : 1) * h;
        f->w_cols[n] = feat;
        f->hidden[n] = h;
        f->sizes[n + 1] = seq ? T * h : h;
        feat = h;
    }
    int out_act = fz_u8(in) % (NN_ACT_SOFTMAX + 1), units = 1 + fz_u8(in) % 4;
    int32_t *d = desc + n * NN_DESC_INTS;
    d[0] = NN_LAYER_DENSE;
    d[1] = out_act;
    d[2] = units;
    d[3] = seq;
    f->w_rows[n] = units;
    f->w_cols[n] = seq ? feat : f->sizes[n];
    f->sizes[n + 1] = seq ? T * units : units;
    f->out_steps = seq ? T : 1;
    f->n_layers = ++n;
    int loss = loss_for(out_act, fz_u8(in) & 1);
    f->max_batch = 1 + fz_u8(in) % 8;
    FZ_REQUIRE(nn_check_layers(n, desc, shape, loss, f->max_batch) == NN_OK, "recurrent config");
    f->m = nn_create_layers(n, desc, shape, loss, fz_u32(in), f->max_batch);
    if (f->m && fz_u8(in) & 1)
        FZ_REQUIRE(nn_set_clip_norm(f->m, 0.5f) == NN_OK, "clip");
}


/* A small CNN over c x h x w (c 1-3, h and w 3-9): conv2d (1-10 channels,
 * kernel 1-3, stride 1-2, padding below the kernel), then maybe a max-pool
 * (kernel 1-2, stride 1-2), maybe a flatten, then a dense output (1-6). The
 * sizes and weight addresses come from the descriptors here, not from the
 * core. */
static void build_cnn(fz_model *f, fz_input *in)
{
    int32_t shape[3] = {1 + fz_u8(in) % 3, 3 + fz_u8(in) % 7, 3 + fz_u8(in) % 7};
    int32_t desc[4 * NN_DESC_INTS] = {0};
    int n = 0, c = shape[0], h = shape[1], w = shape[2];
    f->sizes[0] = c * h * w;
    int32_t *d = desc;
    int oc = 1 + fz_u8(in) % 10, k = 1 + fz_u8(in) % 3, s = 1 + fz_u8(in) % 2, p = fz_u8(in) % k;
    int conv[] = {NN_LAYER_CONV2D, fz_u8(in) % NN_ACT_SOFTMAX, oc, k, k, s, p, 0};
    memcpy(d, conv, sizeof conv);
    f->w_rows[n] = oc;
    f->w_cols[n] = c * k * k;
    c = oc, h = (h + 2 * p - k) / s + 1, w = (w + 2 * p - k) / s + 1;
    f->sizes[++n] = c * h * w;
    uint8_t more = fz_u8(in);
    int pk = 1 + fz_u8(in) % 2, ps = 1 + fz_u8(in) % 2;
    if ((more & 1) && pk <= h && pk <= w) {
        int pool[] = {NN_LAYER_MAXPOOL, more & 4 ? NN_ACT_RELU : NN_ACT_LINEAR, pk, ps, 0, 0, 0, 0};
        memcpy(desc + n * NN_DESC_INTS, pool, sizeof pool);
        h = (h - pk) / ps + 1, w = (w - pk) / ps + 1;
        f->sizes[++n] = c * h * w;
    }
    if (more & 2) {
        desc[n * NN_DESC_INTS] = NN_LAYER_FLATTEN;
        f->sizes[n + 1] = f->sizes[n];
        n++;
    }
    int out_act = fz_u8(in) % (NN_ACT_SOFTMAX + 1), units = 1 + fz_u8(in) % 6;
    int dense[] = {NN_LAYER_DENSE, out_act, units, 0, 0, 0, 0, 0};
    memcpy(desc + n * NN_DESC_INTS, dense, sizeof dense);
    f->w_rows[n] = units;
    f->w_cols[n] = f->sizes[n];
    f->sizes[++n] = units;
    f->n_layers = n;
    int loss = loss_for(out_act, fz_u8(in) & 1);
    f->max_batch = 1 + fz_u8(in) % 8;
    int32_t plan[4 * NN_PLAN_INTS], bad;
    FZ_REQUIRE(nn_plan_layers(n, desc, shape, plan, &bad) == NN_OK, "plan of a valid CNN: layer %d", bad);
    for (int l = 0; l < n; l++)
        FZ_REQUIRE(plan[l * NN_PLAN_INTS] * plan[l * NN_PLAN_INTS + 1] * plan[l * NN_PLAN_INTS + 2] == f->sizes[l + 1] &&
                   plan[l * NN_PLAN_INTS + 3] == f->w_rows[l] * (f->w_cols[l] + 1),
                   "layer %d: plan differs", l);
    FZ_REQUIRE(nn_check_layers(n, desc, shape, loss, f->max_batch) == NN_OK, "CNN config");
    f->m = nn_create_layers(n, desc, shape, loss, fz_u32(in), f->max_batch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    fz_model f = {0};
    uint8_t pick = fz_u8(&in);
    if (pick < 80) {
        build_cnn(&f, &in);
    } else if (pick >= 200) {
        build_rnn(&f, &in);
    } else {
        int acts[4];
        f.n_layers = 1 + fz_u8(&in) % 4;
        for (int l = 0; l <= f.n_layers; l++)
            f.sizes[l] = layer_width(&in);
        for (int l = 0; l < f.n_layers - 1; l++)
            acts[l] = fz_u8(&in) % NN_ACT_SOFTMAX; /* any hidden activation */
        int out_act = fz_u8(&in) % (NN_ACT_SOFTMAX + 1);
        acts[f.n_layers - 1] = out_act;
        int loss = loss_for(out_act, fz_u8(&in) & 1);
        f.max_batch = 1 + fz_u8(&in) % 8;
        for (int l = 0; l < f.n_layers; l++) {
            f.w_rows[l] = f.sizes[l + 1];
            f.w_cols[l] = f.sizes[l];
        }
        FZ_REQUIRE(nn_check_config(f.n_layers, f.sizes, acts, loss, f.max_batch) == NN_OK, "config");
        f.m = nn_create(f.n_layers, f.sizes, acts, loss, fz_u32(&in), f.max_batch);
    }
    f.in = f.sizes[0];
    f.out = f.sizes[f.n_layers];
    FZ_REQUIRE(f.m, "nn_create of a small valid model");
    f.count = nn_param_count(f.m);
    f.before = fz_floats((size_t)f.count);

    for (int op = 0; op < MAX_OPS && in.n > 0; op++) {
        switch (fz_u8(&in) % 18) {
        case 0: op_train_step(&f, &in, 0); break;
        case 1: op_train_step(&f, &in, 1); break;
        case 2: op_train_epoch(&f, &in); break;
        case 3: op_forward(&f, &in); break;
        case 4: op_forward_all(&f, &in); break;
        case 5: op_evaluate(&f, &in); break;
        case 6: op_set_param(&f, &in); break;
        case 7: op_get_param(&f, &in); break;
        case 8: op_load_params(&f, &in); break;
        case 9: op_copies_in_step(&f, &in); break;
        case 10: op_set_optimizer(&f, &in); break;
        case 11: op_set_regularization(&f, &in); break;
        case 13: op_finite_difference(&f, &in); break;
        case 14: op_optimizer_preview(&f, &in); break;
        case 15: op_clip(&f, &in); break;
        case 16: op_state(&f, &in); break;
        case 17: op_inspect(&f, &in); break;
        default: op_reset(&f, &in); break;
        }
    }
    nn_destroy(f.m);
    free(f.before);
    return 0;
}
