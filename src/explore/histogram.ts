import type { SeedOutcome } from './results.ts';

/** Bars a histogram draws at most: more would be thinner than a label in the side panel. */
export const histogramBinsMax = 12;

/** One bar: the values in [x0, x1) (the last bin also holds its upper edge). */
export interface HistogramBin {
  readonly x0: number;
  readonly x1: number;
  readonly count: number;
}

/** A metric's final values over a batch, and how many seeds have none (failed or never recorded). */
export interface MetricValues {
  readonly values: readonly number[];
  readonly missing: number;
}

export function metricValues(outcomes: readonly SeedOutcome[], metric: string): MetricValues {
  const values: number[] = [];
  let missing = 0;
  for (const outcome of outcomes) {
    const value =
      outcome.kind === 'ran'
        ? outcome.metrics.find((final) => final.name === metric)?.value
        : undefined;
    if (value === undefined || value === null || !Number.isFinite(value)) missing++;
    else values.push(value);
  }
  return { values, missing };
}

/**
 * Bins for a histogram of `values`. Whole numbers spanning at most `binsMax` values get one bin
 * per value, centred on it ([v − ½, v + ½): a count of restarts reads 0, 1, 2, not 0–0.4). Other
 * values get ⌈√n⌉ equal-width bins (2 to `binsMax`) from the minimum to the maximum, or one bin
 * [v, v] when they are all the same. The same values always give the same bins.
 */
export function histogramBins(
  values: readonly number[],
  binsMax: number = histogramBinsMax,
): HistogramBin[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const isPerValue = values.every((value) => Number.isInteger(value)) && max - min + 1 <= binsMax;
  if (!isPerValue && min === max) return [{ x0: min, x1: max, count: values.length }];
  const binCount = isPerValue
    ? max - min + 1
    : Math.min(binsMax, Math.max(2, Math.ceil(Math.sqrt(values.length))));
  const width = isPerValue ? 1 : (max - min) / binCount;
  const start = isPerValue ? min - 0.5 : min;
  const counts = new Array<number>(binCount).fill(0);
  for (const value of values) {
    const index = Math.min(binCount - 1, Math.floor((value - start) / width));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts.map((count, index) => ({
    x0: start + index * width,
    // The last range bin ends exactly at the maximum, whatever the rounding of index × width.
    x1: !isPerValue && index === binCount - 1 ? max : start + (index + 1) * width,
    count,
  }));
}

/** Minimum, median, mean and maximum of some values; null when there are none. */
export interface ValueStats {
  readonly count: number;
  readonly min: number;
  readonly median: number;
  readonly mean: number;
  readonly max: number;
}

export function valueStats(values: readonly number[]): ValueStats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    min: sorted[0] ?? 0,
    median,
    mean: sum / sorted.length,
    max: sorted[sorted.length - 1] ?? 0,
  };
}
