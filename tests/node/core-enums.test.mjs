// The one JavaScript enum table (web/src/engine/enums.js) against core/nn.h (with the parts it includes):
// every enum constant and #define'd limit in the header, by name and value,
// and nothing more or less on the JavaScript side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as enums from '../../web/src/engine/enums.js';

// nn.h and the parts of the ABI it includes (nn_sequence.h, nn_gan.h).
const coreFile = (name) => readFileSync(new URL(`../../core/${name}`, import.meta.url), 'utf8');
const main = coreFile('nn.h');
const parts = [...main.matchAll(/^#include "(nn_\w+\.h)"/gm)].map((m) => m[1]);
const header = [main, ...parts.map(coreFile)].join('\n').replace(/\/\*[\s\S]*?\*\//g, '');

/** NAME -> value for every constant inside a `typedef enum { ... } name;`. */
function headerEnums() {
  const values = new Map();
  for (const [, body] of header.matchAll(/typedef\s+enum\s*\{([^}]*)\}/g))
    for (const [, name, value] of body.matchAll(/\b(NN_\w+)\s*=\s*(-?\d+)/g)) values.set(name, Number(value));
  return values;
}

/** NAME -> value for every `#define NN_X <integer>`. */
function headerDefines() {
  const values = new Map();
  for (const [, name, value] of header.matchAll(/^#define\s+(NN_\w+)\s+(-?\d+)\s*$/gm)) values.set(name, Number(value));
  return values;
}

// enums.js table -> the C prefix its keys carry
const TABLES = {
  Activation: 'NN_ACT_', Loss: 'NN_LOSS_', Optimizer: 'NN_OPT_', Regularization: 'NN_REG_',
  LayerKind: 'NN_LAYER_', BackwardFlag: 'NN_BACKWARD_', GanLoss: 'NN_GAN_', Status: 'NN_',
};

test('every enum constant of core/nn.h is in enums.js with its value, and nothing else', () => {
  const c = headerEnums();
  assert.ok(c.size >= 30, `parsed only ${c.size} constants from nn.h`);
  const js = new Map();
  for (const [table, prefix] of Object.entries(TABLES))
    for (const [key, value] of Object.entries(enums[table])) js.set(prefix + key, value);
  assert.deepEqual([...js.keys()].sort(), [...c.keys()].sort(), 'names differ');
  for (const [name, value] of c) assert.equal(js.get(name), value, name);
});

test('every #define of core/nn.h is in enums.js Limits with its value', () => {
  const c = headerDefines();
  const js = new Map(Object.entries(enums.Limits).map(([k, v]) => ['NN_' + k, v]));
  assert.deepEqual([...js.keys()].sort(), [...c.keys()].sort(), 'names differ');
  for (const [name, value] of c) assert.equal(js.get(name), value, name);
});

test('the lower-case name tables follow the enum tables', () => {
  assert.equal(enums.ACTIVATION_NAMES.leaky_relu, enums.Activation.LEAKY_RELU);
  assert.equal(enums.LOSS_NAMES.ce, enums.Loss.CE);
  assert.equal(enums.OPTIMIZER_NAMES.adam, enums.Optimizer.ADAM);
  assert.equal(enums.REGULARIZATION_NAMES.l2, enums.Regularization.L2);
  assert.equal(enums.LAYER_KIND_NAMES.dense, enums.LayerKind.DENSE);
});
