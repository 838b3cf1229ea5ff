// "Nice" axis ticks (1, 2, 5 × 10^k steps).

export function niceTicks(lo: number, hi: number, maxTicks = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [lo];
  const raw = (hi - lo) / Math.max(1, maxTicks);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A short label that still names the tick's exact value: epochs run into
 *  the hundreds of thousands ("25k", "1.5M"), losses down to "1.4e-4". */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const short = (x: number) => String(Number(x.toPrecision(3)));
  if (a >= 1e6) return `${short(v / 1e6)}M`;
  if (a >= 1e4) return `${short(v / 1e3)}k`;
  if (a < 1e-3) return Number(v.toPrecision(3)).toExponential();
  return short(v);
}

/** A read-out value: four significant digits, no float noise ("0.1235",
 *  "1234", "2.5e-5"). */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (v !== 0 && Math.abs(v) < 1e-3) return Number(v.toPrecision(3)).toExponential();
  return String(Number(v.toPrecision(4)));
}
