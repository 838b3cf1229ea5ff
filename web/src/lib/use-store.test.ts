import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThrottledNotifier } from './use-store';

describe('ThrottledNotifier', () => {
  afterEach(() => { vi.useRealTimers(); vi.unstubAllGlobals(); });

  it('sends one notice per burst, with the latest state, at most every interval', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', undefined); // no frames in Node: notices go out at once
    let state = 0;
    const seen: number[] = [];
    const n = new ThrottledNotifier(() => state, 80);
    const stop = n.subscribe((s) => seen.push(s));
    vi.advanceTimersByTime(100); // the fake clock starts at 0, as if a notice had just gone out
    state = 1; n.notify();
    expect(seen).toEqual([1]); // the first change is not held back
    state = 2; n.notify();
    state = 3; n.notify();
    expect(seen).toEqual([1]); // within the interval: held
    vi.advanceTimersByTime(79);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 3]); // one notice for the burst, the latest state
    stop();
    vi.advanceTimersByTime(200);
    state = 4; n.notify();
    expect(seen).toEqual([1, 3]); // unsubscribed
  });

  it('waits for an animation frame when the page can draw', () => {
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => { frames.push(f); return frames.length; });
    vi.stubGlobal('document', { hidden: false });
    const seen: string[] = [];
    const n = new ThrottledNotifier(() => 'x', 0);
    n.subscribe((s) => seen.push(s));
    n.notify();
    n.notify();
    expect(seen).toEqual([]);
    expect(frames.length).toBe(1);
    frames[0]!();
    expect(seen).toEqual(['x']);
  });
});
