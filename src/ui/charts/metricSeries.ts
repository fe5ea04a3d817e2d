import type { MetricAggregate } from '../../engine/types.ts';
import { type Series, seriesPointsMax } from '../state/store.ts';

/**
 * Turns a metric's raw samples into what its chart plots. Scenarios record raw samples (an
 * election started: 1; a request took 12 ms), and the metric's aggregate says how they add up,
 * so a `sum` metric is drawn as its running total, a `mean` as its running mean, and so on.
 * Scenarios record the same latencies into a p50 and a p99 metric; each chart draws its own
 * percentile of the recent samples, so the two differ whenever the latencies spread.
 */

/** One plotted point: simulated time in seconds and a value. */
export interface ChartPoint {
  readonly t: number;
  readonly v: number;
}

export type CurveKind = 'step' | 'linear';

export interface ChartData {
  readonly points: readonly ChartPoint[];
  /** Totals and levels hold until the next sample (step); samples and means are joined. */
  readonly curve: CurveKind;
  /** The last plotted value, or null with no samples. */
  readonly latest: number | null;
  /** What the line shows, in a few words. */
  readonly caption: string;
  /**
   * For percentile metrics: the percentile over every sample the page keeps, and over what
   * ("the run so far", or the last `seriesPointsMax` samples once older ones were dropped).
   */
  readonly percentile: {
    readonly label: string;
    readonly value: number;
    readonly over: string;
  } | null;
}

const microsecondsPerSecond = 1_000_000;

/** The plotted series for a metric with `aggregate`, from its raw samples. */
export function chartData(aggregate: MetricAggregate, series: Series | undefined): ChartData {
  const times = series?.times ?? [];
  const raw = series?.values ?? [];
  const fraction = percentileFractions[aggregate];
  const values =
    aggregate === 'mean'
      ? rollingMean(times, raw)
      : fraction !== undefined
        ? rollingPercentile(times, raw, fraction)
        : accumulate(aggregate, raw);
  const points: ChartPoint[] = values.map((v, index) => ({
    t: (times[index] ?? 0) / microsecondsPerSecond,
    v,
  }));
  const isPercentile = fraction !== undefined;
  return {
    points,
    curve: aggregate === 'mean' || isPercentile ? 'linear' : 'step',
    latest: values.length === 0 ? null : (values[values.length - 1] ?? null),
    caption: captions[aggregate],
    percentile:
      isPercentile && raw.length > 0
        ? {
            label: aggregate,
            value: percentile(raw, fraction),
            over:
              raw.length >= seriesPointsMax
                ? `the last ${seriesPointsMax.toLocaleString('en')} samples`
                : 'the run so far',
          }
        : null,
  };
}

/** The percentile each percentile aggregate plots, as a fraction. */
const percentileFractions: Partial<Record<MetricAggregate, number>> = { p50: 0.5, p99: 0.99 };

/** Trailing window of a percentile chart's line, in µs of simulated time. */
export const percentileWindowUs = 2_000_000;

const captions: Readonly<Record<MetricAggregate, string>> = {
  sum: 'running total',
  count: 'samples so far',
  max: 'highest so far',
  last: 'current value',
  mean: 'mean over the last second',
  p50: `median (p50) of the samples in the last ${percentileWindowUs / microsecondsPerSecond} s`,
  p99: `p99 of the samples in the last ${percentileWindowUs / microsecondsPerSecond} s`,
};

/**
 * The running aggregate after each sample. Percentiles are drawn over a trailing window
 * (`rollingPercentile`); here they are each sample as it is.
 */
export function accumulate(aggregate: MetricAggregate, values: readonly number[]): number[] {
  switch (aggregate) {
    case 'last':
    case 'p50':
    case 'p99':
      return [...values];
    case 'sum':
      return running(values, (total, value) => total + value);
    case 'count':
      return values.map((_, index) => index + 1);
    case 'max':
      return running(values, (highest, value, index) =>
        index === 0 ? value : Math.max(highest, value),
      );
    case 'mean': {
      const totals = running(values, (total, value) => total + value);
      return totals.map((total, index) => total / (index + 1));
    }
    default: {
      const unknown: never = aggregate;
      throw new Error(`Unknown aggregate ${String(unknown)}`);
    }
  }
}

/** Trailing window of a chart's rolling mean, in µs of simulated time. */
export const rollingWindowUs = 1_000_000;

/**
 * The mean of the samples in the trailing window at each sample, so a chart shows how a rate
 * changes (a success rate dropping during an incident) rather than the whole run's average,
 * which hides it. The run's overall mean stays the metric's final value (CLI, summaries).
 */
export function rollingMean(
  times: readonly number[],
  values: readonly number[],
  windowUs = rollingWindowUs,
): number[] {
  const out: number[] = [];
  let first = 0;
  let total = 0;
  values.forEach((value, index) => {
    total += value;
    const now = times[index] ?? 0;
    while (first < index && (times[first] ?? 0) <= now - windowUs) {
      total -= values[first] ?? 0;
      first++;
    }
    out.push(total / (index - first + 1));
  });
  return out;
}

/**
 * The nearest-rank `fraction` percentile of the samples in the trailing window at each sample:
 * how the median or the tail of a latency moves through a run (a slow dependency lifts p99 long
 * before it moves p50). Two seconds hold enough samples for a tail at the scenarios' request
 * rates and still show an incident as it starts. The window is kept sorted, so each step costs
 * one insertion and the removals, not a sort.
 */
export function rollingPercentile(
  times: readonly number[],
  values: readonly number[],
  fraction: number,
  windowUs = percentileWindowUs,
): number[] {
  const out: number[] = [];
  const sorted: number[] = [];
  let first = 0;
  values.forEach((value, index) => {
    sorted.splice(lowerBound(sorted, value), 0, value);
    const now = times[index] ?? 0;
    while (first < index && (times[first] ?? 0) <= now - windowUs) {
      sorted.splice(lowerBound(sorted, values[first] ?? 0), 1);
      first++;
    }
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
    out.push(sorted[rank] ?? Number.NaN);
  });
  return out;
}

/** The first index of `sorted` whose value is not below `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function running(
  values: readonly number[],
  next: (previous: number, value: number, index: number) => number,
): number[] {
  const out: number[] = [];
  let current = 0;
  values.forEach((value, index) => {
    current = next(current, value, index);
    out.push(current);
  });
  return out;
}

/** Nearest-rank percentile (q in 0..1) of a non-empty list. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** A value for labels: whole numbers as they are, others to about three significant digits. */
export function formatMetricValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const size = Math.abs(value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 3;
  return String(Number(value.toFixed(digits)));
}

/** Axis ticks: like `formatMetricValue`, with k and M for large numbers. */
export function formatTick(value: number): string {
  const size = Math.abs(value);
  if (size >= 1_000_000) return `${formatMetricValue(value / 1_000_000)}M`;
  if (size >= 10_000) return `${formatMetricValue(value / 1_000)}k`;
  return formatMetricValue(value);
}

/** Units not worth printing after a value ("3 elections" in a chart titled "Elections"). */
const silentUnits = new Set(['', 'count', 'ratio']);

/** " ms" after a value, or "" when the unit adds nothing to the title. */
export function unitSuffix(unit: string, title: string): string {
  if (silentUnits.has(unit)) return '';
  const stem = unit.toLowerCase().replace(/s$/, '');
  if (stem.length > 2 && title.toLowerCase().includes(stem)) return '';
  return ` ${unit}`;
}

/**
 * The chart's accessible name: "Elections started: 3 (latest)"; for a percentile, what its line
 * plots and the figure for the whole run: "Latency: 30 ms (p99 of the samples in the last 2 s),
 * p99 of the run so far 25 ms".
 */
export function chartAriaLabel(title: string, unit: string, data: ChartData): string {
  if (data.latest === null) return `${title}: no samples yet`;
  const suffix = unitSuffix(unit, title);
  const value = `${title}: ${formatMetricValue(data.latest)}${suffix}`;
  if (data.percentile === null) return `${value} (latest)`;
  const { label, over } = data.percentile;
  const overall = `${formatMetricValue(data.percentile.value)}${suffix}`;
  return `${value} (${data.caption}), ${label} of ${over} ${overall}`;
}
