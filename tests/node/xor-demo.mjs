// xor-demo.mjs — trains XOR (2-4-1, tanh + sigmoid/BCE, Adam) through the
// WASM ABI and prints the loss: the README's usage example, runnable after
// `bash build.sh wasm`.
import { loadEngine } from './core-load.mjs';

const engine = await loadEngine();
const model = engine.createModel({ sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], loss: 'bce', seed: 1, maxBatch: 4 });
model.setOptimizer('adam', { lr: 0.05 });
const x = engine.fromArray(new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]));
const y = engine.fromArray(new Float32Array([0, 1, 1, 0]));
for (let step = 0; step <= 500; step++) {
  const loss = model.trainStep(x, y, 4);
  if (step % 100 === 0) console.log(`step ${String(step).padStart(3)}  loss ${loss.toFixed(6)}`);
}
const out = model.forward(x, 4);
console.log('outputs for 00 01 10 11:', Array.from(out, (v) => v.toFixed(3)).join(' '));
model.destroy();
