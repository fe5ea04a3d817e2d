import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import { type TourStepTimes, walkTourTimed } from '../testing/runKit.ts';
import { metric, runFor, safetyViolations, sliceUs, start } from './testKit.ts';
import { shardingTour } from './tour.ts';

/*
 * The tour is walked on the default run as the page starts it (pattern, default parameters), on
 * seed 1 and seed 7, as a learner would: each step after some reading time. The storyline (a
 * shard added at 5 s, a hot key from 15 s to 25 s) must play the first four steps unprompted,
 * with its moments inside the steps that point at them, and the baseline the tour compares with
 * must show what the comparing step says.
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

const allMet = shardingTour.flatMap((step) => (step.waitFor ? [`${step.id}: met`] : []));
const storylineSteps = ['spread', 'add-shard', 'hot-key', 'cool-down'];

describe('guided tour', () => {
  it.each([1, 7])('reaches every wait in order on the default run, seed %i', (seed) => {
    const sim = start(seed);
    const { outcomes, times } = walkTourTimed(sim, shardingTour, { readingMs, sliceUs });
    expect(outcomes, outcomes.join(', ')).toEqual(allMet);

    // The storyline plays the first steps: no actions, no commands until the hot key has cooled.
    const coolDown = timesOf(times, 'cool-down');
    for (const id of storylineSteps) {
      const step = shardingTour.find((each) => each.id === id);
      expect(step !== undefined && step.actions === undefined, id).toBe(true);
    }
    expect(sim.describe().commands.filter((each) => each.atUs <= coolDown.metUs)).toEqual([]);

    // Its moments come where the steps point at them.
    const added = timesOf(times, 'add-shard');
    const join = momentsOf(sim, 'shard-added', added.startUs, added.metUs);
    expect(join.map((each) => each.nodes)).toEqual([['router', 's5']]);
    expect(join[0]?.text).toContain('203 of 1000');
    expect(momentsOf(sim, 'handoff-done', added.startUs, added.metUs)).toHaveLength(1);
    const hot = timesOf(times, 'hot-key');
    const hotKey = momentsOf(sim, 'hot-key', hot.startUs, hot.metUs);
    expect(hotKey).toHaveLength(1);
    expect(hotKey[0]?.text).toContain('hot key 42');
    const recovered = momentsOf(sim, 'shard-recovered', coolDown.startUs, coolDown.metUs);
    expect(recovered.map((each) => each.nodes)).toEqual(hotKey.map((each) => each.nodes));
    expect(momentsOf(sim, 'shard-overloaded', 0, coolDown.metUs)).toEqual([]);

    // The hand-made steps: the removal is a "Shard removed" moment and a second hand-off.
    const removed = timesOf(times, 'remove-shard');
    expect(momentsOf(sim, 'shard-removed', removed.startUs, removed.metUs)).toHaveLength(1);
    expect(momentsOf(sim, 'handoff-done', removed.startUs, removed.metUs)).toHaveLength(1);

    runFor(sim, readingMs);
    expect(safetyViolations(sim)).toEqual([]);
    expect(metric(sim, 'rebalances')).toBe(2); // the storyline's add and the tour's remove
  });

  it.each([1, 7])('compares with a single node overloaded all along, seed %i', (seed) => {
    expect(
      shardingTour.filter((step) => step.comparesWithBaseline === true).map((step) => step.id),
    ).toEqual(['cool-down']);
    const sim = start(seed);
    const { times } = walkTourTimed(sim, shardingTour, { readingMs, sliceUs });
    const shownUs = timesOf(times, 'cool-down').metUs;
    // No command before then: the baseline beside it is the default baseline run.
    const baseline = start(seed, { variant: 'baseline' });
    runFor(baseline, shownUs / 1000);
    const kinds = baseline.moments.map((each) => each.kind);
    expect(kinds).toEqual(['shard-overloaded']);
    expect(baseline.moments[0]?.timeUs).toBeLessThan(1_000_000);
  });

  it('asks questions whose answers are among their choices', () => {
    const questions = shardingTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
