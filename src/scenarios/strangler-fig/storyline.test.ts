import { describe, expect, it } from 'vitest';
import type { Variant } from '../../engine/types.ts';
import { at, moveAll, runFor, safetyViolations, start, storylineOff } from './testKit.ts';
import { expectFirstBefore } from '../testing/momentKit.ts';

/**
 * The default run's storyline (storyline.ts): the scheduled migration plays the pattern's
 * moments unprompted, by the times the README documents, in both variants; turned off, the run
 * is the operator-less run of version 1, to the bit.
 */

/** The default run's hashes (seed 5, 60 s) before the storyline existed (version 1). */
const version1Hashes: Record<Variant, string> = {
  pattern: 'df5c5a966d774bfd',
  baseline: 'df5c5a966d774bfd',
};

describe('strangler fig storyline', () => {
  it('migrates on schedule in the default run: shadow, canary, move, rollback, retire', () => {
    const sim = start(5);
    runFor(sim, 30_000);
    expectFirstBefore(sim, [
      ['route-shadowed', 2000],
      ['route-canaried', 5000],
      ['route-moved', 8000],
      ['route-rolled-back', 14_000],
      ['legacy-retired', 25_000],
    ]);
    expect(sim.moments.filter((moment) => moment.kind === 'route-rolled-back')).toHaveLength(1);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('cuts everything over at the plan’s first step in the baseline', () => {
    const sim = start(5, { variant: 'baseline' });
    runFor(sim, 30_000);
    expectFirstBefore(sim, [
      ['big-bang-cutover', 2000],
      ['legacy-retired', 8000],
    ]);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('plays nothing when turned off, exactly as the run without a storyline did', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = start(5, { variant, params: storylineOff });
      runFor(sim, 60_000);
      expect(sim.moments, variant).toEqual([]);
      expect(sim.traceHash, variant).toBe(version1Hashes[variant]);
    }
  });

  it('gives way to an operator: a control at the facade drops the plan', () => {
    const sim = start(5, {
      commands: [at(1000, moveAll())],
      params: { planBugErrorPct: 0 },
    });
    runFor(sim, 30_000);
    expect(sim.moments.map((moment) => moment.kind)).toEqual([
      'route-moved',
      'route-moved',
      'route-moved',
      'route-moved',
      'legacy-retired',
    ]);
  });
});
