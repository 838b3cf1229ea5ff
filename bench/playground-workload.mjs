// The playground engine benchmark's workload, shared by Node
// (bench/playground-engine.mjs) and a browser worker
// (bench/engine-worker.mjs): TensorFlow Playground's hardest usual
// case — spiral, inputs x1 and x2, six hidden layers of 8 tanh units, one
// sigmoid output with binary cross-entropy (as our playground trains it),
// batch 10, SGD lr 0.03, 250 training points — one nn_train_epoch call per
// epoch with a fresh shuffle, as the worker does (web/src/labs/playground/session.ts).
// Plain JavaScript with no Node or DOM APIs.

export const TRAIN_POINTS = 250; // 500 points, 50% train
/** TensorFlow Playground's engine on this workload, in Node on a 2-core Xeon (issue 3). */
export const REFERENCE_EXAMPLES_PER_SEC = 197000;

/** Two interleaved spiral arms (TensorFlow Playground's formula), labels 0/1. */
export function spiral(n) {
  const x = new Float32Array(2 * n), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 2, k = i >> 1, half = n >> 1;
    const r = (k / half) * 5, t = (1.75 * k / half) * 2 * Math.PI + cls * Math.PI;
    x[2 * i] = r * Math.sin(t);
    x[2 * i + 1] = r * Math.cos(t);
    y[i] = cls;
  }
  return { x, y };
}

// Fisher-Yates with a small deterministic generator (the worker shuffles each epoch too).
function shuffler(seed) {
  let s = seed >>> 0;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  return (order) => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      const t = order[i]; order[i] = order[j]; order[j] = t;
    }
  };
}

/** The model and data in `engine` (nn-wasm.js); epoch() trains one epoch and returns its loss. */
export function playgroundWorkload(engine, act = 'tanh') {
  const model = engine.createModel({
    sizes: [2, 8, 8, 8, 8, 8, 8, 1], activations: [act, act, act, act, act, act, 'sigmoid'],
    loss: 'bce', seed: 1, maxBatch: 256,
  });
  model.setOptimizer('sgd', { lr: 0.03 });
  const data = spiral(TRAIN_POINTS);
  const x = engine.allocF32(data.x.length).set(data.x);
  const y = engine.allocF32(data.y.length).set(data.y);
  const orderBuf = engine.allocI32(TRAIN_POINTS);
  const order = Int32Array.from({ length: TRAIN_POINTS }, (_, i) => i);
  const shuffle = shuffler(7);
  return {
    epoch() {
      shuffle(order);
      orderBuf.set(order);
      return model.trainEpoch(x, y, TRAIN_POINTS, orderBuf, 10);
    },
    destroy() {
      model.destroy();
    },
  };
}

/**
 * Trains whole epochs for about `ms` milliseconds; returns
 * { examples, seconds, loss }. Call it once for a second first: V8 tiers the
 * module up meanwhile.
 */
export function runWorkload(work, ms) {
  const now = () => performance.now();
  let epochs = 0, loss = NaN;
  const t0 = now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 20; i++) loss = work.epoch();
    epochs += 20;
    t = now();
  }
  return { examples: epochs * TRAIN_POINTS, seconds: (t - t0) / 1000, loss };
}
