import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Variant } from '../../engine/types.ts';
import { runFor } from '../testing/runKit.ts';
import { storylineOff } from './storyline.ts';
import { safetyViolations, start } from './testKit.ts';
import { firstMomentsWithNodes } from '../testing/momentKit.ts';

/**
 * The default run's storyline: s4 is slowed ×10 from 2 s for 14 s. With a broker, s4 falls
 * behind (about 4.8 s at seed 5) and catches up (about 27.5 s) while the publishers never wait;
 * without one, both publishers are held up (about 14.4 s and 15.0 s) and catch up (about 23.8 s).
 * The bounds below are the README's times with some room, so a storyline that stops playing (or
 * plays much later) fails.
 */

/** Trace hashes of the default 60 s runs at seed 5 before the storyline existed (version 1). */
const hashesBeforeStoryline = { pattern: 'd75685b532df9824', baseline: 'ae26341a9a462490' };

function run(variant: Variant, params: Readonly<Record<string, number>> = {}): Simulation {
  const sim = start(5, { variant, params });
  runFor(sim, 60_000);
  return sim;
}

describe('the default storyline', () => {
  it('with a broker, the slowed subscriber falls behind early and catches up, nobody waits', () => {
    const sim = run('pattern');
    const first = firstMomentsWithNodes(sim.moments);
    expect(Object.keys(first).sort()).toEqual(['subscriber-caught-up', 'subscriber-fell-behind']);
    expect(first['subscriber-fell-behind']?.nodes).toEqual(['s4']);
    expect(first['subscriber-fell-behind']?.s).toBeLessThan(7);
    expect(first['subscriber-caught-up']?.nodes).toEqual(['s4']);
    expect(first['subscriber-caught-up']?.s).toBeLessThan(30);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('without a broker, the same slowdown holds up both publishers, who then catch up', () => {
    const sim = run('baseline');
    const first = firstMomentsWithNodes(sim.moments);
    expect(Object.keys(first).sort()).toEqual(['publisher-caught-up', 'publisher-held-up']);
    const heldUp = sim.moments.filter((moment) => moment.kind === 'publisher-held-up');
    expect(heldUp.map((moment) => moment.nodes[0]).sort()).toEqual(['p1', 'p2']);
    expect(first['publisher-held-up']?.s).toBeLessThan(17);
    expect(first['publisher-caught-up']?.s).toBeLessThan(30);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('turned off, reports nothing and replays the run from before the storyline', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = run(variant, storylineOff);
      expect(sim.moments, variant).toEqual([]);
      expect(sim.traceHash, variant).toBe(hashesBeforeStoryline[variant]);
    }
  });
});
