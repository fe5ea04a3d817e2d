import { describe, expect, it } from 'vitest';
import { bundledWaitMs, RedrawPace, shareMax, waitMaxMs } from './redrawPace.ts';

/** A clock that reads the given times in turn. */
function clockReading(times: readonly number[]): () => number {
  let calls = 0;
  return () => times[calls++] ?? 0;
}

describe('RedrawPace', () => {
  it('redraws at once while redrawing is free', () => {
    expect(new RedrawPace().waitMs()).toBe(0);
  });

  it('waits long enough to keep the diagram under its share of the main thread', () => {
    const pace = new RedrawPace();
    pace.note('chronicle', 2);
    pace.note('content', 1);
    pace.note('paint', 3);
    const costMs = pace.costMs();
    expect(costMs).toBe(6);
    expect(costMs / (costMs + pace.waitMs())).toBeCloseTo(shareMax, 9);
  });

  it('never waits longer than the cap, so the diagram still moves', () => {
    const pace = new RedrawPace();
    pace.note('paint', 500);
    expect(pace.waitMs()).toBe(waitMaxMs);
  });

  it('follows changing costs smoothly, part by part', () => {
    const pace = new RedrawPace();
    pace.note('paint', 10);
    pace.note('paint', 0);
    expect(pace.costMs()).toBeGreaterThan(0);
    expect(pace.costMs()).toBeLessThan(10);
  });

  it('times work with the clock it is given and returns its result', () => {
    const pace = new RedrawPace();
    const clock = clockReading([10, 14]);
    expect(pace.time('content', () => 'done', clock)).toBe('done');
    expect(pace.costMs()).toBe(4);
  });

  it('redraws a diagram of bundles four times a second at most, however cheap', () => {
    const pace = new RedrawPace();
    pace.note('paint', 1);
    pace.noteBundled(true);
    expect(pace.waitMs()).toBe(bundledWaitMs);
    pace.noteBundled(false);
    expect(pace.waitMs()).toBeLessThan(bundledWaitMs);
  });
});
