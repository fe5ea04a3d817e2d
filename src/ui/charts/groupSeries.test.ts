import { describe, expect, it } from 'vitest';
import { latestBars, stackedRows } from './groupSeries.ts';

describe('latestBars', () => {
  it("takes each metric's latest sample, null before the first", () => {
    const bars = latestBars(
      [
        { metric: 'keys-s1', label: 's1' },
        { metric: 'keys-s2', label: 's2' },
      ],
      { 'keys-s1': { times: [1, 2], values: [10, 12] } },
    );
    expect(bars).toEqual([
      { label: 's1', value: 12 },
      { label: 's2', value: null },
    ]);
  });
});

describe('stackedRows', () => {
  it('puts every layer on one time axis, holding each value until its next sample', () => {
    const rows = stackedRows([
      { times: [1_000_000, 2_000_000], values: [0.9, 0.5] },
      { times: [1_500_000, 2_000_000], values: [0.2, 0.5] },
      undefined,
    ]);
    expect(rows).toEqual([
      { t: 1, values: [0.9, 0, 0] },
      { t: 1.5, values: [0.9, 0.2, 0] },
      { t: 2, values: [0.5, 0.5, 0] },
    ]);
  });

  it('is empty without samples', () => {
    expect(stackedRows([undefined, { times: [], values: [] }])).toEqual([]);
  });
});
