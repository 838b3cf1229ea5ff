// gan-tfjs.mjs — the TensorFlow.js peer of the 2-D GAN benchmark (issue 14 §5): the workload
// of bench/gan-workload.mjs in TF.js, given the `tf` namespace (the UMD bundle's global in the
// browser worker bench/gan-tfjs-worker.js, the npm package in the Node test
// tests/node/gan-bench.test.mjs). No Node or DOM imports.
//
// The GAN as GAN Lab writes it (poloclub/ganlab, ganlab_models.ts): tf.variable weights,
// matMul + add + relu layers, one optimizer per network, and optimizer.minimize(loss, true,
// varList) for the D step (the D loss on real and generated rows, only D's variables) and the
// G step (G's loss through D, only G's variables). Real and generated rows go through D as one
// concatenated batch (one chain of ops, not two: TF.js's cost is mostly per op). Losses: BCE
// with logits as softplus (D: mean softplus(-z_real) + mean softplus(z_fake); G:
// non-saturating mean softplus(-z_fake)), or least squares with 1/2 factors: the engine's
// (core/gan.c). The initial weights are the engine's, the real batches and the noise stream
// the workload's: the numbers GanPair uses. The losses are read back once per chunk of 8
// iterations (GAN Lab reads them every few iterations too), which also keeps an asynchronous
// backend (webgl) from queueing work past the clock.
import { BATCH, CHECK_ITERATIONS, OPTIMIZERS, noiseStream, realBatch, realPool } from './gan-workload.mjs';

/** [rows, cols] row-major -> [cols, rows]. @param {ArrayLike<number>} a @param {number} rows @param {number} cols */
function transpose(a, rows, cols) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/**
 * One round: msg.checkIterations (default CHECK_ITERATIONS) iterations with their losses, an untimed warm-up to
 * `warmupSeconds`, then chunks of iterations until `seconds` have passed.
 * @param {any} tf The TensorFlow.js namespace, its backend already set.
 * @param {{ opt: 'sgd' | 'adam', loss?: 'bce' | 'least_squares', weights: { g: any[], d: any[] }, seconds: number, warmupSeconds: number, checkIterations?: number }} msg
 */
export function runTfjsRound(tf, msg) {
  /** The engine's dense layers ([out x in] weights) as TF.js variables ([in x out], as GAN Lab). */
  // (in a tidy: a variable keeps its initial tensor alive until that tensor is disposed)
  const variables = (layers, prefix) => layers.map((l, i) => tf.tidy(() => ({
    w: tf.variable(tf.tensor2d(transpose(l.weight, l.rows, l.cols), [l.cols, l.rows]), true, `${prefix}${i}w`),
    b: tf.variable(tf.tensor1d(Float32Array.from(l.bias)), true, `${prefix}${i}b`),
  })));
  /** x through the layers: relu on hidden layers, `last` on the output. */
  const net = (vars, x, last) => {
    let h = x;
    vars.forEach((v, i) => {
      h = tf.add(tf.matMul(h, v.w), v.b);
      h = i < vars.length - 1 ? tf.relu(h) : last(h);
    });
    return h;
  };
  const optimizer = (o) => (o.kind === 'sgd' ? tf.train.sgd(o.lr) : tf.train.adam(o.lr, o.beta1, o.beta2, o.eps));

  const G = variables(msg.weights.g, 'g'), D = variables(msg.weights.d, 'd');
  const gVars = G.flatMap((v) => [v.w, v.b]), dVars = D.flatMap((v) => [v.w, v.b]);
  const gOpt = optimizer(OPTIMIZERS[msg.opt]), dOpt = optimizer(OPTIMIZERS[msg.opt]);
  const lsq = msg.loss === 'least_squares';
  const generator = (z) => net(G, z, tf.tanh);
  const discriminator = (x) => net(D, x, (h) => h);
  const half = (t) => tf.mul(0.5, tf.mean(tf.square(t)));
  const dLoss = (z) => {
    const [zr, zf] = tf.split(z, 2, 0);
    return lsq ? tf.add(half(tf.sub(zr, 1)), half(zf)) : tf.add(tf.mean(tf.softplus(tf.neg(zr))), tf.mean(tf.softplus(zf)));
  };
  const gLoss = (z) => (lsq ? half(tf.sub(z, 1)) : tf.mean(tf.softplus(tf.neg(z))));

  const pool = realPool();
  const noise = noiseStream();
  let k = 0;
  /** One iteration; with `read`, its two losses (else null: nothing waits). */
  const iterate = (read) => {
    const real = tf.tensor2d(realBatch(pool, k++), [BATCH, 2]);
    const zd = tf.tensor2d(noise.next(), [BATCH, 2]);
    const dCost = dOpt.minimize(() => dLoss(discriminator(tf.concat([real, generator(zd)], 0))), true, dVars);
    const zg = tf.tensor2d(noise.next(), [BATCH, 2]);
    const gCost = gOpt.minimize(() => gLoss(discriminator(generator(zg))), true, gVars);
    const out = read ? [dCost.dataSync()[0], gCost.dataSync()[0]] : null;
    tf.dispose([real, zd, zg, dCost, gCost]);
    return out;
  };

  try {
    const trace = [];
    for (let i = 0; i < (msg.checkIterations ?? CHECK_ITERATIONS); i++) trace.push(iterate(true));
    const chunk = 8;
    const t0 = performance.now();
    while (performance.now() - t0 < msg.warmupSeconds * 1000) for (let i = 0; i < chunk; i++) iterate(false);
    iterate(true); // waits for the warm-up's queued work (webgl)
    let iterations = 0, elapsed = 0, last = [NaN, NaN];
    const t1 = performance.now();
    do {
      for (let i = 0; i < chunk - 1; i++) iterate(false);
      last = iterate(true);
      iterations += chunk;
      elapsed = (performance.now() - t1) / 1000;
    } while (elapsed < msg.seconds);
    return { iterations, seconds: elapsed, trace, last, diverged: !last.every(Number.isFinite), tensors: tf.memory().numTensors };
  } finally {
    tf.dispose([...gVars, ...dVars]);
    gOpt.dispose();
    dOpt.dispose();
  }
}
