import { useState, type KeyboardEvent } from 'react';
import type { Point } from './layout.ts';
import { focusSibling } from './roving.ts';

type Pair = readonly [number, number];

export interface LinkStrokesProps {
  /** Unordered linked pairs, each once. */
  readonly pairs: readonly Pair[];
  readonly points: readonly Point[];
  /** The selected link as an unordered [low, high] pair, or null. */
  readonly selected: Pair | null;
}

export interface LinkStrokeState {
  /** Unordered pairs ("low-high") cut in at least one direction by a partition or a hold. */
  readonly cut?: ReadonlySet<string>;
}

/** The visible links: thin lines drawn under the nodes (the selected one thicker). */
export function LinkStrokes({ pairs, points, selected, cut }: LinkStrokesProps & LinkStrokeState) {
  return (
    <g className="topology-link-strokes" aria-hidden="true">
      {pairs.map(([a, b]) => {
        const from = points[a];
        const to = points[b];
        if (from === undefined || to === undefined) return null;
        const isSelected = selected !== null && selected[0] === a && selected[1] === b;
        return (
          <line
            key={`${a}-${b}`}
            className={`link-line${isSelected ? ' is-selected' : ''}${cut?.has(`${a}-${b}`) === true ? ' is-cut' : ''}`}
            x1={from.x}
            y1={from.y}
            x2={to.x}
            y2={to.y}
          />
        );
      })}
    </g>
  );
}

export interface LinkTargetsProps extends LinkStrokesProps {
  readonly nodeIds: readonly string[];
  /** Node radius: targets stop this far from node centres, so they never cover a node. */
  readonly radius: number;
  readonly onSelect: (from: number, to: number) => void;
}

/**
 * What makes links clickable: an invisible wide stroke per link from node edge to node edge,
 * drawn after the nodes so that, in document and tab order, nodes come first. Keyboard: one tab
 * stop for the group (roving tabindex); arrow keys move between links, Enter or Space selects.
 */
export function LinkTargets(props: LinkTargetsProps) {
  const { pairs, points, nodeIds, radius, selected, onSelect } = props;
  const [active, setActive] = useState(0);
  const tabStop = Math.min(active, Math.max(0, pairs.length - 1));
  const onKeyDown = (event: KeyboardEvent<SVGGElement>, at: number) => {
    const pair = pairs[at];
    if (pair === undefined) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      event.stopPropagation();
      onSelect(pair[0], pair[1]);
      return;
    }
    focusSibling(event, at, pairs.length, 'data-link-index');
  };
  return (
    <g className="topology-links" role="group" aria-label="Links">
      {pairs.map(([a, b], at) => {
        const from = points[a];
        const to = points[b];
        if (from === undefined || to === undefined) return null;
        const [start, end] = trimmed(from, to, radius + 4);
        const isSelected = selected !== null && selected[0] === a && selected[1] === b;
        return (
          <g
            key={`${a}-${b}`}
            className="topology-link"
            role="button"
            tabIndex={at === tabStop ? 0 : -1}
            aria-label={`Link ${nodeIds[a] ?? a} – ${nodeIds[b] ?? b}`}
            aria-current={isSelected ? 'true' : undefined}
            data-link-index={at}
            onClick={(event) => {
              event.stopPropagation();
              onSelect(a, b);
            }}
            onKeyDown={(event) => {
              onKeyDown(event, at);
            }}
            onFocus={() => {
              setActive(at);
            }}
          >
            <line className="link-hit" x1={start.x} y1={start.y} x2={end.x} y2={end.y} />
          </g>
        );
      })}
    </g>
  );
}

/** The segment from `from` to `to` with `gap` cut off each end (the middle point if too short). */
function trimmed(from: Point, to: Point, gap: number): [Point, Point] {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  if (length <= 2 * gap) {
    const middle = { x: from.x + dx / 2, y: from.y + dy / 2 };
    return [middle, middle];
  }
  const ux = (dx / length) * gap;
  const uy = (dy / length) * gap;
  return [
    { x: from.x + ux, y: from.y + uy },
    { x: to.x - ux, y: to.y - uy },
  ];
}
