// The GAN lab's side of GAN files (share/ganFile.ts holds the format): the
// file's config is the lab's link config plus, for a drawn distribution,
// its points; reading checks it with the lab's codec and checks that the
// file's two networks are the ones that config builds.
import { readConfig } from '../../share/modelFile';
import type { GanConfigReader, GanModel } from '../../share/ganFile';
import type { LayerSpec } from '../../share/layers';
import { MAX_SHARED_POINTS, quantisePoint, type DrawnPoint } from '../../share/points';
import { ganCodec, type GanConfig } from './config';
import { generatorLayers } from './model-file';

/** What a GAN file's config holds for this lab. */
export interface GanFileConfig { config: GanConfig; points: DrawnPoint[] }

/** The config object written into a file: the settings, and the drawing's points (flat x, y) for data=custom. */
export function fileConfig(config: GanConfig, points: readonly DrawnPoint[]): Record<string, unknown> {
  return config.dist === 'custom' ? { ...config, points: points.flatMap((p) => [p.x, p.y]) } : { ...config };
}

/** The discriminator this config builds, in model files' form. */
export function discriminatorLayers(c: GanConfig): LayerSpec[] {
  let inputs = 2;
  return [...c.dHidden.map((units, i) => ({ units, activation: c.dActivations[i] ?? 'relu' })), { units: 1, activation: 'linear' as const }].map((l) => {
    const layer: LayerSpec = { kind: 'dense', inputs, units: l.units, activation: l.activation };
    inputs = l.units;
    return layer;
  });
}

export const readFileConfig: GanConfigReader<GanFileConfig> = (raw) => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'The file has no "config" object.' };
  const { points: rawPoints, ...rest } = raw as Record<string, unknown>;
  const c = readConfig(ganCodec, rest);
  if (!c.ok) return c;
  const points: DrawnPoint[] = [];
  if (rawPoints !== undefined) {
    if (!Array.isArray(rawPoints) || rawPoints.length % 2 !== 0 || rawPoints.length > 2 * MAX_SHARED_POINTS
        || !rawPoints.every((v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 6)) {
      return { ok: false, error: `The file's drawn points must be at most ${MAX_SHARED_POINTS} pairs of numbers from -6 to 6.` };
    }
    for (let i = 0; i < rawPoints.length; i += 2) points.push(quantisePoint({ x: rawPoints[i] as number, y: rawPoints[i + 1] as number, cls: 0 }));
  }
  if (c.config.dist === 'custom' && points.length === 0) return { ok: false, error: 'The file\'s config draws its own data (data=custom) but holds no points.' };
  return { ok: true, config: { config: c.config, points } };
};

const key = (l: LayerSpec) => (l.kind === 'dense' ? `${l.inputs}:${l.units}:${l.activation}` : l.kind);
const same = (a: readonly LayerSpec[], b: readonly LayerSpec[]) => a.length === b.length && a.every((l, i) => key(l) === key(b[i]!));

/** Why a checked GAN file's networks are not the ones its config builds (this lab trains exactly those), or null. */
export function checkGanModel(m: GanModel<GanFileConfig>): string | null {
  const c = m.config.config;
  if (m.settings.noiseDim !== c.noiseDim || m.settings.noise !== c.noise) return 'The file\'s noise does not match its config. Nothing was changed.';
  if (!same(m.generator.layers, generatorLayers(c))) return `The file's generator is not the one its config builds (${c.noiseDim} noise values, hidden ${c.gHidden.join(',') || 'none'}, 2 outputs). Nothing was changed.`;
  if (!same(m.discriminator.layers, discriminatorLayers(c))) return `The file's discriminator is not the one its config builds (2 inputs, hidden ${c.dHidden.join(',') || 'none'}, 1 output). Nothing was changed.`;
  return null;
}
