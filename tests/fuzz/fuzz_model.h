/* fuzz_model.h — the model under fuzz_model_ops.c's calls and the checks
 * every call shares: a snapshot of the parameters before the call, "a
 * refused call changes nothing and names an error that applies", and data
 * buffers that hold exactly the rows a call is told they hold. */
#ifndef FUZZ_MODEL_H
#define FUZZ_MODEL_H

#include "fuzz_input.h"

#define MAX_ROWS 20 /* rows of data per call; above max_batch, so calls chunk */

typedef struct {
    nn_model *m;
    int n_layers, in, out, max_batch, count;
    int sizes[8];  /* input and every layer's output size */
    int w_rows[7], w_cols[7]; /* a layer's weight as (row, col) addresses it; 0 rows: no parameters */
    int hidden[7]; /* RNN/LSTM layers: H (blocks weight_ih [w_rows x w_cols], weight_hh
                      [w_rows x H], bias_ih, bias_hh [w_rows]); 0 for the others */
    int seq;       /* the input is a sequence T x F x 1 with T = seq; 0: no recurrent layer */
    int out_steps; /* steps of a sequence output (T), else 0 or 1 */
    int act_linear[7]; /* RNN/LSTM layers: the descriptor's activation is linear */
    float *before; /* [count] parameters before the current call */
} fz_model;

/* Bit of an error code in a set of the errors that apply to a call. */
#define ERR(e) (1u << (unsigned)(-(e)))

static void snapshot(fz_model *f)
{
    memcpy(f->before, nn_params(f->m), (size_t)f->count * sizeof(float));
}

static int unchanged(const fz_model *f)
{
    return memcmp(f->before, nn_params(f->m), (size_t)f->count * sizeof(float)) == 0;
}

/* A refused call returned one of the errors in `allowed`, recorded it as the
 * status and changed nothing; an accepted one is OK (or diverged). */
static void check_outcome(const fz_model *f, const char *what, int st, unsigned allowed)
{
    FZ_REQUIRE(nn_status(f->m) == st, "%s: returned %d, status %d", what, st, nn_status(f->m));
    if (allowed) {
        FZ_REQUIRE(st != NN_OK && (ERR(st) & allowed), "%s: %d, expected one of mask %#x", what,
                   st, allowed);
        FZ_REQUIRE(unchanged(f), "%s: refused (%d) but parameters changed", what, st);
    } else {
        FZ_REQUIRE(st == NN_OK || st == NN_ERR_DIVERGED, "%s: valid call returned %d", what, st);
    }
}

/* Rows a buffer must hold for a claimed count: n when the call may read n
 * rows, one when `refused` (the API must reject n before reading). */
static size_t rows_held(int n, int refused)
{
    return refused || n < 1 ? 1 : (size_t)n;
}

/* Row counts for calls that accept any n >= 1 (INT_MAX is refused by nothing
 * and would need a buffer of INT_MAX rows, so it becomes MAX_ROWS + 1). */
static int any_rows(fz_input *in)
{
    int n = fz_int(in, 1, MAX_ROWS);
    return n > MAX_ROWS + 1 ? MAX_ROWS + 1 : n;
}

typedef struct {
    float *x, *y;
    int x_finite, y_finite;
} fz_data;

static fz_data make_data(fz_input *in, const fz_model *f, size_t rows)
{
    fz_data d;
    d.x = fz_floats(rows * (size_t)f->in);
    d.y = fz_floats(rows * (size_t)f->out);
    fz_fill(in, d.x, rows * (size_t)f->in);
    fz_fill(in, d.y, rows * (size_t)f->out);
    d.x_finite = fz_all_finite(d.x, rows * (size_t)f->in);
    d.y_finite = fz_all_finite(d.y, rows * (size_t)f->out);
    return d;
}

static void free_data(fz_data *d)
{
    free(d->x);
    free(d->y);
}

#endif
