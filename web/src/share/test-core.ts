// For unit tests only: the real WASM engine (the Node flavour built by
// `bash build.sh wasm`), asked as the page asks the worker host
// (share/coreLayout.ts), so tests use the core's parameter layout, never a
// copy of it.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '../engine/nn-wasm.js';
import { askEngine, coreVerdict, type AskCore } from './coreLayout';
import type { LabModel, LabModelContent } from './modelFile';
import type { LayerSpec, ParamBlock } from './layers';
import type { LossName } from './network';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let engine: Promise<Engine> | null = null;

/** The engine, loaded once per test file. */
export function testEngine(): Promise<Engine> {
  engine ??= (async () => {
    const nodeBuild = path.join(root, 'build/node/nn.cjs');
    if (!fs.existsSync(nodeBuild)) throw new Error('build/node/nn.cjs is missing: run `bash build.sh wasm` first');
    const factory = createRequire(import.meta.url)(nodeBuild);
    return createEngine(factory, { wasmBinary: fs.readFileSync(path.join(root, 'build/node/nn.wasm')) });
  })();
  return engine;
}

/** An AskCore over the test engine. */
export async function testAskCore(): Promise<AskCore> {
  return askEngine(await testEngine());
}

/** The core's blocks of a layer list; throws when the core refuses it. */
export async function coreBlocks(layers: readonly LayerSpec[], loss: LossName): Promise<ParamBlock[]> {
  const v = coreVerdict(await testEngine(), { layers, loss, maxParams: Number.MAX_SAFE_INTEGER });
  if (!v.ok) throw new Error(v.error);
  if (v.refused !== null) throw new Error(v.refused);
  return v.blocks;
}

/** The parameter count the core gives a layer list. */
export async function coreCount(layers: readonly LayerSpec[], loss: LossName): Promise<number> {
  return (await coreBlocks(layers, loss)).reduce((n, b) => n + b.length, 0);
}

/** A model's content with the core's blocks of its layers. */
export async function withBlocks(m: LabModelContent): Promise<LabModel> {
  return { ...m, blocks: await coreBlocks(m.layers, m.loss) } as LabModel;
}
