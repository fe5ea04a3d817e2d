import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Variant } from '../../engine/types.ts';
import { runFor, violatedSafetyInvariants } from '../testing/runKit.ts';
import { storylineOff } from './storyline.ts';
import { start } from './testKit.ts';
import { firstMomentsWithNodes } from '../testing/momentKit.ts';

/**
 * The default run's storyline: the projector is slowed ×40 from 5 s for 6 s, and a query replica
 * is added at 15 s. At seed 5 the read side lags at about 6.3 s and catches up at about 11.6 s;
 * q3 joins at about 15.2 s. The bounds below are the README's times with some room, so a
 * storyline that stops playing (or plays much later) fails. The baseline has no read side: it
 * reports nothing, with or without the storyline.
 */

/** Trace hashes of the default 60 s runs at seed 5 before the storyline existed (version 1). */
const hashesBeforeStoryline = { pattern: 'ced430b2954f9960', baseline: '9f8c4f0c8a988a6f' };

function run(variant: Variant, params: Readonly<Record<string, number>> = {}): Simulation {
  const sim = start(5, { variant, params });
  runFor(sim, 60_000);
  return sim;
}

describe('the default storyline', () => {
  it('lags while the projector is slow, catches up, then a planned replica joins', () => {
    const sim = run('pattern');
    const first = firstMomentsWithNodes(sim.moments);
    expect(Object.keys(first).sort()).toEqual([
      'projection-caught-up',
      'projection-lagging',
      'replica-joined',
    ]);
    expect(first['projection-lagging']?.s).toBeGreaterThan(5);
    expect(first['projection-lagging']?.s).toBeLessThan(8);
    expect(first['projection-caught-up']?.s).toBeLessThan(14);
    expect(first['replica-joined']?.s).toBeGreaterThan(15);
    expect(first['replica-joined']?.s).toBeLessThan(17);
    expect(first['replica-joined']?.nodes).toEqual(['q3', 'lb']);
    expect(violatedSafetyInvariants(sim)).toEqual([]);
  });

  it('changes nothing in the baseline, which has no read side to slow or scale', () => {
    const sim = run('baseline');
    expect(sim.moments).toEqual([]);
    expect(sim.traceHash).toBe(hashesBeforeStoryline.baseline);
  });

  it('turned off, reports nothing and replays the run from before the storyline', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = run(variant, storylineOff);
      expect(sim.moments, variant).toEqual([]);
      expect(sim.traceHash, variant).toBe(hashesBeforeStoryline[variant]);
    }
  });
});
