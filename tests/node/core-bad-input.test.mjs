// Every exported function of the real .wasm, called with invalid arguments,
// returns an error status (or NaN + status) and never traps; the wrapper
// turns them into NnError with the core's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './core-load.mjs';
import { ABI_VERSION, NnError, createEngine } from '../../web/src/engine/nn-wasm.js';
import { Status } from '../../web/src/engine/enums.js';

const engine = await loadEngine();
const M = engine.module;

function ints(values) {
  return engine.fromArray(Int32Array.from(values));
}

test('nn_check_config and nn_create reject every invalid configuration', () => {
  const cases = [
    [[3, 4, 2], [3, 5], 2, 4, Status.OK, 'valid'],
    [[3], [], 2, 4, Status.ERR_LAYERS, 'zero layers'],
    [[3, 0, 2], [3, 5], 2, 4, Status.ERR_SIZE, 'zero width'],
    [[3, -4, 2], [3, 5], 2, 4, Status.ERR_SIZE, 'negative width'],
    [[3, 1 << 20, 1 << 20], [3, 5], 2, 4, Status.ERR_TOO_LARGE, 'overflowing product'],
    [[3, 4, 2], [3, 9], 2, 4, Status.ERR_ACTIVATION, 'unknown activation'],
    [[3, 4, 2], [-1, 5], 2, 4, Status.ERR_ACTIVATION, 'negative activation'],
    [[3, 4, 2], [5, 5], 2, 4, Status.ERR_SOFTMAX_HIDDEN, 'softmax hidden'],
    [[3, 4, 2], [3, 5], 3, 4, Status.ERR_LOSS, 'unknown loss'],
    [[3, 4, 2], [3, 5], 1, 4, Status.ERR_LOSS_OUTPUT, 'BCE on softmax'],
    [[3, 4, 2], [3, 5], 2, 0, Status.ERR_BATCH, 'max_batch 0'],
    [[3, 4, 2], [3, 5], 2, (1 << 16) + 1, Status.ERR_BATCH, 'max_batch too big'],
  ];
  for (const [sizes, acts, loss, maxBatch, want, what] of cases) {
    const s = ints(sizes), a = ints(acts.length ? acts : [0]);
    const nLayers = sizes.length - 1;
    assert.equal(M._nn_check_config(nLayers, s.ptr, a.ptr, loss, maxBatch), want, what);
    const handle = M._nn_create(nLayers, s.ptr, a.ptr, loss, 1, maxBatch);
    assert.equal(handle !== 0, want === Status.OK, `${what}: nn_create`);
    M._nn_destroy(handle);
    s.free();
    a.free();
  }
  assert.equal(M._nn_check_config(2, 0, 0, 2, 4), Status.ERR_NULL, 'NULL arrays');
  assert.equal(M._nn_check_config(65, 0, 0, 2, 4), Status.ERR_LAYERS, 'too many layers');
  assert.equal(M._nn_create(2, 0, 0, 2, 1, 4), 0, 'nn_create NULL');
});

test('functions on a NULL model return errors', () => {
  assert.equal(M._nn_reset(0, 1), Status.ERR_NULL);
  assert.equal(M._nn_status(0), Status.ERR_NULL);
  assert.equal(M._nn_set_optimizer(0, 0, 0.1, 0, 0, 0), Status.ERR_NULL);
  assert.equal(M._nn_set_regularization(0, 1, 0.1), Status.ERR_NULL);
  assert.ok(Number.isNaN(M._nn_train_step(0, 0, 0, 1)));
  assert.ok(Number.isNaN(M._nn_train_epoch(0, 0, 0, 1, 0, 1)));
  assert.ok(Number.isNaN(M._nn_compute_gradients(0, 0, 0, 1)));
  assert.equal(M._nn_forward(0, 0, 1, 0), Status.ERR_NULL);
  assert.equal(M._nn_forward_all(0, 0, 1, 0), Status.ERR_NULL);
  assert.equal(M._nn_evaluate(0, 0, 0, 1, 0, 0), Status.ERR_NULL);
  assert.equal(M._nn_set_param(0, 0, 0, 0, 0, 1), Status.ERR_NULL);
  assert.ok(Number.isNaN(M._nn_get_param(0, 0, 0, 0, 0)));
  assert.equal(M._nn_param_count(0), Status.ERR_NULL);
  assert.equal(M._nn_params(0), 0);
  assert.equal(M._nn_grads(0), 0);
  assert.equal(M._nn_load_params(0, 0, 1), Status.ERR_NULL);
  assert.equal(M._nn_n_layers(0), Status.ERR_NULL);
  assert.equal(M._nn_layer_size(0, 0), Status.ERR_NULL);
  assert.equal(M._nn_max_batch(0), Status.ERR_NULL);
  M._nn_destroy(0);
  assert.equal(M._nn_wasm_alloc(0), 0);
  assert.equal(M._nn_wasm_alloc(-5), 0);
});

test('a model rejects bad data, batches, hyperparameters and indices without changing', () => {
  const model = engine.createModel({ sizes: [3, 4, 2], activations: ['tanh', 'softmax'], loss: 'ce', seed: 1, maxBatch: 4 });
  const h = model.handle;
  const before = model.params();
  const x = engine.fromArray(new Float32Array(12).fill(0.5));
  const y = engine.fromArray(new Float32Array([1, 0, 0, 1, 1, 0, 0, 1]));
  const nanStatus = (r, want, what) => {
    assert.ok(Number.isNaN(r), `${what}: returned ${r}`);
    assert.equal(M._nn_status(h), want, what);
  };
  nanStatus(M._nn_train_step(h, 0, y.ptr, 2), Status.ERR_NULL, 'NULL x');
  nanStatus(M._nn_train_step(h, x.ptr, 0, 2), Status.ERR_NULL, 'NULL y');
  nanStatus(M._nn_train_step(h, x.ptr, y.ptr, 0), Status.ERR_BATCH, 'batch 0');
  nanStatus(M._nn_train_step(h, x.ptr, y.ptr, 5), Status.ERR_BATCH, 'batch > max_batch');
  nanStatus(M._nn_train_step(h, x.ptr, y.ptr, -3), Status.ERR_BATCH, 'negative batch');
  // wasm32: n * width past the address space is caught before any read
  nanStatus(M._nn_train_epoch(h, x.ptr, y.ptr, 0x7fffffff, 0, 2), Status.ERR_TOO_LARGE, 'overflowing n');
  assert.equal(M._nn_forward(h, x.ptr, 0x7fffffff, y.ptr), Status.ERR_TOO_LARGE, 'forward overflowing n');
  for (const bad of [NaN, Infinity, -Infinity]) {
    x.view()[5] = bad;
    nanStatus(M._nn_train_step(h, x.ptr, y.ptr, 2), Status.ERR_NONFINITE, `x ${bad}`);
    assert.equal(M._nn_forward(h, x.ptr, 2, y.ptr), Status.ERR_NONFINITE, `forward x ${bad}`);
    x.view()[5] = 0.5;
    y.view()[1] = bad;
    nanStatus(M._nn_compute_gradients(h, x.ptr, y.ptr, 2), Status.ERR_NONFINITE, `y ${bad}`);
    y.view()[1] = 0;
  }
  const order = ints([0, 1, 4, 2]);
  nanStatus(M._nn_train_epoch(h, x.ptr, y.ptr, 4, order.ptr, 2), Status.ERR_INDEX, 'order out of range');
  assert.equal(M._nn_set_optimizer(h, 7, 0.1, 0.9, 0.999, 1e-8), Status.ERR_OPTIMIZER, 'unknown optimizer');
  assert.equal(M._nn_set_optimizer(h, 0, -1, 0, 0, 0), Status.ERR_OPTIMIZER, 'negative lr');
  assert.equal(M._nn_set_optimizer(h, 0, NaN, 0, 0, 0), Status.ERR_NONFINITE, 'NaN lr');
  assert.equal(M._nn_set_optimizer(h, 2, 0.1, 0.9, 1, 1e-8), Status.ERR_OPTIMIZER, 'beta2 1');
  assert.equal(M._nn_set_regularization(h, 9, 0.1), Status.ERR_REGULARIZATION, 'unknown regularisation');
  assert.equal(M._nn_set_regularization(h, 1, -1), Status.ERR_REGULARIZATION, 'negative rate');
  assert.equal(M._nn_set_param(h, 2, 0, 0, 0, 1), Status.ERR_INDEX, 'layer out of range');
  assert.equal(M._nn_set_param(h, 0, 0, 0, 0, Infinity), Status.ERR_NONFINITE, 'Inf param');
  assert.equal(M._nn_load_params(h, x.ptr, 3), Status.ERR_INDEX, 'wrong count');
  assert.equal(M._nn_layer_size(h, 3), Status.ERR_INDEX, 'layer_size');
  assert.deepEqual(model.params(), before, 'parameters unchanged');

  const bytes = engine.fromArray(new Uint8Array([0, 255, 51, 102]));
  assert.equal(M._nn_gather_u8(x.ptr, bytes.ptr, 2, order.ptr, 4, 2, 1), Status.ERR_INDEX, 'gather index past src_rows');
  assert.equal(M._nn_gather_u8(x.ptr, 0, 2, 0, 2, 2, 1), Status.ERR_NULL, 'gather NULL src');
  assert.equal(M._nn_gather_u8(x.ptr, bytes.ptr, 2, 0, 2, 2, NaN), Status.ERR_NONFINITE, 'gather NaN scale');
  assert.equal(M._nn_gather_u8(x.ptr, bytes.ptr, 0x7fffffff, 0, 2, 0x7fffffff, 1), Status.ERR_TOO_LARGE, 'gather overflow');
  for (const b of [x, y, order, bytes]) b.free();
  model.destroy();
});

test('the wrapper throws NnError with the core message, and refuses a wrong ABI', async () => {
  assert.throws(
    () => engine.createModel({ sizes: [2, 3, 1], activations: ['softmax', 'sigmoid'], loss: 'bce' }),
    (e) => e instanceof NnError && e.status === Status.ERR_SOFTMAX_HIDDEN && /only allowed on the output layer/.test(e.message),
  );
  assert.throws(() => engine.createModel({ sizes: [2, 1], activations: ['swish'], loss: 'mse' }), NnError);
  assert.throws(() => engine.createModel({ sizes: [2, 1], activations: ['linear'], loss: 'mse', maxBatch: 1.5 }), NnError);
  assert.throws(() => engine.createModel({ sizes: [2], activations: [], loss: 'mse' }), NnError);
  const m = engine.createModel({ sizes: [2, 1], activations: ['linear'], loss: 'mse', maxBatch: 2 });
  assert.throws(() => m.trainStep([0, 0, 1, 1, 2, 2], [0, 1, 2], 3), (e) => e.status === Status.ERR_BATCH);
  assert.throws(() => m.setOptimizer('rmsprop', { lr: 0.1 }), (e) => e.status === Status.ERR_OPTIMIZER);
  assert.throws(() => m.loadParams([1, 2]), (e) => e.status === Status.ERR_INDEX);
  assert.throws(() => m.getParam(0, 0, 5, 0), (e) => e.status === Status.ERR_INDEX);
  // An array shorter than its rows: refused before the core reads stale scratch memory.
  m.trainStep([1, 2, 3, 4], [1, 2], 2); // leaves a 4-value scratch x behind
  const before = m.params();
  assert.throws(() => m.trainStep([5, 6], [1, 2], 2), (e) => e instanceof RangeError && /x holds 2 values; 2 rows of 2 need 4/.test(e.message));
  assert.throws(() => m.forward([1, 2, 3], 2), RangeError);
  assert.throws(() => m.evaluate([1, 2, 3, 4], [1], 2), /y holds 1 values/);
  assert.deepEqual(m.params(), before);
  m.destroy();
  assert.throws(() => m.trainStep([0, 0], [0], 1), /after destroy/);
  const fake = async () => ({ _nn_abi_version: () => ABI_VERSION + 1 });
  await assert.rejects(createEngine(fake), /ABI version/);
});

/** Descriptor ints for n dense layers of `units` and activation `act`. */
function denseDesc(n, units, act) {
  return Array.from({ length: n }, () => [0, act, units, 0, 0, 0, 0, 0]).flat();
}

test('nn_check_layers and nn_create_layers reject every malformed descriptor', () => {
  const good = denseDesc(2, 4, 1);
  good[8 + 1] = 5; // softmax output
  const cases = [
    [2, good, [2, 3, 1], 2, 8, Status.OK, 'valid'],
    [0, good, [2, 3, 1], 2, 8, Status.ERR_LAYERS, 'n 0'],
    [65, good, [2, 3, 1], 2, 8, Status.ERR_LAYERS, 'n too large'],
    [2, good, [2, 0, 1], 2, 8, Status.ERR_SIZE, 'input height 0'],
    [2, good, [1 << 20, 1 << 20, 1 << 20], 2, 8, Status.ERR_SIZE, 'input product overflowing'],
    [2, good.map((v, i) => (i === 8 ? 9 : v)), [2, 3, 1], 2, 8, Status.ERR_KIND, 'unknown kind'],
    [2, good.map((v, i) => (i === 7 ? 1 : v)), [2, 3, 1], 2, 8, Status.ERR_LAYER_CONFIG, 'unused int not 0'],
    [2, good.map((v, i) => (i === 2 ? 0 : v)), [2, 3, 1], 2, 8, Status.ERR_SIZE, '0 units'],
    [2, good.map((v, i) => (i === 1 ? 42 : v)), [2, 3, 1], 2, 8, Status.ERR_ACTIVATION, 'unknown activation'],
    [2, good.map((v, i) => (i === 1 ? 5 : v)), [2, 3, 1], 2, 8, Status.ERR_SOFTMAX_HIDDEN, 'softmax hidden'],
    [2, good, [2, 3, 1], 7, 8, Status.ERR_LOSS, 'unknown loss'],
    [2, good, [2, 3, 1], 1, 8, Status.ERR_LOSS_OUTPUT, 'BCE on softmax'],
    [2, good, [2, 3, 1], 2, 0, Status.ERR_BATCH, 'max_batch 0'],
    [2, denseDesc(2, 1 << 20, 0), [1 << 20, 1, 1], 0, 1, Status.ERR_TOO_LARGE, 'overflowing sizes'],
  ];
  for (const [n, desc, shape, loss, maxBatch, want, what] of cases) {
    const d = ints(desc), s = ints(shape);
    assert.equal(M._nn_check_layers(n, d.ptr, s.ptr, loss, maxBatch), want, what);
    const handle = M._nn_create_layers(n, d.ptr, s.ptr, loss, 1, maxBatch);
    assert.equal(handle !== 0, want === Status.OK, `${what}: nn_create_layers`);
    M._nn_destroy(handle);
    d.free();
    s.free();
  }
  assert.equal(M._nn_check_layers(2, 0, 0, 2, 8), Status.ERR_NULL, 'NULL arrays');
  assert.equal(M._nn_create_layers(2, 0, 0, 2, 1, 8), 0, 'nn_create_layers NULL');
  for (let st = 0; st >= Status.ERR_NO_STATE; st--)
    assert.notEqual(engine.statusString(st), engine.statusString(12345), `status ${st} has its own sentence`);
});

test('the split step, layout queries and explain reject bad arguments', () => {
  assert.equal(M._nn_forward_train(0, 0, 1), Status.ERR_NULL);
  assert.ok(Number.isNaN(M._nn_backward(0, 0, 0)));
  assert.equal(M._nn_backward_from(0, 0, 0), Status.ERR_NULL);
  assert.equal(M._nn_update(0), Status.ERR_NULL);
  assert.equal(M._nn_input_grad(0), 0);
  assert.equal(M._nn_explain_floats(0), Status.ERR_NULL);
  assert.equal(M._nn_explain(0, 0, 0, 0), Status.ERR_NULL);
  assert.equal(M._nn_param_blocks(0), Status.ERR_NULL);
  assert.equal(M._nn_param_block(0, 0, 0), Status.ERR_NULL);
  assert.equal(M._nn_layer_shape(0, 0, 0), Status.ERR_NULL);
  assert.equal(M._nn_layer_desc(0, 0, 0), Status.ERR_NULL);

  const m = engine.createModel({ sizes: [3, 4, 2], activations: ['tanh', 'softmax'], loss: 'ce', maxBatch: 4 });
  const before = m.params();
  const y = [1, 0, 0, 1];
  assert.throws(() => m.backward(y), (e) => e instanceof NnError && e.status === Status.ERR_SEQUENCE);
  assert.throws(() => m.update(), (e) => e instanceof NnError && e.status === Status.ERR_SEQUENCE);
  assert.throws(() => m.inputGrad(), /no input gradient/);
  assert.throws(() => m.forwardTrain(new Float32Array(15), 5), (e) => e.status === Status.ERR_BATCH);
  assert.throws(() => m.forwardTrain([0, NaN, 0], 1), (e) => e.status === Status.ERR_NONFINITE);
  m.forwardTrain(new Float32Array(6), 2);
  assert.throws(() => m.backward([1, 0, NaN, 1]), (e) => e.status === Status.ERR_NONFINITE);
  assert.equal(M._nn_backward_from(m.h(), 0, 0), Status.ERR_NULL);
  const dy = engine.fromArray(new Float32Array(4));
  assert.equal(M._nn_backward_from(m.h(), dy.ptr, 4), Status.ERR_FLAGS);
  dy.free();
  m.forward([0, 0, 0], 1); // ends the forward_train
  assert.throws(() => m.backwardFrom([1, 1]), (e) => e.status === Status.ERR_SEQUENCE);
  assert.throws(() => m.explain([0, 0, 0], [NaN, 0]), (e) => e.status === Status.ERR_NONFINITE);
  const out = engine.allocI32(8);
  assert.equal(M._nn_param_block(m.h(), 4, out.ptr), Status.ERR_INDEX);
  assert.equal(M._nn_param_block(m.h(), -1, out.ptr), Status.ERR_INDEX);
  assert.equal(M._nn_param_block(m.h(), 0, 0), Status.ERR_NULL);
  assert.equal(M._nn_layer_shape(m.h(), 3, out.ptr), Status.ERR_INDEX);
  assert.equal(M._nn_layer_desc(m.h(), 2, out.ptr), Status.ERR_INDEX);
  out.free();
  assert.deepEqual(m.params(), before, 'parameters unchanged');
  m.destroy();

  // the wrapper sends what it cannot encode as values the core rejects
  const spec = (layers, extra = {}) => ({ input: 3, layers, loss: 'mse', ...extra });
  assert.equal(engine.checkConfig(spec([{ units: 2, activation: 'linear' }])), Status.OK);
  assert.equal(engine.checkConfig(spec([{ units: 2.5, activation: 'linear' }])), Status.ERR_SIZE);
  assert.equal(engine.checkConfig(spec([{ units: 2, activation: 'gelu' }])), Status.ERR_ACTIVATION);
  assert.equal(engine.checkConfig(spec([{ kind: 'conv9d', units: 2, activation: 'linear' }])), Status.ERR_KIND);
  assert.equal(engine.checkConfig(spec([{ ints: [2, 0, 0, 0, 0, 0, 1], activation: 'linear' }])), Status.ERR_LAYER_CONFIG);
  assert.equal(engine.checkConfig(spec([])), Status.ERR_LAYERS);
  assert.equal(engine.checkConfig({ input: [3, 1], layers: [{ units: 2, activation: 'linear' }], loss: 'mse' }), Status.ERR_SIZE);
  assert.throws(() => engine.createModel(spec([{ units: 2, activation: 'linear' }], { maxBatch: 0 })),
    (e) => e instanceof NnError && e.status === Status.ERR_BATCH && /max_batch/.test(e.message));
});

test('sequence descriptors, sizes, state and view calls reject bad arguments without changing the model', () => {
  const lstm = (h, seq, extra = []) => [5, 0, h, seq, ...extra, 0, 0, 0, 0].slice(0, 8);
  const head = [0, 5, 3, 1, 0, 0, 0, 0]; // per-step softmax dense
  const cases = [
    [[...lstm(4, 1), ...head], [5, 2, 1], 64, Status.OK, 'valid'],
    [[...lstm(0, 1), ...head], [5, 2, 1], 4, Status.ERR_SIZE, 'hidden 0'],
    [[...lstm(4, 2), ...head], [5, 2, 1], 4, Status.ERR_LAYER_CONFIG, 'return_sequences 2'],
    [[...lstm(4, 1, [1]), ...head], [5, 2, 1], 4, Status.ERR_LAYER_CONFIG, 'unused int'],
    [[...lstm(4, 1), ...head], [5, 2, 2], 4, Status.ERR_LAYER_CONFIG, 'input width 2'],
    [[...lstm(4, 1), ...head], [0, 2, 1], 4, Status.ERR_SIZE, 'T = 0'],
    [[...lstm(512, 1), ...head], [4096, 1, 1], 1, Status.ERR_SIZE, 'T x H too wide'],
    [[...lstm(1024, 0), 0, 5, 3, 0, 0, 0, 0, 0], [1 << 20, 1, 1], 65536, Status.ERR_TOO_LARGE, 'T x batch x H'],
    [[...lstm(4, 1), 0, 5, 3, 2, 0, 0, 0, 0], [5, 2, 1], 4, Status.ERR_LAYER_CONFIG, 'per_step 2'],
    [[...lstm(16, 1), ...head], [256, 8, 1], 64, Status.OK, 'T = 256'],
  ];
  for (const [desc, shape, maxBatch, want, what] of cases) {
    const d = ints(desc), s = ints(shape);
    assert.equal(M._nn_check_layers(2, d.ptr, s.ptr, 2, maxBatch), want, what);
    d.free();
    s.free();
  }
  const m = engine.createModel({ input: [5, 2, 1], layers: [{ kind: 'lstm', activation: 'linear', ints: [4, 1] },
    { kind: 'dense', activation: 'softmax', ints: [3, 1] }], loss: 'ce', maxBatch: 4 });
  const before = m.params();
  assert.equal(m.stateFloats(), 8);
  const x = new Float32Array(10), y = new Float32Array(15);
  x[4] = NaN;
  assert.throws(() => m.trainStep(x, y, 1), (e) => e.status === Status.ERR_NONFINITE);
  assert.throws(() => m.sequenceInspect(0, x, y), (e) => e.status === Status.ERR_NONFINITE);
  assert.throws(() => m.sequenceMath(0, x, y), (e) => e.status === Status.ERR_NONFINITE);
  x[4] = 0;
  assert.throws(() => m.sequenceInspect(1, x, y), (e) => e.status === Status.ERR_NO_STATE);
  assert.throws(() => m.sequenceInspect(2, x, y), (e) => e.status === Status.ERR_INDEX);
  assert.throws(() => m.sequenceMath(1, x, y), (e) => e.status === Status.ERR_NO_STATE);
  assert.throws(() => m.sequenceMath(-1, x, y), (e) => e.status === Status.ERR_INDEX);
  assert.equal(m.sequenceMathFloats(0), 2 * 5 * 16 + 2 * 5 * 4);
  assert.throws(() => m.getState(0), (e) => e.status === Status.ERR_BATCH);
  assert.throws(() => m.getState(5), (e) => e.status === Status.ERR_BATCH);
  assert.throws(() => m.setState([0, 0, 0, NaN, 0, 0, 0, 0]), (e) => e.status === Status.ERR_NONFINITE);
  assert.deepEqual(m.getState(1), new Float32Array(8), 'a refused state changes nothing');
  assert.equal(M._nn_set_stateful(m.h(), 2), Status.ERR_FLAGS);
  assert.throws(() => m.setClipNorm(-1), (e) => e.status === Status.ERR_OPTIMIZER);
  assert.throws(() => m.setClipNorm(Infinity), (e) => e.status === Status.ERR_NONFINITE);
  m.setStateful(true);
  assert.throws(() => m.forward(new Float32Array(50), 5), (e) => e.status === Status.ERR_BATCH);
  assert.deepEqual(m.params(), before, 'parameters unchanged');
  m.destroy();

  const dense = engine.createModel({ sizes: [3, 2], activations: ['linear'], loss: 'mse', maxBatch: 2 });
  assert.equal(dense.stateFloats(), 0);
  for (const call of [() => dense.getState(), () => dense.setState([0]), () => dense.resetState(),
    () => dense.setStateful(true), () => dense.sequenceFloats(0)])
    assert.throws(call, (e) => e instanceof NnError && e.status === Status.ERR_NO_STATE && /recurrent/.test(e.message));
  dense.destroy();
  assert.equal(M._nn_set_clip_norm(0, 1), Status.ERR_NULL);
  assert.ok(Number.isNaN(M._nn_grad_norm(0)));
  assert.equal(M._nn_state_floats(0), Status.ERR_NULL);
  assert.equal(M._nn_sequence_inspect(0, 0, 0, 0, 0), Status.ERR_NULL);
});
