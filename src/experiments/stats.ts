/*
 * Summary statistics of one point's per-seed values. Only arithmetic and square roots (exact in
 * IEEE 754, so the same bits in every JavaScript engine): a figure drawn in the browser and the
 * CLI's `--json` print the same numbers. Notes [n] are at the end of the file.
 */

export interface PointStats {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  readonly sd: number;
  /** Half-width of the 95% confidence interval of the mean (Student's t) [1]; 0 for one value. */
  readonly ci95: number;
  readonly min: number;
  readonly max: number;
}

/** Student's t, two-sided 95%, for 1…30 degrees of freedom [2]. */
const tQuantiles95: readonly number[] = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];
/** The normal quantile, close enough to t beyond 30 degrees of freedom. */
const normalQuantile95 = 1.96;

export function tQuantile95(degreesOfFreedom: number): number {
  return tQuantiles95[degreesOfFreedom - 1] ?? normalQuantile95;
}

/** Mean, spread and 95% interval of `values` (in the order given: sums are order-sensitive). */
export function pointStats(values: readonly number[]): PointStats {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, ci95: NaN, min: NaN, max: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const mean = sum / n;
  let squares = 0;
  for (const value of values) squares += (value - mean) * (value - mean);
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const ci95 = n > 1 ? (tQuantile95(n - 1) * sd) / Math.sqrt(n) : 0;
  return { n, mean, sd, ci95, min, max };
}

/*
 * Notes
 *
 * [1] Each seed is an independent replication, so the per-seed values are independent draws and
 *     the interval mean ± t·sd/√n covers the true mean 95% of the time when they are roughly
 *     normal (the method of independent replications; Law, Simulation Modeling and Analysis,
 *     5th ed., §9.4.1).
 * [2] Quantiles t(0.975, ν) from any table of Student's t distribution (e.g. NIST/SEMATECH
 *     e-Handbook of Statistical Methods, §1.3.6.7.2), to three decimals.
 */
