import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Variant } from '../../engine/types.ts';
import { firstMomentsWithNodes } from '../testing/momentKit.ts';
import { runFor, startRun } from '../testing/runKit.ts';
import { ambassador } from './model.ts';
import type { RemoteState } from './remote.ts';
import { storylineOff } from './storyline.ts';
import { safetyViolations } from './testKit.ts';

/**
 * The default run's storyline: every remote instance keeps 10% of its capacity from 5 s to 30 s.
 * With ambassadors, the retries spend the budgets within about a second (6.0–6.3 s at seeds 1 and
 * 5), requests fail from about 7 s, the queues fill from about 10 s and drain at about 30.6 s;
 * the direct calls of the baseline fail from about 11–14 s and recover at about 32 s. The bounds
 * are the README's times with some room, so a storyline that stops playing (or plays much later)
 * fails.
 */

/** Trace hashes of the default 60 s runs at seed 5 before the storyline existed (version 1). */
const hashesBeforeStoryline = { pattern: 'a0dc2bb67687d185', baseline: 'f5519d7d266533f1' };

function run(variant: Variant, params: Readonly<Record<string, number>> = {}, ms = 60_000) {
  const sim = startRun(ambassador, 5, { variant, params });
  runFor(sim, ms);
  return sim;
}

function capacities(sim: Simulation): number[] {
  return sim.nodes
    .filter((node) => node.role === 'remote')
    .map((node) => (node.state as RemoteState).faults.capacityPercent);
}

describe('the default storyline', () => {
  it('cuts every remote to the storyline capacity from its start to its end, and no longer', () => {
    expect(capacities(run('pattern', {}, 4_900))).toEqual([100, 100, 100]);
    expect(capacities(run('pattern', {}, 5_100))).toEqual([10, 10, 10]);
    expect(capacities(run('pattern', {}, 29_900))).toEqual([10, 10, 10]);
    expect(capacities(run('pattern', {}, 30_100))).toEqual([100, 100, 100]);
  });

  it('with ambassadors, the budgets are spent at once, then requests fail and queues fill', () => {
    const sim = run('pattern');
    const first = firstMomentsWithNodes(sim.moments);
    expect(first['budget-exhausted']?.s).toBeGreaterThan(5);
    expect(first['budget-exhausted']?.s).toBeLessThan(8);
    expect(first['requests-failing']?.s).toBeLessThan(10);
    expect(first['remote-overloaded']?.s).toBeLessThan(16);
    expect(first['remote-drained']?.s).toBeGreaterThan(30);
    expect(first['remote-drained']?.s).toBeLessThan(33);
    expect(first['requests-recovered']?.s).toBeLessThan(35);
    expect(safetyViolations(sim)).toBe(0);
  });

  it('with direct calls, the same overload makes requests fail later, and they recover', () => {
    const sim = run('baseline');
    const first = firstMomentsWithNodes(sim.moments);
    expect(first['requests-failing']?.s).toBeGreaterThan(5);
    expect(first['requests-failing']?.s).toBeLessThan(20);
    expect(first['requests-recovered']?.s).toBeGreaterThan(30);
    expect(first['requests-recovered']?.s).toBeLessThan(35);
    expect(safetyViolations(sim)).toBe(0);
  });

  it('turned off, reports nothing and replays the run from before the storyline', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = run(variant, storylineOff);
      expect(sim.moments, variant).toEqual([]);
      expect(sim.traceHash, variant).toBe(hashesBeforeStoryline[variant]);
    }
  });
});
