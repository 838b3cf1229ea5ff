/* fuzz_gan.c — the GAN calls (nn_gan_step_d, nn_gan_step_g,
 * nn_gan_sample_grad) on a fuzzed pair: G dense (1-3 layers of 1-8 units,
 * any activation), D dense or a small conv net over 1 x h x w, its last
 * layer mostly one linear unit (sometimes 2 units or another activation:
 * not a valid D), G's output mostly D's input; fuzzed max_batch and
 * optimizers (learning rates up to 1e30); then a fuzzed sequence of the
 * three calls with fuzzed batch sizes, losses (edge values: unknown ones),
 * NULLs, swapped or identical networks, and values with NaN and infinities.
 *
 * Every buffer holds exactly the rows the call is told it holds (one row
 * when the call must refuse the count first: an overread is an ASan
 * finding). Promises checked (nn.h): the status is one of the errors that
 * apply, or OK / NN_ERR_DIVERGED when none does; a refused or diverged call
 * changes neither network's parameters nor optimizer state; a D step never
 * changes G, a G step never changes D, nn_gan_sample_grad changes neither;
 * an accepted step reports a finite loss; parameters stay finite. */
#include "fuzz_input.h"

#define MAX_OPS 32
#define ERR(s) (1u << (unsigned)(-(s)))

typedef struct {
    nn_model *m;
    int in, out, max_batch, n_params;
} net;

/* What a network carries between calls: parameters and optimizer state. */
typedef struct {
    float *params, *state;
    double info[NN_OPTIM_INFO_DOUBLES];
} snap;

static void take(const net *n, snap *s)
{
    int p = n->n_params;
    s->params = fz_floats((size_t)p);
    s->state = fz_floats((size_t)p * 2);
    memcpy(s->params, nn_params(n->m), sizeof(float) * (size_t)p);
    FZ_REQUIRE(nn_optimizer_info(n->m, s->info) == NN_OK, "nn_optimizer_info");
    float *zeros = fz_floats((size_t)p), *preview = fz_floats((size_t)p * NN_PREVIEW_FLOATS);
    FZ_REQUIRE(nn_optimizer_preview(n->m, 0, p, zeros, preview) == NN_OK, "nn_optimizer_preview");
    for (int i = 0; i < p; i++) {
        s->state[2 * i] = preview[i * NN_PREVIEW_FLOATS + 2];
        s->state[2 * i + 1] = preview[i * NN_PREVIEW_FLOATS + 3];
    }
    free(zeros);
    free(preview);
}

/* Bit for bit what s holds (NaN payloads would count as changes too). */
static int same(const net *n, const snap *s)
{
    snap now;
    take(n, &now);
    int eq = memcmp(now.params, s->params, sizeof(float) * (size_t)n->n_params) == 0 &&
             memcmp(now.state, s->state, sizeof(float) * (size_t)n->n_params * 2) == 0 &&
             memcmp(now.info, s->info, sizeof now.info) == 0;
    free(now.params);
    free(now.state);
    return eq;
}

static void drop(snap *s)
{
    free(s->params);
    free(s->state);
}

static int activation(fz_input *in)
{
    uint8_t a = fz_u8(in);
    return a < 200 ? a % 5 : NN_ACT_SOFTMAX; /* softmax: only valid on an output layer */
}

/* G: noise [1..4] -> dense layers; its last layer's width `out_units`. */
static nn_model *make_g(fz_input *in, int out_units, int max_batch)
{
    int n = 1 + fz_u8(in) % 3;
    int32_t desc[3 * NN_DESC_INTS] = {0}, shape[3] = {1 + fz_u8(in) % 4, 1, 1};
    for (int l = 0; l < n; l++) {
        int32_t *d = desc + l * NN_DESC_INTS;
        d[0] = NN_LAYER_DENSE;
        d[1] = activation(in);
        d[2] = l == n - 1 ? out_units : 1 + fz_u8(in) % 8;
    }
    return nn_create_layers(n, desc, shape, NN_LOSS_MSE, fz_u32(in), max_batch);
}

/* D over `shape`: dense, or conv (2x2, 1-3 channels) then dense; the last
 * layer mostly one linear unit. */
static nn_model *make_d(fz_input *in, const int32_t *shape, int max_batch)
{
    int32_t desc[4 * NN_DESC_INTS] = {0};
    int n = 0;
    uint8_t kind = fz_u8(in);
    if (kind & 1 && shape[1] >= 2 && shape[2] >= 2) {
        int32_t *d = desc;
        d[0] = NN_LAYER_CONV2D, d[1] = activation(in) % 5, d[2] = 1 + fz_u8(in) % 3;
        d[3] = 2, d[4] = 2, d[5] = 1, d[6] = fz_u8(in) % 2;
        n = 1;
    }
    int hidden = fz_u8(in) % 3;
    for (int l = 0; l < hidden; l++, n++) {
        int32_t *d = desc + n * NN_DESC_INTS;
        d[0] = NN_LAYER_DENSE, d[1] = activation(in) % 5, d[2] = 1 + fz_u8(in) % 8;
    }
    int32_t *d = desc + n * NN_DESC_INTS;
    uint8_t head = fz_u8(in);
    d[0] = NN_LAYER_DENSE;
    d[1] = head < 224 ? NN_ACT_LINEAR : activation(in);
    d[2] = head >= 240 ? 2 : 1;
    return nn_create_layers(n + 1, desc, shape, NN_LOSS_MSE, fz_u32(in), max_batch);
}

static void set_optimizer(fz_input *in, nn_model *m)
{
    uint8_t sel = fz_u8(in);
    float lr = sel < 200 ? 0.001f * (float)(1 + sel % 50) : sel < 240 ? 1e30f : fz_float(in);
    nn_set_optimizer(m, fz_u8(in) % 3, lr, 0.5f, 0.999f, 1e-8f); /* a refused lr keeps the default */
}

static net wrap(nn_model *m)
{
    net n = {m, 0, 0, 0, 0};
    if (m) {
        n.in = nn_layer_size(m, 0);
        n.out = nn_layer_size(m, nn_n_layers(m));
        n.max_batch = nn_max_batch(m);
        n.n_params = nn_param_count(m);
    }
    return n;
}

/* Rows of `width` floats, mostly finite; *finite says whether all are. */
static float *rows_of(fz_input *in, int rows, int width, int *finite)
{
    size_t n = (size_t)(rows > 0 ? rows : 1) * (size_t)width;
    float *v = fz_floats(n);
    fz_fill(in, v, n);
    if (fz_u8(in) < 24) { /* now and then one NaN or infinity somewhere */
        static const float poison[] = {NAN, INFINITY, -INFINITY};
        v[fz_in_range(in, 0, (int)n - 1)] = poison[fz_u8(in) % 3];
    }
    *finite = fz_all_finite(v, n);
    return v;
}

/* Whether d can be a D for g (NULL g: d alone) under loss; the errors that apply. */
static unsigned pair_errors(const net *d, const net *g, int loss)
{
    unsigned e = 0;
    if (loss != NN_GAN_BCE && loss != NN_GAN_LEAST_SQUARES)
        e |= ERR(NN_ERR_LOSS);
    int32_t last[NN_DESC_INTS];
    nn_layer_desc(d->m, nn_n_layers(d->m) - 1, last);
    if (d->out != 1 || last[1] != NN_ACT_LINEAR || (g && (g->m == d->m || g->out != d->in)))
        e |= ERR(NN_ERR_GAN_PAIR);
    return e;
}

static void check_status(int st, unsigned allowed, const char *what)
{
    if (allowed)
        FZ_REQUIRE(st < 0 && (ERR(st) & allowed), "%s: status %d (%s), allowed mask %#x", what, st,
                   nn_status_str(st), allowed);
    else
        FZ_REQUIRE(st == NN_OK || st == NN_ERR_DIVERGED, "%s: status %d (%s) on valid input", what, st,
                   nn_status_str(st));
}

static void op_step(fz_input *in, net *a, net *b, int which)
{
    /* which 0: D step (a = D, b = G); 1: G step (a = G, b = D); mostly the
     * roles given, sometimes swapped or the same network twice */
    uint8_t roles = fz_u8(in);
    net *x = a, *y = roles < 16 ? a : b;
    if (roles >= 16 && roles < 32) x = b, y = a;
    net *d = which == 0 ? x : y, *g = which == 0 ? y : x;
    int loss = fz_int(in, 0, 1);
    int cap = which == 0 ? (d->max_batch / 2 < g->max_batch ? d->max_batch / 2 : g->max_batch)
                         : (d->max_batch < g->max_batch ? d->max_batch : g->max_batch);
    int batch = fz_int(in, 1, cap > 0 ? cap : 1);
    int batch_ok = batch >= 1 && batch <= cap;
    uint8_t nulls = fz_u8(in);
    int real_ok = 1, noise_ok = 1;
    float *real = which == 0 ? rows_of(in, batch_ok ? batch : 1, d->in, &real_ok) : NULL;
    float *noise = rows_of(in, batch_ok ? batch : 1, g->in, &noise_ok);
    float stats[NN_GAN_STATS];
    unsigned allowed = pair_errors(d, g, loss);
    if (!batch_ok)
        allowed |= ERR(NN_ERR_BATCH);
    if ((which == 0 && nulls == 1) || nulls == 2)
        allowed |= ERR(NN_ERR_NULL);
    /* a non-finite buffer that is passed (the core may check it before a NULL one) */
    if (batch_ok && ((which == 0 && nulls != 1 && !real_ok) || (nulls != 2 && !noise_ok)))
        allowed |= ERR(NN_ERR_NONFINITE);
    snap sd, sg;
    take(d, &sd);
    take(g, &sg);
    int st = which == 0 ? nn_gan_step_d(d->m, g->m, nulls == 1 ? NULL : real, nulls == 2 ? NULL : noise, batch, loss,
                                        nulls == 3 ? NULL : stats)
                        : nn_gan_step_g(g->m, d->m, nulls == 2 ? NULL : noise, batch, loss, nulls == 3 ? NULL : stats);
    const char *what = which == 0 ? "nn_gan_step_d" : "nn_gan_step_g";
    check_status(st, allowed, what);
    FZ_REQUIRE(nn_status(which == 0 ? d->m : g->m) == st, "%s: status %d, model's %d", what, st,
               nn_status(which == 0 ? d->m : g->m));
    if (st == NN_OK) {
        if (nulls != 3)
            FZ_REQUIRE(isfinite(stats[0]), "%s: OK with loss %g", what, (double)stats[0]);
        FZ_REQUIRE(same(which == 0 ? g : d, which == 0 ? &sg : &sd), "%s changed the other network", what);
    } else {
        FZ_REQUIRE(same(d, &sd) && same(g, &sg), "%s: status %d changed a network", what, st);
    }
    FZ_REQUIRE(fz_all_finite(nn_params(d->m), (size_t)d->n_params) &&
                   fz_all_finite(nn_params(g->m), (size_t)g->n_params),
               "%s: a non-finite parameter", what);
    drop(&sd);
    drop(&sg);
    free(real);
    free(noise);
}

static void op_sample_grad(fz_input *in, net *d)
{
    int loss = fz_int(in, 0, 1), n = fz_int(in, 1, d->max_batch);
    int n_ok = n >= 1 && n <= d->max_batch;
    uint8_t nulls = fz_u8(in);
    int finite = 1;
    float *x = rows_of(in, n_ok ? n : 1, d->in, &finite);
    float *out = fz_floats((size_t)(n_ok ? n : 1) * (size_t)d->in);
    unsigned allowed = pair_errors(d, NULL, loss) | (n_ok ? 0 : ERR(NN_ERR_BATCH));
    if (nulls == 1 || nulls == 2)
        allowed |= ERR(NN_ERR_NULL);
    if (n_ok && nulls != 1 && !finite)
        allowed |= ERR(NN_ERR_NONFINITE);
    snap s;
    take(d, &s);
    int st = nn_gan_sample_grad(d->m, nulls == 1 ? NULL : x, n, loss, nulls == 2 ? NULL : out);
    check_status(st, allowed, "nn_gan_sample_grad");
    FZ_REQUIRE(nn_status(d->m) == st, "nn_gan_sample_grad: status %d, model's %d", st, nn_status(d->m));
    if (st == NN_OK)
        FZ_REQUIRE(fz_all_finite(out, (size_t)n * (size_t)d->in), "nn_gan_sample_grad: OK with a non-finite gradient");
    FZ_REQUIRE(same(d, &s), "nn_gan_sample_grad changed D (status %d)", st);
    drop(&s);
    free(x);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    int32_t shape[3] = {1, 1 + fz_u8(&in) % 4, 1 + fz_u8(&in) % 4};
    if (fz_u8(&in) & 1) /* a flat sample: dense D */
        shape[0] = shape[1] * shape[2], shape[1] = shape[2] = 1;
    int sample = shape[0] * shape[1] * shape[2];
    int g_out = fz_u8(&in) < 240 ? sample : 1 + fz_u8(&in) % 8; /* sometimes not D's input */
    int gb = 1 + fz_u8(&in) % 6, db = 1 + fz_u8(&in) % 12;
    nn_model *gm = make_g(&in, g_out, gb), *dm = make_d(&in, shape, db);
    if (gm && dm) {
        net g = wrap(gm), d = wrap(dm);
        set_optimizer(&in, gm);
        set_optimizer(&in, dm);
        for (int op = 0; op < MAX_OPS && in.n; op++) {
            uint8_t sel = fz_u8(&in) % 3;
            if (sel == 2)
                op_sample_grad(&in, fz_u8(&in) < 16 ? &g : &d);
            else
                op_step(&in, sel == 0 ? &d : &g, sel == 0 ? &g : &d, sel);
        }
    }
    /* NULL models: refused, nothing read */
    float buf[4] = {0};
    FZ_REQUIRE(nn_gan_step_d(NULL, gm, buf, buf, 1, 0, NULL) == NN_ERR_NULL, "NULL d");
    FZ_REQUIRE(nn_gan_step_g(gm, NULL, buf, 1, 0, NULL) == NN_ERR_NULL, "NULL d in a G step");
    FZ_REQUIRE(nn_gan_sample_grad(NULL, buf, 1, 0, buf) == NN_ERR_NULL, "NULL d in sample grad");
    nn_destroy(gm);
    nn_destroy(dm);
    return 0;
}
