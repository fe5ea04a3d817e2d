import type { Point } from './layout.ts';
import { distanceSquaredToSegment } from '../spacetime/geometry.ts';

/*
 * The links as static geometry. A full mesh of n nodes has n(n − 1)/2 links: 4,950 at 100 nodes,
 * 499,500 at 1,000. As SVG elements they made the page's DOM and its paint records huge, and every
 * change anywhere in the view paid for them; here they are painted once on a canvas under the
 * SVG, again only when the layout, the theme or a link's fault state changes. What changes more
 * often stays in the SVG: the few cut links (dashed), the selected link, hover and focus.
 */

export type Pair = readonly [number, number];

/** Links stroked per path: small enough that each path stays cheap to build and rasterise. */
const segmentsPerPath = 2_048;
/** Links painted per animation frame at most, so that a huge mesh never blocks the page. */
export const linksPerSlice = 16_384;
/** Width of a link, as `.link-line` draws it. */
export const linkWidthPx = 1.5;
/** Past this many links, they are drawn 1 px wide (see `linkWidthFor`). */
export const thinLinksFrom = 1_000;
/** How far from a link the pointer may be to point at it: half the SVG hit stroke (14 px). */
export const linkHitTolerancePx = 7;
/** Gap between a link's hit target and the node centres at its ends, beyond the node radius. */
export const linkTargetGapPx = 4;

/** A number naming the unordered pair {a, b} (node counts stay far below 2^26). */
export function pairKey(a: number, b: number): number {
  return a < b ? a * 67_108_864 + b : b * 67_108_864 + a;
}

/** Unordered pair keys of the directed [from, to] pairs flattened in `flat` (a frame's cutLinks). */
export function pairKeysOf(flat: ArrayLike<number>): Set<number> {
  const keys = new Set<number>();
  for (let i = 0; i + 1 < flat.length; i += 2)
    keys.add(pairKey(flat[i] as number, flat[i + 1] as number));
  return keys;
}

/** What the link canvas paints. */
export interface LinkPaint {
  readonly pairs: readonly Pair[];
  readonly points: readonly Point[];
  /** Pairs (by `pairKey`) cut by a partition or a hold, painted dashed in `cutColour`. */
  readonly cut: ReadonlySet<number>;
  /** A pair (by `pairKey`) painted by the SVG instead (the selected link when it is cut). */
  readonly omitted: number | null;
  readonly colour: string;
  readonly cutColour: string;
  readonly width: number;
  readonly height: number;
}

/** Dashes of a cut link and its opacity, as `.link-line.is-cut` has them. */
const cutDash = [4, 5];
const cutAlpha = 0.7;

/**
 * The stroke width for `count` links: `.link-line`'s 1.5 px, or 1 px for a dense mesh. Without
 * graphics acceleration a 1 px line takes a much faster path than a wider one (about 10× in
 * Chromium: 4,950 links in 7 ms instead of 100, 130,816 in 0.6 s instead of 4.4), and that
 * many links make a texture in which the half pixel does not show.
 */
export function linkWidthFor(count: number): number {
  return count > thinLinksFrom ? 1 : linkWidthPx;
}

/**
 * Paints the links: plain ones first, then the cut ones dashed, as the SVG's `.link-line` and
 * `.link-line.is-cut` drew them. In slices: `start` counts links through both passes (plain
 * then cut); at most `count` are stroked and the position to go on from is returned, or null
 * when every link is painted. The first slice (start 0) clears the canvas (in CSS pixels).
 */
export function paintLinks(
  context: CanvasRenderingContext2D,
  paint: LinkPaint,
  start = 0,
  count = Number.POSITIVE_INFINITY,
): number | null {
  const { pairs, cut, omitted } = paint;
  const total = pairs.length;
  if (start === 0) context.clearRect(0, 0, paint.width, paint.height);
  context.lineWidth = linkWidthFor(total);
  context.lineCap = 'butt';
  let at = start;
  if (at < total) {
    const end = Math.min(total, at + count);
    context.strokeStyle = paint.colour;
    strokeWhere(context, paint, at, end, (key) => key !== omitted && !cut.has(key));
    at = end;
  }
  if (cut.size === 0) return at < total ? at : null;
  const left = count - (at - start);
  if (left > 0 && at < 2 * total) {
    const end = Math.min(2 * total, at + left);
    context.save();
    context.setLineDash(cutDash);
    context.globalAlpha = cutAlpha;
    context.strokeStyle = paint.cutColour;
    strokeWhere(context, paint, at - total, end - total, (key) => key !== omitted && cut.has(key));
    context.restore();
    at = end;
  }
  return at < 2 * total ? at : null;
}

/** Strokes the links from `from` to `to` whose pair key passes `isIncluded`, a few thousand per path. */
function strokeWhere(
  context: CanvasRenderingContext2D,
  { pairs, points }: LinkPaint,
  from: number,
  to: number,
  isIncluded: (key: number) => boolean,
): void {
  let inPath = 0;
  context.beginPath();
  for (let at = from; at < to; at++) {
    const [a, b] = pairs[at] as Pair;
    const start = points[a];
    const end = points[b];
    if (start === undefined || end === undefined || !isIncluded(pairKey(a, b))) continue;
    context.moveTo(start.x, start.y);
    context.lineTo(end.x, end.y);
    if (++inPath === segmentsPerPath) {
      context.stroke();
      context.beginPath();
      inPath = 0;
    }
  }
  if (inPath > 0) context.stroke();
}

/**
 * The segment from `from` to `to` with `gap` cut off each end (the middle point if too short):
 * a link's hit target, which stops short of the nodes so that it never takes their clicks.
 */
export function trimmed(from: Point, to: Point, gap: number): [Point, Point] {
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

/**
 * The index in `pairs` of the link nearest (x, y) within `tolerance`, measured to its hit target
 * (the link trimmed by `gap` at both ends), or null. On a tie the later link wins, as the SVG's
 * later target would. A linear scan: about 2 ms for the 499,500 links of a 1,000-node mesh, run
 * at most once per pointer move.
 */
export function linkAt(
  pairs: readonly Pair[],
  points: readonly Point[],
  gap: number,
  x: number,
  y: number,
  tolerance: number = linkHitTolerancePx,
): number | null {
  let best: number | null = null;
  let bestSquared = tolerance * tolerance;
  for (let at = 0; at < pairs.length; at++) {
    const pair = pairs[at] as Pair;
    const from = points[pair[0]];
    const to = points[pair[1]];
    if (from === undefined || to === undefined) continue;
    // Cheap rejection first: outside the segment's box grown by the tolerance.
    if (
      x < Math.min(from.x, to.x) - tolerance ||
      x > Math.max(from.x, to.x) + tolerance ||
      y < Math.min(from.y, to.y) - tolerance ||
      y > Math.max(from.y, to.y) + tolerance
    )
      continue;
    const squared = distanceSquaredToTarget(from, to, gap, x, y);
    if (squared <= bestSquared) {
      bestSquared = squared;
      best = at;
    }
  }
  return best;
}

/** Squared distance from (x, y) to the segment from → to trimmed by `gap` at both ends. */
function distanceSquaredToTarget(from: Point, to: Point, gap: number, x: number, y: number) {
  const [start, end] = trimmed(from, to, gap);
  return distanceSquaredToSegment({ x1: start.x, y1: start.y, x2: end.x, y2: end.y }, x, y);
}
