/* fuzz_ops_state.h — fuzz_model_ops.c's calls on recurrent models: the
 * carried state (get, set, reset, stateful passes) and nn_sequence_inspect's
 * per-step views. */
#ifndef FUZZ_OPS_STATE_H
#define FUZZ_OPS_STATE_H

#include "fuzz_model.h"

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

#endif
