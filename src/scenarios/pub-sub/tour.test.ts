import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import { type TourStepTimes, walkTourTimed } from '../testing/runKit.ts';
import { storylineSubscriber } from './storyline.ts';
import { metric, runFor, safetyViolations, start } from './testKit.ts';
import { pubSubTour } from './tour.ts';

/*
 * The tour is walked on the default run as the page starts it (pattern, default parameters), on
 * seed 1 and seed 7, as a learner would: each step after some reading time. The storyline's
 * slowdown of s4 must play the first steps unprompted (no action before them, its "Subscriber
 * fell behind" and "Subscriber caught up" moments inside the steps that wait for them), and the
 * baseline the tour compares with must show what the comparing step says.
 */

const readingMs = 500;
const sliceUs = 50_000;

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

const allMet = pubSubTour.flatMap((step) => (step.waitFor ? [`${step.id}: met`] : []));
const storylineSteps = ['fan-out', 'slow-subscriber', 'catch-up'];

describe('guided tour', () => {
  it.each([1, 7])('reaches every wait in order on the default run, seed %i', (seed) => {
    const sim = start(seed);
    const { outcomes, times } = walkTourTimed(sim, pubSubTour, { readingMs, sliceUs });
    expect(outcomes, outcomes.join(', ')).toEqual(allMet);
    const slowed = storylineSubscriber(sim.params);
    expect(slowed).toBe('s4');

    // The storyline plays the first steps: no actions, no commands until s4 has caught up.
    const caughtUp = timesOf(times, 'catch-up');
    for (const id of storylineSteps) {
      const step = pubSubTour.find((each) => each.id === id);
      expect(step !== undefined && step.actions === undefined, id).toBe(true);
    }
    expect(sim.describe().commands.filter((each) => each.atUs <= caughtUp.metUs)).toEqual([]);

    // Its moments come where the steps point at them: s4 fell behind before the slow-subscriber
    // step's wait was met, and caught up within the catch-up step.
    const behind = timesOf(times, 'slow-subscriber');
    const fell = momentsOf(sim, 'subscriber-fell-behind', 0, behind.metUs);
    expect(fell.map((each) => each.nodes)).toEqual([[slowed]]);
    const caught = momentsOf(sim, 'subscriber-caught-up', caughtUp.startUs, caughtUp.metUs);
    expect(caught.map((each) => each.nodes)).toEqual([[slowed]]);
    // No publisher was held up meanwhile: the broker absorbed the slowdown.
    expect(momentsOf(sim, 'publisher-held-up', 0, caughtUp.metUs)).toEqual([]);

    runFor(sim, readingMs);
    expect(safetyViolations(sim)).toEqual([]);
    // What the later steps showed: a loss to the in-memory subscriber, duplicates from lost
    // acks, and none lost to durable subscribers through the broker crash.
    expect(metric(sim, 'lost-s3')).toBeGreaterThan(0);
    expect(metric(sim, 'lost')).toBe(metric(sim, 'lost-s3'));
    expect(metric(sim, 'duplicates')).toBeGreaterThan(0);
  });

  it.each([1, 7])(
    'compares with a baseline whose publishers the slowdown holds up, seed %i',
    (seed) => {
      expect(
        pubSubTour.filter((step) => step.comparesWithBaseline === true).map((step) => step.id),
      ).toEqual(['catch-up']);
      const sim = start(seed);
      const { times } = walkTourTimed(sim, pubSubTour, { readingMs, sliceUs });
      const shownUs = timesOf(times, 'catch-up').metUs;
      // No command before then: the baseline beside it is the default baseline run.
      const baseline = start(seed, { variant: 'baseline' });
      runFor(baseline, shownUs / 1000);
      const heldUp = momentsOf(baseline, 'publisher-held-up', 0, shownUs);
      expect(heldUp.length).toBeGreaterThan(0);
      expect(momentsOf(baseline, 'publisher-caught-up', 0, shownUs).length).toBeGreaterThan(0);
      expect(momentsOf(baseline, 'subscriber-fell-behind', 0, shownUs)).toEqual([]);
    },
  );

  it('asks questions whose answers are among their choices', () => {
    const questions = pubSubTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
