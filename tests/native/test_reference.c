/* test_reference.c — checks the core against PyTorch (tests/reference/fixtures.bin).
 *
 * For every case (dense, conv2d, max-pool, flatten, RNN, LSTM and per-step
 * dense stacks): the model's
 * parameter blocks against PyTorch's, forward outputs, loss and gradients at
 * the fixture's initial parameters, then 3 steps of every optimizer x regulariser pair
 * (recurrent cases: every optimizer plain, clipped, clipped with L2; the loss
 * before each step and the parameters after the last).
 *
 * Tolerance: relative 1e-5, per block (a weight matrix, a bias vector, the
 * output array): |got - want| <= 1e-5 * max(|want|, 0.1 * max|want in block|).
 * The truth is float64 PyTorch; the core computes in float32, whose rounding
 * in a sum is proportional to the terms summed — the block's scale — so an
 * entry that is small through cancellation (a batch-summed gradient, a weight
 * crossing zero) is held to 1e-6 of its block's largest entry, about 17 float32
 * ulps of that scale. Losses are compared purely relatively. The fixture script
 * keeps only draws on which float32 PyTorch itself stays within 1/4 of this
 * tolerance (tests/reference/make_fixtures.py, CONDITION_LIMIT).
 *
 * Run from the repository root (build.sh does); exits non-zero on any failure. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/nn.h"

#define REL_TOL 1e-5
#define FLOOR_FRACTION 0.1
#define MAX_LAYERS 16

#include "fixture_reader.h"

/* The model's parameter blocks have the file's lengths (PyTorch's
 * parameters in order) and its output the file's size. */
static int same_blocks(const nn_model *m, int n_blocks, const int *block_len, int n_out) {
    if (nn_param_blocks(m) != n_blocks || nn_layer_size(m, nn_n_layers(m)) != n_out) return 0;
    for (int b = 0; b < n_blocks; b++) {
        int32_t blk[NN_BLOCK_INTS];
        if (nn_param_block(m, b, blk) != NN_OK ||
            (int64_t)blk[4] * blk[5] * blk[6] * blk[7] != block_len[b]) return 0;
    }
    return 1;
}

static const char *OPT_NAMES[] = {"sgd", "momentum", "adam"};
static const char *REG_NAMES[] = {"none", "l1", "l2"};

/* Reads and checks one case; returns 0 when the file is malformed. */
static int check_case(reader *r, tally *t) {
    char name[49] = {0};
    if (r->end - r->p < 48) return 0;
    memcpy(name, r->p, 48);
    r->p += 48;
    int n_layers = read_i32(r);
    if (!r->ok || n_layers < 1 || n_layers > MAX_LAYERS) return 0;
    int32_t in_shape[3], desc[MAX_LAYERS * NN_DESC_INTS];
    for (int i = 0; i < 3; i++) in_shape[i] = read_i32(r);
    for (int i = 0; i < n_layers * NN_DESC_INTS; i++) desc[i] = read_i32(r);
    int loss = read_i32(r), batch = read_i32(r), n_steps = read_i32(r);
    int n_traj = read_i32(r), n_params = read_i32(r), n_out = read_i32(r);
    int n_blocks = read_i32(r);
    if (!r->ok || batch < 1 || n_steps < 1 || n_traj < 1 || n_params < 1 || n_out < 1 ||
        n_blocks < 1 || n_blocks > 4 * MAX_LAYERS) return 0;
    int block_len[4 * MAX_LAYERS], total = 0;
    for (int b = 0; b < n_blocks; b++) total += block_len[b] = read_i32(r);
    if (!r->ok || total != n_params) return 0;
    int n_in = in_shape[0] * in_shape[1] * in_shape[2];

    float *params0 = alloc_f32(r, n_params);
    float *x = alloc_f32(r, n_steps * batch * n_in);
    float *y = alloc_f32(r, n_steps * batch * n_out);
    float *out0 = alloc_f32(r, batch * n_out);
    float loss0;
    read_f32(r, &loss0, 1);
    float *grad0 = alloc_f32(r, n_params);
    float *got = malloc(sizeof(float) * (size_t)(batch * n_out));
    float *want_losses = malloc(sizeof(float) * (size_t)n_steps);
    float *want_params = malloc(sizeof(float) * (size_t)n_params);
    int well_formed = r->ok && got && want_losses && want_params;

    nn_model *m = well_formed ? nn_create_layers(n_layers, desc, in_shape, loss, 1u, batch) : NULL;
    if (well_formed && !m) {
        fprintf(stderr, "FAIL %s: nn_create_layers refused: %s\n", name,
                nn_status_str(nn_check_layers(n_layers, desc, in_shape, loss, batch)));
        t->failures++;
    }
    if (m && !same_blocks(m, n_blocks, block_len, n_out)) {
        fprintf(stderr, "FAIL %s: the core's parameter blocks or output size differ from PyTorch's\n", name);
        t->failures++;
        nn_destroy(m);
        m = NULL;
    }
    if (m) {
        if (nn_param_count(m) != n_params) {
            fprintf(stderr, "FAIL %s: nn_param_count %d, fixture has %d\n", name,
                    nn_param_count(m), n_params);
            t->failures++;
        } else {
            int st = nn_load_params(m, params0, n_params);
            if (st == NN_OK) st = nn_forward(m, x, batch, got);
            if (st != NN_OK) {
                fprintf(stderr, "FAIL %s: load/forward status %s\n", name, nn_status_str(st));
                t->failures++;
            }
            record(t, block_error(got, out0, batch * n_out, FLOOR_FRACTION), name, "forward");
            nn_set_regularization(m, NN_REG_NONE, 0.0f);
            float l = nn_compute_gradients(m, x, y, batch);
            record(t, block_error(&l, &loss0, 1, 0), name, "loss");
            record(t, params_error(nn_grads(m), grad0, n_blocks, block_len), name, "gradients");
        }
    }
    for (int k = 0; k < n_traj; k++) {
        int opt = read_i32(r);
        float hyper[4], rate, clip;
        read_f32(r, hyper, 4);
        int reg = read_i32(r);
        read_f32(r, &rate, 1);
        read_f32(r, &clip, 1);
        read_f32(r, want_losses, n_steps);
        read_f32(r, want_params, n_params);
        if (!r->ok || !m || nn_param_count(m) != n_params) continue;
        char what[48];
        snprintf(what, sizeof what, "%s/%s%s",
                 opt >= 0 && opt < 3 ? OPT_NAMES[opt] : "?", reg >= 0 && reg < 3 ? REG_NAMES[reg] : "?",
                 clip > 0 ? "/clipped" : "");
        /* A fresh model: loading parameters keeps optimizer state, and every
         * trajectory starts from none, like a newly built torch optimizer. */
        nn_model *mt = nn_create_layers(n_layers, desc, in_shape, loss, 1u, batch);
        int st = mt ? nn_load_params(mt, params0, n_params) : NN_ERR_NOMEM;
        if (st == NN_OK) st = nn_set_optimizer(mt, opt, hyper[0], hyper[1], hyper[2], hyper[3]);
        if (st == NN_OK) st = nn_set_regularization(mt, reg, rate);
        if (st == NN_OK) st = nn_set_clip_norm(mt, clip);
        if (st != NN_OK) {
            fprintf(stderr, "FAIL %s %s: setup status %s\n", name, what, nn_status_str(st));
            t->failures++;
            nn_destroy(mt);
            continue;
        }
        float losses[16];
        for (int s = 0; s < n_steps && s < 16; s++)
            losses[s] = nn_train_step(mt, x + (size_t)s * batch * n_in, y + (size_t)s * batch * n_out, batch);
        char what_loss[128];
        snprintf(what_loss, sizeof what_loss, "%s step losses", what);
        record(t, block_error(losses, want_losses, n_steps < 16 ? n_steps : 16, 0), name, what_loss);
        char what_params[128];
        snprintf(what_params, sizeof what_params, "%s parameters after %d steps", what, n_steps);
        record(t, params_error(nn_params(mt), want_params, n_blocks, block_len), name, what_params);
        nn_destroy(mt);
    }
    nn_destroy(m);
    free(params0); free(x); free(y); free(out0); free(grad0);
    free(got); free(want_losses); free(want_params);
    return r->ok;
}

int main(void) {
    char path[1024];
    long size = 0;
    unsigned char *data = read_fixture("fixtures.bin", path, sizeof path, &size);
    if (!data)
        return 1;
    reader r = {data, data + size, 1};
    int ok = size >= 12 && memcmp(data, "NNRF", 4) == 0;
    r.p += 4;
    int version = read_i32(&r), n_cases = read_i32(&r);
    if (!ok || version != 3 || n_cases < 1) {
        fprintf(stderr, "FAIL: %s is not a version-3 fixture file\n", path);
        free(data);
        return 1;
    }
    tally t = {0, "", 0, 0};
    for (int c = 0; c < n_cases; c++) {
        if (!check_case(&r, &t)) {
            fprintf(stderr, "FAIL: %s is truncated or malformed at case %d\n", path, c);
            free(data);
            return 1;
        }
    }
    if (r.p != r.end) {
        fprintf(stderr, "FAIL: %s has %ld trailing bytes\n", path, (long)(r.end - r.p));
        t.failures++;
    }
    free(data);
    printf("reference: %d cases, %d checks, largest relative error %.3e (%s), tolerance %.0e\n",
           n_cases, t.checks, t.worst, t.where, REL_TOL);
    if (t.failures) {
        fprintf(stderr, "reference: %d check(s) failed\n", t.failures);
        return 1;
    }
    return 0;
}
