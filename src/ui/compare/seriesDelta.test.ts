import { describe, expect, it } from 'vitest';
import { seriesPointsMax, type Series } from '../state/store.ts';
import { applySeriesDelta, seriesDelta, type SeriesState } from './seriesDelta.ts';

const s = (times: number[], values: number[]): Series => ({ times, values });

function state(
  series: Record<string, Series>,
  seriesKnownUs: number,
  frontierUs = seriesKnownUs,
): SeriesState {
  return { series, seriesKnownUs, frontierUs };
}

describe('series deltas', () => {
  it('sends only the samples after what the page already has', () => {
    const before = state({ x: s([1, 2], [10, 20]) }, 2);
    const after = state({ x: s([1, 2, 3], [10, 20, 30]), y: s([3], [7]) }, 3);
    const delta = seriesDelta(before, after);
    expect(delta).toEqual({ afterUs: 2, samples: { x: s([3], [30]), y: s([3], [7]) } });
    expect(applySeriesDelta(before.series, delta ?? { afterUs: 0, samples: {} })).toEqual(
      after.series,
    );
  });

  it('sends nothing when nothing changed (a seek back within the run)', () => {
    const series = { x: s([1, 2], [10, 20]) };
    expect(seriesDelta(state(series, 2), state(series, 2, 5))).toBeNull();
  });

  it('cuts back to the frontier after a fork and resends what follows', () => {
    const before = state({ x: s([1, 2, 3, 4], [1, 2, 3, 4]) }, 4);
    const after = state({ x: s([1, 2, 3], [1, 2, 99]) }, 3, 2);
    const delta = seriesDelta(before, after);
    expect(delta).toEqual({ afterUs: 2, samples: { x: s([3], [99]) } });
    expect(applySeriesDelta(before.series, delta ?? { afterUs: 0, samples: {} })).toEqual(
      after.series,
    );
  });

  it('starts over when the side loads a new run', () => {
    const delta = seriesDelta(state({ x: s([1], [1]) }, 1), state({}, -1, 0));
    expect(delta).toEqual({ afterUs: -1, samples: {} });
    expect(applySeriesDelta({ x: s([1], [1]) }, { afterUs: -1, samples: {} })).toEqual({});
  });

  it('keeps at most as many points as the side does', () => {
    const many = Array.from({ length: seriesPointsMax }, (_, index) => index);
    const merged = applySeriesDelta(
      { x: s(many, many) },
      { afterUs: seriesPointsMax - 1, samples: { x: s([seriesPointsMax], [-1]) } },
    );
    expect(merged.x?.times).toHaveLength(seriesPointsMax);
    expect(merged.x?.times[0]).toBe(1);
    expect(merged.x?.values.at(-1)).toBe(-1);
  });
});
