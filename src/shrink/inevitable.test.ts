import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { Simulation } from '../engine/simulation.ts';
import { leaderElection } from '../scenarios/leader-election/model.ts';
import { scenarioCatalogue } from '../worker/catalogue.ts';
import type { RunRequest } from '../worker/protocol.ts';
import { describeRun } from '../worker/runs.ts';
import { ShrinkError } from './errors.ts';
import {
  type InevitableProgress,
  forkTimes,
  inevitable,
  inevitableFrom,
  measuringOrder,
} from './inevitable.ts';

/*
 * When did Bully's split brain (chaos seed 1, the baseline: two leaders in one term at 5.243 s)
 * become inevitable? Each point is checked against runs made directly, without the search.
 */

const durationUs = leaderElection.defaultDurationUs;
const invariantId = 'one-leader-per-term';
const bully: RunRequest = {
  scenarioId: leaderElection.id,
  seed: 1,
  variant: 'baseline',
  params: {},
  commands: chaosScheduleFor(leaderElection, 1, 'baseline', {}, durationUs),
};

/** One fork made by hand: the run to `forkUs` with its faults up to then, redrawn, run on. */
function directlyBreaks(forkUs: number, salt: number): boolean {
  const run = describeRun(leaderElection, bully);
  const sim = new Simulation(leaderElection, {
    ...run,
    commands: run.commands.filter((entry) => entry.atUs <= forkUs),
  });
  sim.runUntil(forkUs);
  sim.redrawRandomness(salt);
  sim.runUntil(durationUs);
  return sim.invariantResults().some((each) => each.id === invariantId && each.violations > 0);
}

describe('inevitable', () => {
  it('measures each fork as direct re-runs do, and is 1 from the violation on', () => {
    const progress: InevitableProgress[] = [];
    const result = inevitable(
      scenarioCatalogue,
      { run: bully, durationUs, forks: 4, trials: 5 },
      { onProgress: (each) => progress.push(each) },
    );
    expect(result.invariant.id).toBe(invariantId);
    expect(Math.round(result.violationUs / 1000)).toBe(5243);
    expect(result.points.map((point) => point.forkUs)).toEqual(forkTimes(result.violationUs, 4));
    expect(result.runs).toBe(25);
    // After the violating event every run has broken it: it is in the past of every fork.
    expect(result.points.at(-1)).toEqual({ forkUs: result.violationUs, trials: 5, violated: 5 });
    for (const point of result.points) {
      let violated = 0;
      for (let salt = 1; salt <= 5; salt++) if (directlyBreaks(point.forkUs, salt)) violated++;
      expect(point.violated, `fork at ${String(point.forkUs)} µs`).toBe(violated);
    }
    expect(result.inevitableFromUs).toBe(inevitableFrom(result.points));
    // The violation's point is measured first, and progress only grows.
    expect(progress[5]?.points).toEqual([result.points.at(-1)]);
    expect(progress.at(-1)?.runs).toBe(24);
    expect(progress.at(-1)?.runsTotal).toBe(25);
    // The same input gives the same curve.
    expect(inevitable(scenarioCatalogue, { run: bully, durationUs, forks: 4, trials: 5 })).toEqual(
      result,
    );
  });

  it('refuses counts out of range and a run that never breaks, and stops when cancelled', () => {
    const input = { run: bully, durationUs, forks: 0 };
    expect(() => inevitable(scenarioCatalogue, input)).toThrow(
      'The number of forks must be a whole number from 1 to 200; got 0.',
    );
    const calm = { ...bully, commands: [] };
    expect(() => inevitable(scenarioCatalogue, { run: calm, durationUs })).toThrow(ShrinkError);
    expect(() =>
      inevitable(
        scenarioCatalogue,
        { run: bully, durationUs, forks: 2, trials: 2 },
        { isCancelled: () => true },
      ),
    ).toThrow('Stopped after 0 runs.');
  });
});

describe('the curve’s parts', () => {
  it('spaces forks evenly before the violation and ends at it', () => {
    expect(forkTimes(1000, 4)).toEqual([0, 250, 500, 750, 1000]);
    expect(forkTimes(3, 8)).toEqual([0, 1, 2, 3]);
  });

  it('measures the violation first, then coarse to fine, each fork once', () => {
    expect(measuringOrder(5)).toEqual([4, 0, 2, 1, 3]);
    expect(measuringOrder(1)).toEqual([0]);
    const order = measuringOrder(17);
    expect(order.slice(0, 4)).toEqual([16, 0, 8, 4]);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 17 }, (_, i) => i));
  });

  it('is inevitable from the first fork of the last unbroken run of certain points', () => {
    const point = (forkUs: number, violated: number) => ({ forkUs, trials: 4, violated });
    expect(
      inevitableFrom([point(0, 0), point(10, 4), point(20, 2), point(30, 4), point(40, 4)]),
    ).toBe(30);
    expect(inevitableFrom([point(0, 4), point(10, 4)])).toBe(0);
    expect(inevitableFrom([point(0, 1), point(10, 3)])).toBe(10);
  });
});
