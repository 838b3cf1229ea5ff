// The page's number formats, for every lab. Numbers shown in data-testid
// elements are plain numbers (units live outside them), so tests and
// assistive tools can read them; "—" stands for "none yet".

const missing = (v: number | undefined | null): v is undefined | null => v === undefined || v === null || !Number.isFinite(v);

/** A loss as shown: 4 decimals, 3 significant digits below 0.001 (still a
 *  plain number, e.g. 2.41e-5), or "—" when there is none. */
export function formatLoss(v: number | undefined | null): string {
  if (missing(v)) return '—';
  if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(2);
  return v < 1000 ? v.toFixed(4) : v.toPrecision(4);
}

/** A fraction 0..1 in percent (the "%" is outside the number). */
export function formatAccuracy(v: number | undefined | null, decimals = 1): string {
  return missing(v) ? '—' : (v * 100).toFixed(decimals);
}

/** A count per second, abbreviated: 1234, 154k, 2.50M. */
export function formatPerSecond(v: number | undefined | null): string {
  if (missing(v) || v <= 0) return '0';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  return v.toFixed(0);
}

/** A learning rate (or any hyper-parameter) to two significant digits: 0.003. */
export function formatLearningRate(x: number): string {
  return Number(x.toPrecision(2)).toString();
}

export function formatBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

/** Seconds as "12 s", "3 min 05 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60), s = Math.round(seconds - 60 * m);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}
