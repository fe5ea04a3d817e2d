import { describe, expect, it } from 'vitest';
import {
  type SeedOutcome,
  type SeedResult,
  batchCounts,
  countLine,
  insertBySeed,
  violatingSeeds,
} from './results.ts';

function ran(seed: number, safety: string[] = [], liveness: string[] = []): SeedResult {
  return {
    kind: 'ran',
    seed,
    traceHash: seed.toString(16).padStart(16, '0'),
    events: 100,
    metrics: [],
    safetyViolated: safety,
    livenessMissed: liveness,
    firstViolation: null,
    firstViolationUs: null,
    request: { scenarioId: 'x', seed, variant: 'pattern', params: {}, commands: [] },
    durationUs: 1_000_000,
  };
}

const failed = (seed: number): SeedOutcome => ({ kind: 'failed', seed, message: 'boom' });

describe('insertBySeed', () => {
  it('keeps outcomes in seed order whatever order they arrive in', () => {
    const arrival = [7, 2, 9, 1, 5, 3, 8, 4, 6, 10];
    let outcomes: SeedOutcome[] = [];
    for (const seed of arrival) outcomes = insertBySeed(outcomes, ran(seed));
    expect(outcomes.map((outcome) => outcome.seed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('replaces an outcome for the same seed instead of listing it twice', () => {
    const outcomes = insertBySeed([ran(1), failed(2), ran(3)], ran(2));
    expect(outcomes.map((outcome) => [outcome.seed, outcome.kind])).toEqual([
      [1, 'ran'],
      [2, 'ran'],
      [3, 'ran'],
    ]);
  });
});

describe('batch counts', () => {
  const outcomes = [
    ran(1),
    ran(2, ['safe']),
    ran(3, [], ['live']),
    ran(4, ['safe', 'other'], ['live']),
    failed(5),
  ];

  it('counts seeds, safety and liveness separately, and failures', () => {
    expect(batchCounts(outcomes)).toEqual({
      seeds: 5,
      violatedSafety: 2,
      missedLiveness: 2,
      failed: 1,
    });
    expect(countLine(batchCounts(outcomes))).toBe(
      '5 seeds, 2 violated safety, 2 missed liveness, 1 failed',
    );
    expect(countLine(batchCounts([ran(1)]))).toBe('1 seed, 0 violated safety, 0 missed liveness');
  });

  it('lists the seeds that violated either kind, in seed order', () => {
    expect(violatingSeeds(outcomes).map((result) => result.seed)).toEqual([2, 3, 4]);
  });
});
