import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import { type TourStepTimes, walkTourTimed } from '../testing/runKit.ts';
import {
  clientFailures,
  metric,
  notes,
  runFor,
  safetyViolations,
  sliceUs,
  start,
} from './testKit.ts';
import { stranglerFigTour } from './tour.ts';
import { isLegacyRetired } from './world.ts';

/*
 * The tour is walked on the default run as the page starts it (pattern, default parameters), on
 * seed 1 and seed 7, as a learner would: each step after some reading time. The storyline's
 * migration plan must play what the steps point at (its moments inside the steps that wait for
 * them, whatever the tour adds by hand), and the big-bang baseline the tour compares with must
 * show what the comparing step says.
 */

const readingMs = 500;

function timesOf(times: Map<string, TourStepTimes>, id: string): TourStepTimes {
  const entry = times.get(id);
  if (entry === undefined) throw new Error(`no step ${id}`);
  return entry;
}

function momentsOf(sim: Simulation, kind: string, fromUs: number, toUs: number) {
  return sim.moments.filter(
    (each) => each.kind === kind && each.timeUs >= fromUs && each.timeUs <= toUs,
  );
}

const allMet = stranglerFigTour.flatMap((step) => (step.waitFor ? [`${step.id}: met`] : []));

/** The only commands the tour gives: its hand-made releases and fixes, never a facade control. */
function tourCommands(sim: Simulation): string[] {
  return sim
    .describe()
    .commands.map((each) =>
      each.command.type === 'scenario.fault'
        ? `${each.command.fault} ${each.command.node}`
        : each.command.type,
    );
}

describe('guided tour', () => {
  it.each([1, 7])('reaches every wait in order on the default run, seed %i', (seed) => {
    const sim = start(seed);
    const { outcomes, times } = walkTourTimed(sim, stranglerFigTour, { readingMs, sliceUs });
    expect(outcomes, outcomes.join(', ')).toEqual(allMet);

    // The plan, not the tour, moves the routes: the tour only deploys releases.
    expect(tourCommands(sim)).toEqual([
      'buggy-release new-catalog',
      'fix-release new-catalog',
      'buggy-release new-payments',
    ]);
    const at = (id: string) => timesOf(times, id);
    const first = at('facade-in-front');
    expect(momentsOf(sim, 'route-shadowed', first.startUs, first.metUs)).toHaveLength(1);
    const canary = at('canary-catalog');
    // The fix lands before the plan's canary sends users to new-catalog.
    expect(canary.startUs).toBeLessThan(
      momentsOf(sim, 'route-canaried', 0, Infinity)[0]?.timeUs ?? 0,
    );
    for (const kind of ['route-canaried', 'route-moved']) {
      const found = momentsOf(sim, kind, canary.startUs, canary.metUs);
      expect(
        found.map((each) => each.text.split(' ')[0]),
        kind,
      ).toEqual(['catalog']);
    }
    const bad = at('bad-canary');
    const rolledBack = momentsOf(sim, 'route-rolled-back', bad.startUs, bad.metUs);
    expect(rolledBack).toHaveLength(1);
    expect(rolledBack[0]?.text).toContain('orders');
    const finish = at('finish');
    expect(momentsOf(sim, 'route-moved', finish.startUs, finish.metUs)).toHaveLength(3);
    expect(momentsOf(sim, 'legacy-retired', finish.startUs, finish.metUs)).toHaveLength(1);
    const last = at('no-way-back');
    expect(notes(sim, 'no rollback possible').map((note) => note.timeUs <= last.metUs)).toEqual([
      true,
    ]);

    runFor(sim, readingMs);
    expect(safetyViolations(sim)).toEqual([]);
    // What the steps claim, read from the run: mismatches caught in shadow, no wrong price
    // served, one rollback (orders), legacy retired and carrying nothing.
    expect(metric(sim, 'mismatches')).toBeGreaterThan(0);
    expect(metric(sim, 'wrong-answers')).toBe(0);
    expect(metric(sim, 'rollbacks')).toBe(1);
    expect(isLegacyRetired(sim)).toBe(true);
    expect(metric(sim, 'share-legacy')).toBe(0);
  });

  it.each([1, 7])('compares with a big bang that cannot roll back, seed %i', (seed) => {
    expect(
      stranglerFigTour.filter((step) => step.comparesWithBaseline === true).map((step) => step.id),
    ).toEqual(['bad-canary']);
    const sim = start(seed);
    const { times } = walkTourTimed(sim, stranglerFigTour, { readingMs, sliceUs });
    const shownUs = timesOf(times, 'bad-canary').metUs;
    // The side by side replays the tour's commands until then (by time) on both sides.
    const commands = sim
      .describe()
      .commands.filter((each) => each.atUs <= shownUs)
      .map((each) => ({ atUs: each.atUs, command: each.command }));
    const pattern = start(seed, { commands });
    runFor(pattern, shownUs / 1000);
    const baseline = start(seed, { variant: 'baseline', commands });
    runFor(baseline, shownUs / 1000);
    expect(
      baseline.moments.map((each) => [each.kind, Math.round(each.timeUs / 1_000_000)]),
    ).toEqual([
      ['big-bang-cutover', 2],
      ['legacy-retired', 7],
    ]);
    expect(metric(baseline, 'rollbacks')).toBe(0);
    // The shadow kept the wrong prices from the pattern's users, not from the baseline's; the
    // rollback kept the orders errors few.
    expect(metric(pattern, 'wrong-answers')).toBe(0);
    expect(metric(baseline, 'wrong-answers')).toBeGreaterThan(0);
    const ordersErrors = clientFailures(baseline) - metric(baseline, 'wrong-answers');
    expect(ordersErrors).toBeGreaterThan(3 * Math.max(1, clientFailures(pattern)));
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = stranglerFigTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
