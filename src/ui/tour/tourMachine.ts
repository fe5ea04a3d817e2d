import { assign, emit, enqueueActions, setup, type SnapshotFrom } from 'xstate';

/**
 * The guided tour's flow as a pure xstate machine. It holds no timers and performs no effects:
 * the simulation's wait conditions arrive as FRAME events (evaluated in the worker, in simulated
 * time), and what the page must do to the simulation leaves the machine as emitted events
 * (`TourEffect`), which TourPanel carries out through the controller. Tests drive it with
 * `createActor` and read both its snapshots and its emitted effects.
 *
 * Flow of one step:
 *  - `intro` decides where the step stands: already revealed (we came back to it), waiting for a
 *    prediction (it has an unanswered question), or running.
 *  - `predicting`: the step's actions have been applied and the run is paused, so the learner
 *    predicts before seeing the outcome. ANSWER locks the prediction in.
 *  - `running`: the run plays until a FRAME says the wait condition is met, or until more
 *    simulated time than the step's timeout has passed. A step without a wait is revealed at once.
 *  - `revealed`: the outcome (and the question's explanation) is shown; NEXT moves on. A step
 *    that waited pauses the run as it is revealed, so the story (which plays on its own
 *    schedule) waits while the learner reads; a step without a wait leaves the run playing.
 *
 * What the simulation sees:
 *  - A step's actions are applied once, the first time the step predicts or runs ("arming" the
 *    worker's watch on the step). Arming again later (after exploring, or after a reload) only
 *    watches the condition anew; the actions are already in the run's command log.
 *  - BACK shows the previous step's narration and outcome again and does nothing to the
 *    simulation: the run is not rewound and the worker keeps watching the furthest step. NEXT
 *    returns to that step where it was.
 *  - EXPLORE, EXIT and the end of the tour stop the watch; the learner then owns the run.
 */

/** What the machine needs to know about a step (TourStepMeta satisfies it). */
export interface TourStepShape {
  readonly waitFor: { readonly timeoutMs: number } | null;
  readonly question: {
    readonly choices: readonly string[];
    readonly answerIndex: number;
  } | null;
}

/** How a step ended: its condition was met, it timed out, or there was nothing to wait for. */
export type TourOutcome = 'met' | 'timed-out' | 'no-wait';

/** Why the tour stepped aside into `exploring`. */
export type ExploreReason = 'chosen' | 'run-reloaded';

export interface TourContext {
  readonly steps: readonly TourStepShape[];
  readonly stepCount: number;
  /** The step shown. */
  readonly stepIndex: number;
  /** The furthest step reached (-1 before the tour starts). */
  readonly frontierIndex: number;
  /** The locked-in prediction per step (null: not answered, or no question). */
  readonly answers: readonly (number | null)[];
  /** How each step ended (null: not revealed yet). */
  readonly outcomes: readonly (TourOutcome | null)[];
  /** Whether each step's actions have been applied to the run. */
  readonly appliedSteps: readonly boolean[];
  /** The step the worker is watching, as far as the machine asked (null: none). */
  readonly armedStepIndex: number | null;
  readonly exploreReason: ExploreReason;
}

export interface TourInput {
  readonly steps: readonly TourStepShape[];
}

export type TourEvent =
  | { readonly type: 'START' }
  | { readonly type: 'NEXT' }
  | { readonly type: 'BACK' }
  | { readonly type: 'ANSWER'; readonly choice: number }
  | {
      readonly type: 'FRAME';
      readonly stepIndex: number;
      readonly isWaitMet: boolean;
      readonly waitedUs: number;
    }
  | { readonly type: 'EXPLORE' }
  | { readonly type: 'RESUME' }
  | { readonly type: 'EXIT' }
  /** The run was reloaded (reset, new seed, variant or setting): the worker dropped its watch. */
  | { readonly type: 'RUN_RELOADED' };

/** What the page must do to the simulation; TourPanel maps each to a controller call. */
export type TourEffect =
  /** `controller.tourStep(stepIndex, isApplyingActions)`. */
  | { readonly type: 'tour.arm'; readonly stepIndex: number; readonly isApplyingActions: boolean }
  /** `controller.tourStep(null, false)`. */
  | { readonly type: 'tour.disarm' }
  | { readonly type: 'tour.play' }
  | { readonly type: 'tour.pause' };

function freshContext(steps: readonly TourStepShape[]): TourContext {
  return {
    steps,
    stepCount: steps.length,
    stepIndex: 0,
    frontierIndex: -1,
    answers: steps.map(() => null),
    outcomes: steps.map(() => null),
    appliedSteps: steps.map(() => false),
    armedStepIndex: null,
    exploreReason: 'chosen',
  };
}

function currentStep(context: TourContext): TourStepShape | undefined {
  return context.steps[context.stepIndex];
}

function replaced<T>(items: readonly T[], index: number, value: T): T[] {
  return items.map((item, at) => (at === index ? value : item));
}

export const tourMachine = setup({
  types: {
    context: {} as TourContext,
    events: {} as TourEvent,
    emitted: {} as TourEffect,
    input: {} as TourInput,
  },
  guards: {
    hasSteps: ({ context }) => context.stepCount > 0,
    hasPreviousStep: ({ context }) => context.stepIndex > 0,
    hasNextStep: ({ context }) => context.stepIndex + 1 < context.stepCount,
    isRevealed: ({ context }) => context.outcomes[context.stepIndex] != null,
    needsPrediction: ({ context }) =>
      currentStep(context)?.question != null && context.answers[context.stepIndex] === null,
    hasNoWait: ({ context }) => currentStep(context)?.waitFor == null,
    isChoiceValid: ({ context, event }) => {
      const choices = currentStep(context)?.question?.choices.length ?? 0;
      return event.type === 'ANSWER' && Number.isInteger(event.choice) && event.choice >= 0
        ? event.choice < choices
        : false;
    },
    isWaitMet: ({ context, event }) =>
      event.type === 'FRAME' && event.stepIndex === context.stepIndex && event.isWaitMet,
    isWaitTimedOut: ({ context, event }) => {
      const timeoutMs = currentStep(context)?.waitFor?.timeoutMs;
      return (
        event.type === 'FRAME' &&
        event.stepIndex === context.stepIndex &&
        timeoutMs !== undefined &&
        event.waitedUs > timeoutMs * 1000
      );
    },
  },
  actions: {
    resetProgress: assign(({ context }) => freshContext(context.steps)),
    enterFirstStep: assign({ stepIndex: 0, frontierIndex: 0 }),
    goToNextStep: assign(({ context }) => ({
      stepIndex: context.stepIndex + 1,
      frontierIndex: Math.max(context.frontierIndex, context.stepIndex + 1),
    })),
    goToPreviousStep: assign({ stepIndex: ({ context }) => context.stepIndex - 1 }),
    recordAnswer: assign({
      answers: ({ context, event }) =>
        event.type === 'ANSWER'
          ? replaced(context.answers, context.stepIndex, event.choice)
          : context.answers,
    }),
    recordOutcome: assign({
      outcomes: ({ context }, params: { outcome: TourOutcome }) =>
        replaced(context.outcomes, context.stepIndex, params.outcome),
    }),
    /** Asks the worker to watch the shown step, applying its actions the first time only. */
    armShownStep: enqueueActions(({ context, enqueue }) => {
      const stepIndex = context.stepIndex;
      if (context.armedStepIndex === stepIndex) return;
      const isApplyingActions = context.appliedSteps[stepIndex] !== true;
      enqueue.emit({ type: 'tour.arm', stepIndex, isApplyingActions });
      enqueue.assign({
        armedStepIndex: stepIndex,
        appliedSteps: replaced(context.appliedSteps, stepIndex, true),
      });
    }),
    disarm: enqueueActions(({ context, enqueue }) => {
      if (context.armedStepIndex === null) return;
      enqueue.emit({ type: 'tour.disarm' });
      enqueue.assign({ armedStepIndex: null });
    }),
    /** The worker already dropped its watch (a reload): only forget it. */
    forgetWatch: assign({ armedStepIndex: null }),
    requestPlay: emit({ type: 'tour.play' }),
    requestPause: emit({ type: 'tour.pause' }),
    noteExploreReason: assign({
      exploreReason: (_, params: { reason: ExploreReason }) => params.reason,
    }),
  },
}).createMachine({
  id: 'tour',
  context: ({ input }) => freshContext(input.steps),
  initial: 'idle',
  states: {
    idle: {
      entry: 'disarm',
      on: {
        START: { guard: 'hasSteps', target: 'step', actions: ['resetProgress', 'enterFirstStep'] },
      },
    },
    step: {
      initial: 'intro',
      on: {
        BACK: { guard: 'hasPreviousStep', target: '.intro', actions: 'goToPreviousStep' },
        EXPLORE: {
          target: 'exploring',
          actions: { type: 'noteExploreReason', params: { reason: 'chosen' } },
        },
        EXIT: 'idle',
      },
      states: {
        intro: {
          always: [
            { guard: 'isRevealed', target: 'revealed' },
            { guard: 'needsPrediction', target: 'predicting' },
            { target: 'running' },
          ],
        },
        predicting: {
          entry: ['armShownStep', 'requestPause'],
          on: {
            ANSWER: { guard: 'isChoiceValid', target: 'running', actions: 'recordAnswer' },
            RUN_RELOADED: {
              target: '#tour.exploring',
              actions: [
                'forgetWatch',
                { type: 'noteExploreReason', params: { reason: 'run-reloaded' } },
              ],
            },
          },
        },
        running: {
          entry: ['armShownStep', 'requestPlay'],
          always: {
            guard: 'hasNoWait',
            target: 'revealed',
            actions: { type: 'recordOutcome', params: { outcome: 'no-wait' } },
          },
          on: {
            FRAME: [
              {
                guard: 'isWaitMet',
                target: 'revealed',
                actions: [{ type: 'recordOutcome', params: { outcome: 'met' } }, 'requestPause'],
              },
              {
                guard: 'isWaitTimedOut',
                target: 'revealed',
                actions: [
                  { type: 'recordOutcome', params: { outcome: 'timed-out' } },
                  'requestPause',
                ],
              },
            ],
            RUN_RELOADED: {
              target: '#tour.exploring',
              actions: [
                'forgetWatch',
                { type: 'noteExploreReason', params: { reason: 'run-reloaded' } },
              ],
            },
          },
        },
        revealed: {
          on: {
            NEXT: [
              { guard: 'hasNextStep', target: 'intro', actions: 'goToNextStep' },
              { target: '#tour.done' },
            ],
            // A revealed step needs nothing more from the worker; a reload changes nothing here.
            RUN_RELOADED: { actions: 'forgetWatch' },
          },
        },
      },
    },
    exploring: {
      entry: 'disarm',
      on: { RESUME: 'step', EXIT: 'idle' },
    },
    done: {
      entry: 'disarm',
      on: {
        BACK: 'step',
        START: { target: 'step', actions: ['resetProgress', 'enterFirstStep'] },
        EXIT: 'idle',
      },
    },
  },
});

export type TourSnapshot = SnapshotFrom<typeof tourMachine>;

/** The one state the panel renders. */
export type TourPhase = 'idle' | 'predicting' | 'running' | 'revealed' | 'exploring' | 'done';

export function tourPhaseOf(snapshot: TourSnapshot): TourPhase {
  if (snapshot.matches('idle')) return 'idle';
  if (snapshot.matches('exploring')) return 'exploring';
  if (snapshot.matches('done')) return 'done';
  if (snapshot.matches({ step: 'predicting' })) return 'predicting';
  if (snapshot.matches({ step: 'revealed' })) return 'revealed';
  return 'running';
}

/** "3 s", "0.5 s": a duration in simulated time, for the status line. */
export function formatSimulatedSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** The status line under a step's narration (null: nothing to say). */
export function tourStatusText(
  waitFor: { readonly description: string; readonly timeoutMs: number } | null,
  phase: TourPhase,
  outcome: TourOutcome | null,
): string | null {
  if (phase === 'predicting') {
    return 'Paused: lock in your prediction to see what happens.';
  }
  if (waitFor === null) return null;
  if (phase === 'running') return `Waiting: ${waitFor.description}…`;
  if (outcome === 'met') return `Done: ${waitFor.description}`;
  if (outcome === 'timed-out') {
    const limit = formatSimulatedSeconds(waitFor.timeoutMs);
    return `Moving on: “${waitFor.description}” did not happen within ${limit} of simulated time`;
  }
  return null;
}

/** How many questions were asked and how many predictions were right. */
export function predictionScore(
  steps: readonly TourStepShape[],
  answers: readonly (number | null)[],
): { readonly asked: number; readonly right: number } {
  let asked = 0;
  let right = 0;
  steps.forEach((step, index) => {
    const answer = answers[index];
    if (step.question === null || answer === null || answer === undefined) return;
    asked += 1;
    if (answer === step.question.answerIndex) right += 1;
  });
  return { asked, right };
}
