/* test_mathf.c — the core's deterministic exp/log/log1p/expm1/tanh/sigmoid
 * (core/mathf.c) against glibc's double libm: within 1 float ulp over a
 * dense sweep, and exact at special points. */
#include "test_util.h"
#include "nn_internal.h"

static double worst = 0;

static void cmp(const char *name, float got, double want)
{
    if (isinf(want) || want == 0.0) {
        CHECK((double)got == want, "%s: %.9g vs %.17g", name, got, want);
        return;
    }
    float fw = (float)want;
    double ulp = fabs((double)nextafterf(fw, INFINITY) - (double)fw);
    double e = fabs((double)got - want) / ulp;
    if (e > worst)
        worst = e;
    CHECK(e <= 1.0, "%s: %.9g vs %.17g (%.2f ulp)", name, got, want, e);
}

int main(void)
{
    uint32_t s = 99;
    for (int i = 0; i < 200000; i++) {
        float x = tu_uniform(&s) * (i % 4 == 0 ? 80.0f : i % 4 == 1 ? 10.0f : i % 4 == 2 ? 1.0f : 1e-3f);
        cmp("exp", (float)nn_exp(x), exp((double)x));
        cmp("expm1", (float)nn_expm1(x), expm1((double)x));
        cmp("tanh", nn_tanhf(x), tanh((double)x));
        cmp("sigmoid", nn_sigmoidf(x), 1.0 / (1.0 + exp(-(double)x)));
        float p = fabsf(x) + 1e-30f;
        cmp("log", (float)nn_log(p), log((double)p));
        cmp("log1p", (float)nn_log1p(p), log1p((double)p));
    }
    CHECK(nn_exp(0.0) == 1.0 && nn_log(1.0) == 0.0, "exp(0), log(1)");
    CHECK(nn_exp(1000.0) == INFINITY && nn_exp(-1000.0) == 0.0, "exp overflow/underflow");
    CHECK(nn_tanhf(0.0f) == 0.0f && nn_tanhf(100.0f) == 1.0f && nn_tanhf(-100.0f) == -1.0f, "tanh limits");
    CHECK(nn_sigmoidf(0.0f) == 0.5f && nn_sigmoidf(200.0f) == 1.0f && nn_sigmoidf(-200.0f) == 0.0f, "sigmoid limits");
    CHECK(isnan(nn_log(-1.0)) && nn_log(0.0) == -INFINITY && isnan(nn_tanhf(NAN)), "log/tanh domain");
    CHECK(nn_log(1e-310) < -713 && nn_log(1e-310) > -714, "log of a subnormal");
    /* BCE's softplus term, in double: relative error against glibc, over
     * arrays of odd length so the tail path is checked too */
    double rel = 0;
    for (int i = 0; i < 2000; i++) {
        float in[7];
        double out[7];
        for (int j = 0; j < 7; j++)
            in[j] = tu_uniform(&s) * (i % 3 == 0 ? 800.0f : i % 3 == 1 ? 30.0f : 1e-4f);
        nn_log1p_exp_neg_array(out, in, 7);
        for (int j = 0; j < 7; j++) {
            double want = log1p(exp(-fabs((double)in[j])));
            double e = want > 0 ? fabs(out[j] - want) / want : fabs(out[j]);
            if (fabs((double)in[j]) <= 708 && e > rel)
                rel = e;
            CHECK(fabs((double)in[j]) > 708 || e < 1e-9, "log1p_exp_neg(%.9g) = %.17g, want %.17g",
                  in[j], out[j], want);
        }
    }
    /* tanh over arrays of every length to 300 (whole and partial groups of
     * four, one chunk and several), in place too: each element has the bits
     * of the one-element call */
    static float src[300], dst[300];
    for (int n = 1; n <= 300; n++) {
        for (int j = 0; j < n; j++)
            src[j] = tu_uniform(&s) * (j % 3 == 0 ? 12.0f : j % 3 == 1 ? 1.0f : 1e-4f);
        src[n / 2] = n % 2 ? -0.0f : INFINITY;
        nn_tanh_array(dst, src, n);
        int same = 1;
        for (int j = 0; j < n; j++) {
            float one = nn_tanhf(src[j]);
            same &= memcmp(&one, &dst[j], sizeof one) == 0;
        }
        nn_tanh_array(src, src, n);
        same &= memcmp(src, dst, (size_t)n * sizeof *src) == 0;
        CHECK(same, "tanh array of %d differs from element-wise tanh", n);
    }
    float edge[3] = {0.0f, INFINITY, NAN};
    double edge_out[3];
    nn_log1p_exp_neg_array(edge_out, edge, 3);
    CHECK(fabs(edge_out[0] - log(2.0)) < 1e-9 && edge_out[1] >= 0 && edge_out[1] < 1e-300 && isnan(edge_out[2]),
          "log1p_exp_neg at 0, inf, NaN: %.17g %.17g %.17g", edge_out[0], edge_out[1], edge_out[2]);
    printf("mathf: largest error %.3f float ulp; log1p_exp_neg %.2e relative\n", worst, rel);
    return tu_finish("test_mathf");
}
