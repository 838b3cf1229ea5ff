/* test_gradcheck.c — the core's analytic gradients against central finite
 * differences of an independent double-precision forward pass, for every
 * hidden activation x every loss/output pair, several shapes (batch 1, no
 * hidden layer, width 1) and both regularisations. Also checks that the
 * core's own forward loss matches the double reference. */
#include <stdlib.h>
#include "test_util.h"

#define MAXL 4
#define MAXW 8
#define MAXB 5

typedef struct {
    int n_layers;
    int sizes[MAXL + 1];
    int act[MAXL];
    int loss;
    int batch;
    int reg;
    float reg_rate;
    int sparse_x; /* two thirds of the inputs zero: the first layer's weight
                     gradient then takes nn_dense_backward's transposed path */
} gc_case;

static double act_d(double z, int act)
{
    switch (act) {
    case NN_ACT_RELU: return z > 0 ? z : 0;
    case NN_ACT_LEAKY_RELU: return z > 0 ? z : 0.01 * z;
    case NN_ACT_TANH: return tanh(z);
    case NN_ACT_SIGMOID: return 1.0 / (1.0 + exp(-z));
    default: return z;
    }
}

/* log(sum_j exp(z[j])) over z [n], shifted by the largest z so exp cannot
 * overflow: the softmax output and the cross-entropy both take it. */
static double log_sum_exp(const double *z, int n)
{
    double mx = z[0], sum = 0;
    for (int j = 1; j < n; j++)
        mx = fmax(mx, z[j]);
    for (int j = 0; j < n; j++)
        sum += exp(z[j] - mx);
    return mx + log(sum);
}

/* Mean loss in double, parameters p in nn.h's layout, plus the penalty whose
 * gradient nn.h defines (L2: rate/2 * w^2, L1: rate * |w|). With dy (not
 * NULL) the "loss" is sum(dy * outputs) instead, whose gradient
 * nn_backward_from computes from dy. */
static double ref_loss(const gc_case *c, const double *p, const double *x, const float *y,
                       const float *dy)
{
    double a[MAXB][MAXW], z[MAXB][MAXW], in[MAXB][MAXW];
    for (int b = 0; b < c->batch; b++)
        for (int k = 0; k < c->sizes[0]; k++)
            in[b][k] = x[b * c->sizes[0] + k];
    const double *w = p;
    double penalty = 0;
    for (int l = 0; l < c->n_layers; l++) {
        int ni = c->sizes[l], no = c->sizes[l + 1];
        const double *bias = w + ni * no;
        for (int i = 0; i < ni * no; i++)
            penalty += c->reg == NN_REG_L2 ? 0.5 * c->reg_rate * w[i] * w[i]
                     : c->reg == NN_REG_L1 ? c->reg_rate * fabs(w[i]) : 0;
        for (int b = 0; b < c->batch; b++) {
            for (int j = 0; j < no; j++) {
                double s = bias[j];
                for (int k = 0; k < ni; k++)
                    s += w[j * ni + k] * in[b][k];
                z[b][j] = s;
                a[b][j] = act_d(s, c->act[l]);
            }
            if (c->act[l] == NN_ACT_SOFTMAX) {
                double lse = log_sum_exp(z[b], no);
                for (int j = 0; j < no; j++)
                    a[b][j] = exp(z[b][j] - lse);
            }
        }
        for (int b = 0; b < c->batch; b++)
            for (int j = 0; j < no; j++)
                in[b][j] = a[b][j];
        w = bias + no;
    }
    int no = c->sizes[c->n_layers];
    double total = 0;
    if (dy) {
        for (int b = 0; b < c->batch; b++)
            for (int j = 0; j < no; j++)
                total += dy[b * no + j] * a[b][j];
        return total + penalty;
    }
    for (int b = 0; b < c->batch; b++) {
        const float *t = y + b * no;
        if (c->loss == NN_LOSS_CE) {
            double lse = log_sum_exp(z[b], no);
            for (int j = 0; j < no; j++)
                total -= t[j] * (z[b][j] - lse);
        } else {
            for (int j = 0; j < no; j++) {
                if (c->loss == NN_LOSS_MSE)
                    total += (a[b][j] - t[j]) * (a[b][j] - t[j]);
                else
                    total -= t[j] * log(a[b][j]) + (1 - t[j]) * log(1 - a[b][j]);
            }
        }
    }
    double div = c->loss == NN_LOSS_CE ? c->batch : c->batch * no;
    return total / div + penalty;
}

static double worst_error = 0;

/* Largest error of g[n] against central differences of the reference in
 * v[n] (the parameters pd or the inputs xd, perturbed in place), relative
 * to the value with a floor at 1% of the largest gradient: float
 * accumulation error scales with the terms, not the sum. Checks that not
 * every gradient is zero unless the truth is (a dead ReLU of width 1 cuts
 * the input off). */
static double grad_error(const gc_case *c, double *pd, double *xd, const float *y,
                         const float *dy, double *v, int n, const float *g, const char *label)
{
    double *truth = malloc(sizeof(double) * (size_t)n);
    const double h = 1e-6;
    double gmax = 0, tmax = 0, err = 0;
    for (int i = 0; i < n; i++) {
        double keep = v[i];
        v[i] = keep + h;
        double lp = ref_loss(c, pd, xd, y, dy);
        v[i] = keep - h;
        double lm = ref_loss(c, pd, xd, y, dy);
        v[i] = keep;
        truth[i] = (lp - lm) / (2 * h);
        tmax = fmax(tmax, fabs(truth[i]));
        gmax = fmax(gmax, fabs(g[i]));
    }
    CHECK(gmax > 0 || tmax == 0, "%s: every gradient is zero", label);
    for (int i = 0; i < n; i++)
        err = fmax(err, fabs(g[i] - truth[i]) / (fabs(truth[i]) + 1e-2 * tmax));
    free(truth);
    return err;
}

/* The input gradient (NN_BACKWARD_INPUT_GRAD) after a loss, then the
 * parameter and input gradients of a caller-supplied output gradient
 * (nn_backward_from), against the double reference. */
static void check_split(nn_model *m, const gc_case *c, double *pd, const float *x,
                        const float *y, float loss, uint32_t *s, const char *label)
{
    char what[160];
    int ni = c->sizes[0], no = c->sizes[c->n_layers], count = nn_param_count(m);
    double xd[MAXB * MAXW];
    for (int i = 0; i < c->batch * ni; i++)
        xd[i] = x[i];
    CHECK(nn_forward_train(m, x, c->batch) == NN_OK, "%s: forward_train", label);
    float again = nn_backward(m, y, NN_BACKWARD_INPUT_GRAD);
    CHECK(memcmp(&again, &loss, sizeof loss) == 0, "%s: split loss %.9g vs %.9g", label, again, loss);
    const float *gx = nn_input_grad(m);
    CHECK(gx != NULL, "%s: no input gradient", label);
    if (!gx)
        return;
    snprintf(what, sizeof what, "%s, dL/dx", label);
    double err = grad_error(c, pd, xd, y, 0, xd, c->batch * ni, gx, what);
    CHECK(err < 1e-3, "%s: error %.3g", what, err);
    worst_error = fmax(worst_error, err);

    float dy[MAXB * MAXW];
    for (int i = 0; i < c->batch * no; i++)
        dy[i] = tu_uniform(s);
    CHECK(nn_backward_from(m, dy, NN_BACKWARD_INPUT_GRAD) == NN_OK, "%s: backward_from", label);
    snprintf(what, sizeof what, "%s, caller's dL/dy: parameters", label);
    err = grad_error(c, pd, xd, 0, dy, pd, count, nn_grads(m), what);
    CHECK(err < 1e-3, "%s: error %.3g", what, err);
    worst_error = fmax(worst_error, err);
    snprintf(what, sizeof what, "%s, caller's dL/dy: inputs", label);
    err = grad_error(c, pd, xd, 0, dy, xd, c->batch * ni, nn_input_grad(m), what);
    CHECK(err < 1e-3, "%s: error %.3g", what, err);
    worst_error = fmax(worst_error, err);
}

static void run_case(const gc_case *c, const char *label, unsigned seed)
{
    nn_model *m = nn_create(c->n_layers, c->sizes, c->act, c->loss, seed, c->batch);
    CHECK(m != NULL, "%s: nn_create failed: %s", label,
          nn_status_str(nn_check_config(c->n_layers, c->sizes, c->act, c->loss, c->batch)));
    if (!m)
        return;
    uint32_t s = seed * 2654435761u + 1;
    int ni = c->sizes[0], no = c->sizes[c->n_layers];
    float x[MAXB * MAXW], y[MAXB * MAXW];
    for (int i = 0; i < c->batch * ni; i++)
        x[i] = c->sparse_x && i % 3 != 1 ? 0.0f : tu_uniform(&s);
    for (int b = 0; b < c->batch; b++) {
        if (c->loss == NN_LOSS_CE) { /* probability targets: positive, sum to 1 */
            float sum = 0;
            for (int j = 0; j < no; j++)
                sum += y[b * no + j] = 0.1f + (tu_uniform(&s) + 1.0f);
            for (int j = 0; j < no; j++)
                y[b * no + j] /= sum;
        } else if (c->loss == NN_LOSS_BCE) {
            for (int j = 0; j < no; j++)
                y[b * no + j] = (tu_uniform(&s) + 1.0f) * 0.5f;
        } else {
            for (int j = 0; j < no; j++)
                y[b * no + j] = tu_uniform(&s);
        }
    }
    /* Non-zero biases so their gradients are exercised away from init. */
    int count = nn_param_count(m);
    float *pf = malloc(sizeof(float) * count);
    double *pd = malloc(sizeof(double) * count);
    memcpy(pf, nn_params(m), sizeof(float) * count);
    for (int i = 0; i < count; i++)
        pf[i] += 0.1f * tu_uniform(&s);
    CHECK(nn_load_params(m, pf, count) == NN_OK, "%s: load", label);
    CHECK(nn_set_regularization(m, c->reg, c->reg_rate) == NN_OK, "%s: reg", label);
    float loss = nn_compute_gradients(m, x, y, c->batch);
    CHECK(nn_status(m) == NN_OK, "%s: compute_gradients status %d", label, nn_status(m));
    for (int i = 0; i < count; i++)
        pd[i] = pf[i];
    double xd[MAXB * MAXW];
    for (int i = 0; i < c->batch * ni; i++)
        xd[i] = x[i];
    gc_case plain = *c;
    plain.reg = NN_REG_NONE;
    double ref = ref_loss(&plain, pd, xd, y, 0);
    CHECK(fabs(loss - ref) <= 1e-5 * fabs(ref) + 1e-7, "%s: loss %.9g vs reference %.9g", label, loss, ref);

    const float *g = nn_grads(m);
    double gmax = 0, tmax = 0;
    double *truth = malloc(sizeof(double) * count);
    const double h = 1e-6;
    for (int i = 0; i < count; i++) {
        double keep = pd[i];
        pd[i] = keep + h;
        double lp = ref_loss(c, pd, xd, y, 0);
        pd[i] = keep - h;
        double lm = ref_loss(c, pd, xd, y, 0);
        pd[i] = keep;
        truth[i] = (lp - lm) / (2 * h);
        tmax = fmax(tmax, fabs(truth[i]));
        gmax = fmax(gmax, fabs(g[i]));
    }
    CHECK(gmax > 0, "%s: every gradient is zero", label);
    double case_err = 0;
    for (int i = 0; i < count; i++) {
        /* relative to the value, with a floor at 1% of the largest gradient:
         * float accumulation error scales with the terms, not the sum */
        double err = fabs(g[i] - truth[i]) / (fabs(truth[i]) + 1e-2 * tmax);
        case_err = fmax(case_err, err);
    }
    CHECK(case_err < 1e-3, "%s: gradient error %.3g", label, case_err);
    worst_error = fmax(worst_error, case_err);
    check_split(m, c, pd, x, y, loss, &s, label);
    free(truth);
    free(pf);
    free(pd);
    nn_destroy(m);
}

int main(void)
{
    static const char *act_names[] = {"linear", "relu", "leaky_relu", "tanh", "sigmoid", "softmax"};
    static const struct { int loss, act; const char *name; } outputs[] = {
        {NN_LOSS_MSE, NN_ACT_LINEAR, "mse/linear"},   {NN_LOSS_MSE, NN_ACT_TANH, "mse/tanh"},
        {NN_LOSS_MSE, NN_ACT_SIGMOID, "mse/sigmoid"}, {NN_LOSS_MSE, NN_ACT_SOFTMAX, "mse/softmax"},
        {NN_LOSS_MSE, NN_ACT_LEAKY_RELU, "mse/leaky_relu"}, {NN_LOSS_BCE, NN_ACT_SIGMOID, "bce/sigmoid"},
        {NN_LOSS_CE, NN_ACT_SOFTMAX, "ce/softmax"},
    };
    int n_cases = 0;
    char label[128];
    for (int h = 0; h <= NN_ACT_SIGMOID; h++) {
        for (size_t o = 0; o < sizeof outputs / sizeof outputs[0]; o++) {
            int out_w = outputs[o].act == NN_ACT_SOFTMAX ? 3 : 2;
            /* two hidden layers, batch 3 */
            gc_case c = {3, {4, 5, 3, out_w}, {h, h, outputs[o].act}, outputs[o].loss, 3, NN_REG_NONE, 0, 0};
            snprintf(label, sizeof label, "4-5-3-%d %s + %s, batch 3", out_w, act_names[h], outputs[o].name);
            run_case(&c, label, 11 + n_cases++);
            /* one hidden layer of width 1, batch 1 */
            gc_case d = {2, {3, 1, out_w}, {h, outputs[o].act}, outputs[o].loss, 1, NN_REG_NONE, 0, 0};
            snprintf(label, sizeof label, "3-1-%d %s + %s, batch 1", out_w, act_names[h], outputs[o].name);
            run_case(&d, label, 11 + n_cases++);
        }
    }
    for (size_t o = 0; o < sizeof outputs / sizeof outputs[0]; o++) { /* no hidden layer */
        int out_w = outputs[o].act == NN_ACT_SOFTMAX ? 4 : 1;
        gc_case c = {1, {3, out_w}, {outputs[o].act}, outputs[o].loss, 5, NN_REG_NONE, 0, 0};
        snprintf(label, sizeof label, "3-%d %s, no hidden layer, batch 5", out_w, outputs[o].name);
        run_case(&c, label, 11 + n_cases++);
    }
    gc_case l2 = {2, {3, 4, 2}, {NN_ACT_TANH, NN_ACT_LINEAR}, NN_LOSS_MSE, 4, NN_REG_L2, 0.3f, 0};
    run_case(&l2, "L2 regularisation", 11 + n_cases++);
    gc_case l1 = {2, {3, 4, 3}, {NN_ACT_SIGMOID, NN_ACT_SOFTMAX}, NN_LOSS_CE, 4, NN_REG_L1, 0.05f, 0};
    run_case(&l1, "L1 regularisation", 11 + n_cases++);
    gc_case deep = {4, {8, 8, 8, 8, 8}, {NN_ACT_LEAKY_RELU, NN_ACT_TANH, NN_ACT_RELU, NN_ACT_SOFTMAX},
                    NN_LOSS_CE, 5, NN_REG_NONE, 0, 0};
    run_case(&deep, "8-8-8-8-8 deep", 11 + n_cases++);
    gc_case sparse = {2, {8, 8, 3}, {NN_ACT_RELU, NN_ACT_SOFTMAX}, NN_LOSS_CE, 5, NN_REG_L2, 0.01f, 1};
    run_case(&sparse, "8-8-3 mostly-zero inputs", 11 + n_cases++);
    gc_case sparse_mse = {2, {8, 6, 2}, {NN_ACT_TANH, NN_ACT_LINEAR}, NN_LOSS_MSE, 5, NN_REG_NONE, 0, 1};
    run_case(&sparse_mse, "8-6-2 mostly-zero inputs", 11 + n_cases++);
    printf("gradient check: %d cases, largest relative error %.3g\n", n_cases, worst_error);
    return tu_finish("test_gradcheck");
}
