import { describe, expect, it } from 'vitest';
import {
  bernoulli,
  exponential,
  logNormal,
  normal,
  pareto,
  uniform,
  ZipfSampler,
  zipfRankCountMax,
} from './distributions.ts';
import { Rng } from './rng.ts';

const DRAWS = 200_000;

/** Sample mean and (unbiased) variance by Welford's method, plus the extremes. */
function moments(draw: () => number): { mean: number; variance: number; min: number; max: number } {
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 1; i <= DRAWS; i++) {
    const x = draw();
    const delta = x - mean;
    mean += delta / i;
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { mean, variance: m2 / (DRAWS - 1), min, max };
}

function bitsOf(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/**
 * Tolerances are about five standard errors of each estimate (the variance's standard error
 * grows with the distribution's kurtosis), so a correct sampler passes for any seed while a wrong
 * mean, scale or shape fails.
 */
describe('distribution moments over 200k draws', () => {
  it('uniform(2, 5): mean 3.5, variance 0.75, within [2, 5)', () => {
    const rng = Rng.fromSeed(1, 'uniform');
    const m = moments(() => uniform(rng, 2, 5));
    expect(Math.abs(m.mean - 3.5)).toBeLessThan(0.01);
    expect(Math.abs(m.variance / 0.75 - 1)).toBeLessThan(0.02);
    expect(m.min).toBeGreaterThanOrEqual(2);
    expect(m.max).toBeLessThan(5);
  });

  it('exponential(mean 2): mean 2, variance 4, never negative', () => {
    const rng = Rng.fromSeed(2, 'exponential');
    const m = moments(() => exponential(rng, 2));
    expect(Math.abs(m.mean - 2)).toBeLessThan(0.025);
    expect(Math.abs(m.variance / 4 - 1)).toBeLessThan(0.035);
    expect(m.min).toBeGreaterThanOrEqual(0);
  });

  it('normal(10, 3): mean 10, variance 9, and 68.3% within one sd', () => {
    const rng = Rng.fromSeed(3, 'normal');
    let withinOneSd = 0;
    const m = moments(() => {
      const x = normal(rng, 10, 3);
      if (Math.abs(x - 10) < 3) withinOneSd++;
      return x;
    });
    expect(Math.abs(m.mean - 10)).toBeLessThan(0.035);
    expect(Math.abs(m.variance / 9 - 1)).toBeLessThan(0.016);
    expect(Math.abs(withinOneSd / DRAWS - 0.682689)).toBeLessThan(0.0055);
  });

  it('logNormal(0.5, 0.4): mean e^(mu + sigma²/2), variance (e^(sigma²) − 1)·e^(2mu + sigma²)', () => {
    const rng = Rng.fromSeed(4, 'logNormal');
    const mu = 0.5;
    const sigma = 0.4;
    const m = moments(() => logNormal(rng, mu, sigma));
    const mean = Math.exp(mu + (sigma * sigma) / 2);
    const variance = (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma);
    expect(Math.abs(m.mean / mean - 1)).toBeLessThan(0.005);
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.04);
    expect(m.min).toBeGreaterThan(0);
  });

  it('pareto(scale 2, shape 5): mean 2.5, variance 5/12, never below the scale', () => {
    const rng = Rng.fromSeed(5, 'pareto');
    const m = moments(() => pareto(rng, 2, 5));
    expect(Math.abs(m.mean - 2.5)).toBeLessThan(0.008);
    expect(Math.abs(m.variance / (5 / 12) - 1)).toBeLessThan(0.1);
    expect(m.min).toBeGreaterThanOrEqual(2);
  });

  it('bernoulli(0.3): frequency 0.3', () => {
    const rng = Rng.fromSeed(6, 'bernoulli');
    const m = moments(() => (bernoulli(rng, 0.3) ? 1 : 0));
    expect(Math.abs(m.mean - 0.3)).toBeLessThan(0.0055);
  });
});

describe('ZipfSampler', () => {
  function harmonic(n: number, exponent: number): number {
    let sum = 0;
    for (let k = 1; k <= n; k++) sum += 1 / Math.pow(k, exponent);
    return sum;
  }

  it('draws rank 0 with probability 1/H(n, s)', () => {
    for (const [n, exponent, seed] of [
      [100, 1, 7],
      [1000, 1.2, 8],
      [10, 0.5, 9],
    ] as const) {
      const sampler = new ZipfSampler(n, exponent);
      const rng = Rng.fromSeed(seed, 'zipf');
      const expected = 1 / harmonic(n, exponent);
      let rankZero = 0;
      let outOfRange = 0;
      for (let i = 0; i < DRAWS; i++) {
        const rank = sampler.sample(rng);
        if (rank === 0) rankZero++;
        if (!(Number.isInteger(rank) && rank >= 0 && rank < n)) outOfRange++;
      }
      const standardError = Math.sqrt((expected * (1 - expected)) / DRAWS);
      expect(Math.abs(rankZero / DRAWS - expected)).toBeLessThan(5 * standardError);
      expect(outOfRange).toBe(0);
      expect(Math.abs(sampler.probability(0) - expected)).toBeLessThan(1e-12);
    }
  });

  it('follows the power law further down the ranks', () => {
    const sampler = new ZipfSampler(50, 1);
    const rng = Rng.fromSeed(10, 'zipf-tail');
    const counts = new Array<number>(50).fill(0);
    for (let i = 0; i < DRAWS; i++) {
      const rank = sampler.sample(rng);
      counts[rank] = (counts[rank] ?? 0) + 1;
    }
    // P(rank 0) / P(rank 4) = 5 and P(rank 0) / P(rank 9) = 10 for exponent 1.
    expect((counts[0] ?? 0) / (counts[4] ?? 1)).toBeGreaterThan(4.6);
    expect((counts[0] ?? 0) / (counts[4] ?? 1)).toBeLessThan(5.4);
    expect((counts[0] ?? 0) / (counts[9] ?? 1)).toBeGreaterThan(9);
    expect((counts[0] ?? 0) / (counts[9] ?? 1)).toBeLessThan(11);
  });

  it('has probabilities that sum to 1, with exponent 0 uniform and n = 1 constant', () => {
    const sampler = new ZipfSampler(20, 1.5);
    let total = 0;
    for (let rank = 0; rank < 20; rank++) total += sampler.probability(rank);
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    expect(sampler.probability(20)).toBe(0);
    expect(sampler.probability(-1)).toBe(0);
    const flat = new ZipfSampler(4, 0);
    for (let rank = 0; rank < 4; rank++) expect(flat.probability(rank)).toBeCloseTo(0.25, 14);
    const single = new ZipfSampler(1, 2);
    const rng = Rng.fromSeed(11);
    for (let i = 0; i < 100; i++) expect(single.sample(rng)).toBe(0);
  });

  it('validates its parameters', () => {
    expect(() => new ZipfSampler(0, 1)).toThrow(RangeError);
    expect(() => new ZipfSampler(2.5, 1)).toThrow(RangeError);
    expect(() => new ZipfSampler(zipfRankCountMax + 1, 1)).toThrow(RangeError);
    expect(() => new ZipfSampler(10, -1)).toThrow(RangeError);
    expect(() => new ZipfSampler(10, NaN)).toThrow(RangeError);
  });
});

describe('determinism', () => {
  function mixedSequence(seed: number): number[] {
    const rng = Rng.fromSeed(seed, 'mixed');
    const zipf = new ZipfSampler(50, 1.1);
    const out: number[] = [];
    for (let i = 0; i < 500; i++) {
      out.push(
        uniform(rng, -1, 1),
        exponential(rng, 3),
        normal(rng, 0, 1),
        logNormal(rng, 0, 1),
        pareto(rng, 1, 2.5),
        bernoulli(rng, 0.5) ? 1 : 0,
        zipf.sample(rng),
      );
    }
    return out;
  }

  it('gives the identical sequence for the same seed, and a different one otherwise', () => {
    const first = mixedSequence(123);
    expect(mixedSequence(123)).toEqual(first);
    expect(mixedSequence(124)).not.toEqual(first);
  });

  it('gives the pinned bits for the first draws of a stream', () => {
    const rng = Rng.fromSeed(7, 'dist');
    expect(bitsOf(exponential(rng, 2))).toBe('400c4755df17380b');
    expect(bitsOf(normal(rng, 0, 1))).toBe('3f8a2407cda5b9ca');
    expect(bitsOf(pareto(rng, 1, 3))).toBe('40009995bd9fdf38');
    expect(bitsOf(logNormal(rng, 0, 1))).toBe('3fd9197018c26363');
    expect(bitsOf(uniform(rng, -1, 1))).toBe('3fee689ea92017bc');
  });

  it('keeps no hidden state: a normal draw depends only on the stream state', () => {
    const a = Rng.fromSeed(8);
    const b = Rng.fromSeed(8);
    normal(a, 0, 1);
    const stateAfterOne = a.getState();
    const next = normal(a, 0, 1);
    b.setState(stateAfterOne);
    expect(normal(b, 0, 1)).toBe(next);
  });
});

describe('parameter validation', () => {
  const rng = Rng.fromSeed(9);
  it('rejects parameters outside each domain', () => {
    expect(() => uniform(rng, 2, 1)).toThrow(RangeError);
    expect(() => uniform(rng, 0, Infinity)).toThrow(RangeError);
    expect(() => exponential(rng, 0)).toThrow(RangeError);
    expect(() => exponential(rng, NaN)).toThrow(RangeError);
    expect(() => normal(rng, 0, -1)).toThrow(RangeError);
    expect(() => normal(rng, NaN, 1)).toThrow(RangeError);
    expect(() => logNormal(rng, 0, Infinity)).toThrow(RangeError);
    expect(() => pareto(rng, 0, 1)).toThrow(RangeError);
    expect(() => pareto(rng, 1, -2)).toThrow(RangeError);
    expect(() => bernoulli(rng, 1.5)).toThrow(RangeError);
  });

  it('accepts the degenerate but meaningful cases', () => {
    expect(uniform(rng, 4, 4)).toBe(4);
    expect(normal(rng, 7, 0)).toBe(7);
    expect(bernoulli(rng, 0)).toBe(false);
    expect(bernoulli(rng, 1)).toBe(true);
  });
});
