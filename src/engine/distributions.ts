import { exp, ln, pow } from './detMath.ts';
import type { Rng } from './rng.ts';

/**
 * Random variates drawn from an `Rng` stream. Every function is pure apart from advancing the
 * stream, keeps no hidden state (no cached spare normal), and uses detMath rather than the
 * engine's own `Math.log`/`Math.exp`, so the same stream state gives the same bits everywhere.
 */

/** The largest rank count a `ZipfSampler` accepts: its table costs 8 bytes per rank. */
export const zipfRankCountMax = 1 << 24;

function checkFinite(functionName: string, parameter: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${functionName}: ${parameter} must be a finite number; got ${value}.`);
  }
}

function checkPositive(functionName: string, parameter: string, value: number): void {
  if (!(value > 0 && value < Infinity)) {
    throw new RangeError(
      `${functionName}: ${parameter} must be positive and finite; got ${value}.`,
    );
  }
}

/**
 * A uniform draw from [min, max) (rounding can land exactly on max when the range is wide
 * relative to its endpoints). Two words.
 *
 * @throws RangeError unless min and max are finite with min ≤ max.
 */
export function uniform(rng: Rng, min: number, max: number): number {
  checkFinite('uniform', 'min', min);
  checkFinite('uniform', 'max', max);
  if (min > max) throw new RangeError(`uniform: min (${min}) must not exceed max (${max}).`);
  return min + (max - min) * rng.float();
}

/**
 * An exponential draw with the given mean (rate 1/mean), by inversion: −mean·ln U with U in
 * (0, 1], so the result is finite and ≥ 0. Two words.
 *
 * @throws RangeError unless mean is positive and finite.
 */
export function exponential(rng: Rng, mean: number): number {
  checkPositive('exponential', 'mean', mean);
  // 0 − ln U rather than −ln U: at U = 1 the result is +0, not −0.
  return (0 - ln(rng.floatOpen())) * mean;
}

/**
 * A normal draw by Marsaglia's polar method: pairs (u, v) uniform in the square are redrawn until
 * they fall inside the unit disc, which avoids sin and cos. Of the two normals each accepted pair
 * yields, the second is discarded so the function keeps no state between calls. Four words per
 * attempt, about 1.27 attempts on average.
 *
 * @throws RangeError unless mean is finite and sd is finite and ≥ 0.
 */
export function normal(rng: Rng, mean: number, sd: number): number {
  checkFinite('normal', 'mean', mean);
  if (!(sd >= 0 && sd < Infinity)) {
    throw new RangeError(`normal: sd must be finite and ≥ 0; got ${sd}.`);
  }
  for (;;) {
    const u = 2 * rng.float() - 1;
    const v = 2 * rng.float() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return mean + sd * u * Math.sqrt((-2 * ln(s)) / s);
  }
}

/**
 * A log-normal draw: e^N with N normal of mean mu and standard deviation sigma (the parameters of
 * the underlying normal, not of the result). Words as for `normal`.
 *
 * @throws RangeError unless mu is finite and sigma is finite and ≥ 0.
 */
export function logNormal(rng: Rng, mu: number, sigma: number): number {
  return exp(normal(rng, mu, sigma));
}

/**
 * A Pareto (type I) draw, ≥ scale, with tail index `shape`, by inversion: scale·U^(−1/shape) with
 * U in (0, 1]. Its mean is finite only for shape > 1 and its variance only for shape > 2. Two
 * words.
 *
 * @throws RangeError unless scale and shape are positive and finite.
 */
export function pareto(rng: Rng, scale: number, shape: number): number {
  checkPositive('pareto', 'scale', scale);
  checkPositive('pareto', 'shape', shape);
  return scale * exp((0 - ln(rng.floatOpen())) / shape);
}

/**
 * True with probability p (`Rng.chance`). Two words whatever p is.
 *
 * @throws RangeError unless 0 ≤ p ≤ 1.
 */
export function bernoulli(rng: Rng, p: number): boolean {
  return rng.chance(p);
}

/**
 * Draws ranks 0..n−1 with probability proportional to 1/(rank + 1)^exponent: the skewed key or
 * object popularity of caches and storage workloads. The cumulative table is built once, so a
 * sample is one uniform draw (two words) and a binary search.
 */
export class ZipfSampler {
  /** Number of ranks. */
  readonly n: number;
  /** The skew: 0 is uniform, larger concentrates on the first ranks. */
  readonly exponent: number;
  /** cumulative[i] = P(rank ≤ i); the last entry is exactly 1. */
  private readonly cumulative: Float64Array;

  /**
   * @throws RangeError unless n is an integer in [1, zipfRankCountMax] and exponent is finite and
   * ≥ 0.
   */
  constructor(n: number, exponent: number) {
    if (!Number.isSafeInteger(n) || n < 1 || n > zipfRankCountMax) {
      throw new RangeError(
        `ZipfSampler: n must be an integer from 1 to ${zipfRankCountMax}; got ${String(n)}.`,
      );
    }
    if (!(exponent >= 0 && exponent < Infinity)) {
      throw new RangeError(`ZipfSampler: exponent must be finite and ≥ 0; got ${exponent}.`);
    }
    this.n = n;
    this.exponent = exponent;
    const cumulative = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += pow(i + 1, -exponent);
      cumulative[i] = total;
    }
    for (let i = 0; i < n; i++) cumulative[i] = (cumulative[i] as number) / total;
    // Division by the total can leave the last entry a rounding away from 1; pin it so every
    // u in [0, 1) finds a rank.
    cumulative[n - 1] = 1;
    this.cumulative = cumulative;
  }

  /** The probability of `rank` (0 outside 0..n−1), from the same table that `sample` uses. */
  probability(rank: number): number {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.n) return 0;
    const upper = this.cumulative[rank] as number;
    return rank === 0 ? upper : upper - (this.cumulative[rank - 1] as number);
  }

  /** A rank in 0..n−1: the first whose cumulative probability exceeds a uniform draw. */
  sample(rng: Rng): number {
    const u = rng.float();
    const cumulative = this.cumulative;
    let low = 0;
    let high = this.n - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) > u) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
