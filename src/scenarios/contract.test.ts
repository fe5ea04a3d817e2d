import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { Simulation } from '../engine/simulation.ts';
import type { RunDescription, Variant } from '../engine/types.ts';
import { scenarios } from './registry.ts';

/*
 * The plugin contract every listed scenario keeps, checked the same way for all of them (a new
 * scenario is covered the moment it is registered): under the CLI's chaos schedule, the same run
 * description gives the same trace, a run resumed from a checkpoint continues exactly as a
 * straight run, and no safety invariant is violated — pattern and baseline.
 */

const durationUs = 4_000_000;
// After the schedule's final heal (at 60% of the run), so the restored world must be whole too.
const checkpointUs = 3_000_000;

function chaosRun(id: string, variant: Variant, seed: number): RunDescription {
  const scenario = scenarios.find((each) => each.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  return {
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    seed,
    variant,
    params: {},
    commands: chaosScheduleFor(scenario, seed, variant, {}, durationUs),
  };
}

describe.each(scenarios.filter((scenario) => !scenario.isHidden))('$title', (scenario) => {
  it.each(['pattern', 'baseline'] as const)(
    '%s: replays and resumes from a checkpoint to the same trace under chaos',
    (variant) => {
      const run = chaosRun(scenario.id, variant, 11);
      const straight = new Simulation(scenario, run);
      straight.runUntil(durationUs);
      const again = new Simulation(scenario, run);
      again.runUntil(durationUs);
      expect(again.traceHash).toBe(straight.traceHash);
      const first = new Simulation(scenario, run);
      first.runUntil(checkpointUs);
      const resumed = Simulation.fromCheckpoint(scenario, first.checkpoint());
      resumed.runUntil(durationUs);
      expect(resumed.traceHash).toBe(straight.traceHash);
      expect(resumed.metricFinals()).toEqual(straight.metricFinals());
      expect(resumed.invariantResults()).toEqual(straight.invariantResults());
      // What invariants see of the world must match too (the schedule has healed everything).
      expect(straight.hasActiveFaults).toBe(false);
      expect(resumed.hasActiveFaults).toBe(false);
      if (variant === 'pattern') {
        const violated = straight
          .invariantResults()
          .filter((result) => result.kind === 'safety' && result.violations > 0);
        expect(violated, JSON.stringify(run)).toEqual([]);
      }
    },
  );
});
