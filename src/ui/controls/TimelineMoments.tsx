import { useRef, type KeyboardEvent } from 'react';
import type { Moment, MomentSpec } from '../../engine/types.ts';
import { useWidth } from '../charts/useWidth.ts';
import { formatSimTime } from './format.ts';
import { labelCharPx, labelLeftPx, writtenLabels } from './momentLabels.ts';

interface TimelineMomentsProps {
  readonly moments: readonly Moment[];
  readonly specs: readonly MomentSpec[];
  readonly timeUs: number;
  readonly endUs: number;
  readonly onSeek: (timeUs: number) => void;
}

/**
 * The run's moments as ticks over the scrubber, each a button that seeks to it, labelled where
 * the labels fit without overlapping. One tick is in the tab order (the next moment after the
 * time shown); the arrow keys move between ticks.
 */
export function TimelineMoments(props: TimelineMomentsProps) {
  // Mounted only with moments to show, so the row's width is observed from its first render.
  return props.specs.length === 0 ? null : <MomentTicks {...props} />;
}

function MomentTicks({ moments, specs, timeUs, endUs, onSeek }: TimelineMomentsProps) {
  const box = useRef<HTMLDivElement>(null);
  const trackPx = useWidth(box);
  const labelOf = new Map(specs.map((spec) => [spec.id, spec.label]));
  const ticks = moments.map((moment) => ({
    at: Math.min(1, moment.timeUs / endUs),
    text: labelOf.get(moment.kind) ?? moment.kind,
  }));
  const written = new Set(writtenLabels(ticks, trackPx));
  const nextIndex = moments.findIndex((moment) => moment.timeUs > timeUs);
  const focusIndex = nextIndex === -1 ? moments.length - 1 : nextIndex;

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const buttons = box.current?.querySelectorAll<HTMLButtonElement>('.timeline-moment');
    buttons?.[Math.min(moments.length - 1, Math.max(0, index + step))]?.focus();
  };

  return (
    <div className="timeline-moments" ref={box}>
      <ol aria-label={`Moments on the timeline (${String(moments.length)})`}>
        {moments.map((moment, index) => {
          const tick = ticks[index];
          if (tick === undefined) return null;
          const name = `${formatSimTime(moment.timeUs)}: ${moment.text}`;
          const widthPx = tick.text.length * labelCharPx;
          return (
            <li key={`${String(moment.eventCount)}-${moment.kind}-${String(index)}`}>
              <button
                type="button"
                className={moment.timeUs <= timeUs ? 'timeline-moment is-past' : 'timeline-moment'}
                style={{ left: `${(100 * tick.at).toFixed(2)}%` }}
                aria-label={name}
                title={name}
                tabIndex={index === focusIndex ? 0 : -1}
                onClick={() => {
                  onSeek(moment.timeUs);
                }}
                onKeyDown={(event) => {
                  onKeyDown(event, index);
                }}
              />
              {written.has(index) ? (
                <span
                  className="timeline-moment-label"
                  aria-hidden="true"
                  style={{ left: `${labelLeftPx(tick.at, widthPx, trackPx).toFixed(1)}px` }}
                >
                  {tick.text}
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
      {moments.length === 0 ? (
        <span className="timeline-moments-empty muted">No moments yet</span>
      ) : null}
    </div>
  );
}
