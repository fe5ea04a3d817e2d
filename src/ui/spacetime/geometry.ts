import type { Bundle, TimeWindow, WindowContent } from './content.ts';
import type { MessageTrip } from './messages.ts';

/**
 * Where things are on the diagram: lanes are rows (one per node, top to bottom in topology
 * order), time runs left to right across the plot, and a message is a segment from its send on
 * the sender's lane to its end on the receiver's. Pure arithmetic, shared by the drawing and the
 * hit test so that what is hovered is exactly what is drawn.
 */

/** Pixel layout of the diagram in CSS pixels. */
export interface DiagramLayout {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Left edge of the plot (lane labels are drawn left of it). */
  readonly plotLeftPx: number;
  readonly plotRightPx: number;
  /** Centre of the first lane. */
  readonly firstLanePx: number;
  readonly lanePitchPx: number;
  readonly laneCount: number;
  /** Top of the time axis, under the last lane. */
  readonly axisTopPx: number;
}

/** A straight segment in CSS pixels. */
export interface Segment {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

const labelGutterPx = 56;
const rightPaddingPx = 12;
const topPaddingPx = 14;
const axisHeightPx = 22;
const lanePitchMaxPx = 26;
const lanePitchMinPx = 10;

/**
 * The diagram's height at most for a viewport `viewportHeightPx` tall: a quarter of it, within
 * 120–320 px, so the topology above keeps most of the screen; past it lanes get closer together.
 */
export function heightMaxFor(viewportHeightPx: number): number {
  return Math.round(Math.min(320, Math.max(120, viewportHeightPx / 4)));
}

/**
 * The layout for a diagram `widthPx` wide with `laneCount` lanes, at most `heightMaxPx` tall.
 * Lanes are whole pixels apart while at least `lanePitchMinPx` fit; more lanes than that (a
 * 100-node mesh) are packed closer, fractions of a pixel apart if need be, rather than making the
 * diagram taller than the cap (a diagram a thousand lanes tall would push the topology off the
 * screen and cost a huge canvas): their labels then thin out (`laneLabelEvery`).
 */
export function layoutFor(widthPx: number, laneCount: number, heightMaxPx = 320): DiagramLayout {
  const lanes = Math.max(1, laneCount);
  const roomPx = heightMaxPx - topPaddingPx - axisHeightPx;
  const wholePx = Math.min(lanePitchMaxPx, Math.floor(roomPx / lanes));
  const lanePitchPx = wholePx >= lanePitchMinPx ? wholePx : Math.max(0, roomPx) / lanes;
  const firstLanePx = topPaddingPx + lanePitchPx / 2;
  const axisTopPx = topPaddingPx + lanes * lanePitchPx;
  const width = Math.max(labelGutterPx + rightPaddingPx + 40, widthPx);
  return {
    widthPx: width,
    heightPx: axisTopPx + axisHeightPx,
    plotLeftPx: labelGutterPx,
    plotRightPx: width - rightPaddingPx,
    firstLanePx,
    lanePitchPx,
    laneCount: lanes,
    axisTopPx,
  };
}

/** Lanes are labelled (and ruled) every this many, so that labels stay `lanePitchMinPx` apart. */
export function laneLabelEvery(layout: DiagramLayout): number {
  return layout.lanePitchPx >= lanePitchMinPx
    ? 1
    : Math.ceil(lanePitchMinPx / Math.max(layout.lanePitchPx, 1e-3));
}

/** The x of a simulated time (times outside the window land outside the plot). */
export function xOfTime(layout: DiagramLayout, window: TimeWindow, timeUs: number): number {
  const spanUs = Math.max(1, window.endUs - window.startUs);
  const plotPx = layout.plotRightPx - layout.plotLeftPx;
  return layout.plotLeftPx + ((timeUs - window.startUs) / spanUs) * plotPx;
}

/** The simulated time at x (the inverse of `xOfTime`). */
export function timeOfX(layout: DiagramLayout, window: TimeWindow, x: number): number {
  const plotPx = Math.max(1, layout.plotRightPx - layout.plotLeftPx);
  return window.startUs + ((x - layout.plotLeftPx) / plotPx) * (window.endUs - window.startUs);
}

/** The y of a lane's centre line; fractional lanes lie between two lanes. */
export function yOfLane(layout: DiagramLayout, lane: number): number {
  return layout.firstLanePx + lane * layout.lanePitchPx;
}

/**
 * A trip's segment, from its send to its end time, reaching `tripProgress` of the way to its
 * receiver: a trip in flight stops at the time shown part of the way there, like a dot in the
 * topology, and one lost at the sender is a short stub ending in its cross.
 */
export function tripSegment(layout: DiagramLayout, window: TimeWindow, trip: MessageTrip): Segment {
  const progress = tripProgress(trip);
  return {
    x1: xOfTime(layout, window, trip.sentUs),
    y1: yOfLane(layout, trip.from),
    x2: xOfTime(layout, window, trip.endUs),
    y2: yOfLane(layout, trip.from + (trip.to - trip.from) * progress),
  };
}

/** How far along a message lost at its sender is drawn: a stub, so the cross sits by the sender. */
export const lostAtSenderProgress = 0.2;

/**
 * How far toward its receiver a trip's segment reaches (0…1): all the way once delivered or
 * dropped on arrival, a stub when lost at the sender (it never left), and in proportion to the
 * time elapsed while in flight (halfway when the due time is unknown).
 */
export function tripProgress(trip: MessageTrip): number {
  if (trip.outcome === 'dropped') {
    // A send without a due time was lost at the sender (a drop on arrival always has one).
    return trip.isSendKnown && trip.dueUs < 0 ? lostAtSenderProgress : 1;
  }
  if (trip.outcome === 'delivered') return 1;
  if (trip.dueUs < 0) return 0.5;
  if (!(trip.dueUs > trip.sentUs)) return 1;
  return Math.min(1, Math.max(0, (trip.endUs - trip.sentUs) / (trip.dueUs - trip.sentUs)));
}

/** A bundle's segment: from its mean send to its mean end. */
export function bundleSegment(layout: DiagramLayout, window: TimeWindow, bundle: Bundle): Segment {
  return {
    x1: xOfTime(layout, window, bundle.sentUs),
    y1: yOfLane(layout, bundle.from),
    x2: xOfTime(layout, window, bundle.endUs),
    y2: yOfLane(layout, bundle.to),
  };
}

/** Distance in pixels from (x, y) to the nearest point of a segment. */
export function distanceToSegment(segment: Segment, x: number, y: number): number {
  return Math.sqrt(distanceSquaredToSegment(segment, x, y));
}

/** Its square, for comparing many segments without a square root each. */
export function distanceSquaredToSegment(segment: Segment, x: number, y: number): number {
  const dx = segment.x2 - segment.x1;
  const dy = segment.y2 - segment.y1;
  const lengthSquared = dx * dx + dy * dy;
  const along =
    lengthSquared === 0
      ? 0
      : Math.min(1, Math.max(0, ((x - segment.x1) * dx + (y - segment.y1) * dy) / lengthSquared));
  const px = segment.x1 + along * dx - x;
  const py = segment.y1 + along * dy - y;
  return px * px + py * py;
}

/** What the pointer is over. */
export type DiagramHit =
  | { readonly kind: 'trip'; readonly trip: MessageTrip }
  | { readonly kind: 'bundle'; readonly bundle: Bundle };

/** How close, in pixels, the pointer must be to an arrow to hover it. */
export const hitTolerancePx = 5;

/**
 * The arrow or bundle nearest (x, y) within the tolerance, or null. Only the plot counts (not the
 * lane labels or the axis); on a tie the later one wins, as it is drawn on top.
 */
export function hitTest(
  content: WindowContent,
  layout: DiagramLayout,
  x: number,
  y: number,
  tolerancePx: number = hitTolerancePx,
): DiagramHit | null {
  if (x < layout.plotLeftPx || x > layout.plotRightPx || y > layout.axisTopPx) return null;
  let best: DiagramHit | null = null;
  let bestPx = tolerancePx;
  for (const trip of content.trips) {
    const distancePx = distanceToSegment(tripSegment(layout, content.window, trip), x, y);
    if (distancePx <= bestPx) {
      bestPx = distancePx;
      best = { kind: 'trip', trip };
    }
  }
  for (const bundle of content.bundles) {
    const segment = bundleSegment(layout, content.window, bundle);
    const distancePx = distanceToSegment(segment, x, y) - bundleWidthPx(bundle.count) / 2;
    if (distancePx <= bestPx) {
      bestPx = distancePx;
      best = { kind: 'bundle', bundle };
    }
  }
  return best;
}

/** Stroke width of a bundle: grows with the square root of its count, up to 9 px. */
export function bundleWidthPx(count: number): number {
  return Math.min(9, 1 + Math.sqrt(Math.max(0, count)));
}
