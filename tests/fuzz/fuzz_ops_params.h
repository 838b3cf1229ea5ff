/* fuzz_ops_params.h — fuzz_model_ops.c's calls on the parameters:
 * nn_set_param / nn_get_param (nn_params' layout), nn_load_params (bit for
 * bit), and the forward pass's transposed weight copies kept in step. */
#ifndef FUZZ_OPS_PARAMS_H
#define FUZZ_OPS_PARAMS_H

#include "fuzz_model.h"

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

#endif
