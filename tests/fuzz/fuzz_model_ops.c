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
 * nn_load_params copies bit for bit and keeps the forward pass in step.
 *
 * The models: fuzz_build_model.h; the calls, by what they do:
 * fuzz_ops_data.h, fuzz_ops_params.h, fuzz_ops_math.h, fuzz_ops_settings.h,
 * fuzz_ops_state.h; the checks they share: fuzz_model.h. */
#include "fuzz_input.h"
#include "fuzz_model.h"
#include "fuzz_build_model.h"
#include "fuzz_ops_data.h"
#include "fuzz_ops_math.h"
#include "fuzz_ops_params.h"
#include "fuzz_ops_settings.h"
#include "fuzz_ops_state.h"

#define MAX_OPS 48

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
