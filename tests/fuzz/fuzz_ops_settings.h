/* fuzz_ops_settings.h — fuzz_model_ops.c's calls that set how the model
 * trains: nn_set_optimizer, nn_set_regularization, nn_set_clip_norm (fuzzed
 * hyperparameters, NaN and infinities included), nn_reset. */
#ifndef FUZZ_OPS_SETTINGS_H
#define FUZZ_OPS_SETTINGS_H

#include "fuzz_model.h"

/* A hyperparameter: usually sane, sometimes anything. */
static float hyper(fz_input *in, float sane)
{
    return fz_u8(in) < 192 ? sane : fz_float(in);
}

static void op_set_optimizer(fz_model *f, fz_input *in)
{
    int kind = fz_int(in, NN_OPT_SGD, NN_OPT_ADAM);
    float lr = hyper(in, 0.05f), b1 = hyper(in, 0.9f), b2 = hyper(in, 0.999f), eps = hyper(in, 1e-8f);
    int ok = kind >= NN_OPT_SGD && kind <= NN_OPT_ADAM && isfinite(lr) && lr > 0.0f &&
             (kind == NN_OPT_SGD || (isfinite(b1) && b1 >= 0.0f && b1 < 1.0f)) &&
             (kind != NN_OPT_ADAM || (isfinite(b2) && b2 >= 0.0f && b2 < 1.0f && isfinite(eps) && eps > 0.0f));
    snapshot(f);
    int st = nn_set_optimizer(f->m, kind, lr, b1, b2, eps);
    check_outcome(f, "nn_set_optimizer", st, ok ? 0 : ERR(NN_ERR_OPTIMIZER) | ERR(NN_ERR_NONFINITE));
    FZ_REQUIRE(st != NN_ERR_DIVERGED, "nn_set_optimizer diverged");
}

static void op_set_regularization(fz_model *f, fz_input *in)
{
    int kind = fz_int(in, NN_REG_NONE, NN_REG_L2);
    float rate = hyper(in, 0.001f);
    int ok = kind >= NN_REG_NONE && kind <= NN_REG_L2 && isfinite(rate) && !(rate < 0.0f);
    snapshot(f);
    int st = nn_set_regularization(f->m, kind, rate);
    check_outcome(f, "nn_set_regularization", st, ok ? 0 : ERR(NN_ERR_REGULARIZATION));
    FZ_REQUIRE(st != NN_ERR_DIVERGED, "nn_set_regularization diverged");
}

static void op_reset(fz_model *f, fz_input *in)
{
    FZ_REQUIRE(nn_reset(f->m, fz_u32(in)) == NN_OK, "nn_reset");
    FZ_REQUIRE(fz_all_finite(nn_params(f->m), (size_t)f->count), "non-finite parameters after reset");
}

/* Gradient clipping with a fuzzed max_norm (NaN, infinities, negatives). */
static void op_clip(fz_model *f, fz_input *in)
{
    float v = fz_float(in);
    unsigned allowed = !isfinite(v) ? ERR(NN_ERR_NONFINITE) : v < 0.0f ? ERR(NN_ERR_OPTIMIZER) : 0;
    snapshot(f);
    check_outcome(f, "nn_set_clip_norm", nn_set_clip_norm(f->m, v), allowed);
    FZ_REQUIRE(unchanged(f), "nn_set_clip_norm changed a parameter");
}

#endif
