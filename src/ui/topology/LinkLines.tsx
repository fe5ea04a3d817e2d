import { useMemo, useState, type KeyboardEvent } from 'react';
import type { Point } from './layout.ts';
import { linkTargetGapPx, pairKey, trimmed, type Pair } from './linkLayer.ts';
import { focusSibling } from './roving.ts';

/**
 * Topologies with more links than this get a hit target only for the few links in reach of the
 * keyboard and the pointer (see `LinkTargets`); the others get one per link.
 */
export const linkTargetsAllMax = 400;

export interface SelectedLinkProps {
  readonly points: readonly Point[];
  /** The selected link as an unordered [low, high] pair. */
  readonly selected: Pair;
  readonly isCut: boolean;
}

/**
 * The selected link, thicker in the accent colour, over the link canvas (which paints every
 * link) and under the nodes. Drawn in the SVG so that selecting a link never repaints them all.
 */
export function SelectedLink({ points, selected, isCut }: SelectedLinkProps) {
  const from = points[selected[0]];
  const to = points[selected[1]];
  if (from === undefined || to === undefined) return null;
  return (
    <line
      className={`link-line is-selected${isCut ? ' is-cut' : ''}`}
      aria-hidden="true"
      x1={from.x}
      y1={from.y}
      x2={to.x}
      y2={to.y}
    />
  );
}

export interface LinkTargetsProps {
  /** Unordered linked pairs, each once. */
  readonly pairs: readonly Pair[];
  readonly points: readonly Point[];
  readonly nodeIds: readonly string[];
  /** Node radius: targets stop short of node centres, so they never cover a node. */
  readonly radius: number;
  /** The selected link as an unordered [low, high] pair, or null. */
  readonly selected: Pair | null;
  /** Pairs (by `pairKey`) cut by a partition or a hold: their names say so. */
  readonly cut: ReadonlySet<number>;
  /** Index in `pairs` of the link under the pointer (found by `linkAt`), or null. */
  readonly hovered: number | null;
  readonly onSelect: (from: number, to: number) => void;
}

/**
 * What makes links clickable and reachable by keyboard: an invisible wide stroke from node edge
 * to node edge, a button named "Link n1 – n3" (", cut" when a fault cuts it), under the nodes
 * (before them in the SVG) so that a link passing behind a node never takes the node's clicks.
 * Keyboard: one tab stop for the group (roving tabindex); arrow keys move between links, Home
 * and End to the first and last, Enter or Space selects.
 *
 * Up to `linkTargetsAllMax` links each have their target. Past that (a full mesh of 100 nodes has
 * 4,950 links, of 1,000 nodes 499,500) only the links in reach exist as elements: the tab stop
 * and its neighbours, the first and the last (for the keys), the selected link and the one under
 * the pointer. The view finds that one with `linkAt` as the pointer moves, so every link can
 * still be pointed at, clicked and stepped through, and the DOM stays small.
 */
export function LinkTargets(props: LinkTargetsProps) {
  const { pairs, points, nodeIds, radius, selected, cut, hovered, onSelect } = props;
  const [active, setActive] = useState(0);
  const count = pairs.length;
  const tabStop = Math.min(active, Math.max(0, count - 1));
  const isWindowed = count > linkTargetsAllMax;
  const selectedAt = useMemo(() => indexOfPair(pairs, selected), [pairs, selected]);
  const shown = isWindowed
    ? inReach(count, [tabStop - 1, tabStop, tabStop + 1, 0, count - 1, selectedAt, hovered])
    : null;
  const onKeyDown = (event: KeyboardEvent<SVGGElement>, at: number) => {
    const pair = pairs[at];
    if (pair === undefined) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      event.stopPropagation();
      onSelect(pair[0], pair[1]);
      return;
    }
    focusSibling(event, at, count, 'data-link-index');
  };
  const target = (at: number) => {
    const pair = pairs[at];
    if (pair === undefined) return null;
    const [a, b] = pair;
    const from = points[a];
    const to = points[b];
    if (from === undefined || to === undefined) return null;
    const [start, end] = trimmed(from, to, radius + linkTargetGapPx);
    const isCut = cut.size > 0 && cut.has(pairKey(a, b));
    return (
      <g
        key={`${a}-${b}`}
        className={`topology-link${at === hovered ? ' is-hovered' : ''}`}
        role="button"
        tabIndex={at === tabStop ? 0 : -1}
        aria-label={`Link ${nodeIds[a] ?? a} – ${nodeIds[b] ?? b}${isCut ? ', cut' : ''}`}
        aria-current={at === selectedAt ? 'true' : undefined}
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
  };
  return (
    <g
      className="topology-links"
      role="group"
      aria-label={
        isWindowed ? `Links, ${count.toLocaleString('en')} (arrow keys go through them)` : 'Links'
      }
    >
      {shown === null ? pairs.map((_, at) => target(at)) : shown.map(target)}
    </g>
  );
}

/** The index of `pair` in `pairs`, or null. */
function indexOfPair(pairs: readonly Pair[], pair: Pair | null): number | null {
  if (pair === null) return null;
  const at = pairs.findIndex(([a, b]) => a === pair[0] && b === pair[1]);
  return at < 0 ? null : at;
}

/** The distinct valid indexes among `wanted`, ascending (document order follows link order). */
function inReach(count: number, wanted: readonly (number | null)[]): number[] {
  const valid = wanted.filter((at): at is number => at !== null && at >= 0 && at < count);
  return [...new Set(valid)].sort((a, b) => a - b);
}
