// gan-tfjs-worker.js — the TensorFlow.js peer of the 2-D GAN benchmark (issue 14 §5), in a
// dedicated browser worker (bench/gan-browser.mjs serves it beside the tfjs UMD bundles and
// the repository's modules). A classic worker: the UMD bundles load with importScripts (the
// ES build of the wasm backend imports '@tensorflow/tfjs-core' by bare name, which a browser
// cannot resolve without a bundler).
//
// The GAN as GAN Lab writes it (poloclub/ganlab, ganlab_models.ts): tf.variable weights,
// matMul + add + relu layers, one optimizer per network, and optimizer.minimize(loss, true,
// varList) for the D step (the D loss on real and generated rows, only D's variables) and the
// G step (G's loss through D, only G's variables). Real and generated rows go through D as one
// concatenated batch (one chain of ops, not two: TF.js's cost is mostly per op). Losses: BCE
// with logits as softplus (D: mean softplus(-z_real) + mean softplus(z_fake); G:
// non-saturating mean softplus(-z_fake)), or least squares with 1/2 factors: the engine's
// (core/gan.c). The initial weights are the engine's (posted by bench/gan-bench.mjs), the
// real batches and the noise stream are the workload's (bench/gan-workload.mjs): the same
// numbers GanPair uses. The losses are not read back during the timed iterations (GAN Lab
// reads them every few iterations); one dataSync at the end waits for the work.
//
// Message { backend: 'wasm' | 'cpu' | 'webgl', opt, depth, weights, seconds, warmupSeconds }
// -> { record } or { error }.
/* global tf, importScripts */
importScripts('tf.min.js', 'tf-backend-wasm.min.js');

async function useBackend(name) {
  if (name === 'wasm') {
    tf.wasm.setWasmPaths('./');
    // No SharedArrayBuffer here (the page is not cross-origin isolated): one thread, like the app.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  // Production mode skips TF.js's debug-time argument checks: the fastest TF.js (~20 % here).
  tf.enableProdMode();
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: the ${name} backend did not initialise`);
  await tf.ready();
}

/** [rows, cols] row-major -> [cols, rows]. */
function transpose(a, rows, cols) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/** The engine's dense layers ([out x in] weights) as TF.js variables ([in x out], as GAN Lab). */
function variables(layers, prefix) {
  return layers.map((l, i) => ({
    w: tf.variable(tf.tensor2d(transpose(Float32Array.from(l.weight), l.rows, l.cols), [l.cols, l.rows]), true, `${prefix}${i}w`),
    b: tf.variable(tf.tensor1d(Float32Array.from(l.bias)), true, `${prefix}${i}b`),
  }));
}

/** x through the layers: relu on hidden layers, `last` on the output. */
function net(vars, x, last) {
  let h = x;
  vars.forEach((v, i) => {
    h = tf.add(tf.matMul(h, v.w), v.b);
    h = i < vars.length - 1 ? tf.relu(h) : last(h);
  });
  return h;
}

function makeOptimizer(o) {
  if (o.kind === 'sgd') return tf.train.sgd(o.lr);
  return tf.train.adam(o.lr, o.beta1, o.beta2, o.eps);
}

async function run(msg) {
  const w = await import('./gan-workload.mjs');
  const { BATCH, CHECK_ITERATIONS, OPTIMIZERS, realPool, realBatch, noiseStream } = w;
  const G = variables(msg.weights.g, 'g'), D = variables(msg.weights.d, 'd');
  const gVars = G.flatMap((v) => [v.w, v.b]), dVars = D.flatMap((v) => [v.w, v.b]);
  const gOpt = makeOptimizer(OPTIMIZERS[msg.opt]), dOpt = makeOptimizer(OPTIMIZERS[msg.opt]);
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
  /** One iteration; with `read`, its two losses (else null, nothing waits). */
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

  const trace = [];
  for (let i = 0; i < CHECK_ITERATIONS; i++) trace.push(iterate(true));
  const chunk = 8;
  const t0 = performance.now();
  while (performance.now() - t0 < msg.warmupSeconds * 1000) for (let i = 0; i < chunk; i++) iterate(false);
  iterate(true); // waits for the warm-up's queued work (webgl)
  let iterations = 0;
  const t1 = performance.now();
  let elapsed = 0, last = null;
  do {
    for (let i = 0; i < chunk - 1; i++) iterate(false);
    last = iterate(true); // one read per chunk: the backend cannot queue work past the clock
    iterations += chunk;
    elapsed = (performance.now() - t1) / 1000;
  } while (elapsed < msg.seconds);
  const tensors = tf.memory().numTensors;
  tf.dispose([...gVars, ...dVars]);
  gOpt.dispose();
  dOpt.dispose();
  return { iterations, seconds: elapsed, trace, last, diverged: !last.every(Number.isFinite), tensors };
}

self.onmessage = async (event) => {
  try {
    const msg = event.data;
    await useBackend(msg.backend);
    const record = await run(msg);
    self.postMessage({ record: { backend: tf.getBackend(), tfjs: tf.version.tfjs, ...record } });
  } catch (e) {
    self.postMessage({ error: String((e && e.stack) || e) });
  }
};
