import type { Point } from './layout.ts';
import { captionCharsMax } from './shapes.ts';

/*
 * Where each node's caption goes and how many of its characters fit there without running into
 * a neighbour's caption or glyph, or out of the view. A caption is one line (12.5 px bold): under
 * its node, centred (NodeGlyph: baseline `radius + 20`), or, when another node sits right under
 * it (a column of clients, of replicas, of shards), beside it on the side of the nearer edge,
 * where the layout keeps room for labels. Two captions in the same row never cross the midpoint
 * between their nodes; a caption stops short of a glyph that reaches into its row.
 */

/** `lower`: under the node, one line further down (every other node of a crowded row). */
export type CaptionSide = 'below' | 'lower' | 'left' | 'right';

export interface CaptionPlace {
  readonly side: CaptionSide;
  /** Characters that fit, at most `captionCharsMax` (the full text is in the title). */
  readonly chars: number;
}

/** Average advance of a caption character, rounded up (12.5 px bold sans: digits, · and letters). */
export const captionCharPx = 7.6;
/** Gap between a glyph's edge and a caption beside it, as NodeGlyph draws it. */
export const sideCaptionGapPx = 6;
/** Clear space kept between a caption and whatever is beside it. */
const gapPx = 6;
/** Fewer characters than this say nothing; the caption shows the first word anyway. */
const charsMin = 4;

interface Row {
  readonly top: number;
  readonly bottom: number;
}

function rowOf(point: Point, radius: number, side: CaptionSide): Row {
  if (side === 'below') return { top: point.y + radius + 8, bottom: point.y + radius + 25 };
  if (side === 'lower') return { top: point.y + radius + 25, bottom: point.y + radius + 42 };
  return { top: point.y - 9, bottom: point.y + 8 };
}

/** Under its node, on either line. */
export const isUnder = (side: CaptionSide): boolean => side === 'below' || side === 'lower';

/** A caption under a crowded row staggers when fewer than this many characters would fit. */
const staggerBelowChars = 8;

const overlaps = (a: Row, b: Row): boolean => a.top < b.bottom && b.top < a.bottom;

/**
 * Every node's caption place, in the order of `points`. Where nodes stand too close in a row for
 * their captions (six replicas side by side on a phone), every other one drops a line, which
 * doubles the room of each.
 */
export function captionPlaces(
  points: readonly Point[],
  radius: number,
  boxWidth: number,
): CaptionPlace[] {
  const sides = sidesOf(points, radius, boxWidth);
  const first = fittingChars(points, radius, boxWidth, sides);
  const crowded = points
    .map((point, i) => ({ point, i }))
    .filter(({ i }) => sides[i] === 'below' && (first[i] ?? 0) < staggerBelowChars)
    .sort((a, b) => a.point.y - b.point.y || a.point.x - b.point.x);
  let isStaggered = false;
  for (let order = 0; order < crowded.length; order++) {
    const { point, i } = crowded[order] as (typeof crowded)[number];
    // Alternate along each row (same height), leaving the row's first caption on top.
    const previous = crowded[order - 1];
    const isSameRow = previous !== undefined && Math.abs(previous.point.y - point.y) < 1;
    const isPreviousLower = isSameRow && sides[previous.i] === 'lower';
    if (isSameRow && !isPreviousLower && !isBlockedUnder(points, radius, i, 'lower')) {
      sides[i] = 'lower';
      isStaggered = true;
    }
  }
  const chars = isStaggered ? fittingChars(points, radius, boxWidth, sides) : first;
  return points.map((_, i) => ({
    side: sides[i] ?? 'below',
    chars: Math.max(charsMin, Math.min(captionCharsMax, chars[i] ?? 0)),
  }));
}

const glyphRowOf = (point: Point, radius: number): Row => ({
  top: point.y - radius - 3,
  bottom: point.y + radius + 3,
});

/** Whether another node's glyph stands in the way of node `i`'s caption on that line. */
function isBlockedUnder(
  points: readonly Point[],
  radius: number,
  i: number,
  side: 'below' | 'lower',
): boolean {
  const point = points[i] as Point;
  const row = rowOf(point, radius, side);
  return points.some(
    (other, j) =>
      j !== i &&
      Math.abs(other.x - point.x) < radius + 3 + gapPx + (charsMin * captionCharPx) / 2 &&
      overlaps(glyphRowOf(other, radius), row),
  );
}

/** Under each node, or beside it (toward the nearer edge) when a glyph sits right under it. */
function sidesOf(points: readonly Point[], radius: number, boxWidth: number): CaptionSide[] {
  return points.map((point, i): CaptionSide => {
    if (!isBlockedUnder(points, radius, i, 'below')) return 'below';
    return point.x < boxWidth / 2 ? 'left' : 'right';
  });
}

/** How many characters each caption can show on its side before it runs into something. */
function fittingChars(
  points: readonly Point[],
  radius: number,
  boxWidth: number,
  sides: readonly CaptionSide[],
): number[] {
  return points.map((point, i) => {
    const side = sides[i] ?? 'below';
    const row = rowOf(point, radius, side);
    // The caption's reach to its left and to its right of the node's centre.
    const edge = radius + sideCaptionGapPx;
    let reachLeft = side === 'right' ? -edge : point.x - 2;
    let reachRight = side === 'left' ? -edge : boxWidth - point.x - 2;
    points.forEach((other, j) => {
      if (j === i) return;
      const dx = other.x - point.x;
      if (dx === 0) return;
      const otherRow = rowOf(other, radius, sides[j] ?? 'below');
      const limits: number[] = [];
      if (overlaps(row, otherRow)) limits.push(Math.abs(dx) / 2 - gapPx / 2);
      if (overlaps(row, glyphRowOf(other, radius)) && Math.abs(dx) > radius) {
        limits.push(Math.abs(dx) - radius - 3 - gapPx);
      }
      for (const limit of limits) {
        if (dx > 0) reachRight = Math.min(reachRight, limit);
        else reachLeft = Math.min(reachLeft, limit);
      }
    });
    const widthPx = isUnder(side)
      ? 2 * Math.min(reachLeft, reachRight)
      : (side === 'left' ? reachLeft : reachRight) - edge;
    return Math.floor(Math.max(0, widthPx) / captionCharPx);
  });
}

/**
 * Free space between the view's left edge and the leftmost glyph or caption beside a node (what
 * the legend, over the top left corner, would cover).
 */
export function leftClearanceWithCaptionsPx(
  points: readonly Point[],
  radius: number,
  places: readonly CaptionPlace[],
): number {
  let left = Number.POSITIVE_INFINITY;
  points.forEach((point, i) => {
    left = Math.min(left, point.x - radius);
    const place = places[i];
    if (place?.side === 'left') {
      left = Math.min(left, point.x - radius - sideCaptionGapPx - place.chars * captionCharPx);
    } else if (place !== undefined && isUnder(place.side)) {
      left = Math.min(left, point.x - (place.chars * captionCharPx) / 2);
    }
  });
  return left;
}
