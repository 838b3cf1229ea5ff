/* fuzz_ops_data.h — fuzz_model_ops.c's calls that run data through the
 * model: nn_train_step, nn_compute_gradients, nn_train_epoch (fuzzed
 * orders), nn_forward (a row's result does not depend on its batch),
 * nn_forward_all, nn_evaluate. */
#ifndef FUZZ_OPS_DATA_H
#define FUZZ_OPS_DATA_H

#include "fuzz_model.h"

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

#endif
