import { useMachine } from '@xstate/react';
import { useEffect, useId, useRef, type RefObject } from 'react';
import type { ActorRefFrom } from 'xstate';
import type { TourStepMeta } from '../../worker/protocol.ts';
import { useController } from '../state/context.ts';
import { defaultRequest, type SimController } from '../state/controller.ts';
import { useSimStore } from '../state/store.ts';
import './tour.css';
import {
  predictionScore,
  tourMachine,
  tourPhaseOf,
  type TourEffect,
  type TourPhase,
  type TourSnapshot,
} from './tourMachine.ts';
import { TourDone, TourExploring, TourIntro, TourStepView } from './TourViews.tsx';

type TourActor = ActorRefFrom<typeof tourMachine>;

/**
 * The scenario's guided tour, in the left column under the scenario picker. The flow lives in
 * `tourMachine` (pure); this component feeds it the worker's tour frames, renders its state and
 * carries out the effects it emits through the controller. A new scenario gets a new tour.
 */
export function TourPanel() {
  const meta = useSimStore((state) => state.view?.meta ?? null);
  const titleId = useId();
  let body;
  if (meta === null) body = <p className="muted">The tour appears once a scenario is loaded.</p>;
  else if (meta.tour.length === 0) body = <p className="muted">This scenario has no tour yet.</p>;
  else body = <TourSession key={meta.id} steps={meta.tour} />;
  return (
    <section className="tour" aria-labelledby={titleId}>
      <h2 id={titleId}>Guided tour</h2>
      {body}
    </section>
  );
}

interface TourSessionProps {
  readonly steps: readonly TourStepMeta[];
}

/** Where focus goes after the panel's own controls change what is shown. */
type FocusTarget = 'start' | 'step' | 'prediction' | 'exploring' | 'done';

/** The buttons' handlers: each sends its event and says where focus goes next. */
interface TourHandlers {
  readonly start: () => void;
  readonly lockIn: (choice: number) => void;
  readonly next: () => void;
  readonly back: () => void;
  readonly explore: () => void;
  readonly resume: () => void;
  readonly exit: () => void;
}

function TourSession({ steps }: TourSessionProps) {
  const controller = useController();
  const [snapshot, send, actor] = useMachine(tourMachine, { input: { steps } });
  useTourEffects(actor, controller, steps);
  useStoreFeed(actor);
  const rootRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequests(rootRef);
  const isLoading = useSimStore((state) => state.phase !== 'ready');

  const { stepIndex, stepCount } = snapshot.context;
  const to =
    (event: 'NEXT' | 'BACK' | 'RESUME' | 'EXPLORE' | 'EXIT', target: FocusTarget) => () => {
      requestFocus(target);
      send({ type: event });
    };
  const handlers: TourHandlers = {
    start: () => {
      requestFocus('step');
      void restartRunForTour(controller).then(() => {
        send({ type: 'START' });
      });
    },
    lockIn: (choice) => {
      requestFocus('prediction');
      send({ type: 'ANSWER', choice });
    },
    next: to('NEXT', stepIndex + 1 < stepCount ? 'step' : 'done'),
    back: to('BACK', 'step'),
    explore: to('EXPLORE', 'exploring'),
    resume: to('RESUME', 'step'),
    exit: to('EXIT', 'start'),
  };
  const phase = tourPhaseOf(snapshot);
  return (
    // The phase is also for app.css: on a phone a tour under way becomes a sheet at the bottom.
    <div ref={rootRef} className="tour-body" data-phase={phase}>
      <p className="visually-hidden" aria-live="polite">
        {announcementFor(phase, stepIndex, stepCount, steps[stepIndex])}
      </p>
      <TourPhaseView steps={steps} snapshot={snapshot} isLoading={isLoading} handlers={handlers} />
    </div>
  );
}

interface TourPhaseViewProps {
  readonly steps: readonly TourStepMeta[];
  readonly snapshot: TourSnapshot;
  readonly isLoading: boolean;
  readonly handlers: TourHandlers;
}

/** The view for the tour's current state. */
function TourPhaseView({ steps, snapshot, isLoading, handlers }: TourPhaseViewProps) {
  const phase = tourPhaseOf(snapshot);
  const { stepIndex, stepCount, frontierIndex, answers, outcomes, exploreReason } =
    snapshot.context;
  const step = steps[stepIndex];
  if (phase === 'idle' || step === undefined) {
    return <TourIntro stepCount={stepCount} isLoading={isLoading} onStart={handlers.start} />;
  }
  if (phase === 'exploring') {
    return (
      <TourExploring
        step={step}
        stepIndex={stepIndex}
        stepCount={stepCount}
        isAfterReload={exploreReason === 'run-reloaded'}
        onResume={handlers.resume}
        onExit={handlers.exit}
      />
    );
  }
  if (phase === 'done') {
    const score = predictionScore(steps, answers);
    return (
      <TourDone
        stepCount={stepCount}
        asked={score.asked}
        right={score.right}
        isLoading={isLoading}
        onBack={handlers.back}
        onRestart={handlers.start}
        onClose={handlers.exit}
      />
    );
  }
  return (
    <TourStepView
      step={step}
      stepIndex={stepIndex}
      stepCount={stepCount}
      frontierIndex={frontierIndex}
      phase={phase}
      answer={answers[stepIndex] ?? null}
      outcome={outcomes[stepIndex] ?? null}
      onLockIn={handlers.lockIn}
      onBack={handlers.back}
      onNext={handlers.next}
      onExplore={handlers.explore}
      onExit={handlers.exit}
    />
  );
}

/**
 * Starts the run over so the tour's narration matches what is on screen: same scenario and
 * seed, the pattern (not the baseline), default settings, no faults.
 */
async function restartRunForTour(controller: SimController): Promise<void> {
  const run = useSimStore.getState().view?.run;
  if (run === undefined) return;
  await controller.load(defaultRequest(run.scenarioId, run.seed, 'pattern'));
}

function announcementFor(
  phase: TourPhase,
  stepIndex: number,
  stepCount: number,
  step: TourStepMeta | undefined,
): string {
  if (phase === 'idle' || step === undefined) return '';
  if (phase === 'exploring') return 'Tour paused: exploring freely.';
  if (phase === 'done') return 'Tour complete.';
  return `Step ${stepIndex + 1} of ${stepCount}: ${step.title}`;
}

/**
 * Carries out what the machine asks of the simulation. A step with a speed of its own sets it as
 * the step starts (the speed control shows it, and the learner may change it again).
 */
function useTourEffects(
  actor: TourActor,
  controller: SimController,
  steps: readonly TourStepMeta[],
): void {
  useEffect(() => {
    const subscription = actor.on('*', (effect: TourEffect) => {
      switch (effect.type) {
        case 'tour.arm': {
          const speed = steps[effect.stepIndex]?.speed ?? null;
          if (effect.isApplyingActions && speed !== null) controller.setSpeed(speed);
          void controller.tourStep(effect.stepIndex, effect.isApplyingActions);
          return;
        }
        case 'tour.disarm':
          void controller.tourStep(null, false);
          return;
        case 'tour.play':
          controller.play();
          return;
        case 'tour.pause':
          controller.pause();
          return;
        default: {
          const unknownEffect: never = effect;
          throw new Error(`Unknown tour effect ${JSON.stringify(unknownEffect)}.`);
        }
      }
    });
    return () => {
      subscription.unsubscribe();
    };
  }, [actor, controller, steps]);
}

/**
 * Feeds the machine from the store outside React renders: the watched step's state from every
 * frame, and a notice when the run is reloaded (the worker then forgets its watch).
 */
function useStoreFeed(actor: TourActor): void {
  useEffect(
    () =>
      useSimStore.subscribe((state, previous) => {
        if (state.view !== previous.view && previous.view !== null) {
          actor.send({ type: 'RUN_RELOADED' });
        }
        const tour = state.frame?.tour;
        if (state.frame !== previous.frame && tour != null) {
          actor.send({
            type: 'FRAME',
            stepIndex: tour.stepIndex,
            isWaitMet: tour.isWaitMet,
            waitedUs: tour.waitedUs,
          });
        }
      }),
    [actor],
  );
}

/**
 * Moves focus after the panel's own controls act (never after a frame or a reload, so the tour
 * does not pull focus away from elsewhere): the request waits until its target is rendered.
 */
function useFocusRequests(rootRef: RefObject<HTMLDivElement | null>) {
  const pending = useRef<FocusTarget | null>(null);
  useEffect(() => {
    const target = pending.current;
    if (target === null) return;
    const element = rootRef.current?.querySelector<HTMLElement>(`[data-tour-focus="${target}"]`);
    if (element === null || element === undefined) return;
    pending.current = null;
    element.focus();
  });
  return (target: FocusTarget) => {
    pending.current = target;
  };
}
