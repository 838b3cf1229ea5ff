#!/usr/bin/python3
"""Writes tests/reference/gan_fixtures.bin: PyTorch reference iterations of a GAN
(issue 14) for the core's nn_gan_step_d / nn_gan_step_g.

Run with Debian's python3-torch:  /usr/bin/python3 tests/reference/make_gan_fixtures.py [OUT]
(OUT defaults to tests/reference/gan_fixtures.bin). Deterministic (fixed seeds): re-running
reproduces the committed file, which tests/node/reference.test.mjs checks.

One iteration = one D step, then one G step, each network with its own torch
optimizer, in the core's convention (core/nn.h):
  D step: fake = G(noise_d) (no gradient into G); z = D(cat[real, fake]);
          BCE: L_D = BCEWithLogits(z_real, 1) + BCEWithLogits(z_fake, 0) (each a mean);
          least squares: L_D = 0.5 mean (z_real - 1)^2 + 0.5 mean z_fake^2; D's optimizer steps.
  G step: z = D(G(noise_g)); BCE: L_G = BCEWithLogits(z, 1) (non-saturating);
          least squares: L_G = 0.5 mean (z - 1)^2; the gradient flows through D into G,
          only G's optimizer steps (D's gradients are dropped, its optimizer untouched).
  Stats (NN_GAN_STATS): loss before the update, mean D on the real rows (0 in a G step),
  mean D on the generated rows; "D" is sigmoid(z) under BCE, z under least squares.
Truth is float64 from float32-representable inputs (as tests/reference/make_fixtures.py),
and a draw on which float32 PyTorch strays from it by more than 1/4 of the tests'
tolerance is redrawn, so a mismatch points at the core.

File layout (little-endian; i32 = int32, f32 = float32):
  header: char[4] "NNGF", i32 version (1), i32 n_cases
  per case:
    char[48] name (NUL-padded)
    G: i32 n_layers, i32 in_shape[3], i32 desc[n_layers][8]
    D: i32 n_layers, i32 in_shape[3], i32 desc[n_layers][8]
    i32 loss (nn_gan_loss), i32 batch, i32 n_iters, i32 n_traj
    G: i32 n_params, i32 n_blocks, i32 block_len[n_blocks]
    D: i32 n_params, i32 n_blocks, i32 block_len[n_blocks]
    f32 g_params0[], f32 d_params0[]
    f32 real[n_iters][batch * d inputs]      NCHW
    f32 noise_d[n_iters][batch * g inputs]   the D step's noise
    f32 noise_g[n_iters][batch * g inputs]   the G step's noise
    f32 sample_grad[batch * d inputs]        nn_gan_sample_grad at d_params0 on real[0]:
                                             per row, d l_G(x_i) / d x_i (not divided by batch)
    per trajectory (fresh optimizers, from params0):
      D: i32 optimizer, f32 lr, beta1, beta2, eps;  G: the same
      per iteration: f32 d_stats[3], f32 d_params[] (after the D step),
                     f32 g_stats[3], f32 g_params[] (after the G step)
"""
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import (ACT, KIND, OPT, DESC_INTS, REL_TOL, error_measure, f32, flat,  # noqa: E402
                           forward, out_shape_of, param_blocks, param_specs)

torch.use_deterministic_algorithms(True)

GAN_LOSS = {"bce": 0, "least_squares": 1}
N_ITERS = 3
CONDITION_LIMIT = REL_TOL / 4
# (D optimizer, G optimizer), each (name, lr, beta1, beta2, eps); Adam with beta1 0.5
# as GANs use it; the learning rates differ per network, and one trajectory mixes kinds.
SGD_D, SGD_G = ("sgd", 0.1, 0.0, 0.0, 0.0), ("sgd", 0.05, 0.0, 0.0, 0.0)
MOM_D, MOM_G = ("momentum", 0.05, 0.9, 0.0, 0.0), ("momentum", 0.02, 0.9, 0.0, 0.0)
ADAM_D, ADAM_G = ("adam", 0.01, 0.5, 0.999, 1e-8), ("adam", 0.005, 0.5, 0.999, 1e-8)
TRAJECTORIES = [(SGD_D, SGD_G), (MOM_D, MOM_G), (ADAM_D, ADAM_G), (SGD_D, ADAM_G)]


def dense(act, n):
    return ("dense", act, n)


def cases():
    """(name, noise dim, G layers, D input shape, D layers, batch, real kind)."""
    conv_d = [("conv", "relu", 3, 3, 3, 1, 0), ("pool", "linear", 2, 2), ("flatten", "linear"),
              dense("leaky_relu", 4), dense("linear", 1)]
    return [
        ("2-D mlp 2-8-2/2-8-1 relu", 2, [dense("relu", 8), dense("linear", 2)],
         (2, 1, 1), [dense("relu", 8), dense("linear", 1)], 5, "ring"),
        ("deep 4-16-16-6/6-12-1 tanh,leaky", 4,
         [dense("tanh", 16), dense("leaky_relu", 16), dense("sigmoid", 6)],
         (6, 1, 1), [dense("leaky_relu", 12), dense("linear", 1)], 4, "unit"),
        ("dense G 3-10-36/conv D 1x6x6", 3, [dense("relu", 10), dense("tanh", 36)],
         (1, 6, 6), conv_d, 3, "signed"),
    ]


def real_rows(rng, kind, batch, n):
    if kind == "ring":  # points near the unit circle
        angle = rng.uniform(0, 2 * np.pi, batch)
        radius = 1 + 0.05 * rng.standard_normal(batch)
        return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    if kind == "unit":
        return rng.uniform(0.05, 0.95, (batch, n))
    return rng.uniform(-1, 1, (batch, n))


def d_loss(z, batch, loss):
    zr, zf = z[:batch], z[batch:]
    if loss == "bce":
        return (F.binary_cross_entropy_with_logits(zr, torch.ones_like(zr)) +
                F.binary_cross_entropy_with_logits(zf, torch.zeros_like(zf)))
    return 0.5 * ((zr - 1) ** 2).mean() + 0.5 * (zf ** 2).mean()


def g_loss(z, loss):
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(z, torch.ones_like(z))
    return 0.5 * ((z - 1) ** 2).mean()


def score(z, loss):
    return (torch.sigmoid(z) if loss == "bce" else z).mean().item()


def make_optimizer(params, spec):
    name, lr, beta1, beta2, eps = spec
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=beta1)
    return torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)


def f32_spec(spec):
    return (spec[0],) + tuple(float(np.float32(v)) for v in spec[1:])


def sample_grad(case, draw, loss, dtype):
    """Per row x_i of real[0], the gradient of its own generator loss l_G(x_i)
    (a sum over rows, so no 1/batch) with respect to x_i, at D's params0."""
    _, _, _, d_shape, d_layers, batch, _ = case
    d = [p.to(dtype) for p in draw[1]]
    x = draw[2][0].to(dtype).reshape((batch,) + d_shape).clone().requires_grad_(True)
    z = forward(d, x, d_layers)[0].flatten()
    (g_loss(z, loss) * batch).backward()
    return x.grad.double().numpy().ravel()


def run(case, draw, loss, dtype):
    """Every trajectory's iterations in dtype: per trajectory, per iteration
    (d_stats, d_params, g_stats, g_params)."""
    _, _, g_layers, d_shape, d_layers, batch, _ = case
    g0, d0, reals, noise_d, noise_g = draw
    out = []
    for opt_d, opt_g in TRAJECTORIES:
        g = [p.to(dtype).clone().requires_grad_(True) for p in g0]
        d = [p.to(dtype).clone().requires_grad_(True) for p in d0]
        og, od = make_optimizer(g, f32_spec(opt_g)), make_optimizer(d, f32_spec(opt_d))
        iters = []
        for it in range(N_ITERS):
            # D step on [real; G(noise)], G detached
            od.zero_grad()
            with torch.no_grad():
                fake = forward(g, noise_d[it].to(dtype), g_layers)[0]
            x = torch.cat([reals[it].to(dtype), fake]).reshape((2 * batch,) + d_shape)
            z = forward(d, x, d_layers)[0].flatten()
            ld = d_loss(z, batch, loss)
            ld.backward()
            d_stats = [ld.item(), score(z[:batch], loss), score(z[batch:], loss)]
            od.step()
            d_after = flat(d)
            # G step through D; D's gradients dropped, only G's optimizer steps
            og.zero_grad()
            samples = forward(g, noise_g[it].to(dtype), g_layers)[0]
            z = forward(d, samples.reshape((batch,) + d_shape), d_layers)[0].flatten()
            lg = g_loss(z, loss)
            lg.backward()
            g_stats = [lg.item(), 0.0, score(z, loss)]
            og.step()
            for p in d:
                p.grad = None
            if not np.array_equal(flat(d), d_after):
                raise RuntimeError("the G step changed D")
            iters.append((np.array(d_stats), d_after, np.array(g_stats), flat(g)))
        out.append(iters)
    return out


def worst_error(a, b, g_blocks, d_blocks):
    worst = error_measure(a["sample_grad"], b["sample_grad"])
    a, b = a["iterations"], b["iterations"]
    for ta, tb in zip(a, b):
        for (ds, dp, gs, gp), (ds2, dp2, gs2, gp2) in zip(ta, tb):
            worst = max(worst, error_measure(ds[:1], ds2[:1], floor=0), error_measure(ds[1:], ds2[1:]),
                        error_measure(gs[:1], gs2[:1], floor=0), error_measure(gs[2:], gs2[2:], floor=0),
                        error_measure(dp, dp2, d_blocks), error_measure(gp, gp2, g_blocks))
    return worst


def draw(seed, case):
    _, noise_dim, g_layers, d_shape, d_layers, batch, real_kind = case
    rng = np.random.default_rng(seed)
    g_in = (noise_dim, 1, 1)
    g0 = [f32(rng.uniform(-b, b, s)) for s, _, b in param_specs(g_in, g_layers)]
    d0 = [f32(rng.uniform(-b, b, s)) for s, _, b in param_specs(d_shape, d_layers)]
    n = int(np.prod(d_shape))
    reals = [f32(real_rows(rng, real_kind, batch, n)) for _ in range(N_ITERS)]
    noise_d = [f32(rng.uniform(-1, 1, (batch, noise_dim))) for _ in range(N_ITERS)]
    noise_g = [f32(rng.uniform(-1, 1, (batch, noise_dim))) for _ in range(N_ITERS)]
    return g0, d0, reals, noise_d, noise_g


def build(index, case, loss):
    _, noise_dim, g_layers, d_shape, d_layers, _, _ = case
    if int(np.prod(out_shape_of((noise_dim, 1, 1), g_layers))) != int(np.prod(d_shape)):
        raise RuntimeError(f"{case[0]}: G's output is not D's input")
    g_blocks = param_blocks(param_specs((noise_dim, 1, 1), g_layers))
    d_blocks = param_blocks(param_specs(d_shape, d_layers))
    for attempt in range(100):
        dr = draw(1000 * index + attempt, case)
        truth, single = ({"iterations": run(case, dr, loss, t), "sample_grad": sample_grad(case, dr, loss, t)}
                         for t in (torch.float64, torch.float32))
        err = worst_error(single, truth, g_blocks, d_blocks)
        if err <= CONDITION_LIMIT:
            return {"case": case, "loss": loss, "draw": dr, "truth": truth, "g_blocks": g_blocks,
                    "d_blocks": d_blocks, "float32_error": err, "attempts": attempt + 1}
    raise RuntimeError(f"no well-conditioned draw for {case[0]}/{loss}")


def write(path, built):
    def f32s(a):
        return np.asarray(a, dtype="<f4").tobytes()

    def i32s(*v):
        return struct.pack("<%di" % len(v), *v)

    def net(f, in_shape, layers):
        f.write(i32s(len(layers), *in_shape))
        for layer in layers:
            ints = list(layer[2:])
            f.write(i32s(KIND[layer[0]], ACT[layer[1]], *(ints + [0] * (DESC_INTS - 2 - len(ints)))))

    def blocks(f, bl):
        f.write(i32s(bl[-1][1], len(bl), *[e - s for s, e in bl]))

    def opt(f, spec):
        name, *hyper = f32_spec(spec)
        f.write(i32s(OPT[name]) + f32s(hyper))

    with open(path, "wb") as f:
        f.write(b"NNGF" + i32s(1, len(built)))
        for b in built:
            name, noise_dim, g_layers, d_shape, d_layers, batch, _ = b["case"]
            g0, d0, reals, noise_d, noise_g = b["draw"]
            label = f"{name} {b['loss']}".encode()
            if len(label) > 48:
                raise RuntimeError(f"case name too long: {label}")
            f.write(label.ljust(48, b"\0"))
            net(f, (noise_dim, 1, 1), g_layers)
            net(f, d_shape, d_layers)
            f.write(i32s(GAN_LOSS[b["loss"]], batch, N_ITERS, len(TRAJECTORIES)))
            blocks(f, b["g_blocks"])
            blocks(f, b["d_blocks"])
            f.write(f32s(flat(g0)) + f32s(flat(d0)))
            for arrays in (reals, noise_d, noise_g):
                for a in arrays:
                    f.write(f32s(a.numpy().ravel()))
            f.write(f32s(b["truth"]["sample_grad"]))
            for (opt_d, opt_g), iters in zip(TRAJECTORIES, b["truth"]["iterations"]):
                opt(f, opt_d)
                opt(f, opt_g)
                for ds, dp, gs, gp in iters:
                    f.write(f32s(ds) + f32s(dp) + f32s(gs) + f32s(gp))


def main():
    torch.manual_seed(0)
    built = [build(i, case, loss) for i, (case, loss) in
             enumerate((c, l) for c in cases() for l in ("bce", "least_squares"))]
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "gan_fixtures.bin")
    write(path, built)
    worst = max(built, key=lambda b: b["float32_error"])
    print(f"wrote {len(built)} GAN cases x {len(TRAJECTORIES)} trajectories x {N_ITERS} iterations to {path} "
          f"({os.path.getsize(path)} bytes); {sum(b['attempts'] > 1 for b in built)} redrawn; float32 PyTorch vs "
          f"float64 truth: largest error {worst['float32_error']:.2e} ({worst['case'][0]} {worst['loss']})")


if __name__ == "__main__":
    main()
