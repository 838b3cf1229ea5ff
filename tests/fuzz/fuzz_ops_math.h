/* fuzz_ops_math.h — fuzz_model_ops.c's "show the math" calls:
 * nn_finite_difference and nn_optimizer_preview. */
#ifndef FUZZ_OPS_MATH_H
#define FUZZ_OPS_MATH_H

#include "fuzz_model.h"

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

#endif
