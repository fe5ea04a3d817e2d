import { useId } from 'react';
import { formatSimTime } from '../controls/format.ts';
import { useCompareStore, type SideState } from './compareStore.ts';
import { invariantSummary, sideLabel } from './labels.ts';
import { otherSide, type SideName } from './protocol.ts';

interface SidePanelProps {
  readonly side: SideName;
  /** The address the side's iframe opens (fixed for the page's life). */
  readonly src: string;
  /** Hands the iframe to the page, which talks to it. */
  readonly onFrame: (side: SideName, frame: HTMLIFrameElement | null) => void;
}

/** One side: its name, state, time and invariants above the side's own page in an iframe. */
export function SidePanel({ side, src, onFrame }: SidePanelProps) {
  const state = useCompareStore((store) => store.sides[side]);
  const other = useCompareStore((store) => store.sides[otherSide(side)].info);
  const titleId = useId();
  const label = sideLabel(state.info, other);
  const invariants = invariantSummary(state.invariants);
  return (
    <section className={`compare-side compare-side-${side}`} aria-labelledby={titleId}>
      <h2 id={titleId}>
        <span className={`legend-swatch legend-swatch-${side}`} aria-hidden="true" /> Side {side}:{' '}
        {label}
      </h2>
      <p className="side-facts">
        <span>{statusText(state)}</span>
        <span className="sim-time" data-testid={`side-${side}-time`}>
          {formatSimTime(state.timeUs)}
        </span>
        {state.info === null ? null : (
          <span className={`invariant-summary invariant-${invariants.tone}`}>
            {invariants.text}
          </span>
        )}
      </p>
      {state.status === 'failed' ? (
        <p role="alert" className="side-error">
          Side {side} failed: {state.error ?? 'unknown error'}
        </p>
      ) : null}
      <iframe
        className="side-frame"
        title={`Side ${side}: ${label}`}
        src={src}
        ref={(frame) => {
          onFrame(side, frame);
        }}
      />
    </section>
  );
}

function statusText(side: SideState): string {
  switch (side.status) {
    case 'starting':
      return 'Starting…';
    case 'loading':
      return 'Loading the run…';
    case 'ready':
      return 'Ready';
    case 'failed':
      return 'Stopped';
    default: {
      const unknown: never = side.status;
      return String(unknown);
    }
  }
}
