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
      const checkpoint = first.checkpoint();
      // Checkpoints keep node state by reference (states are immutable values): running on,
      // here and in the resumed run, must leave what the checkpoint holds exactly as it was.
      const heldBefore = describeDeeply(checkpoint.nodes);
      first.runUntil(durationUs);
      const resumed = Simulation.fromCheckpoint(scenario, checkpoint);
      resumed.runUntil(durationUs);
      expect(describeDeeply(checkpoint.nodes)).toBe(heldBefore);
      expect(first.traceHash).toBe(straight.traceHash);
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

/** Every value reachable from `value`, Maps, Sets and typed arrays included, as one string. */
function describeDeeply(value: unknown): string {
  const seen = new Set<unknown>();
  const walk = (item: unknown): unknown => {
    if (item === null || typeof item !== 'object') return item;
    if (seen.has(item)) return '<shared>';
    seen.add(item);
    let out: unknown;
    if (item instanceof Map) out = { map: [...item].map(([k, v]) => [walk(k), walk(v)]) };
    else if (item instanceof Set) out = { set: [...item].map(walk) };
    else if (ArrayBuffer.isView(item))
      out = { typed: Array.from(item as unknown as ArrayLike<number>) };
    else if (Array.isArray(item)) out = item.map(walk);
    else out = Object.fromEntries(Object.entries(item).map(([k, v]) => [k, walk(v)]));
    seen.delete(item);
    return out;
  };
  return JSON.stringify(walk(value));
}
