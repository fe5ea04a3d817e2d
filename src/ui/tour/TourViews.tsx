import { useId, useState, type SubmitEvent } from 'react';
import type { TourStepMeta } from '../../worker/protocol.ts';
import { currentCompareUrl } from '../compare/currentCompareUrl.ts';
import { tourStatusText, type TourOutcome, type TourPhase } from './tourMachine.ts';

/**
 * What the tour panel shows in each state of the tour: presentational components only. The
 * elements marked `data-tour-focus` are where TourPanel moves focus after its controls act.
 */

type TourQuestion = NonNullable<TourStepMeta['question']>;

export interface TourIntroProps {
  readonly stepCount: number;
  readonly isLoading: boolean;
  readonly onStart: () => void;
}

export function TourIntro({ stepCount, isLoading, onStart }: TourIntroProps) {
  return (
    <>
      <p className="tour-text">
        {stepCount} steps. The tour plays the simulation, breaks things and asks you to predict what
        happens. It starts the run over from the beginning, with the same seed and default settings.
      </p>
      <button
        type="button"
        className="primary"
        data-tour-focus="start"
        data-slide="next"
        disabled={isLoading}
        onClick={onStart}
      >
        Take the tour
      </button>
    </>
  );
}

export interface TourStepViewProps {
  readonly step: TourStepMeta;
  readonly stepIndex: number;
  readonly stepCount: number;
  readonly frontierIndex: number;
  readonly phase: TourPhase;
  readonly answer: number | null;
  readonly outcome: TourOutcome | null;
  readonly onLockIn: (choice: number) => void;
  readonly onBack: () => void;
  readonly onNext: () => void;
  readonly onExplore: () => void;
  readonly onExit: () => void;
}

export function TourStepView(props: TourStepViewProps) {
  const { step, stepIndex, stepCount, frontierIndex, phase, answer, outcome } = props;
  const status = tourStatusText(step.waitFor, phase, outcome);
  const isLast = stepIndex + 1 === stepCount;
  const headingId = useId();
  const lastHintId = useId();
  return (
    <article className="tour-step" aria-labelledby={headingId}>
      <p className="tour-progress">
        Step {stepIndex + 1} of {stepCount}
      </p>
      <h3 id={headingId} className="tour-step-title" tabIndex={-1} data-tour-focus="step">
        {step.title}
      </h3>
      <p className="tour-text">{step.narration}</p>
      {step.speed === null ? null : (
        <p className="tour-note">This step plays at {formatSpeed(step.speed)}.</p>
      )}
      {stepIndex < frontierIndex ? (
        <p className="tour-note">
          You are looking back at an earlier step. The simulation was not rewound: it carries on
          with step {frontierIndex + 1}.
        </p>
      ) : null}
      {step.question === null ? null : phase === 'predicting' ? (
        <PredictionForm key={step.id} question={step.question} onLockIn={props.onLockIn} />
      ) : (
        <LockedPrediction
          question={step.question}
          answer={answer}
          isRevealed={phase === 'revealed'}
        />
      )}
      <p role="status" className={`tour-status tour-status-${outcome ?? phase}`}>
        {status ?? ''}
      </p>
      {step.comparesWithBaseline && phase === 'revealed' ? <SideBySideButton /> : null}
      <div className="tour-actions">
        <button type="button" data-slide="back" disabled={stepIndex === 0} onClick={props.onBack}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          data-slide="next"
          disabled={phase !== 'revealed'}
          aria-describedby={isLast ? lastHintId : undefined}
          onClick={props.onNext}
        >
          Next step
        </button>
        {isLast ? (
          <span id={lastHintId} className="tour-hint">
            Last step
          </span>
        ) : null}
      </div>
      <div className="tour-actions">
        <button type="button" onClick={props.onExplore}>
          Explore freely
        </button>
        <button type="button" onClick={props.onExit}>
          Exit tour
        </button>
      </div>
    </article>
  );
}

/** 2 → "2×", 0.5 → "0.5×". */
function formatSpeed(speed: number): string {
  return `${String(speed)}×`;
}

/**
 * Opens the run on screen beside its baseline in a new tab, so the tour stays where it is here.
 * A browser that refuses the new tab (a strict pop-up setting) gets the page in this tab instead:
 * the tour's run is in the address, and Back returns to it.
 */
function SideBySideButton() {
  return (
    <div className="tour-actions">
      <button
        type="button"
        className="primary"
        onClick={() => {
          const url = currentCompareUrl();
          if (url === null) return;
          // Not the 'noopener' feature: with it window.open returns null even when the tab opened.
          const opened = window.open(url, '_blank');
          if (opened === null) window.location.assign(url);
          else opened.opener = null;
        }}
      >
        Open side by side with the baseline
      </button>
    </div>
  );
}

interface PredictionFormProps {
  readonly question: TourQuestion;
  readonly onLockIn: (choice: number) => void;
}

function PredictionForm({ question, onLockIn }: PredictionFormProps) {
  const [choice, setChoice] = useState<number | null>(null);
  const name = useId();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (choice !== null) onLockIn(choice);
  };
  return (
    <form className="tour-question" onSubmit={submit}>
      <fieldset>
        <legend>{question.prompt}</legend>
        {question.choices.map((text, index) => (
          <label key={index} className="tour-choice">
            <input
              type="radio"
              name={name}
              value={index}
              checked={choice === index}
              onChange={() => {
                setChoice(index);
              }}
            />
            <span>{text}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" disabled={choice === null}>
        Lock in my prediction
      </button>
    </form>
  );
}

interface LockedPredictionProps {
  readonly question: TourQuestion;
  readonly answer: number | null;
  readonly isRevealed: boolean;
}

function LockedPrediction({ question, answer, isRevealed }: LockedPredictionProps) {
  const isRight = answer === question.answerIndex;
  const correct = question.choices[question.answerIndex] ?? '';
  return (
    <div className="tour-question">
      <p className="tour-question-prompt">{question.prompt}</p>
      <p className="tour-prediction" tabIndex={-1} data-tour-focus="prediction">
        Your prediction:{' '}
        <strong>{answer === null ? '—' : (question.choices[answer] ?? '—')}</strong>
      </p>
      <div aria-live="polite">
        {isRevealed ? (
          <div className="tour-reveal">
            <p className="tour-verdict">
              <span className={isRight ? 'tour-verdict-right' : 'tour-verdict-wrong'}>
                <span aria-hidden="true">{isRight ? '✓ ' : '✗ '}</span>
                {isRight ? 'Correct.' : 'Not quite.'}
              </span>
              {isRight ? null : (
                <>
                  {' '}
                  The answer: <strong>{correct}</strong>.
                </>
              )}
            </p>
            <p className="tour-text">{question.explanation}</p>
          </div>
        ) : (
          <p className="muted">The answer is shown once the simulation has shown it.</p>
        )}
      </div>
    </div>
  );
}

export interface TourExploringProps {
  readonly step: TourStepMeta;
  readonly stepIndex: number;
  readonly stepCount: number;
  readonly isAfterReload: boolean;
  readonly onResume: () => void;
  readonly onExit: () => void;
}

export function TourExploring(props: TourExploringProps) {
  const { step, stepIndex, stepCount, isAfterReload } = props;
  return (
    <>
      <h3 className="tour-step-title" tabIndex={-1} data-tour-focus="exploring">
        Exploring freely
      </h3>
      <p className="tour-text">
        {isAfterReload
          ? 'The run was reloaded, so the tour stepped aside.'
          : 'The tour has stepped aside and is not watching the simulation.'}{' '}
        Play, pause and break things as you like. Resuming returns to step {stepIndex + 1} of{' '}
        {stepCount}, “{step.title}”, and watches the simulation from where it is then.
      </p>
      <div className="tour-actions">
        <button type="button" className="primary" data-slide="next" onClick={props.onResume}>
          Resume tour
        </button>
        <button type="button" onClick={props.onExit}>
          Exit tour
        </button>
      </div>
    </>
  );
}

export interface TourDoneProps {
  readonly stepCount: number;
  readonly asked: number;
  readonly right: number;
  readonly isLoading: boolean;
  readonly onBack: () => void;
  readonly onRestart: () => void;
  readonly onClose: () => void;
}

export function TourDone(props: TourDoneProps) {
  const { stepCount, asked, right } = props;
  return (
    <>
      <h3 className="tour-step-title" tabIndex={-1} data-tour-focus="done">
        Tour complete
      </h3>
      <p className="tour-text">
        You went through all {stepCount} steps
        {asked > 0 ? ` and predicted ${right} of ${asked} outcomes correctly` : ''}. The run is
        yours now: it keeps going, and the fault tools can break it further.
      </p>
      <div className="tour-actions">
        <button type="button" data-slide="back" onClick={props.onBack}>
          Back
        </button>
        <button type="button" disabled={props.isLoading} onClick={props.onRestart}>
          Take the tour again
        </button>
        <button type="button" onClick={props.onClose}>
          Close tour
        </button>
      </div>
    </>
  );
}
