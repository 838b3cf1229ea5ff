/* fuzz_create.c — nn_check_config and nn_create from fuzzed layer counts,
 * sizes, activations, losses and max_batch.
 *
 * Promises checked: nn_check_config allocates nothing and returns a known
 * status for anything; nn_create returns NULL exactly when the config is
 * refused; a created model reports the shape it was given and can run a
 * forward pass, a training step and a reset. The core's limits (64 layers,
 * 2^20 units, 2^27 floats, batch 2^16) are reached through nn_check_config;
 * only models below FZ_MAX_FLOATS are really created, so a run never OOMs. */
#include "fuzz_input.h"

#define FZ_MAX_FLOATS (1 << 17) /* 512 KiB of floats per created model */

/* An upper bound of what nn_create allocates, in floats (the core keeps a
 * few copies of the parameters and per-layer [max_batch x width] buffers). */
static int64_t rough_floats(int n_layers, const int *sizes, int max_batch)
{
    int64_t total = 0;
    for (int l = 0; l < n_layers; l++) {
        int64_t in = sizes[l], out = sizes[l + 1];
        total += 6 * (in * out + out) + 4 * (int64_t)max_batch * (in + out);
    }
    return total;
}

/* Widths: mostly small so models get created, sometimes at the limits. */
static int fuzz_width(fz_input *in)
{
    uint8_t sel = fz_u8(in);
    if (sel < 200)
        return 1 + sel % 12;
    switch (sel % 8) {
    case 0: return NN_MAX_WIDTH;
    case 1: return NN_MAX_WIDTH + 1;
    case 2: return 0;
    case 3: return -1;
    case 4: return INT_MAX;
    case 5: return INT_MIN;
    case 6: return 4096;
    default: return fz_in_range(in, 1, 1024);
    }
}

static void exercise(nn_model *m, fz_input *in, int n_layers, const int *sizes, int max_batch)
{
    FZ_REQUIRE(nn_status(m) == NN_OK, "status %d after nn_create", nn_status(m));
    FZ_REQUIRE(nn_n_layers(m) == n_layers, "n_layers %d", nn_n_layers(m));
    FZ_REQUIRE(nn_max_batch(m) == max_batch, "max_batch %d", nn_max_batch(m));
    int64_t count = 0;
    for (int l = 0; l <= n_layers; l++)
        FZ_REQUIRE(nn_layer_size(m, l) == sizes[l], "layer %d size %d", l, nn_layer_size(m, l));
    for (int l = 0; l < n_layers; l++)
        count += (int64_t)sizes[l] * sizes[l + 1] + sizes[l + 1];
    FZ_REQUIRE(nn_param_count(m) == count, "param_count %d, expected %lld", nn_param_count(m),
               (long long)count);
    FZ_REQUIRE(nn_layer_size(m, n_layers + 1) == NN_ERR_INDEX, "layer size past the end");
    FZ_REQUIRE(fz_all_finite(nn_params(m), (size_t)count), "non-finite initial parameters");

    int rows = max_batch < 3 ? max_batch : 3;
    size_t n_in = (size_t)rows * (size_t)sizes[0], n_out = (size_t)rows * (size_t)sizes[n_layers];
    float *x = fz_floats(n_in), *y = fz_floats(n_out), *out = fz_floats(n_out);
    fz_fill(in, x, n_in);
    fz_fill(in, y, n_out);
    int st = nn_forward(m, x, rows, out);
    FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE, "nn_forward: %d", st);
    float loss_value = nn_train_step(m, x, y, rows);
    st = nn_status(m);
    FZ_REQUIRE(st == NN_OK || st == NN_ERR_NONFINITE || st == NN_ERR_DIVERGED, "train: %d", st);
    FZ_REQUIRE(st != NN_OK || isfinite(loss_value), "OK step with loss %g", (double)loss_value);
    FZ_REQUIRE(nn_reset(m, fz_u32(in)) == NN_OK, "nn_reset");
    free(x);
    free(y);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    int n_layers = fz_int(&in, 1, 6);
    if (fz_u8(&in) == 255)
        n_layers = NN_MAX_LAYERS + fz_in_range(&in, -1, 1);
    /* The API reads n_layers + 1 sizes and n_layers activations; for a
     * count it must refuse first, the arrays hold one entry. */
    int valid_count = n_layers >= 1 && n_layers <= NN_MAX_LAYERS + 1;
    size_t n_sizes = valid_count ? (size_t)n_layers + 1 : 1;
    size_t n_acts = valid_count ? (size_t)n_layers : 1;
    int *sizes = calloc(n_sizes, sizeof *sizes), *acts = calloc(n_acts, sizeof *acts);
    FZ_REQUIRE(sizes && acts, "test arrays");
    for (size_t i = 0; i < n_sizes; i++)
        sizes[i] = fuzz_width(&in);
    for (size_t i = 0; i < n_acts; i++)
        acts[i] = fz_int(&in, NN_ACT_LINEAR, NN_ACT_SOFTMAX);
    int loss = fz_int(&in, NN_LOSS_MSE, NN_LOSS_CE);
    int max_batch = fz_u8(&in) < 224 ? fz_in_range(&in, 1, 16) : fz_int(&in, 1, NN_MAX_BATCH);
    uint8_t nulls = fz_u8(&in);
    const int *sizes_arg = nulls == 1 ? NULL : sizes, *acts_arg = nulls == 2 ? NULL : acts;

    int st = nn_check_config(n_layers, sizes_arg, acts_arg, loss, max_batch);
    FZ_REQUIRE(fz_known_status(st) && st != NN_ERR_DIVERGED && st != NN_ERR_NOMEM,
               "nn_check_config returned %d", st);
    FZ_REQUIRE(nn_status_str(st) != NULL && nn_status_str(st)[0], "no sentence for %d", st);
    FZ_REQUIRE(nn_status_str(fz_int(&in, -20, 5)) != NULL, "nn_status_str NULL");
    if (st != NN_OK) {
        /* refused: nn_create allocates nothing and says NULL */
        nn_model *m = nn_create(n_layers, sizes_arg, acts_arg, loss, 1, max_batch);
        FZ_REQUIRE(m == NULL, "nn_create accepted a config refused with %d", st);
    } else if (rough_floats(n_layers, sizes, max_batch) <= FZ_MAX_FLOATS) {
        nn_model *m = nn_create(n_layers, sizes, acts, loss, fz_u32(&in), max_batch);
        FZ_REQUIRE(m != NULL, "nn_create failed on a valid config");
        exercise(m, &in, n_layers, sizes, max_batch);
        nn_destroy(m);
    }
    free(sizes);
    free(acts);
    return 0;
}
