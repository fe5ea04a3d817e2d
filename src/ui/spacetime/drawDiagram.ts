import { scaleLinear } from 'd3-scale';
import type { WindowContent } from './content.ts';
import {
  bundleSegment,
  bundleWidthPx,
  laneLabelEvery,
  tripSegment,
  xOfTime,
  yOfLane,
  type DiagramLayout,
  type Segment,
} from './geometry.ts';
import type { LaneMark, LaneSpan, MessageTrip } from './messages.ts';

/**
 * Paints one window of the diagram on a 2D canvas: lanes and their labels, down and paused
 * spans, the time axis, message arrows (or bundles), and lane marks. The current-time line is
 * not painted here: it is an element over the canvas, so it can be labelled and found.
 */

/** Theme colours, read from the page's CSS variables so both themes stay readable. */
export interface Palette {
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  readonly surface: string;
  readonly ok: string;
  readonly warn: string;
  readonly bad: string;
  readonly accent: string;
}

/** Everything one paint needs. */
export interface PaintInput {
  readonly layout: DiagramLayout;
  readonly content: WindowContent;
  readonly nodeIds: readonly string[];
  readonly palette: Palette;
  /** Arrow colour per message type (scenario view hints); others use the muted colour. */
  readonly colours: Readonly<Record<string, string>>;
  /** The message drawn highlighted (hovered here or in the topology). */
  readonly hoveredId: number | null;
  /** Messages drawn highlighted together (a client operation's, picked in its history). */
  readonly trailIds: ReadonlySet<number>;
}

/** Reads the palette from the CSS variables in effect on `element`. */
export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1c1c1e'),
    muted: read('--text-muted', '#55585e'),
    border: read('--border', '#d5d7db'),
    surface: read('--surface', '#ffffff'),
    ok: read('--ok', '#15803d'),
    warn: read('--warn', '#b45309'),
    bad: read('--bad', '#b91c1c'),
    accent: read('--accent', '#1d4ed8'),
  };
}

/** Paints the diagram; the context's transform must already map CSS pixels. */
export function paintDiagram(context: CanvasRenderingContext2D, input: PaintInput): void {
  const { layout, palette } = input;
  context.clearRect(0, 0, layout.widthPx, layout.heightPx);
  context.font = '12px system-ui, sans-serif';
  paintLanes(context, input);
  paintAxis(context, input);
  context.save();
  context.beginPath();
  context.rect(layout.plotLeftPx, 0, layout.plotRightPx - layout.plotLeftPx, layout.axisTopPx);
  context.clip();
  for (const span of input.content.spans) paintSpan(context, input, span);
  paintBundles(context, input);
  let hovered: MessageTrip | null = null;
  const trail: MessageTrip[] = [];
  for (const trip of input.content.trips) {
    if (trip.id === input.hoveredId) hovered = trip;
    else if (input.trailIds.has(trip.id)) trail.push(trip);
    else paintTrip(context, input, trip, false);
  }
  // Drawn last, over the rest, so a picked operation's messages stand out of a busy window.
  for (const trip of trail) paintTrip(context, input, trip, true);
  if (hovered !== null) paintTrip(context, input, hovered, true);
  for (const mark of input.content.marks) paintMark(context, input, mark);
  context.restore();
  context.strokeStyle = palette.border;
  context.lineWidth = 1;
  context.strokeRect(
    layout.plotLeftPx + 0.5,
    0.5,
    layout.plotRightPx - layout.plotLeftPx,
    layout.axisTopPx,
  );
}

function paintLanes(context: CanvasRenderingContext2D, input: PaintInput): void {
  const { layout, palette } = input;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  context.strokeStyle = palette.border;
  context.fillStyle = palette.text;
  context.lineWidth = 1;
  // Lanes packed closer than a label's height get a rule and a label every few lanes only.
  const every = laneLabelEvery(layout);
  context.beginPath();
  for (let lane = 0; lane < layout.laneCount; lane += every) {
    const y = Math.round(yOfLane(layout, lane)) + 0.5;
    context.moveTo(layout.plotLeftPx, y);
    context.lineTo(layout.plotRightPx, y);
  }
  context.stroke();
  for (let lane = 0; lane < layout.laneCount; lane += every) {
    const y = Math.round(yOfLane(layout, lane)) + 0.5;
    context.fillText(input.nodeIds[lane] ?? '', layout.plotLeftPx - 6, y, layout.plotLeftPx - 8);
  }
}

function paintAxis(context: CanvasRenderingContext2D, input: PaintInput): void {
  const { layout, palette, content } = input;
  const { startUs, endUs } = content.window;
  const scale = scaleLinear()
    .domain([startUs / 1e6, endUs / 1e6])
    .range([layout.plotLeftPx, layout.plotRightPx]);
  const tickCount = Math.max(2, Math.floor((layout.plotRightPx - layout.plotLeftPx) / 90));
  const format = scale.tickFormat(tickCount);
  context.fillStyle = palette.muted;
  context.strokeStyle = palette.border;
  context.textBaseline = 'top';
  for (const tick of scale.ticks(tickCount)) {
    const x = Math.round(scale(tick)) + 0.5;
    // Labels near the plot's right end are right-aligned, so they are not cut off.
    context.textAlign = x > layout.plotRightPx - 24 ? 'right' : 'center';
    context.beginPath();
    context.moveTo(x, layout.axisTopPx);
    context.lineTo(x, layout.axisTopPx + 4);
    context.stroke();
    context.fillText(`${format(tick)} s`, x, layout.axisTopPx + 6);
  }
}

function paintSpan(context: CanvasRenderingContext2D, input: PaintInput, span: LaneSpan): void {
  const { layout, content, palette } = input;
  const x1 = xOfTime(layout, content.window, span.startUs);
  const x2 = xOfTime(layout, content.window, span.endUs);
  const y = yOfLane(layout, span.node);
  const half = layout.lanePitchPx * 0.3;
  context.globalAlpha = 0.22;
  context.fillStyle = span.kind === 'down' ? palette.bad : palette.warn;
  context.fillRect(x1, y - half, Math.max(1, x2 - x1), half * 2);
  context.globalAlpha = 1;
}

function colourOf(input: PaintInput, type: string): string {
  return input.colours[type] ?? input.palette.muted;
}

function paintTrip(
  context: CanvasRenderingContext2D,
  input: PaintInput,
  trip: MessageTrip,
  isHovered: boolean,
): void {
  const segment = tripSegment(input.layout, input.content.window, trip);
  const colour = colourOf(input, trip.type);
  if (isHovered) {
    context.setLineDash([]);
    strokeSegment(context, segment, input.palette.text, 5);
  }
  context.setLineDash(trip.isSendKnown ? (trip.isDuplicate ? [2, 2] : []) : [5, 4]);
  strokeSegment(context, segment, colour, isHovered ? 2.5 : 1.5);
  context.setLineDash([]);
  if (trip.outcome === 'delivered') paintHead(context, segment, colour);
  else if (trip.outcome === 'dropped') paintCross(context, segment.x2, segment.y2, input.palette);
  else paintDot(context, segment.x2, segment.y2, colour, input.palette.surface);
  // A ring at the end, so a hovered message just sent (a very short arrow) still stands out.
  if (isHovered) {
    context.beginPath();
    context.arc(segment.x2, segment.y2, 7, 0, 2 * Math.PI);
    context.strokeStyle = input.palette.text;
    context.lineWidth = 2;
    context.stroke();
  }
}

/** Bundles whose counts are written beside them at most: past this many they only overlap. */
export const bundleCountsMax = 300;

/**
 * The bundles: their arrows (butt-ended: round caps cost a third more to rasterise without
 * graphics acceleration, and a bundle's end is under its head anyway), their heads, crosses
 * for those with drops, and their counts when there are few enough to read. Each arrow is its
 * own path: merged into one path per colour, a thousand crossing segments rasterise slower.
 */
function paintBundles(context: CanvasRenderingContext2D, input: PaintInput): void {
  const { bundles, window } = input.content;
  const isCounted = bundles.length <= bundleCountsMax;
  for (const bundle of bundles) {
    const segment = bundleSegment(input.layout, window, bundle);
    const colour = colourOf(input, bundle.type);
    context.globalAlpha = 0.75;
    strokeSegment(context, segment, colour, bundleWidthPx(bundle.count), 'butt');
    context.globalAlpha = 1;
    paintHead(context, segment, colour);
    if (bundle.droppedCount > 0) paintCross(context, segment.x2, segment.y2, input.palette);
    if (isCounted && bundle.count > 1) {
      context.fillStyle = input.palette.text;
      context.textAlign = 'center';
      context.textBaseline = 'bottom';
      context.fillText(
        String(bundle.count),
        (segment.x1 + segment.x2) / 2,
        (segment.y1 + segment.y2) / 2 - 3,
      );
    }
  }
}

function strokeSegment(
  context: CanvasRenderingContext2D,
  segment: Segment,
  colour: string,
  widthPx: number,
  cap: CanvasLineCap = 'round',
): void {
  context.strokeStyle = colour;
  context.lineWidth = widthPx;
  context.lineCap = cap;
  context.beginPath();
  context.moveTo(segment.x1, segment.y1);
  context.lineTo(segment.x2, segment.y2);
  context.stroke();
}

/** An arrowhead at the segment's end, built from its direction (no trigonometry needed). */
function paintHead(context: CanvasRenderingContext2D, segment: Segment, colour: string): void {
  const dx = segment.x2 - segment.x1;
  const dy = segment.y2 - segment.y1;
  const length = Math.sqrt(dx * dx + dy * dy);
  if (length < 1) return;
  const ux = dx / length;
  const uy = dy / length;
  const sizePx = 6;
  context.fillStyle = colour;
  context.beginPath();
  context.moveTo(segment.x2, segment.y2);
  context.lineTo(
    segment.x2 - ux * sizePx - uy * sizePx * 0.5,
    segment.y2 - uy * sizePx + ux * sizePx * 0.5,
  );
  context.lineTo(
    segment.x2 - ux * sizePx + uy * sizePx * 0.5,
    segment.y2 - uy * sizePx - ux * sizePx * 0.5,
  );
  context.closePath();
  context.fill();
}

function paintCross(
  context: CanvasRenderingContext2D,
  x: number,
  y: number,
  palette: Palette,
): void {
  const arm = 4;
  context.strokeStyle = palette.bad;
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(x - arm, y - arm);
  context.lineTo(x + arm, y + arm);
  context.moveTo(x + arm, y - arm);
  context.lineTo(x - arm, y + arm);
  context.stroke();
}

function paintDot(
  context: CanvasRenderingContext2D,
  x: number,
  y: number,
  colour: string,
  outline: string,
): void {
  context.beginPath();
  context.arc(x, y, 3.5, 0, 2 * Math.PI);
  context.fillStyle = colour;
  context.fill();
  context.strokeStyle = outline;
  context.lineWidth = 1;
  context.stroke();
}

function paintMark(context: CanvasRenderingContext2D, input: PaintInput, mark: LaneMark): void {
  const { layout, content, palette } = input;
  const x = xOfTime(layout, content.window, mark.timeUs);
  if (mark.node < 0) {
    context.setLineDash([4, 3]);
    context.strokeStyle = mark.kind === 'healed' ? palette.ok : palette.bad;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(x, 0);
    context.lineTo(x, layout.axisTopPx);
    context.stroke();
    context.setLineDash([]);
    return;
  }
  const y = yOfLane(layout, mark.node);
  const size = Math.min(7, layout.lanePitchPx * 0.35);
  switch (mark.kind) {
    case 'crashed':
      paintCross(context, x, y, palette);
      context.fillStyle = palette.bad;
      context.fillRect(x - 1, y - size - 2, 2, 2 * size + 4);
      return;
    case 'restarted':
    case 'resumed':
      context.fillStyle = palette.ok;
      context.beginPath();
      context.moveTo(x, y - size);
      context.lineTo(x + size, y);
      context.lineTo(x, y + size);
      context.closePath();
      context.fill();
      return;
    case 'paused':
      context.fillStyle = palette.warn;
      context.fillRect(x - size / 2 - 1, y - size, 2, 2 * size);
      context.fillRect(x + size / 2 - 1, y - size, 2, 2 * size);
      return;
    case 'held':
    case 'fault':
      context.fillStyle = mark.kind === 'held' ? palette.accent : palette.warn;
      context.beginPath();
      context.moveTo(x, y - size);
      context.lineTo(x + size, y);
      context.lineTo(x, y + size);
      context.lineTo(x - size, y);
      context.closePath();
      context.fill();
      return;
    case 'partitioned':
    case 'healed':
      return;
    default:
      mark.kind satisfies never;
  }
}
