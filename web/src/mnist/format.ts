// Number formats of the MNIST page.

/** Accuracy 0..1 as a percent with two decimals, no "%" (the label says it);
 *  the playground prints percent too. "—" when unknown. */
export function formatPercent(v: number | undefined | null): string {
  return v === undefined || v === null || !Number.isFinite(v) ? '—' : (v * 100).toFixed(2);
}

export function formatLoss(v: number | undefined | null): string {
  return v === undefined || v === null || !Number.isFinite(v) ? '—' : v.toFixed(4);
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

export function formatRate(v: number): string {
  if (!Number.isFinite(v) || v <= 0) return '0';
  return v >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0);
}
