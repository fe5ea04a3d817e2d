import { describe, expect, it } from 'vitest';
import {
  accumulate,
  chartAriaLabel,
  chartData,
  formatMetricValue,
  formatTick,
  percentile,
  rollingMean,
  rollingPercentile,
  unitSuffix,
} from './metricSeries.ts';

describe('accumulate', () => {
  const samples = [1, 3, 2];
  it('draws each aggregate as its running value', () => {
    expect(accumulate('sum', samples)).toEqual([1, 4, 6]);
    expect(accumulate('count', samples)).toEqual([1, 2, 3]);
    expect(accumulate('max', samples)).toEqual([1, 3, 3]);
    expect(accumulate('last', samples)).toEqual([1, 3, 2]);
    expect(accumulate('mean', samples)).toEqual([1, 2, 2]);
    expect(accumulate('p99', samples)).toEqual([1, 3, 2]);
  });

  it('keeps negative maxima', () => {
    expect(accumulate('max', [-5, -7, -2])).toEqual([-5, -5, -2]);
  });
});

describe('rollingMean', () => {
  it('averages the samples of the trailing second at each sample', () => {
    const times = [0, 400_000, 900_000, 1_200_000, 2_500_000];
    const values = [1, 1, 0, 0, 1];
    // At 1.2 s the sample at 0 s has left the window; at 2.5 s only that sample remains.
    expect(rollingMean(times, values)).toEqual([1, 1, 2 / 3, 1 / 3, 1]);
  });

  it('draws a mean metric as its rolling mean, so a dip shows', () => {
    const times = Array.from({ length: 30 }, (_, index) => index * 100_000);
    const values = times.map((_, index) => (index >= 10 && index < 20 ? 0 : 1));
    const data = chartData('mean', { times, values });
    expect(Math.min(...data.points.map((point) => point.v))).toBe(0);
    expect(data.latest).toBe(1);
    expect(data.caption).toBe('mean over the last second');
  });
});

describe('chartData', () => {
  it('converts microseconds to seconds and reports the latest value', () => {
    const data = chartData('sum', { times: [500_000, 1_500_000], values: [1, 1] });
    expect(data.points).toEqual([
      { t: 0.5, v: 1 },
      { t: 1.5, v: 2 },
    ]);
    expect(data.latest).toBe(2);
    expect(data.curve).toBe('step');
    expect(data.percentile).toBeNull();
  });

  it('has no latest value without samples', () => {
    expect(chartData('mean', undefined).latest).toBeNull();
    expect(chartData('mean', { times: [], values: [] }).points).toEqual([]);
  });

  it('adds the percentile for percentile metrics', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    const data = chartData('p99', { times: values, values });
    expect(data.curve).toBe('linear');
    expect(data.percentile).toEqual({ label: 'p99', value: 99, over: 'the run so far' });
  });
});

describe('percentile charts', () => {
  // Latencies as scenarios record them: the same samples go to a p50 and a p99 metric. Every
  // tenth request is slow, 10 requests a second for 10 s.
  const times = Array.from({ length: 100 }, (_, index) => index * 100_000);
  const latencies = times.map((_, index) => (index % 10 === 9 ? 200 : 10 + (index % 5)));
  const series = { times, values: latencies };

  it('draw p50 and p99 as different lines from the same samples', () => {
    const p50 = chartData('p50', series);
    const p99 = chartData('p99', series);
    expect(p50.points.map((point) => point.t)).toEqual(p99.points.map((point) => point.t));
    expect(p50.points.map((point) => point.v)).not.toEqual(p99.points.map((point) => point.v));
    // Once the window holds a slow request, the tail shows it and the median does not.
    expect(p99.latest).toBe(200);
    expect(p50.latest).toBe(12);
    for (const [index, point] of p50.points.entries()) {
      expect(point.v).toBeLessThanOrEqual(p99.points[index]?.v ?? Number.NaN);
    }
  });

  it('say what their line plots', () => {
    expect(chartData('p50', series).caption).toBe('median (p50) of the samples in the last 2 s');
    expect(chartData('p99', series).caption).toBe('p99 of the samples in the last 2 s');
  });

  it('take each point’s percentile over the trailing window only', () => {
    const at = [0, 500_000, 1_000_000, 2_500_000, 3_000_000];
    // At 2.5 s the samples at 0 and 0.5 s have left the 2 s window, at 3 s the one at 1 s too.
    expect(rollingPercentile(at, [50, 10, 30, 20, 40], 0.5)).toEqual([50, 10, 30, 20, 20]);
    expect(rollingPercentile(at, [50, 10, 30, 20, 40], 0.99)).toEqual([50, 50, 50, 30, 40]);
    expect(rollingPercentile([], [], 0.5)).toEqual([]);
  });

  it('match a sort of each window, whatever the order of the samples', () => {
    const many = Array.from({ length: 400 }, (_, index) => index * 37_000);
    const values = many.map((_, index) => (index * 7919) % 113);
    for (const q of [0.5, 0.99]) {
      const expected = many.map((now, index) =>
        percentile(
          values.filter((_, j) => j <= index && (many[j] ?? 0) > now - 2_000_000),
          q,
        ),
      );
      expect(rollingPercentile(many, values, q)).toEqual(expected);
    }
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([5, 1, 3], 0.5)).toBe(3);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
  });
});

describe('labels', () => {
  it('formats values to a few significant digits', () => {
    expect(formatMetricValue(3)).toBe('3');
    expect(formatMetricValue(0.95123)).toBe('0.951');
    expect(formatMetricValue(12.345)).toBe('12.3');
    expect(formatMetricValue(1234.5)).toBe('1235');
    expect(formatTick(25_000)).toBe('25k');
    expect(formatTick(2_500_000)).toBe('2.5M');
  });

  it('leaves out units the title already says', () => {
    expect(unitSuffix('elections', 'Elections started')).toBe('');
    expect(unitSuffix('term', 'Highest term')).toBe('');
    expect(unitSuffix('ms', 'Time without a leader')).toBe(' ms');
    expect(unitSuffix('ratio', 'Client success rate')).toBe('');
  });

  it('summarises the latest value for assistive technology', () => {
    const data = chartData('sum', { times: [1, 2, 3], values: [1, 1, 1] });
    expect(chartAriaLabel('Elections started', 'elections', data)).toBe(
      'Elections started: 3 (latest)',
    );
    expect(chartAriaLabel('Split votes', 'terms', chartData('sum', undefined))).toBe(
      'Split votes: no samples yet',
    );
    const latency = chartData('p99', { times: [0, 1_000_000, 3_500_000], values: [10, 30, 20] });
    expect(chartAriaLabel('Latency', 'ms', latency)).toBe(
      'Latency: 20 ms (p99 of the samples in the last 2 s), p99 of the run so far 30 ms',
    );
  });
});
