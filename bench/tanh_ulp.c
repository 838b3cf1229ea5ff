/* tanh_ulp.c — the core's tanh (core/mathf.c) against glibc's double tanh on
 * every float in [0, 9.5] (tanh is odd, and rounds to 1 from 9.1 on): the
 * worst error in float ulps and how many results are not correctly rounded.
 * About 30 s; too slow for the test suite, whose test_mathf samples 200,000
 * points. Native and WASM builds give the same bits, so this holds for both.
 *
 *   gcc -O2 -std=c11 -ffp-contract=off -Icore bench/tanh_ulp.c core/mathf.c -lm \
 *       -o build/tanh_ulp && build/tanh_ulp */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "nn_internal.h"

int main(void)
{
    enum { BLOCK = 4093 }; /* odd, so chunk tails are exercised too */
    static float in[BLOCK], out[BLOCK];
    const float top = 9.5f;
    uint32_t last;
    memcpy(&last, &top, sizeof last);
    double worst = 0.0;
    float worst_x = 0.0f;
    long checked = 0, not_rounded = 0;
    for (uint64_t u = 0; u <= last;) {
        int n = 0;
        for (; n < BLOCK && u <= last; n++, u++) {
            uint32_t bits = (uint32_t)u;
            memcpy(&in[n], &bits, sizeof bits);
        }
        nn_tanh_array(out, in, n);
        for (int i = 0; i < n; i++) {
            double want = tanh((double)in[i]);
            if (want == 0.0)
                continue;
            float rounded = (float)want;
            double ulp = (double)nextafterf(rounded, INFINITY) - (double)rounded;
            double err = fabs((double)out[i] - want) / ulp;
            if (err > worst) {
                worst = err;
                worst_x = in[i];
            }
            not_rounded += out[i] != rounded;
            checked++;
        }
    }
    printf("tanh on %ld floats in [0, 9.5]: worst %.4f ulp (at %.9g), %ld not correctly rounded\n",
           checked, worst, worst_x, not_rounded);
    return worst <= 1.0 ? 0 : 1;
}
