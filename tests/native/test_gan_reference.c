/* test_gan_reference.c — the core's GAN iterations against PyTorch
 * (tests/reference/gan_fixtures.bin, written by make_gan_fixtures.py).
 *
 * Per case (a 2-D MLP GAN, a deeper tanh/leaky/sigmoid one, a dense G with a
 * conv D; BCE and least squares) and per trajectory (SGD, momentum, Adam with
 * beta1 0.5, and SGD for D with Adam for G), from the fixture's parameters and
 * fresh optimizers, 3 iterations of nn_gan_step_d then nn_gan_step_g; after
 * each step the stats (loss, mean D on real / generated rows) and every
 * parameter of the stepped network, against float64 PyTorch. D's parameters
 * must come out of each G step bit for bit as they went in. And
 * nn_gan_sample_grad (per-sample dl_G/dx) at D's initial parameters.
 *
 * Tolerance and measure as tests/native/test_reference.c (relative 1e-5 per
 * parameter block, floor 0.1 of the block's largest entry; losses purely
 * relative; the two mean scores of a D step as one block).
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
#define MAX_BLOCKS (4 * MAX_LAYERS)

#include "fixture_reader.h"

typedef struct {
    int n_layers;
    int32_t in_shape[3];
    int32_t desc[MAX_LAYERS * NN_DESC_INTS];
    int n_params, n_blocks;
    int block_len[MAX_BLOCKS];
} net;

static double net_params_error(const float *got, const float *want, const net *n) {
    return params_error(got, want, n->n_blocks, n->block_len);
}

static int read_net(reader *r, net *n) {
    n->n_layers = read_i32(r);
    if (!r->ok || n->n_layers < 1 || n->n_layers > MAX_LAYERS) return 0;
    for (int i = 0; i < 3; i++) n->in_shape[i] = read_i32(r);
    for (int i = 0; i < n->n_layers * NN_DESC_INTS; i++) n->desc[i] = read_i32(r);
    return r->ok;
}

static int read_blocks(reader *r, net *n) {
    n->n_params = read_i32(r);
    n->n_blocks = read_i32(r);
    if (!r->ok || n->n_params < 1 || n->n_blocks < 1 || n->n_blocks > MAX_BLOCKS) return 0;
    int total = 0;
    for (int b = 0; b < n->n_blocks; b++) total += n->block_len[b] = read_i32(r);
    return r->ok && total == n->n_params;
}

static int n_inputs(const net *n) { return n->in_shape[0] * n->in_shape[1] * n->in_shape[2]; }

static void fail(tally *t, const char *name, const char *what, int st) {
    t->failures++;
    t->checks++;
    fprintf(stderr, "FAIL %s: %s (%s)\n", name, what, nn_status_str(st));
}

static nn_model *make(const net *n, const float *params0, int max_batch, int opt, const float *hyper) {
    nn_model *m = nn_create_layers(n->n_layers, n->desc, n->in_shape, NN_LOSS_MSE, 1u, max_batch);
    if (!m) return NULL;
    if (nn_param_count(m) != n->n_params || nn_load_params(m, params0, n->n_params) != NN_OK ||
        nn_set_optimizer(m, opt, hyper[0], hyper[1], hyper[2], hyper[3]) != NN_OK) {
        nn_destroy(m);
        return NULL;
    }
    return m;
}

static const char *OPT_NAMES[] = {"sgd", "momentum", "adam"};

static int check_case(reader *r, tally *t) {
    char name[49] = {0};
    if (r->end - r->p < 48) return 0;
    memcpy(name, r->p, 48);
    r->p += 48;
    net g, d;
    if (!read_net(r, &g) || !read_net(r, &d)) return 0;
    int loss = read_i32(r), batch = read_i32(r), n_iters = read_i32(r), n_traj = read_i32(r);
    if (!r->ok || batch < 1 || n_iters < 1 || n_iters > 16 || n_traj < 1) return 0;
    if (!read_blocks(r, &g) || !read_blocks(r, &d)) return 0;
    int g_in = n_inputs(&g), d_in = n_inputs(&d);
    float *g0 = alloc_f32(r, g.n_params), *d0 = alloc_f32(r, d.n_params);
    float *real = alloc_f32(r, n_iters * batch * d_in);
    float *noise_d = alloc_f32(r, n_iters * batch * g_in), *noise_g = alloc_f32(r, n_iters * batch * g_in);
    float *want_sg = alloc_f32(r, batch * d_in), *got_sg = calloc((size_t)(batch * d_in), sizeof(float));
    float *want_g = malloc(sizeof(float) * (size_t)g.n_params), *want_d = malloc(sizeof(float) * (size_t)d.n_params);
    float *d_before = malloc(sizeof(float) * (size_t)d.n_params);
    int ok = r->ok && want_g && want_d && d_before && got_sg;
    if (ok) { /* per-sample gradients at D's initial parameters, on the first real batch */
        float hyper[4] = {0.1f, 0, 0, 0};
        nn_model *md = make(&d, d0, batch, NN_OPT_SGD, hyper);
        int st = md ? nn_gan_sample_grad(md, real, batch, loss, got_sg) : NN_ERR_NOMEM;
        if (st != NN_OK) fail(t, name, "nn_gan_sample_grad", st);
        record(t, block_error(got_sg, want_sg, batch * d_in, FLOOR_FRACTION), name, "sample gradients");
        t->checks++;
        if (md && memcmp(nn_params(md), d0, sizeof(float) * (size_t)d.n_params) != 0) {
            t->failures++;
            fprintf(stderr, "FAIL %s: nn_gan_sample_grad changed D's parameters\n", name);
        }
        nn_destroy(md);
    }
    for (int k = 0; ok && k < n_traj; k++) {
        int opt_d = read_i32(r);
        float hyper_d[4], hyper_g[4];
        read_f32(r, hyper_d, 4);
        int opt_g = read_i32(r);
        read_f32(r, hyper_g, 4);
        if (!r->ok || opt_d < 0 || opt_d > 2 || opt_g < 0 || opt_g > 2) { ok = 0; break; }
        char traj[64];
        snprintf(traj, sizeof traj, "D %s / G %s", OPT_NAMES[opt_d], OPT_NAMES[opt_g]);
        nn_model *mg = make(&g, g0, batch, opt_g, hyper_g), *md = make(&d, d0, 2 * batch, opt_d, hyper_d);
        if (!mg || !md) fail(t, name, "the fixture's networks do not build in the core", NN_ERR_NOMEM);
        for (int it = 0; it < n_iters; it++) {
            float want_ds[3], want_gs[3], got_ds[3] = {0}, got_gs[3] = {0};
            read_f32(r, want_ds, 3);
            read_f32(r, want_d, d.n_params);
            read_f32(r, want_gs, 3);
            read_f32(r, want_g, g.n_params);
            if (!r->ok) { ok = 0; break; }
            if (!mg || !md) continue;
            char what[160];
            int st = nn_gan_step_d(md, mg, real + (size_t)it * batch * d_in, noise_d + (size_t)it * batch * g_in,
                                   batch, loss, got_ds);
            if (st != NN_OK) fail(t, name, "nn_gan_step_d", st);
            snprintf(what, sizeof what, "%s iteration %d: D step loss", traj, it + 1);
            record(t, block_error(got_ds, want_ds, 1, 0), name, what);
            snprintf(what, sizeof what, "%s iteration %d: D step mean scores", traj, it + 1);
            record(t, block_error(got_ds + 1, want_ds + 1, 2, FLOOR_FRACTION), name, what);
            snprintf(what, sizeof what, "%s iteration %d: D's parameters after its step", traj, it + 1);
            record(t, net_params_error(nn_params(md), want_d, &d), name, what);

            memcpy(d_before, nn_params(md), sizeof(float) * (size_t)d.n_params);
            st = nn_gan_step_g(mg, md, noise_g + (size_t)it * batch * g_in, batch, loss, got_gs);
            if (st != NN_OK) fail(t, name, "nn_gan_step_g", st);
            snprintf(what, sizeof what, "%s iteration %d: G step loss", traj, it + 1);
            record(t, block_error(got_gs, want_gs, 1, 0), name, what);
            snprintf(what, sizeof what, "%s iteration %d: G step mean score", traj, it + 1);
            record(t, block_error(got_gs + 2, want_gs + 2, 1, 0), name, what);
            snprintf(what, sizeof what, "%s iteration %d: G's parameters after its step", traj, it + 1);
            record(t, net_params_error(nn_params(mg), want_g, &g), name, what);
            t->checks++;
            if (got_gs[1] != 0.0f || memcmp(d_before, nn_params(md), sizeof(float) * (size_t)d.n_params) != 0) {
                t->failures++;
                fprintf(stderr, "FAIL %s: %s iteration %d: the G step changed D or reported a real score\n",
                        name, traj, it + 1);
            }
        }
        nn_destroy(mg);
        nn_destroy(md);
    }
    free(g0); free(d0); free(real); free(noise_d); free(noise_g); free(want_sg); free(got_sg);
    free(want_g); free(want_d); free(d_before);
    return ok && r->ok;
}

int main(void) {
    char path[1024];
    long size = 0;
    unsigned char *data = read_fixture("gan_fixtures.bin", path, sizeof path, &size);
    if (!data)
        return 1;
    reader r = {data, data + size, 1};
    int ok = size >= 12 && memcmp(data, "NNGF", 4) == 0;
    r.p += 4;
    int version = read_i32(&r), n_cases = read_i32(&r);
    if (!ok || version != 1 || n_cases < 1) {
        fprintf(stderr, "FAIL: %s is not a version-1 GAN fixture file\n", path);
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
    printf("gan reference: %d cases, %d checks, largest relative error %.3e (%s), tolerance %.0e\n",
           n_cases, t.checks, t.worst, t.where, REL_TOL);
    if (t.failures) {
        fprintf(stderr, "gan reference: %d check(s) failed\n", t.failures);
        return 1;
    }
    return 0;
}
