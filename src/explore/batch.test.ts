import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { plantedViolation } from '../scenarios/planted-violation/model.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import type { ExplorePlan } from './plan.ts';
import { seedsOf } from './plan.ts';
import { type SeedResult, batchCounts, violatingSeeds } from './results.ts';
import { runSeed } from './runSeed.ts';

/*
 * A real batch over the planted-violation fixture, run the way the explore worker runs it. Which
 * seeds violate is computed, never typed in: the batch must find some and miss some, and every
 * seed it reports must violate again when its request is replayed straight through Simulation.
 */

const plan: ExplorePlan = {
  scenarioId: 'planted-violation',
  variant: 'pattern',
  params: {},
  seedFirst: 1,
  seedLast: 40,
  durationUs: 10_000_000,
  isChaos: true,
};

function runBatch(batch: ExplorePlan) {
  return seedsOf(batch).map((seed) => runSeed(scenarioCatalogue, batch, seed));
}

function replay(result: SeedResult): Simulation {
  const sim = new Simulation(plantedViolation, {
    ...result.request,
    scenarioVersion: plantedViolation.version,
  });
  sim.runUntil(result.durationUs);
  return sim;
}

describe('a chaos batch over the planted violation', () => {
  const outcomes = runBatch(plan);
  const violating = violatingSeeds(outcomes);

  it('runs every seed, in order, and finds violating and clean seeds', () => {
    expect(outcomes.map((outcome) => outcome.seed)).toEqual(seedsOf(plan));
    expect(outcomes.every((outcome) => outcome.kind === 'ran')).toBe(true);
    const counts = batchCounts(outcomes);
    expect(counts.violatedSafety).toBeGreaterThanOrEqual(1);
    expect(counts.violatedSafety).toBeLessThan(counts.seeds);
    expect(violating.every((result) => result.safetyViolated[0] === 'no-value-issued-twice')).toBe(
      true,
    );
  });

  it('reports only seeds that really violate when rerun directly through Simulation', () => {
    for (const result of violating) {
      const sim = replay(result);
      expect(sim.traceHash, `seed ${result.seed}`).toBe(result.traceHash);
      const safety = sim.invariantResults().find((each) => each.id === 'no-value-issued-twice');
      expect(safety?.status, `seed ${result.seed}`).toBe('violated');
      expect(safety?.firstViolation?.message).toBe(result.firstViolation);
    }
    const clean = outcomes.filter(
      (outcome): outcome is SeedResult =>
        outcome.kind === 'ran' && outcome.safetyViolated.length === 0,
    );
    for (const result of clean) expect(replay(result).hasSafetyViolation).toBe(false);
  });

  it('finds nothing without chaos, nor in the write-ahead baseline', () => {
    expect(violatingSeeds(runBatch({ ...plan, seedLast: 10, isChaos: false }))).toEqual([]);
    expect(violatingSeeds(runBatch({ ...plan, variant: 'baseline' }))).toEqual([]);
  });

  it('reports a seed that cannot run as failed, with the reason', () => {
    const [outcome] = runBatch({ ...plan, scenarioId: 'no-such-scenario', seedLast: 1 });
    expect(outcome).toEqual({
      kind: 'failed',
      seed: 1,
      message: 'There is no scenario "no-such-scenario".',
    });
    const [bad] = runBatch({ ...plan, params: { incrementIntervalMs: -5 }, seedLast: 1 });
    expect(bad?.kind).toBe('failed');
  });
});
