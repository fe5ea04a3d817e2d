import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  formatSimulatedSeconds,
  predictionScore,
  tourMachine,
  tourPhaseOf,
  tourStatusText,
  type TourEffect,
  type TourEvent,
  type TourStepShape,
} from './tourMachine.ts';

const question = (answerIndex: number) => ({ choices: ['a', 'b', 'c'], answerIndex });

/** Four steps: a plain wait, a question with a wait, no wait at all, a question with a wait. */
const steps: readonly TourStepShape[] = [
  { waitFor: { timeoutMs: 3000 }, question: null },
  { waitFor: { timeoutMs: 3000 }, question: question(1) },
  { waitFor: null, question: null },
  { waitFor: { timeoutMs: 2000 }, question: question(2) },
];

function startTour(tourSteps: readonly TourStepShape[] = steps) {
  const actor = createActor(tourMachine, { input: { steps: tourSteps } });
  const effects: TourEffect[] = [];
  actor.on('*', (effect) => {
    effects.push(effect);
  });
  actor.start();
  const send = (event: TourEvent) => {
    actor.send(event);
  };
  /** Effects emitted since the last call. */
  const takeEffects = () => effects.splice(0, effects.length);
  const phase = () => tourPhaseOf(actor.getSnapshot());
  const context = () => actor.getSnapshot().context;
  return { actor, send, takeEffects, phase, context };
}

const met = (stepIndex: number, waitedUs = 400_000): TourEvent => ({
  type: 'FRAME',
  stepIndex,
  isWaitMet: true,
  waitedUs,
});
const notYet = (stepIndex: number, waitedUs: number): TourEvent => ({
  type: 'FRAME',
  stepIndex,
  isWaitMet: false,
  waitedUs,
});

describe('tourMachine', () => {
  it('starts idle, emits nothing, and ignores everything but START', () => {
    const tour = startTour();
    for (const event of [met(0), { type: 'NEXT' }, { type: 'RESUME' }] as const) tour.send(event);
    expect(tour.phase()).toBe('idle');
    expect(tour.takeEffects()).toEqual([]);
  });

  it('walks a four-step tour with questions to the end', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    // Step 1: no question, so it runs at once, applying its actions.
    expect(tour.phase()).toBe('running');
    expect(tour.takeEffects()).toEqual([
      { type: 'tour.arm', stepIndex: 0, isApplyingActions: true },
      { type: 'tour.play' },
    ]);
    tour.send(notYet(0, 100_000));
    expect(tour.phase()).toBe('running');
    tour.takeEffects();
    tour.send(met(0));
    expect(tour.phase()).toBe('revealed');
    expect(tour.context().outcomes[0]).toBe('met');
    // The evidence is in: the run waits while the learner reads.
    expect(tour.takeEffects()).toEqual([{ type: 'tour.pause' }]);

    // Step 2: actions applied, run paused for the prediction.
    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('predicting');
    expect(tour.context().stepIndex).toBe(1);
    expect(tour.takeEffects()).toEqual([
      { type: 'tour.arm', stepIndex: 1, isApplyingActions: true },
      { type: 'tour.pause' },
    ]);
    tour.send({ type: 'ANSWER', choice: 1 });
    expect(tour.phase()).toBe('running');
    // Already armed while predicting: only play, no second arm.
    expect(tour.takeEffects()).toEqual([{ type: 'tour.play' }]);
    tour.send(met(1));
    expect(tour.phase()).toBe('revealed');
    expect(tour.takeEffects()).toEqual([{ type: 'tour.pause' }]);

    // Step 3: nothing to wait for and no question: revealed right after its actions.
    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('revealed');
    expect(tour.context().outcomes[2]).toBe('no-wait');
    expect(tour.takeEffects()).toEqual([
      { type: 'tour.arm', stepIndex: 2, isApplyingActions: true },
      { type: 'tour.play' },
    ]);

    // Step 4: a wrong prediction, then the condition is met.
    tour.send({ type: 'NEXT' });
    tour.send({ type: 'ANSWER', choice: 0 });
    tour.send(met(3));
    expect(tour.phase()).toBe('revealed');
    tour.takeEffects();

    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('done');
    expect(tour.takeEffects()).toEqual([{ type: 'tour.disarm' }]);
    expect(tour.context().answers).toEqual([null, 1, null, 0]);
    expect(predictionScore(steps, tour.context().answers)).toEqual({ asked: 2, right: 1 });
  });

  it('does not allow NEXT before a prediction is locked in, nor before the reveal', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send({ type: 'NEXT' }); // still running step 1
    expect(tour.context().stepIndex).toBe(0);
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('predicting');
    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('predicting');
    expect(tour.context().stepIndex).toBe(1);
    // Frames while predicting do not reveal anything.
    tour.send(met(1));
    expect(tour.phase()).toBe('predicting');
    tour.send({ type: 'ANSWER', choice: 0 });
    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('running');
    expect(tour.context().stepIndex).toBe(1);
  });

  it('rejects answers that are not one of the choices', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    for (const choice of [-1, 3, 1.5, Number.NaN]) tour.send({ type: 'ANSWER', choice });
    expect(tour.phase()).toBe('predicting');
    expect(tour.context().answers[1]).toBeNull();
  });

  it('ignores frames about another step', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(3));
    tour.send(notYet(2, 99_000_000));
    expect(tour.phase()).toBe('running');
  });

  it('moves on when the wait times out in simulated time, strictly after the timeout', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(notYet(0, 3_000_000));
    expect(tour.phase()).toBe('running');
    tour.send(notYet(0, 3_000_001));
    expect(tour.phase()).toBe('revealed');
    expect(tour.context().outcomes[0]).toBe('timed-out');
    tour.send({ type: 'NEXT' });
    expect(tour.context().stepIndex).toBe(1);
  });

  it('goes back without touching the simulation, and forward to where the step was', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    tour.send({ type: 'ANSWER', choice: 1 });
    tour.takeEffects();

    tour.send({ type: 'BACK' });
    expect(tour.context().stepIndex).toBe(0);
    expect(tour.phase()).toBe('revealed');
    expect(tour.context().frontierIndex).toBe(1);
    expect(tour.takeEffects()).toEqual([]);
    // The worker still watches step 2: its frames do not reveal step 1 again.
    tour.send(met(1));
    expect(tour.phase()).toBe('revealed');
    expect(tour.context().outcomes[1]).toBeNull();

    tour.send({ type: 'BACK' }); // no step before the first
    expect(tour.context().stepIndex).toBe(0);

    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('running');
    expect(tour.context().stepIndex).toBe(1);
    // Still armed on step 2: no second arm, and never its actions twice.
    expect(tour.takeEffects()).toEqual([{ type: 'tour.play' }]);
    tour.send(met(1));
    expect(tour.phase()).toBe('revealed');
  });

  it('going back to a revealed step and forward again keeps the reveal', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    tour.send({ type: 'ANSWER', choice: 2 });
    tour.send(met(1));
    tour.send({ type: 'BACK' });
    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('revealed');
    expect(tour.context().answers[1]).toBe(2);
  });

  it('explores freely and resumes the same step, watching again without re-applying', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    tour.send({ type: 'ANSWER', choice: 1 });
    tour.takeEffects();

    tour.send({ type: 'EXPLORE' });
    expect(tour.phase()).toBe('exploring');
    expect(tour.context().exploreReason).toBe('chosen');
    expect(tour.takeEffects()).toEqual([{ type: 'tour.disarm' }]);
    tour.send(met(1));
    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('exploring');

    tour.send({ type: 'RESUME' });
    expect(tour.phase()).toBe('running');
    expect(tour.context().stepIndex).toBe(1);
    expect(tour.takeEffects()).toEqual([
      { type: 'tour.arm', stepIndex: 1, isApplyingActions: false },
      { type: 'tour.play' },
    ]);
  });

  it('resumes a step that was waiting for a prediction still waiting, paused', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    tour.send({ type: 'EXPLORE' });
    tour.takeEffects();
    tour.send({ type: 'RESUME' });
    expect(tour.phase()).toBe('predicting');
    expect(tour.takeEffects()).toEqual([
      { type: 'tour.arm', stepIndex: 1, isApplyingActions: false },
      { type: 'tour.pause' },
    ]);
  });

  it('resumes a revealed step without asking anything of the simulation', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'EXPLORE' });
    tour.takeEffects();
    tour.send({ type: 'RESUME' });
    expect(tour.phase()).toBe('revealed');
    expect(tour.takeEffects()).toEqual([]);
  });

  it('steps aside when the run is reloaded mid-step, and watches again on resume', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.takeEffects();
    tour.send({ type: 'RUN_RELOADED' });
    expect(tour.phase()).toBe('exploring');
    expect(tour.context().exploreReason).toBe('run-reloaded');
    // The worker already dropped its watch: nothing to disarm.
    expect(tour.takeEffects()).toEqual([]);
    tour.send({ type: 'RESUME' });
    expect(tour.takeEffects()).toEqual([
      { type: 'tour.arm', stepIndex: 0, isApplyingActions: false },
      { type: 'tour.play' },
    ]);
  });

  it('stays on a revealed step when the run is reloaded, and re-arms the frontier later', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    tour.send({ type: 'ANSWER', choice: 1 });
    tour.send({ type: 'BACK' });
    tour.takeEffects();
    tour.send({ type: 'RUN_RELOADED' });
    expect(tour.phase()).toBe('revealed');
    tour.send({ type: 'NEXT' });
    expect(tour.takeEffects()).toEqual([
      { type: 'tour.arm', stepIndex: 1, isApplyingActions: false },
      { type: 'tour.play' },
    ]);
  });

  it('exits from any step back to idle, stopping the watch', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.takeEffects();
    tour.send({ type: 'EXIT' });
    expect(tour.phase()).toBe('idle');
    expect(tour.takeEffects()).toEqual([{ type: 'tour.disarm' }]);
  });

  it('starts over with fresh progress and applies the actions again', () => {
    const tour = startTour();
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    tour.send({ type: 'ANSWER', choice: 1 });
    tour.send({ type: 'EXIT' });
    tour.takeEffects();
    tour.send({ type: 'START' });
    expect(tour.context().answers).toEqual([null, null, null, null]);
    expect(tour.context().frontierIndex).toBe(0);
    expect(tour.takeEffects()[0]).toEqual({
      type: 'tour.arm',
      stepIndex: 0,
      isApplyingActions: true,
    });
  });

  it('goes back from the end to the last step, and can start again from there', () => {
    const tour = startTour(steps.slice(0, 1));
    tour.send({ type: 'START' });
    tour.send(met(0));
    tour.send({ type: 'NEXT' });
    expect(tour.phase()).toBe('done');
    tour.send({ type: 'BACK' });
    expect(tour.phase()).toBe('revealed');
    expect(tour.context().stepIndex).toBe(0);
    tour.send({ type: 'NEXT' });
    tour.send({ type: 'START' });
    expect(tour.phase()).toBe('running');
    expect(tour.context().outcomes).toEqual([null]);
  });

  it('a question without a wait is revealed as soon as it is answered', () => {
    const tour = startTour([{ waitFor: null, question: question(0) }]);
    tour.send({ type: 'START' });
    expect(tour.phase()).toBe('predicting');
    tour.send({ type: 'ANSWER', choice: 0 });
    expect(tour.phase()).toBe('revealed');
    expect(tour.context().outcomes[0]).toBe('no-wait');
  });

  it('cannot start a tour without steps', () => {
    const tour = startTour([]);
    tour.send({ type: 'START' });
    expect(tour.phase()).toBe('idle');
  });
});

describe('tour status text', () => {
  const waitFor = { description: 'a new leader is elected', timeoutMs: 3000 };

  it('says what the step waits for, and how it ended', () => {
    expect(tourStatusText(waitFor, 'running', null)).toBe('Waiting: a new leader is elected…');
    expect(tourStatusText(waitFor, 'revealed', 'met')).toBe('Done: a new leader is elected');
    expect(tourStatusText(waitFor, 'revealed', 'timed-out')).toBe(
      'Moving on: “a new leader is elected” did not happen within 3 s of simulated time',
    );
    expect(tourStatusText(waitFor, 'predicting', null)).toMatch(/^Paused: /);
    expect(tourStatusText(null, 'revealed', 'no-wait')).toBeNull();
  });

  it('formats simulated durations', () => {
    expect(formatSimulatedSeconds(3000)).toBe('3 s');
    expect(formatSimulatedSeconds(500)).toBe('0.5 s');
    expect(formatSimulatedSeconds(2250)).toBe('2.3 s');
  });
});
