/* kernels.c — the dense products every layer uses.
 *
 * One kernel serves the forward pass (x . W^T), the input gradient (dz . W)
 * and the weight gradient (dz^T . x): a is read through strides, b is always
 * row-major and contiguous along the output index j. Each output element is
 * one accumulator that starts at the bias (or 0) and adds a(i,p)*b[p][j] for
 * p = 0, 1, ..., k-1; products are vectorised across j only, never reduced
 * across lanes, so scalar, SSE, AVX and WASM SIMD give the same bits.
 * Blocks of 4 rows x 8 columns keep 8 vector accumulators in registers. */
#include <string.h>
#include "nn_internal.h"
#include "vec4.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define ROWS 4
#define COLS 8


/* Any block up to ROWS x COLS, scalar; used for edges. */
static void block_scalar(float *c, const float *a, int a_rs, int a_cs,
                         const float *b, const float *bias, int rows, int cols,
                         int n, int k)
{
    for (int r = 0; r < rows; r++) {
        for (int j = 0; j < cols; j++) {
            float acc = bias ? bias[j] : 0.0f;
            const float *ar = a + (long)r * a_rs;
            for (int p = 0; p < k; p++)
                acc += ar[(long)p * a_cs] * b[(long)p * n + j];
            c[(long)r * n + j] = acc;
        }
    }
}

/* The 4 x 8 block visits only the steps p listed in idx (ascending): the
 * steps where one of its four a values is non-zero. A step whose four values
 * are all zero would only add zero products: ReLU outputs, their gradients
 * and blank MNIST pixels are mostly zeros, so the block skips them, without
 * a branch in its inner loop. Skipping can only change the sign of a zero
 * result, and every build skips the same steps. The block adds to c. */
#ifdef __wasm_simd128__

static void block_4x8(float *c, const float *a, int a_rs, int a_cs,
                      const float *b, int n, const int *idx, int cnt)
{
    float *c1 = c + n, *c2 = c + 2 * n, *c3 = c + 3 * n;
    v128_t c00 = wasm_v128_load(c), c01 = wasm_v128_load(c + 4);
    v128_t c10 = wasm_v128_load(c1), c11 = wasm_v128_load(c1 + 4);
    v128_t c20 = wasm_v128_load(c2), c21 = wasm_v128_load(c2 + 4);
    v128_t c30 = wasm_v128_load(c3), c31 = wasm_v128_load(c3 + 4);
    const float *a0 = a, *a1 = a + a_rs, *a2 = a + 2 * a_rs, *a3 = a + 3 * a_rs;
    for (int t = 0; t < cnt; t++) {
        int p = idx[t];
        const float *bp = b + (long)p * n;
        v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
        long o = (long)p * a_cs;
        v128_t x0 = wasm_v128_load32_splat(a0 + o);
        v128_t x1 = wasm_v128_load32_splat(a1 + o);
        v128_t x2 = wasm_v128_load32_splat(a2 + o);
        v128_t x3 = wasm_v128_load32_splat(a3 + o);
        c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x0, b0));
        c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x0, b1));
        c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(x1, b0));
        c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(x1, b1));
        c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(x2, b0));
        c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(x2, b1));
        c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(x3, b0));
        c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(x3, b1));
    }
    wasm_v128_store(c, c00);
    wasm_v128_store(c + 4, c01);
    wasm_v128_store(c1, c10);
    wasm_v128_store(c1 + 4, c11);
    wasm_v128_store(c2, c20);
    wasm_v128_store(c2 + 4, c21);
    wasm_v128_store(c3, c30);
    wasm_v128_store(c3 + 4, c31);
}

/* One row, 4 columns at a time. */
static void block_1x4(float *c, const float *a, int a_cs, const float *b,
                      const float *bias, int n, int k)
{
    v128_t acc = bias ? wasm_v128_load(bias) : wasm_f32x4_splat(0.0f);
    for (int p = 0; p < k; p++)
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(a[(long)p * a_cs]),
                                                 wasm_v128_load(b + (long)p * n)));
    wasm_v128_store(c, acc);
}

#else

/* GCC's generic vectors (element-wise, no lane reductions): plain loops here
 * get vectorised across the index list with gathers instead. */
static void block_4x8(float *c, const float *a, int a_rs, int a_cs,
                      const float *b, int n, const int *idx, int cnt)
{
    v4 acc[ROWS][2];
    for (int r = 0; r < ROWS; r++) {
        acc[r][0] = ld4(c + (long)r * n);
        acc[r][1] = ld4(c + (long)r * n + 4);
    }
    for (int t = 0; t < cnt; t++) {
        int p = idx[t];
        const float *bp = b + (long)p * n;
        const float *ap = a + (long)p * a_cs;
        v4 b0 = ld4(bp), b1 = ld4(bp + 4);
        for (int r = 0; r < ROWS; r++) {
            float x = ap[r * (long)a_rs];
            acc[r][0] += x * b0;
            acc[r][1] += x * b1;
        }
    }
    for (int r = 0; r < ROWS; r++) {
        st4(c + (long)r * n, acc[r][0]);
        st4(c + (long)r * n + 4, acc[r][1]);
    }
}

static void block_1x4(float *c, const float *a, int a_cs, const float *b,
                      const float *bias, int n, int k)
{
    float acc[4];
    for (int j = 0; j < 4; j++)
        acc[j] = bias ? bias[j] : 0.0f;
    for (int p = 0; p < k; p++) {
        float x = a[(long)p * a_cs];
        const float *bp = b + (long)p * n;
        for (int j = 0; j < 4; j++)
            acc[j] += x * bp[j];
    }
    for (int j = 0; j < 4; j++)
        c[j] = acc[j];
}

#endif

static inline uint32_t float_bits(const float *p)
{
    uint32_t u;
    memcpy(&u, p, sizeof u);
    return u;
}

/* Rows i..i+3 of c, columns 0..n8-1: c = init, then the listed steps of
 * each chunk of CHUNK steps are added in ascending order. */
#define CHUNK 256
static void row_block(float *c, const float *a, int a_rs, int a_cs, const float *b,
                      const float *bias, int n, int n8, int k)
{
    for (int r = 0; r < ROWS; r++)
        for (int j = 0; j < n8; j++)
            c[(long)r * n + j] = bias ? bias[j] : 0.0f;
    int idx[CHUNK];
    for (int p0 = 0; p0 < k; p0 += CHUNK) {
        int p1 = k - p0 < CHUNK ? k : p0 + CHUNK, cnt = 0;
        for (int p = p0; p < p1; p++) {
            const float *ap = a + (long)p * a_cs;
            uint32_t any = float_bits(ap) | float_bits(ap + a_rs) |
                           float_bits(ap + 2 * (long)a_rs) | float_bits(ap + 3 * (long)a_rs);
            idx[cnt] = p;
            cnt += (any & 0x7fffffffu) != 0; /* +0 and -0 both skip */
        }
        if (cnt == 0)
            continue;
        for (int j = 0; j < n8; j += COLS)
            block_4x8(c + j, a, a_rs, a_cs, b + j, n, idx, cnt);
    }
}

/* ---- Narrow products: n <= 8 columns (the playground's layers) ----
 * One or two 4-wide vectors per row hold a whole output row, so nothing is
 * blocked, chunked or zero-initialised in memory: each accumulator starts
 * at the bias and adds a(i,p) * b[p][j] for p = 0..k-1 in order, exactly
 * the sums of the blocked path. b (and the bias) are copied zero-padded to
 * 8 columns when n < 8, so vector loads never leave the caller's arrays. */
#define NARROW_K 256

/* Row results go to out (stride 8 floats); nv = 1 or 2 vectors per row.
 * The 4-, 2- and 1-row blocks are written out: one helper with the row count
 * as a constant compiled to code V8 ran about 10% slower (measured with the
 * product alone, same process), even unrolled as these loops are. */
static inline void narrow_rows(float *out, const float *a, int a_rs, int a_cs,
                               const float *b8, const float *bias8, int m, int k, int nv)
{
    v4 bias0 = ld4(bias8), bias1 = ld4(bias8 + 4);
    int i = 0;
    for (; i + 4 <= m; i += 4) {
        v4 c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1;
        v4 c20 = bias0, c21 = bias1, c30 = bias0, c31 = bias1;
        const float *a0 = a + (long)i * a_rs, *a1 = a0 + a_rs, *a2 = a1 + a_rs, *a3 = a2 + a_rs;
        for (int p = 0; p < k; p++) {
            long o = (long)p * a_cs;
            v4 b0 = ld4(b8 + 8 * p);
            float x0 = a0[o], x1 = a1[o], x2 = a2[o], x3 = a3[o];
            c00 += x0 * b0;
            c10 += x1 * b0;
            c20 += x2 * b0;
            c30 += x3 * b0;
            if (nv == 2) {
                v4 b1 = ld4(b8 + 8 * p + 4);
                c01 += x0 * b1;
                c11 += x1 * b1;
                c21 += x2 * b1;
                c31 += x3 * b1;
            }
        }
        float *o0 = out + 8 * (long)i;
        st4(o0, c00), st4(o0 + 4, c01), st4(o0 + 8, c10), st4(o0 + 12, c11);
        st4(o0 + 16, c20), st4(o0 + 20, c21), st4(o0 + 24, c30), st4(o0 + 28, c31);
    }
    for (; i + 2 <= m; i += 2) { /* two rows: twice the independent sums */
        v4 c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1;
        const float *a0 = a + (long)i * a_rs, *a1 = a0 + a_rs;
        for (int p = 0; p < k; p++) {
            long o = (long)p * a_cs;
            v4 b0 = ld4(b8 + 8 * p);
            float x0 = a0[o], x1 = a1[o];
            c00 += x0 * b0;
            c10 += x1 * b0;
            if (nv == 2) {
                v4 b1 = ld4(b8 + 8 * p + 4);
                c01 += x0 * b1;
                c11 += x1 * b1;
            }
        }
        float *o0 = out + 8 * (long)i;
        st4(o0, c00), st4(o0 + 4, c01), st4(o0 + 8, c10), st4(o0 + 12, c11);
    }
    for (; i < m; i++) {
        v4 c0 = bias0, c1 = bias1;
        const float *a0 = a + (long)i * a_rs;
        for (int p = 0; p < k; p++) {
            float x0 = a0[(long)p * a_cs];
            c0 += x0 * ld4(b8 + 8 * p);
            if (nv == 2)
                c1 += x0 * ld4(b8 + 8 * p + 4);
        }
        st4(out + 8 * (long)i, c0);
        st4(out + 8 * (long)i + 4, c1);
    }
}

static void gemm_narrow(float *c, const float *a, int a_rs, int a_cs, const float *b,
                        const float *bias, int m, int n, int k)
{
    float bpad[NARROW_K * 8], bias8[8];
    const float *b8 = b, *bias_p = bias8;
    if (n < 8) {
        for (int p = 0; p < k; p++)
            for (int j = 0; j < 8; j++)
                bpad[8 * p + j] = j < n ? b[(long)p * n + j] : 0.0f;
        b8 = bpad;
    }
    if (n == 8 && bias)
        bias_p = bias;
    else /* eight fixed steps: a copy of n floats would be a memcpy call in WASM */
        for (int j = 0; j < 8; j++)
            bias8[j] = bias && j < n ? bias[j] : 0.0f;
    /* rows in groups of 16 through a stack buffer, unless c already has
     * 8 columns */
    float buf[16 * 8];
    for (int i0 = 0; i0 < m; i0 += 16) {
        int rows = m - i0 < 16 ? m - i0 : 16;
        float *out = n == 8 ? c + 8 * (long)i0 : buf;
        if (n > 4)
            narrow_rows(out, a + (long)i0 * a_rs, a_rs, a_cs, b8, bias_p, rows, k, 2);
        else
            narrow_rows(out, a + (long)i0 * a_rs, a_rs, a_cs, b8, bias_p, rows, k, 1);
        if (n < 8)
            for (int r = 0; r < rows; r++) /* a loop: a memcpy call costs more in WASM */
                for (int j = 0; j < n; j++)
                    c[(long)(i0 + r) * n + j] = buf[8 * r + j];
    }
}

/* One column (a single output): a dot product per row, in the same order. */
static void gemm_column(float *c, const float *a, int a_rs, int a_cs, const float *b,
                        const float *bias, int m, int k)
{
    float init = bias ? bias[0] : 0.0f;
    for (int i = 0; i < m; i++) {
        const float *ai = a + (long)i * a_rs;
        float acc = init;
        for (int p = 0; p < k; p++)
            acc += ai[(long)p * a_cs] * b[p];
        c[i] = acc;
    }
}

void nn_gemm(float *c, const float *a, int a_rs, int a_cs, const float *b,
             const float *bias, int m, int n, int k)
{
    if (n == 1) {
        gemm_column(c, a, a_rs, a_cs, b, bias, m, k);
        return;
    }
    if (n <= 8 && k <= NARROW_K) {
        gemm_narrow(c, a, a_rs, a_cs, b, bias, m, n, k);
        return;
    }
    int n8 = n - n % COLS;
    int i = 0;
    if (n8 > 0) {
        for (; i + ROWS <= m; i += ROWS)
            row_block(c + (long)i * n, a + (long)i * a_rs, a_rs, a_cs, b, bias, n, n8, k);
        for (; i < m; i++) /* leftover rows */
            for (int j = 0; j < n8; j += 4)
                block_1x4(c + (long)i * n + j, a + (long)i * a_rs, a_cs, b + j,
                          bias ? bias + j : 0, n, k);
    }
    int j = n8;
    for (; j + 4 <= n; j += 4)
        for (i = 0; i < m; i++)
            block_1x4(c + (long)i * n + j, a + (long)i * a_rs, a_cs, b + j,
                      bias ? bias + j : 0, n, k);
    if (j < n)
        for (i = 0; i < m; i += ROWS) {
            int rows = m - i < ROWS ? m - i : ROWS;
            block_scalar(c + (long)i * n + j, a + (long)i * a_rs, a_rs, a_cs, b + j,
                         bias ? bias + j : 0, rows, n - j, n, k);
        }
}

void nn_col_sums(float *out, const float *in, int rows, int n)
{
    int j = 0;
    for (; j + 4 <= n; j += 4) { /* four columns in one vector, rows in order */
        v4 acc = {0.0f, 0.0f, 0.0f, 0.0f};
        for (int i = 0; i < rows; i++)
            acc += ld4(in + (long)i * n + j);
        st4(out + j, acc);
    }
    for (; j < n; j++) {
        float acc = 0.0f;
        for (int i = 0; i < rows; i++)
            acc += in[(long)i * n + j];
        out[j] = acc;
    }
}

/* dst's 4 x 4 block = the transpose of src's (both with row stride `stride`);
 * shuffles only, so the values are copied bit for bit. */
static inline void transpose4(float *dst, const float *src, int stride)
{
    v4 r0 = ld4(src), r1 = ld4(src + stride), r2 = ld4(src + 2 * stride), r3 = ld4(src + 3 * stride);
    v4 t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5), t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
    v4 t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5), t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
    st4(dst, __builtin_shufflevector(t0, t2, 0, 1, 4, 5));
    st4(dst + stride, __builtin_shufflevector(t0, t2, 2, 3, 6, 7));
    st4(dst + 2 * stride, __builtin_shufflevector(t1, t3, 0, 1, 4, 5));
    st4(dst + 3 * stride, __builtin_shufflevector(t1, t3, 2, 3, 6, 7));
}

void nn_transpose(float *dst, const float *src, int rows, int cols)
{
    /* 8 x 8 tiles: both the reads and the strided writes stay in a few cache
     * lines per tile (about 3x faster than a plain double loop in WASM). */
    enum { T = 8 };
    if (rows == 8 && cols == 8) { /* the playground's layers: four 4 x 4 blocks in registers */
        for (int bi = 0; bi < 8; bi += 4)
            for (int bj = 0; bj < 8; bj += 4)
                transpose4(dst + bj * 8 + bi, src + bi * 8 + bj, 8);
        return;
    }
    if (rows <= T && cols <= T) { /* one tile: no tiling arithmetic */
        for (int j = 0; j < cols; j++)
            for (int i = 0; i < rows; i++)
                dst[j * rows + i] = src[i * cols + j];
        return;
    }
    for (int i0 = 0; i0 < rows; i0 += T) {
        int i1 = i0 + T < rows ? i0 + T : rows;
        for (int j0 = 0; j0 < cols; j0 += T) {
            int j1 = j0 + T < cols ? j0 + T : cols;
            for (int j = j0; j < j1; j++)
                for (int i = i0; i < i1; i++)
                    dst[(long)j * rows + i] = src[(long)i * cols + j];
        }
    }
}
