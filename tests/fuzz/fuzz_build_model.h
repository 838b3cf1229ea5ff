/* fuzz_build_model.h — the models fuzz_model_ops.c drives: layer widths
 * and a loss that fits, a small recurrent model, a small CNN (the dense
 * models are built in the target itself). */
#ifndef FUZZ_BUILD_MODEL_H
#define FUZZ_BUILD_MODEL_H

#include "fuzz_model.h"

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

/* A loss that fits the output activation (pick: BCE / CE when they can). */
static int loss_for(int out_act, int pick)
{
    return out_act == NN_ACT_SIGMOID && pick ? NN_LOSS_BCE
         : out_act == NN_ACT_SOFTMAX && pick ? NN_LOSS_CE
         : NN_LOSS_MSE;
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

#endif
