/* layer_recurrent.c — the RNN (Elman, tanh) and LSTM layer kinds, with
 * backprop through time: torch.nn.RNN / torch.nn.LSTM(F, H,
 * batch_first=True), one layer each.
 *
 * Descriptor ints: [2] hidden size H, [3] return_sequences (0/1); the input
 * is T x F x 1. G = 1 (RNN) or 4 (LSTM, gates i, f, g, o). Blocks in
 * PyTorch's order: weight_ih [GH x F], weight_hh [GH x H], bias_ih [GH],
 * bias_hh [GH]. aux holds both weights transposed for the forward products.
 *
 * Inside, everything is time-major ([T x B x ...]): step t of the whole
 * batch is one contiguous [B x ...] block, so the recurrent product of a
 * step is one nn_gemm, and the input projection (all steps at once) and both
 * weight gradients (all steps summed) are one nn_gemm each over T*B rows.
 * The buffers are laid out for the call's batch B, so forward and backward
 * must see the same batch (the model guarantees it). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "layer.h"

static int n_gates(const nn_layer *L)
{
    return L->desc[0] == NN_LAYER_LSTM ? 4 : 1;
}

/* The layer's dimensions. */
typedef struct {
    int T, F, H, G, GH, seq;
} dims;

static dims dims_of(const nn_layer *L)
{
    dims d;
    d.T = L->in.c;
    d.F = L->in.h;
    d.H = L->desc[2];
    d.G = n_gates(L);
    d.GH = d.G * d.H;
    d.seq = L->desc[3];
    return d;
}

/* The scratch buffers for batch B (time-major). */
typedef struct {
    float *xt;   /* [T x B x F] the input */
    float *hs;   /* [(T+1) x B x H] h_{-1} (the initial state), h_0 .. h_{T-1} */
    float *pre;  /* [T x B x GH] pre-activations; LSTM: then the gates i, f, g, o */
    float *dpre; /* [T x B x GH] dL/d pre-activation */
    float *dh;   /* [T x B x H] dL/dh_t through time */
    float *cs;   /* LSTM [(T+1) x B x H] c_{-1} .. c_{T-1} */
    float *tc;   /* LSTM [T x B x H] tanh(c_t) */
    float *tmp;  /* [B x GH] one step's recurrent product */
    float *dc;   /* LSTM [B x H] dL/dc carried down the steps */
    float *dxt;  /* [T x B x F] dL/dx, time-major */
    float *wt;   /* [F x GH] the transposed weight_ih gradient */
} bufs;

/* Floats of bufs for batch B (LSTM when lstm), in 64 bits. */
static int64_t bufs_floats(dims d, int64_t B, int lstm)
{
    int64_t T = d.T, F = d.F, H = d.H, GH = d.GH;
    int64_t n = T * B * F * 2 + (T + 1) * B * H + T * B * GH * 2 + T * B * H + B * GH + F * GH;
    if (lstm)
        n += (T + 1) * B * H + T * B * H + B * H;
    return n;
}

static bufs bufs_of(const nn_layer *L, dims d, int B)
{
    bufs b;
    float *p = L->scratch;
    size_t T = (size_t)d.T, F = (size_t)d.F, H = (size_t)d.H, GH = (size_t)d.GH, nb = (size_t)B;
    int lstm = d.G == 4;
    b.xt = p;   p += T * nb * F;
    b.hs = p;   p += (T + 1) * nb * H;
    b.pre = p;  p += T * nb * GH;
    b.dpre = p; p += T * nb * GH;
    b.dh = p;   p += T * nb * H;
    b.tmp = p;  p += nb * GH;
    b.dxt = p;  p += T * nb * F;
    b.wt = p;   p += F * GH;
    b.cs = lstm ? p : 0;  p += lstm ? (T + 1) * nb * H : 0;
    b.tc = lstm ? p : 0;  p += lstm ? T * nb * H : 0;
    b.dc = lstm ? p : 0;
    return b;
}

/* 1 when at least half of v[n] is zero (one-hot characters: nearly all). */
static int mostly_zero(const float *v, long n)
{
    long zeros = 0;
    for (long i = 0; i < n; i++)
        zeros += v[i] == 0.0f;
    return 2 * zeros >= n;
}

/* One LSTM step for the batch: pre [B x 4H] (x and h products summed) ->
 * gates in place (i, f, o sigmoid; g tanh), c = f c_prev + i g (torch's
 * order), tc = tanh(c), h = o tc. */
static void lstm_cell(float *pre, float *c, float *tc, float *h, const float *c_prev, int B,
                      int H)
{
    for (int b = 0; b < B; b++) {
        float *g = pre + (size_t)b * 4 * H;
        nn_sigmoid_array(g, g, 2 * (long)H);
        nn_tanh_array(g + 2 * H, g + 2 * H, H);
        nn_sigmoid_array(g + 3 * H, g + 3 * H, H);
        const float *cp = c_prev + (size_t)b * H;
        float *cb = c + (size_t)b * H;
        for (int j = 0; j < H; j++)
            cb[j] = g[H + j] * cp[j] + g[j] * g[2 * H + j];
    }
    nn_tanh_array(tc, c, (long)B * H);
    for (int b = 0; b < B; b++) {
        const float *o = pre + (size_t)b * 4 * H + 3 * H;
        for (int j = 0; j < H; j++)
            h[(size_t)b * H + j] = o[j] * tc[(size_t)b * H + j];
    }
}

static void forward(const nn_layer *L, float *out, const float *in, int batch)
{
    dims d = dims_of(L);
    bufs s = bufs_of(L, d, batch);
    int B = batch, T = d.T, F = d.F, H = d.H, GH = d.GH, lstm = d.G == 4;
    size_t BH = (size_t)B * H, BGH = (size_t)B * GH;
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++)
            memcpy(s.xt + ((size_t)t * B + b) * F, in + ((size_t)b * T + t) * F,
                   (size_t)F * sizeof(float));
    /* the initial state: zero, or the carried rows */
    for (int b = 0; b < B; b++) {
        const float *st = L->carry ? L->state + (size_t)b * L->state_floats : 0;
        if (st)
            memcpy(s.hs + (size_t)b * H, st, (size_t)H * sizeof(float));
        else
            memset(s.hs + (size_t)b * H, 0, (size_t)H * sizeof(float));
        if (lstm) {
            if (st)
                memcpy(s.cs + (size_t)b * H, st + H, (size_t)H * sizeof(float));
            else
                memset(s.cs + (size_t)b * H, 0, (size_t)H * sizeof(float));
        }
    }
    const float *wih_t = L->aux, *whh_t = L->aux + (size_t)F * GH;
    /* every step's input projection at once: pre = x W_ih^T + b_ih */
    nn_gemm(s.pre, s.xt, F, 1, wih_t, L->p[2], T * B, GH, F);
    for (int t = 0; t < T; t++) {
        float *pre = s.pre + t * BGH, *h = s.hs + (t + 1) * BH;
        /* + (h_{t-1} W_hh^T + b_hh), summed as torch does */
        nn_gemm(s.tmp, s.hs + t * BH, H, 1, whh_t, L->p[3], B, GH, H);
        for (size_t i = 0; i < BGH; i++)
            pre[i] += s.tmp[i];
        if (lstm)
            lstm_cell(pre, s.cs + (t + 1) * BH, s.tc + t * BH, h, s.cs + t * BH, B, H);
        else
            nn_tanh_array(h, pre, (long)BH);
    }
    if (d.seq) {
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                memcpy(out + ((size_t)b * T + t) * H, s.hs + ((size_t)(t + 1) * B + b) * H,
                       (size_t)H * sizeof(float));
    } else {
        memcpy(out, s.hs + (size_t)T * BH, BH * sizeof(float));
    }
    if (L->carry)
        for (int b = 0; b < B; b++) {
            float *st = L->state + (size_t)b * L->state_floats;
            memcpy(st, s.hs + (size_t)T * BH + (size_t)b * H, (size_t)H * sizeof(float));
            if (lstm)
                memcpy(st + H, s.cs + (size_t)T * BH + (size_t)b * H, (size_t)H * sizeof(float));
        }
}

/* dpre for one LSTM step from dh (total dL/dh_t) and the carried dL/dc,
 * which it updates to dL/dc_{t-1}. */
static void lstm_cell_backward(float *dpre, float *dc, const float *dh, const float *gates,
                               const float *tc, const float *c_prev, int B, int H)
{
    for (int b = 0; b < B; b++) {
        const float *g = gates + (size_t)b * 4 * H;
        float *dp = dpre + (size_t)b * 4 * H;
        for (int j = 0; j < H; j++) {
            size_t k = (size_t)b * H + j;
            float i = g[j], f = g[H + j], c = g[2 * H + j], o = g[3 * H + j];
            float t = tc[k], dhv = dh[k];
            float dcv = dc[k] + dhv * o * (1.0f - t * t);
            dp[j] = dcv * c * (i * (1.0f - i));
            dp[H + j] = dcv * c_prev[k] * (f * (1.0f - f));
            dp[2 * H + j] = dcv * i * (1.0f - c * c);
            dp[3 * H + j] = dhv * t * (o * (1.0f - o));
            dc[k] = dcv * f;
        }
    }
}

static void backward(nn_layer *L, float *din, const float *dout, const float *in, int batch)
{
    (void)in; /* the forward kept its time-major copy */
    dims d = dims_of(L);
    bufs s = bufs_of(L, d, batch);
    int B = batch, T = d.T, F = d.F, H = d.H, GH = d.GH, lstm = d.G == 4;
    size_t BH = (size_t)B * H, BGH = (size_t)B * GH;
    /* the output's gradient, time-major; steps without an output get 0 */
    if (d.seq) {
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                memcpy(s.dh + ((size_t)t * B + b) * H, dout + ((size_t)b * T + t) * H,
                       (size_t)H * sizeof(float));
    } else {
        memset(s.dh, 0, (size_t)(T - 1) * BH * sizeof(float));
        memcpy(s.dh + (size_t)(T - 1) * BH, dout, BH * sizeof(float));
    }
    if (lstm)
        memset(s.dc, 0, BH * sizeof(float));
    const float *whh = L->p[1];
    for (int t = T - 1; t >= 0; t--) {
        float *dh = s.dh + t * BH, *dp = s.dpre + t * BGH;
        if (lstm) {
            lstm_cell_backward(dp, s.dc, dh, s.pre + t * BGH, s.tc + t * BH, s.cs + t * BH, B, H);
        } else {
            const float *h = s.hs + (t + 1) * BH;
            for (size_t i = 0; i < BH; i++)
                dp[i] = dh[i] * (1.0f - h[i] * h[i]);
        }
        if (t > 0) { /* the recurrent path: dL/dh_{t-1} += dpre_t W_hh */
            nn_gemm(s.tmp, dp, GH, 1, whh, 0, B, H, GH);
            float *prev = s.dh + (t - 1) * BH;
            for (size_t i = 0; i < BH; i++)
                prev[i] += s.tmp[i];
        }
    }
    /* weight gradients summed over every step and row: dpre^T . x, dpre^T . h_prev */
    int rows = T * B;
    if (mostly_zero(s.xt, (long)rows * F)) {
        /* one-hot input: x as the left operand, whose zeros nn_gemm skips;
         * the same products summed in the same order */
        nn_gemm(s.wt, s.xt, 1, F, s.dpre, 0, F, GH, rows);
        nn_transpose(L->g[0], s.wt, F, GH);
    } else {
        nn_gemm(L->g[0], s.dpre, 1, GH, s.xt, 0, GH, F, rows);
    }
    nn_gemm(L->g[1], s.dpre, 1, GH, s.hs, 0, GH, H, rows);
    nn_col_sums(L->g[2], s.dpre, rows, GH);
    memcpy(L->g[3], L->g[2], (size_t)GH * sizeof(float));
    if (din) {
        nn_gemm(s.dxt, s.dpre, GH, 1, L->p[0], 0, rows, F, GH);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                memcpy(din + ((size_t)b * T + t) * F, s.dxt + ((size_t)t * B + b) * F,
                       (size_t)F * sizeof(float));
    }
}

/* ---- the table entries ---- */

static int check(const int32_t *cfg, nn_shape in, nn_shape *out)
{
    if (cfg[0] < 1 || cfg[0] > NN_MAX_WIDTH)
        return NN_ERR_SIZE;
    if (cfg[1] != 0 && cfg[1] != 1)
        return NN_ERR_LAYER_CONFIG;
    for (int i = 2; i < NN_KIND_INTS; i++)
        if (cfg[i] != 0)
            return NN_ERR_LAYER_CONFIG;
    if (in.w != 1) /* a sequence is T x F x 1 */
        return NN_ERR_LAYER_CONFIG;
    if (cfg[1] && (int64_t)in.c * cfg[0] > NN_MAX_WIDTH)
        return NN_ERR_SIZE;
    *out = cfg[1] ? (nn_shape){in.c, cfg[0], 1} : (nn_shape){cfg[0], 1, 1};
    return NN_OK;
}

static int blocks(const nn_layer *L, nn_block_spec *spec)
{
    dims d = dims_of(L);
    spec[0] = (nn_block_spec){2, {d.GH, d.F, 1, 1}, 1};
    spec[1] = (nn_block_spec){2, {d.GH, d.H, 1, 1}, 1};
    spec[2] = (nn_block_spec){1, {d.GH, 1, 1, 1}, 0};
    spec[3] = (nn_block_spec){1, {d.GH, 1, 1, 1}, 0};
    return 4;
}

/* Past NN_MAX_FLOATS the model is refused anyway: clamping keeps the
 * model's 64-bit sums of many layers from overflowing. */
static int64_t clamp(int64_t n)
{
    return n > NN_MAX_FLOATS ? (int64_t)NN_MAX_FLOATS + 1 : n;
}

static int64_t aux_floats(const nn_layer *L)
{
    dims d = dims_of(L);
    return clamp(((int64_t)d.F + d.H) * d.GH);
}

static int64_t scratch_floats(const nn_layer *L, int max_batch)
{
    /* each factor <= 2^22 and T*B*F, T*B*H <= 2^36: no product overflows */
    return clamp(bufs_floats(dims_of(L), max_batch, n_gates(L) == 4));
}

static void init(nn_layer *L, uint32_t rng[4])
{
    /* torch's reset_parameters: every value U(-1/sqrt(H), 1/sqrt(H)) */
    float bound = (float)(1.0 / sqrt((double)L->desc[2]));
    for (int b = 0; b < 4; b++)
        for (int64_t i = 0; i < L->block_len[b]; i++)
            L->p[b][i] = nn_rng_uniform(rng, bound);
}

static void sync(nn_layer *L)
{
    dims d = dims_of(L);
    nn_transpose(L->aux, L->p[0], d.GH, d.F);
    nn_transpose(L->aux + (size_t)d.F * d.GH, L->p[1], d.GH, d.H);
}

static int steps(const nn_layer *L)
{
    return L->desc[3] ? L->in.c : 1;
}

static int state_floats(const nn_layer *L)
{
    return (n_gates(L) == 4 ? 2 : 1) * L->desc[2];
}

static double sigmoid_f64(double v)
{
    double e = nn_exp(-fabs(v));
    return v >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

static double tanh_f64(double v)
{
    double t = nn_expm1(-2.0 * fabs(v)), r = -t / (t + 2.0);
    return v < 0.0 ? -r : r;
}

/* The same layer in double, straight from the definition, one example. */
static int forward_f64(const nn_layer *L, const double *w, double *z, const double *in,
                       const float *state0)
{
    dims d = dims_of(L);
    const double *wih = w + L->param_offset, *whh = wih + L->block_len[0];
    const double *bih = whh + L->block_len[1], *bhh = bih + L->block_len[2];
    double *h = malloc(((size_t)2 * d.H + d.GH) * sizeof(double)); /* h, c, gates */
    if (!h)
        return NN_ERR_NOMEM;
    double *c = h + d.H, *g = h + 2 * d.H;
    for (int j = 0; j < d.H; j++) {
        h[j] = state0 ? state0[j] : 0.0;
        c[j] = state0 && d.G == 4 ? state0[d.H + j] : 0.0;
    }
    for (int t = 0; t < d.T; t++) {
        const double *x = in + (size_t)t * d.F;
        for (int r = 0; r < d.GH; r++) {
            double s = bih[r] + bhh[r];
            for (int k = 0; k < d.F; k++)
                s += wih[(size_t)r * d.F + k] * x[k];
            for (int k = 0; k < d.H; k++)
                s += whh[(size_t)r * d.H + k] * h[k];
            g[r] = s;
        }
        for (int j = 0; j < d.H; j++) {
            if (d.G == 4) {
                double i = sigmoid_f64(g[j]), f = sigmoid_f64(g[d.H + j]);
                double gg = tanh_f64(g[2 * d.H + j]), o = sigmoid_f64(g[3 * d.H + j]);
                c[j] = f * c[j] + i * gg;
                h[j] = o * tanh_f64(c[j]);
            } else {
                h[j] = tanh_f64(g[j]);
            }
        }
        if (d.seq)
            memcpy(z + (size_t)t * d.H, h, (size_t)d.H * sizeof(double));
    }
    if (!d.seq)
        memcpy(z, h, (size_t)d.H * sizeof(double));
    free(h);
    return NN_OK;
}

static int64_t view_floats(const nn_layer *L)
{
    return (int64_t)(n_gates(L) == 4 ? 7 : 2) * L->in.c * L->desc[2];
}

/* h_t, dL/dh_t, then (LSTM) c_t, i, f, g, o: [T x H] each, batch 1. */
static void views(const nn_layer *L, float *out)
{
    dims d = dims_of(L);
    bufs s = bufs_of(L, d, 1);
    size_t TH = (size_t)d.T * d.H, H = (size_t)d.H;
    memcpy(out, s.hs + H, TH * sizeof(float));
    memcpy(out + TH, s.dh, TH * sizeof(float));
    if (d.G != 4)
        return;
    memcpy(out + 2 * TH, s.cs + H, TH * sizeof(float));
    for (int t = 0; t < d.T; t++)
        for (int q = 0; q < 4; q++)
            memcpy(out + (3 + q) * TH + t * H, s.pre + ((size_t)t * 4 + q) * H,
                   H * sizeof(float));
}

static int64_t math_floats(const nn_layer *L)
{
    dims d = dims_of(L);
    return 2 * (int64_t)d.T * d.GH + 2 * (int64_t)d.T * d.H;
}

/* z_t (the pre-activations; LSTM i, f, g, o), dL/dz_t [T x GH] each, then
 * dL/dh_t's two parts [T x H] each: from the layer's output at t and from
 * step t+1, batch 1. The pre-activations are recomputed with the forward's
 * own calls (the LSTM forward turns them into gates in place), so they are
 * the forward's bit for bit; so is the recurrent part (the backward's call).
 * The output part is the rest: dL/dh_t minus the recurrent part. */
static void math_views(const nn_layer *L, float *out)
{
    dims d = dims_of(L);
    bufs s = bufs_of(L, d, 1);
    int T = d.T, F = d.F, H = d.H, GH = d.GH;
    size_t TGH = (size_t)T * GH, TH = (size_t)T * H;
    float *z = out, *dz = out + TGH, *from_out = out + 2 * TGH, *from_next = from_out + TH;
    const float *wih_t = L->aux, *whh_t = L->aux + (size_t)F * GH;
    nn_gemm(z, s.xt, F, 1, wih_t, L->p[2], T, GH, F);
    for (int t = 0; t < T; t++) {
        nn_gemm(s.tmp, s.hs + (size_t)t * H, H, 1, whh_t, L->p[3], 1, GH, H);
        for (int r = 0; r < GH; r++)
            z[(size_t)t * GH + r] += s.tmp[r];
    }
    memcpy(dz, s.dpre, TGH * sizeof(float));
    for (int t = 0; t < T; t++) {
        float *next = from_next + (size_t)t * H;
        if (t + 1 < T)
            nn_gemm(next, s.dpre + (size_t)(t + 1) * GH, GH, 1, L->p[1], 0, 1, H, GH);
        else
            memset(next, 0, (size_t)H * sizeof(float));
        for (int j = 0; j < H; j++)
            from_out[(size_t)t * H + j] = s.dh[(size_t)t * H + j] - next[j];
    }
}

const nn_layer_kind nn_layer_rnn = {
    .name = "rnn", .check = check, .blocks = blocks, .aux_floats = aux_floats,
    .scratch_floats = scratch_floats, .init = init, .forward = forward, .backward = backward,
    .sync = sync, .steps = steps, .state_floats = state_floats, .forward_f64 = forward_f64,
    .view_floats = view_floats, .views = views, .math_floats = math_floats,
    .math_views = math_views,
};

const nn_layer_kind nn_layer_lstm = {
    .name = "lstm", .check = check, .blocks = blocks, .aux_floats = aux_floats,
    .scratch_floats = scratch_floats, .init = init, .forward = forward, .backward = backward,
    .sync = sync, .steps = steps, .state_floats = state_floats, .forward_f64 = forward_f64,
    .view_floats = view_floats, .views = views, .math_floats = math_floats,
    .math_views = math_views,
};
