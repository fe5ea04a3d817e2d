import { useId, useMemo } from 'react';
import type { Moment, MomentSpec } from '../../engine/types.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { formatSimTime } from '../controls/format.ts';
import { lastAtOrBefore } from './narrationPace.ts';
import { usePacedCaption } from './usePacedCaption.ts';
import './panels.css';

const noSpecs: readonly MomentSpec[] = [];
/** Sentences the log keeps on screen (the newest; the timeline and the CLI have them all). */
const logRowsMax = 50;

/**
 * "What just happened" on the timeline, over the scrubber: one sentence, the latest moment of
 * the pattern, held long enough to read while the run plays (what went by meanwhile is counted
 * in the next one). Clicking it goes to that moment.
 */
export function NarrationLine() {
  const controller = useController();
  const specs = useSimStore((state) => state.view?.meta.moments ?? noSpecs);
  const caption = usePacedCaption();
  const isPlaying = useSimStore((state) => state.frame?.isPlaying ?? false);

  if (specs.length === 0) return null;
  const text =
    caption === null
      ? isPlaying
        ? 'Nothing yet: the pattern’s first moment is on its way.'
        : 'Nothing yet: press Play, or step to the next moment.'
      : caption.moment.text +
        (caption.skipped > 0 ? ` (and before it: ${caption.skippedText})` : '');
  return (
    <p className="narration-line" aria-hidden="true">
      {caption === null ? (
        <span className="narration-sentence">
          <span className="narration-title">What just happened:</span>{' '}
          <span className="muted">{text}</span>
        </span>
      ) : (
        <button
          type="button"
          className="narration-sentence"
          tabIndex={-1}
          title={`${formatSimTime(caption.moment.timeUs)}: ${text}`}
          onClick={() => {
            void controller.seek(caption.moment.timeUs);
          }}
        >
          <span className="narration-title">What just happened:</span>{' '}
          <span className="narration-time">{formatSimTime(caption.moment.timeUs)}</span> {text}
        </button>
      )}
    </p>
  );
}

/**
 * The same sentences as a log for reading back, keyboard and screen readers: the moments up to
 * the time shown, newest first, each a button that goes to it. Its additions are announced
 * politely (role="log").
 */
export function NarrationLog() {
  const controller = useController();
  const titleId = useId();
  const moments = useSimStore((state) => state.moments);
  const specs = useSimStore((state) => state.view?.meta.moments ?? noSpecs);
  const timeUs = useSimStore((state) => state.frame?.timeUs ?? 0);
  const upTo = lastAtOrBefore(moments, timeUs);
  // Newest first: the top row is what just happened.
  const shown: readonly Moment[] = useMemo(
    () => moments.slice(Math.max(0, upTo + 1 - logRowsMax), upTo + 1).reverse(),
    [moments, upTo],
  );
  if (specs.length === 0) return null;
  return (
    <section className="panel narration-log" aria-labelledby={titleId}>
      <h2 id={titleId}>What just happened</h2>
      {shown.length === 0 ? (
        <p className="muted hint">
          Nothing yet. The pattern&apos;s moments (
          {specs.map((spec) => spec.label.toLowerCase()).join(', ')}) appear here as they happen.
        </p>
      ) : null}
      <div role="log" aria-labelledby={titleId}>
        <ol className="narration-list">
          {shown.map((moment, index) => (
            <li key={`${String(moment.eventCount)}-${moment.kind}-${String(index)}`}>
              <button
                type="button"
                className="narration-entry"
                onClick={() => {
                  void controller.seek(moment.timeUs);
                }}
              >
                <span className="narration-time">{formatSimTime(moment.timeUs)}</span> {moment.text}
              </button>
            </li>
          ))}
        </ol>
      </div>
      {upTo + 1 > logRowsMax ? (
        <p className="muted hint">
          {String(upTo + 1 - logRowsMax)} earlier moments are on the timeline.
        </p>
      ) : null}
    </section>
  );
}
