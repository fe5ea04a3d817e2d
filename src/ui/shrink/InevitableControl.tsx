import { useEffect, useRef } from 'react';
import type { ForkPoint } from '../../shrink/inevitable.ts';
import { secondsText } from '../../worker/commandText.ts';
import { useWidth } from '../charts/useWidth.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { createInevitableWorker, type InevitableWorkerFactory } from './inevitableWorker.ts';
import { brokeText, curveSentence } from './shrinkText.ts';
import { type InevitableState, useInevitable } from './useInevitable.ts';
import './shrink.css';

/** How far past the first violation each forked run may go to break the invariant again. */
const pastViolationUs = 1000;

/**
 * "When did it become inevitable?" for one violated safety invariant: the run on screen is
 * forked at moments before its violation and each fork run on many times with the dice rolled
 * afresh (src/shrink/inevitable.ts, in a worker, with progress and Cancel); the share of runs
 * that still broke it is drawn against the fork time as the points come in. A point is a button:
 * it takes the run to that fork and narrows the event log to what happened since the fork before.
 */
export function InevitableControl({
  invariantId,
  description,
  violationUs,
  factory = createInevitableWorker,
}: {
  readonly invariantId: string;
  readonly description: string;
  readonly violationUs: number;
  readonly factory?: InevitableWorkerFactory;
}) {
  const { state, start, cancel, reset } = useInevitable(factory);
  const view = useSimStore((store) => store.view);

  // Another run on screen: the curve belongs to the old one.
  useEffect(() => {
    reset();
  }, [view, reset]);

  const onStart = () => {
    const { view: current, commands, frame } = useSimStore.getState();
    if (current === null) return;
    const durationUs = Math.max(frame?.frontierUs ?? 0, violationUs + pastViolationUs);
    start({ run: { ...current.run, commands }, durationUs, invariantId });
  };

  const points =
    state.status === 'running'
      ? (state.progress?.points ?? [])
      : state.status === 'cancelled'
        ? state.progress.points
        : state.status === 'done'
          ? state.result.points
          : [];
  return (
    <div className="inevitable">
      {state.status === 'running' ? (
        <div className="shrink-running">
          <p className="muted">{runningText(state)}</p>
          <button
            type="button"
            className="small"
            aria-label={`Stop measuring when ${invariantId} became inevitable`}
            disabled={state.isStopping}
            onClick={cancel}
          >
            {state.isStopping ? 'Stopping…' : 'Cancel'}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="small"
          aria-label={`When did it become inevitable that ${lowerFirst(description)}`}
          title="Fork the run at moments before the violation and re-run each with fresh randomness: from when on did every run break it?"
          onClick={onStart}
        >
          When did it become inevitable?
        </button>
      )}
      <p className="shrink-status" role="status">
        {statusText(state)}
      </p>
      {points.length > 0 ? (
        <CurveView
          points={points}
          violationUs={violationUs}
          inevitableFromUs={state.status === 'done' ? state.result.inevitableFromUs : null}
        />
      ) : null}
    </div>
  );
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1).replace(/\.$/, '')}?`;
}

function runningText(state: Extract<InevitableState, { status: 'running' }>): string {
  if (state.progress === null) return 'Starting…';
  const { points, runs, runsTotal, forksTotal } = state.progress;
  return `${String(points.length)} of ${String(forksTotal)} forks measured (${String(runs)} of ${String(runsTotal)} runs)`;
}

function statusText(state: InevitableState): string {
  switch (state.status) {
    case 'idle':
    case 'running':
      return '';
    case 'done':
      return curveSentence(state.result);
    case 'cancelled':
      return `Stopped after ${String(state.progress.runs)} runs; the forks measured so far are drawn.`;
    case 'failed':
      return state.message;
    default: {
      const unknown: never = state;
      return String(unknown);
    }
  }
}

const plotHeight = 90;
const left = 30;
const right = 10;
const top = 8;
const axisHeight = 18;
const plotWidthFallback = 320;

/**
 * The curve: the share of runs that broke the invariant per fork (0 to 1) against the fork
 * time, the violation as a dashed line, the stretch from which it was certain shaded. Points are
 * buttons named with their counts.
 */
function CurveView({
  points,
  violationUs,
  inevitableFromUs,
}: {
  readonly points: readonly ForkPoint[];
  readonly violationUs: number;
  readonly inevitableFromUs: number | null;
}) {
  const controller = useController();
  const box = useRef<HTMLElement>(null);
  const measured = useWidth(box);
  const width = measured > 0 ? measured : plotWidthFallback;
  const plotWidth = Math.max(60, width - left - right);
  const x = (timeUs: number) => left + (violationUs > 0 ? (timeUs / violationUs) * plotWidth : 0);
  const y = (share: number) => top + (1 - share) * plotHeight;
  const sorted = [...points].sort((a, b) => a.forkUs - b.forkUs);
  const path = sorted
    .map(
      (point, index) =>
        `${index === 0 ? 'M' : 'L'}${x(point.forkUs).toFixed(1)},${y(point.violated / point.trials).toFixed(1)}`,
    )
    .join(' ');
  const open = (index: number) => {
    const point = sorted[index] as ForkPoint;
    const previous = sorted[index - 1];
    const fromUs = previous?.forkUs ?? 0;
    useSimStore.getState().setEventWindow({
      fromUs,
      toUs: point.forkUs,
      label:
        previous === undefined
          ? `up to the fork at ${secondsText(point.forkUs)}`
          : `between the forks at ${secondsText(fromUs)} and ${secondsText(point.forkUs)}`,
    });
    void controller.seek(point.forkUs);
  };
  const height = top + plotHeight + axisHeight;
  return (
    <figure ref={box} className="inevitable-curve">
      <figcaption className="muted">
        Share of runs that broke it, by the moment they were forked. Choose a point to go there and
        see in the event log what happened since the fork before.
      </figcaption>
      <svg
        viewBox={`0 0 ${String(width)} ${String(height)}`}
        role="group"
        aria-label="Share of forked runs that broke the invariant, by fork time"
      >
        {inevitableFromUs !== null && inevitableFromUs < violationUs ? (
          <rect
            className="inevitable-certain"
            x={x(inevitableFromUs)}
            y={top}
            width={x(violationUs) - x(inevitableFromUs)}
            height={plotHeight}
          />
        ) : null}
        <line className="inevitable-axis" x1={left} x2={left + plotWidth} y1={y(0)} y2={y(0)} />
        <line className="inevitable-axis" x1={left} x2={left} y1={y(1)} y2={y(0)} />
        <text className="inevitable-tick" x={left - 4} y={y(1) + 4} textAnchor="end">
          1
        </text>
        <text className="inevitable-tick" x={left - 4} y={y(0)} textAnchor="end">
          0
        </text>
        <line
          className="inevitable-violation"
          x1={x(violationUs)}
          x2={x(violationUs)}
          y1={top}
          y2={y(0)}
        />
        <path className="inevitable-line" d={path} />
        {sorted.map((point, index) => {
          const name = `Forked at ${secondsText(point.forkUs)}: ${brokeText(point)}`;
          return (
            <g
              key={point.forkUs}
              className="inevitable-point"
              role="button"
              tabIndex={0}
              aria-label={name}
              onClick={() => {
                open(index);
              }}
              onKeyDown={(event) => {
                if (event.key !== 'Enter' && event.key !== ' ') return;
                event.preventDefault();
                open(index);
              }}
            >
              <title>{name}</title>
              <circle cx={x(point.forkUs)} cy={y(point.violated / point.trials)} r={4.5} />
            </g>
          );
        })}
        <text className="inevitable-tick" x={left} y={height - 4}>
          0 s
        </text>
        <text className="inevitable-tick" x={x(violationUs)} y={height - 4} textAnchor="end">
          {secondsText(violationUs)}
        </text>
      </svg>
    </figure>
  );
}
