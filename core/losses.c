/* losses.c — MSE, BCE on a sigmoid output, softmax cross-entropy, with
 * PyTorch's mean reduction. Loss values are summed in double. */
#include "nn_internal.h"

double nn_loss_divisor(int rows, int cols, int loss)
{
    return loss == NN_LOSS_CE ? (double)rows : (double)rows * (double)cols;
}

double nn_loss_sum(const float *a, const float *z, const float *y, int rows,
                   int cols, int loss)
{
    long total = (long)rows * cols;
    double sum = 0.0;
    if (loss == NN_LOSS_MSE) {
        for (long i = 0; i < total; i++) {
            double d = (double)a[i] - (double)y[i];
            sum += d * d;
        }
    } else if (loss == NN_LOSS_BCE) {
        /* max(z,0) - z*y + log(1 + exp(-|z|)): no overflow for any z; the
         * last term vectorised in chunks, the sum still in row order */
        double soft[64];
        for (long i0 = 0; i0 < total; i0 += 64) {
            long cnt = total - i0 < 64 ? total - i0 : 64;
            nn_log1p_exp_neg_array(soft, z + i0, cnt);
            for (long i = 0; i < cnt; i++) {
                double zi = z[i0 + i], yi = y[i0 + i];
                sum += (zi > 0 ? zi : 0.0) - zi * yi + soft[i];
            }
        }
    } else { /* CE: sum_j y_j * (logsumexp(z) - z_j) */
        for (int r = 0; r < rows; r++) {
            const float *zr = z + (long)r * cols, *yr = y + (long)r * cols;
            double mx = zr[0];
            for (int j = 1; j < cols; j++)
                if (zr[j] > mx)
                    mx = zr[j];
            double s = 0.0;
            for (int j = 0; j < cols; j++)
                s += nn_exp((double)zr[j] - mx);
            double lse = mx + nn_log(s);
            for (int j = 0; j < cols; j++)
                sum += (double)yr[j] * (lse - (double)zr[j]);
        }
    }
    return sum;
}

void nn_loss_grad(float *dz, const float *a, const float *y, int rows, int cols,
                  int loss, int act)
{
    long total = (long)rows * cols;
    if (loss == NN_LOSS_MSE) {
        /* torch: (2 / N) * (a - y), then back through the output activation */
        float norm = (float)(2.0 / ((double)rows * (double)cols));
        for (long i = 0; i < total; i++)
            dz[i] = norm * (a[i] - y[i]);
        nn_activation_backward(dz, dz, a, rows, cols, act);
    } else if (loss == NN_LOSS_BCE) {
        /* fused sigmoid + BCE: (sigmoid(z) - y) / N */
        float n = (float)((double)rows * (double)cols);
        for (long i = 0; i < total; i++)
            dz[i] = (a[i] - y[i]) / n;
    } else {
        /* fused softmax + CE with probability targets: (p * sum(y) - y) / rows */
        float n = (float)rows;
        for (int r = 0; r < rows; r++) {
            const float *ar = a + (long)r * cols, *yr = y + (long)r * cols;
            float *dr = dz + (long)r * cols;
            float ysum = 0.0f;
            for (int j = 0; j < cols; j++)
                ysum += yr[j];
            for (int j = 0; j < cols; j++)
                dr[j] = (ar[j] * ysum - yr[j]) / n;
        }
    }
}
