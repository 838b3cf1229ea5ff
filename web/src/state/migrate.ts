// Old link formats, translated step by step to the current one, so a link
// keeps working after the format changes. Each step maps version k to k+1.
//
// Version 0 is the legacy format: TensorFlow Playground's hash/query keys
// (activation=tanh&networkShape=4,2&learningRate=0.03&x=true&...). Teachers
// moving from there can paste their links and get the same network and
// settings. Its generators differ from ours, so the points are not the
// same ones, and our losses follow the output (BCE, CE), not squared error.

import type { Rejection } from './codec-types';
import type { MigrationStep } from './labCodec';
import { MAX_SEED } from './schema';

export const CURRENT_VERSION = 1;

/** Keys only the legacy format uses; their presence (without v=) marks a v0 link. */
export const LEGACY_KEYS: readonly string[] = [
  'activation', 'networkShape', 'learningRate', 'regularizationRate', 'regularization', 'percTrainData',
  'batchSize', 'showTestData', 'discretize', 'dataset', 'regDataset', 'problem', 'xTimesY', 'xSquared',
  'ySquared', 'sinX', 'sinY', 'cosX', 'cosY', 'collectStats', 'initZero', 'hideText', 'x', 'y',
];

const LEGACY_FEATURES: ReadonlyArray<readonly [string, string]> = [
  ['x', 'x1'], ['y', 'x2'], ['xSquared', 'x1sq'], ['ySquared', 'x2sq'], ['xTimesY', 'x1x2'], ['sinX', 'sinx1'], ['sinY', 'sinx2'],
];
const LEGACY_DATASETS: Readonly<Record<string, string>> = { circle: 'circle', xor: 'xor', gauss: 'gauss', spiral: 'spiral' };
const LEGACY_REG_DATASETS: Readonly<Record<string, string>> = { 'reg-plane': 'plane', 'reg-gauss': 'multigauss' };
// TF Playground's "<control>_hide=true" flags, mapped to our panels.
const LEGACY_HIDE: Readonly<Record<string, string>> = {
  dataset_hide: 'datasets', noise_hide: 'data-settings', percTrainData_hide: 'data-settings',
  batchSize_hide: 'hyperparams', learningRate_hide: 'hyperparams', activation_hide: 'network-editor',
  regularization_hide: 'hyperparams', regularizationRate_hide: 'hyperparams', problem_hide: 'datasets',
};

function legacyBool(v: string | undefined): boolean | undefined {
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** v0 (TensorFlow Playground) → v1. */
function v0ToV1(p: Map<string, string>, notes: Rejection[]): Map<string, string> {
  const out = new Map<string, string>();
  const consumed = new Set<string>();
  const take = (from: string, to: string, map?: (v: string) => string | undefined): void => {
    const v = p.get(from);
    if (v === undefined) return;
    consumed.add(from);
    const mapped = map ? map(v) : v;
    if (mapped === undefined) notes.push({ key: from, value: v, reason: `has no equivalent here; the default was kept` });
    else out.set(to, mapped);
  };
  const problem = p.get('problem');
  // TF Playground always writes both dataset and regDataset; problem picks one.
  for (const k of ['problem', 'dataset', 'regDataset']) if (p.has(k)) consumed.add(k);
  if (problem === 'regression') take('regDataset', 'data', (v) => LEGACY_REG_DATASETS[v]);
  else take('dataset', 'data', (v) => LEGACY_DATASETS[v]);
  take('noise', 'noise');
  take('percTrainData', 'train');
  // TF Playground writes "4,2" and "" for no hidden layer.
  take('networkShape', 'hidden', (v) => (v === '' ? 'none' : v));
  take('activation', 'act');
  take('learningRate', 'lr');
  take('regularization', 'reg', (v) => (v === 'none' ? 'none' : v === 'L1' ? 'l1' : v === 'L2' ? 'l2' : undefined));
  take('regularizationRate', 'rr');
  take('batchSize', 'batch');
  // Its seed is a decimal string such as "0.51329"; ours an integer.
  take('seed', 'seed', (v) => {
    const f = Number(v);
    if (/^\d+$/.test(v)) return v;
    return Number.isFinite(f) && f >= 0 && f < 1 ? String(Math.floor(f * MAX_SEED)) : undefined;
  });
  take('showTestData', 'test', (v) => { const b = legacyBool(v); return b === undefined ? undefined : b ? '1' : '0'; });
  take('discretize', 'disc', (v) => { const b = legacyBool(v); return b === undefined ? undefined : b ? '1' : '0'; });
  // Features: one boolean key each; listed in our canonical order.
  const feats: string[] = [];
  let anyFeature = false;
  for (const [legacy, ours] of LEGACY_FEATURES) {
    const v = p.get(legacy);
    if (v === undefined) continue;
    consumed.add(legacy);
    if (legacyBool(v) === undefined) notes.push({ key: legacy, value: v, reason: 'must be true or false; it was ignored' });
    else anyFeature = true;
    if (legacyBool(v) === true) feats.push(ours);
  }
  for (const legacy of ['cosX', 'cosY']) {
    if (p.has(legacy)) consumed.add(legacy);
    if (legacyBool(p.get(legacy)) === true) notes.push({ key: legacy, value: 'true', reason: 'this feature does not exist here and was left out' });
  }
  if (anyFeature) out.set('feat', feats.length > 0 ? feats.join(',') : 'none');
  // TF Playground trains with plain SGD.
  out.set('opt', 'sgd');
  const hide = new Set<string>();
  for (const [legacy, panel] of Object.entries(LEGACY_HIDE)) {
    if (p.has(legacy)) consumed.add(legacy);
    if (legacyBool(p.get(legacy)) === true) hide.add(panel);
  }
  if (hide.size > 0) out.set('hide', [...hide].join(','));
  // Everything else (unknown, or legacy without an equivalent such as
  // collectStats) passes through, to be listed as ignored.
  for (const [k, v] of p) if (!consumed.has(k) && !out.has(k)) out.set(k, v);
  return out;
}

/** STEPS[k] maps version k to k+1. */
export const STEPS: readonly MigrationStep[] = [v0ToV1];

/** The version of a playground link without v=: 0 when it has TensorFlow Playground keys. */
export function versionWithoutV(params: ReadonlyMap<string, string>): number {
  for (const k of params.keys()) if (LEGACY_KEYS.includes(k) || k.endsWith('_hide')) return 0;
  return CURRENT_VERSION;
}

/**
 * Brings link parameters of version `fromVersion` up to CURRENT_VERSION.
 * Returns the translated parameters and notes on anything that could not be
 * carried over. fromVersion must be 0..CURRENT_VERSION.
 */
export function migrate(params: Map<string, string>, fromVersion: number): { params: Map<string, string>; notes: Rejection[] } {
  const notes: Rejection[] = [];
  let p = new Map(params);
  for (let v = fromVersion; v < CURRENT_VERSION; v++) p = STEPS[v]!(p, notes);
  return { params: p, notes };
}
