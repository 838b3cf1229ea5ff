// The training speed, the same for every lab: at most N training steps
// (batches) a second, from slow motion to full speed. It is how a run is
// watched, not what it trains (the weights after N steps are the same at
// every speed), so it is a view option (speed=, state/view.ts) and a field
// of the course-page API, not part of a lab's configuration.

export const SPEEDS = [1, 3, 10, 30, 100, 300, 1000, 'max'] as const;
export type Speed = (typeof SPEEDS)[number];
export const FULL_SPEED: Speed = 'max';

/** Steps per second for the worker host's pacer (Infinity: full speed). */
export function stepsPerSecond(speed: Speed): number {
  return speed === 'max' ? Infinity : speed;
}

/** A link value or an API value (number or string) as a speed, undefined when it is none. */
export function parseSpeed(raw: unknown): Speed | undefined {
  if (raw === 'max') return 'max';
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  return (SPEEDS as readonly unknown[]).includes(n) ? (n as Speed) : undefined;
}

/** How the speed control names each stop (`short`: for a narrow embed). */
export function speedLabel(speed: Speed, short = false): string {
  if (speed === 'max') return short ? 'max' : 'Full speed';
  const n = speed >= 1000 ? `${speed / 1000}k` : String(speed);
  if (short) return `${n}/s`;
  if (speed === 1) return 'Slow motion: 1 step/s';
  return `${n} steps/s`;
}

export const SPEED_DOC = `steps (batches) per second: ${SPEEDS.join(', ')} (max: full speed, the default)`;
