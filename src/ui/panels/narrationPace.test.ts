import { describe, expect, it } from 'vitest';
import type { Moment } from '../../engine/types.ts';
import { countByKind, lastAtOrBefore, NarrationPace, sentenceHoldMs } from './narrationPace.ts';

const specs = [
  { id: 'conflict-retried', label: 'Conflict retried' },
  { id: 'snapshot-taken', label: 'Snapshot taken' },
];
const at = (timeUs: number, kind = 'conflict-retried'): Moment => ({
  timeUs,
  eventCount: timeUs,
  kind,
  text: `${kind} at ${String(timeUs)}`,
  nodes: [],
});
const moments = [at(10), at(20), at(30, 'snapshot-taken'), at(40), at(50)];

describe('lastAtOrBefore', () => {
  it('finds the latest moment at or before a time', () => {
    expect(lastAtOrBefore(moments, 5)).toBe(-1);
    expect(lastAtOrBefore(moments, 10)).toBe(0);
    expect(lastAtOrBefore(moments, 35)).toBe(2);
    expect(lastAtOrBefore(moments, 99)).toBe(4);
  });
});

describe('NarrationPace', () => {
  it('holds a sentence while playing, then names the latest and counts what went by', () => {
    const pace = new NarrationPace();
    expect(pace.caption(moments, specs, 5, true, 0)).toBeNull();
    expect(pace.caption(moments, specs, 10, true, 100)?.moment.timeUs).toBe(10);
    // Three more happen within the hold: the first sentence stays.
    expect(pace.caption(moments, specs, 40, true, 100 + sentenceHoldMs - 1)?.moment.timeUs).toBe(
      10,
    );
    expect(pace.holdLeftMs(100 + sentenceHoldMs - 1)).toBe(1);
    const next = pace.caption(moments, specs, 40, true, 100 + sentenceHoldMs);
    expect(next?.moment.timeUs).toBe(40);
    expect(next?.skipped).toBe(2);
    expect(next?.skippedText).toBe('1 × conflict retried, 1 × snapshot taken');
  });

  it('follows at once when paused, or when the run jumps back', () => {
    const pace = new NarrationPace();
    expect(pace.caption(moments, specs, 50, true, 0)?.moment.timeUs).toBe(50);
    // Jumped back within the hold: the caption follows at once, with nothing counted as skipped.
    const back = pace.caption(moments, specs, 25, true, 10);
    expect(back?.moment.timeUs).toBe(20);
    expect(back?.skipped).toBe(0);
    const paused = pace.caption(moments, specs, 40, false, 20);
    expect(paused?.moment.timeUs).toBe(40);
    expect(paused?.skipped).toBe(0);
  });
});

describe('countByKind', () => {
  it('counts in the order the scenario declares its kinds', () => {
    expect(countByKind([at(1, 'snapshot-taken'), at(2), at(3)], specs)).toBe(
      '2 × conflict retried, 1 × snapshot taken',
    );
    expect(countByKind([], specs)).toBe('');
  });
});
