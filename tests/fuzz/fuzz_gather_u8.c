/* fuzz_gather_u8.c — nn_gather_u8 with fuzzed src_rows, row_len, n, indices
 * (or none) and scale.
 *
 * Buffers hold what the call is told: src [src_rows x row_len] bytes, dst
 * [n x row_len] floats, idx [n]. Claims the API must refuse (sizes below 1,
 * products past PTRDIFF_MAX / 4, n > src_rows without idx) come with tiny
 * buffers, so touching them is an ASan finding. An accepted call writes
 * exactly dst[i*row_len + j] = src[idx[i]*row_len + j] * scale. */
#include "fuzz_input.h"

#define MAX_DIM 64

/* A dimension: mostly 1..MAX_DIM, sometimes an edge (0, -1, INT_MIN, INT_MAX,
 * or MAX_DIM + 1). */
static int fuzz_dim(fz_input *in)
{
    return fz_int(in, 1, MAX_DIM);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = {data, size};
    int src_rows = fuzz_dim(&in), row_len = fuzz_dim(&in), n = fuzz_dim(&in);
    int with_idx = fz_u8(&in) & 1;
    float scale = fz_u8(&in) < 200 ? 1.0f / 255.0f : fz_float(&in);
    uint8_t nulls = fz_u8(&in);

    /* Dimensions the API can accept are allocated in full; anything out of
     * range or too large to allocate must be refused before any access. */
    int dims_ok = src_rows >= 1 && row_len >= 1 && n >= 1;
    int src_small = src_rows <= MAX_DIM + 1 && row_len <= MAX_DIM + 1;
    int n_small = n <= MAX_DIM + 1;
    size_t src_len = dims_ok && src_small ? (size_t)src_rows * (size_t)row_len : 1;
    size_t idx_len = dims_ok && n_small ? (size_t)n : 1;
    size_t dst_len = dims_ok && n_small && row_len <= MAX_DIM + 1 ? (size_t)n * (size_t)row_len : 1;
    uint8_t *src = malloc(src_len);
    int32_t *idx = malloc(idx_len * sizeof *idx);
    float *dst = fz_floats(dst_len);
    FZ_REQUIRE(src && idx, "test buffers");
    for (size_t i = 0; i < src_len; i++)
        src[i] = fz_u8(&in);
    int idx_ok = 1;
    for (size_t i = 0; i < idx_len; i++) {
        int last = src_rows > 0 ? src_rows - 1 : 0;
        idx[i] = fz_u8(&in) < 248 ? fz_in_range(&in, 0, last) : fz_int(&in, 0, last);
        idx_ok &= idx[i] >= 0 && idx[i] < src_rows;
    }

    int64_t max_elems = (int64_t)(PTRDIFF_MAX / 4);
    int must_refuse = nulls == 1 || nulls == 2 || !dims_ok || !isfinite(scale) ||
                      (int64_t)src_rows * row_len > max_elems || (int64_t)n * row_len > max_elems ||
                      (with_idx ? !idx_ok : n > src_rows);
    int allocated = src_len == (dims_ok ? (size_t)src_rows * (size_t)row_len : 0) &&
                    idx_len == (size_t)n && dst_len == (size_t)n * (size_t)row_len;
    if (!must_refuse && !allocated) /* a valid call we cannot afford to make */
        goto done;

    int st = nn_gather_u8(nulls == 1 ? NULL : dst, nulls == 2 ? NULL : src, src_rows,
                          with_idx ? idx : NULL, n, row_len, scale);
    if (must_refuse) {
        FZ_REQUIRE(st == NN_ERR_NULL || st == NN_ERR_SIZE || st == NN_ERR_INDEX ||
                       st == NN_ERR_TOO_LARGE || st == NN_ERR_NONFINITE,
                   "nn_gather_u8 accepted a call it must refuse: %d", st);
    } else {
        FZ_REQUIRE(st == NN_OK, "nn_gather_u8 refused a valid call: %d", st);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < row_len; j++) {
                size_t from = (size_t)(with_idx ? idx[i] : i) * (size_t)row_len + (size_t)j;
                float want = (float)src[from] * scale, got = dst[(size_t)i * (size_t)row_len + (size_t)j];
                FZ_REQUIRE(memcmp(&want, &got, sizeof got) == 0, "dst[%d][%d] = %g, expected %g", i,
                           j, (double)got, (double)want);
            }
    }
done:
    free(src);
    free(idx);
    free(dst);
    return 0;
}
