import { useId } from 'react';
import { formatSimTime } from '../controls/format.ts';
import { SpeedControl } from '../controls/ToolbarFields.tsx';
import { useCompareStore } from './compareStore.ts';
import type { CompareCoordinator } from './coordinator.ts';

/** How far "Step" moves both sides, in simulated µs. */
export const compareStepUs = 100_000;
/** The scrubber reaches at least this far (a fresh run has no history yet). */
const scrubberSpanUsMin = 30_000_000;

/**
 * The one set of playback controls for both sides: play or pause, step, speed and a scrubber
 * over simulated time. The sides have none of their own.
 */
export function CompareControls({ coordinator }: { readonly coordinator: CompareCoordinator }) {
  const isPlaying = useCompareStore((state) => state.isPlaying);
  const speed = useCompareStore((state) => state.speed);
  const canPlay = useCompareStore(
    (state) => state.sides.a.status === 'ready' && state.sides.b.status === 'ready',
  );
  const timeUs = useCompareStore((state) => state.sides.a.timeUs);
  const frontierUs = useCompareStore((state) =>
    Math.max(state.sides.a.frontierUs, state.sides.b.frontierUs),
  );
  const scrubberId = useId();
  const maxUs = Math.max(scrubberSpanUsMin, frontierUs);
  return (
    <div className="compare-controls" role="group" aria-label="Playback of both sides">
      <button
        type="button"
        className="primary play-button"
        disabled={!canPlay}
        onClick={() => {
          coordinator.togglePlay();
        }}
      >
        {isPlaying ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        disabled={!canPlay}
        onClick={() => {
          coordinator.stepBy(compareStepUs);
        }}
      >
        Step 100 ms
      </button>
      <SpeedControl
        speed={speed}
        onChange={(next) => {
          coordinator.setSpeed(next);
        }}
      />
      <div className="compare-scrubber">
        <label htmlFor={scrubberId}>Time</label>
        <input
          id={scrubberId}
          type="range"
          min={0}
          max={maxUs}
          step={100_000}
          value={Math.min(timeUs, maxUs)}
          disabled={!canPlay}
          aria-valuetext={formatSimTime(timeUs)}
          onChange={(event) => {
            coordinator.seek(Number(event.currentTarget.value));
          }}
        />
        <span className="sim-time" data-testid="compare-time">
          {formatSimTime(timeUs)}
        </span>
      </div>
    </div>
  );
}
