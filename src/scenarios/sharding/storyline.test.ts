import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Variant } from '../../engine/types.ts';
import { control, runFor, safetyViolations, start, storylineOff } from './testKit.ts';
import { isPlacementSettled, routerTable } from './world.ts';
import { expectFirstBefore } from '../testing/momentKit.ts';

/**
 * The default run's storyline (storyline.ts): a shard joins and later a key gets hot, unprompted,
 * by the times the README documents; turned off, the run is the operator-less run of version 1,
 * to the bit.
 */

const seed = 11;

function notesWith(sim: Simulation, text: string): number[] {
  return sim.trace
    .since(0)
    .filter((event) => event.type === 'note.added' && event.label.includes(text))
    .map((event) => event.timeUs / 1000);
}

/** The default run's hashes (seed 5, 60 s) before the storyline existed (version 1). */
const version1Hashes: Record<Variant, string> = {
  pattern: 'eece35a8b671c1d1',
  baseline: '9dbad0f6b3f3fcee',
};

describe('sharding storyline', () => {
  it('adds a shard at 5 s and makes a key hot from 15 s to 25 s in the default run', () => {
    const sim = start(seed);
    runFor(sim, 30_000);
    expectFirstBefore(sim, [
      ['shard-added', 5000],
      ['handoff-done', 9000],
      ['hot-key', 19_000],
      ['shard-recovered', 28_000],
    ]);
    expect(routerTable(sim).active).toHaveLength(5);
    expect(isPlacementSettled(sim)).toBe(true);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('plays the same day on the single node, which has no shard to add and stays saturated', () => {
    const sim = start(seed, { variant: 'baseline' });
    runFor(sim, 30_000);
    expectFirstBefore(sim, [['shard-overloaded', 2000]]);
    expect(notesWith(sim, 'no spare shard left to add')).toEqual([5000]);
    expect(notesWith(sim, 'sends 90% of its requests to key 42')).toEqual([15_000, 15_000]);
    expect(routerTable(sim).active).toEqual(['s1']);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('plays nothing when turned off, exactly as the run without a storyline did', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = start(5, { variant, params: storylineOff });
      runFor(sim, 60_000);
      expect(sim.moments.filter((moment) => moment.kind !== 'shard-overloaded')).toEqual([]);
      expect(sim.traceHash, variant).toBe(version1Hashes[variant]);
    }
  });

  it('gives way to an operator: an add before the storyline’s drops the scheduled one', () => {
    const sim = start(seed, {
      commands: [{ atUs: 1_000_000, command: control('add') }],
      params: { storyHotKeyDelayS: 600 },
    });
    runFor(sim, 20_000);
    expect(sim.moments.map((moment) => moment.kind)).toEqual(['shard-added', 'handoff-done']);
    expect(routerTable(sim).active).toHaveLength(5);
  });
});
