// cnn-links.mjs — the MNIST lab's links that bench/cnn-browser.mjs opens: each preset's
// layers with the training settings the preset comes with (MODEL_PRESETS in
// web/src/labs/mnist/model-layers.ts; web/src/labs/mnist/bench-links.test.ts checks that
// these are the links the page writes for them), seed 1. No imports: Vitest reads it too.
export const LAB_LINKS = {
  'cnn-fast': 'lab=mnist&v=2&layers=conv:8:5:1:0:relu,pool:2:2,conv:16:5:1:0:relu,pool:2:2,flatten,dense:10:softmax' +
    '&opt=adam&lr=0.002&sched=cos&lrend=0.01&batch=32&epochs=5&shift=1&seed=1',
  // One epoch: the target is the epoch's time.
  convnetjs: 'lab=mnist&v=2&layers=conv:8:5:1:2:relu,pool:2:2,conv:16:5:1:2:relu,pool:3:3,flatten,dense:10:softmax' +
    '&opt=momentum&lr=0.01&sched=none&mom=0.9&batch=20&epochs=1&seed=1',
};
