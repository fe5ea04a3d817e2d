import { describe, expect, it } from 'vitest';
import type { MetricFinal } from '../engine/metrics.ts';
import { histogramBins, metricValues, valueStats } from './histogram.ts';
import type { SeedOutcome } from './results.ts';

const total = (bins: readonly { count: number }[]) => bins.reduce((sum, bin) => sum + bin.count, 0);

describe('histogramBins', () => {
  it('gives whole numbers over a short span one bin each, centred on the value', () => {
    const bins = histogramBins([3, 1, 3, 2, 3, 5]);
    expect(bins).toEqual([
      { x0: 0.5, x1: 1.5, count: 1 },
      { x0: 1.5, x1: 2.5, count: 1 },
      { x0: 2.5, x1: 3.5, count: 3 },
      { x0: 3.5, x1: 4.5, count: 0 },
      { x0: 4.5, x1: 5.5, count: 1 },
    ]);
  });

  it('splits a wide range into ⌈√n⌉ equal bins, the maximum in the last one', () => {
    const values = Array.from({ length: 40 }, (_, index) => index * 2.5);
    const bins = histogramBins(values);
    expect(bins).toHaveLength(7);
    expect(bins[0]?.x0).toBe(0);
    expect(bins[6]?.x1).toBe(97.5);
    expect(total(bins)).toBe(40);
    for (const bin of bins) expect(bin.x1 - bin.x0).toBeCloseTo(97.5 / 7, 9);
    expect(bins[6]?.count).toBeGreaterThan(0);
  });

  it('caps the bins, puts one repeated value in one bin, and has none for no values', () => {
    const many = Array.from({ length: 1000 }, (_, index) => index / 3);
    expect(histogramBins(many, 12)).toHaveLength(12);
    expect(total(histogramBins(many, 12))).toBe(1000);
    expect(histogramBins([0.25, 0.25, 0.25])).toEqual([{ x0: 0.25, x1: 0.25, count: 3 }]);
    expect(histogramBins([4, 4])).toEqual([{ x0: 3.5, x1: 4.5, count: 2 }]);
    expect(histogramBins([])).toEqual([]);
  });

  it('counts each value once, in the one bin whose range holds it', () => {
    const values = [0.1, 0.2, 0.35, 0.5, 0.9, 1.7, 2.2, 2.2, 9.9];
    const bins = histogramBins(values);
    const expected = bins.map(() => 0);
    for (const value of values) {
      const holders = bins.flatMap((bin, index) =>
        value >= bin.x0 && (value < bin.x1 || (index === bins.length - 1 && value === bin.x1))
          ? [index]
          : [],
      );
      expect(holders).toHaveLength(1);
      const [holder = -1] = holders;
      expected[holder] = (expected[holder] ?? 0) + 1;
    }
    expect(bins.map((bin) => bin.count)).toEqual(expected);
  });
});

describe('metric values and stats', () => {
  const final = (value: number | null): MetricFinal => ({
    name: 'issued',
    unit: '',
    aggregate: 'last',
    value,
    count: value === null ? 0 : 1,
  });
  const outcomes: SeedOutcome[] = [3, null, 9, 6].map((value, index) => ({
    kind: 'ran',
    seed: index + 1,
    traceHash: '0',
    events: 1,
    metrics: [final(value)],
    safetyViolated: [],
    livenessMissed: [],
    firstViolation: null,
    firstViolationUs: null,
    request: { scenarioId: 'x', seed: index + 1, variant: 'pattern', params: {}, commands: [] },
    durationUs: 1,
  }));

  it('takes each seed’s final value, counting failed seeds and unrecorded metrics as missing', () => {
    const all = [...outcomes, { kind: 'failed' as const, seed: 9, message: 'x' }];
    expect(metricValues(all, 'issued')).toEqual({ values: [3, 9, 6], missing: 2 });
    expect(metricValues(all, 'unknown')).toEqual({ values: [], missing: 5 });
  });

  it('summarizes min, median, mean and max', () => {
    expect(valueStats([3, 9, 6])).toEqual({ count: 3, min: 3, median: 6, mean: 6, max: 9 });
    expect(valueStats([4, 1, 3, 2])?.median).toBe(2.5);
    expect(valueStats([])).toBeNull();
  });
});
