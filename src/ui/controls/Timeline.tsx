import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { MomentSpec } from '../../engine/types.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { commandText } from '../../worker/commandText.ts';
import './timeline.css';
import { formatSimTime } from './format.ts';
import { seekQueue, type SeekQueue } from './seekQueue.ts';
import { TimelineMoments } from './TimelineMoments.tsx';
import { NarrationLine } from '../panels/Narration.tsx';

const noMomentSpecs: readonly MomentSpec[] = [];

/** A seek that takes longer than this shows a progress indicator. */
const slowSeekMs = 150;

/**
 * The run so far as a scrubber: drag (or use the arrow keys) to any simulated time between 0
 * and the furthest time reached; the topology, charts and logs follow. Commands in the log are
 * marked on the track, and the scenario's moments are ticks over it (see TimelineMoments). Seeks are coalesced: while one is in flight only the latest position
 * waits, so dragging never queues a backlog of replays.
 */
export function Timeline() {
  const controller = useController();
  const timeUs = useSimStore((state) => state.frame?.timeUs ?? 0);
  const frontierUs = useSimStore((state) => state.frame?.frontierUs ?? 0);
  const commands = useSimStore((state) => state.commands);
  const meta = useSimStore((state) => state.view?.meta);
  // The scenario's labels, so a mark says "Set a route on facade (Route catalog)", as the log.
  const textContext = meta === undefined ? {} : { meta };
  const moments = useSimStore((state) => state.moments);
  const momentSpecs = useSimStore((state) => state.view?.meta.moments ?? noMomentSpecs);
  const [draftUs, setDraftUs] = useState<number | null>(null);
  const [isSlow, setIsSlow] = useState(false);
  const queue = useRef<SeekQueue | null>(null);
  const helpId = useId();

  queue.current ??= seekQueue({
    seek: (target) => controller.seek(target),
    onBusyChange: (isBusy) => {
      if (!isBusy) setDraftUs(null);
    },
    onSlow: setIsSlow,
    slowAfterMs: slowSeekMs,
    schedule: (callback, delayMs) => {
      const handle = window.setTimeout(callback, delayMs);
      return () => {
        window.clearTimeout(handle);
      };
    },
  });
  useEffect(() => () => queue.current?.dispose(), []);

  const endUs = Math.max(frontierUs, timeUs, 1);
  const shownUs = draftUs ?? timeUs;
  const seekTo = (target: number): void => {
    const clamped = Math.min(endUs, Math.max(0, Math.round(target)));
    setDraftUs(clamped);
    queue.current?.request(clamped);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    // The native step (1 ms) is too fine for the keyboard: arrows move 1%, Page keys 10%.
    const stride = event.key.startsWith('Page') ? endUs / 10 : endUs / 100;
    const direction =
      event.key === 'ArrowRight' || event.key === 'ArrowUp' || event.key === 'PageUp'
        ? 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowDown' || event.key === 'PageDown'
          ? -1
          : 0;
    if (direction === 0) return;
    event.preventDefault();
    seekTo(shownUs + direction * Math.max(1000, stride));
  };

  return (
    <div className="timeline">
      <NarrationLine />
      <span className="timeline-time" aria-hidden="true">
        {formatSimTime(shownUs)}
      </span>
      <div className="timeline-track">
        <TimelineMoments
          moments={moments}
          specs={momentSpecs}
          timeUs={shownUs}
          endUs={endUs}
          onSeek={seekTo}
        />
        <input
          type="range"
          aria-label="Simulated time"
          aria-describedby={helpId}
          aria-valuetext={`${formatSimTime(shownUs)} of ${formatSimTime(endUs)}`}
          min={0}
          max={endUs}
          step={1000}
          value={Math.min(shownUs, endUs)}
          onChange={(event) => {
            seekTo(Number(event.currentTarget.value));
          }}
          onKeyDown={onKeyDown}
        />
        <ol className="timeline-marks" aria-label="Commands on the timeline">
          {commands.map((recorded, index) => (
            <li
              key={`${String(index)}-${String(recorded.atUs)}`}
              className="timeline-mark"
              style={{ left: `${((100 * Math.min(recorded.atUs, endUs)) / endUs).toFixed(2)}%` }}
              title={`${formatSimTime(recorded.atUs)}: ${commandText(recorded.command, textContext)}`}
            >
              <span className="visually-hidden">
                {formatSimTime(recorded.atUs)}: {commandText(recorded.command, textContext)}
              </span>
            </li>
          ))}
        </ol>
      </div>
      <span className="timeline-end muted" id={helpId}>
        {isSlow ? (
          <span role="status" className="timeline-seeking">
            Seeking…
          </span>
        ) : (
          `run so far ${formatSimTime(endUs).replace('t = ', '')}`
        )}
      </span>
    </div>
  );
}
