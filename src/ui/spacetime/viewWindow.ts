import type { TimeWindow } from './content.ts';

/**
 * Which stretch of simulated time the diagram shows. By default it follows the time shown (the
 * window ends "now", so it moves with the animation and the scrubber); zooming changes its span,
 * and panning while paused pins its end to an earlier time until it is panned back to now.
 */

/** The narrowest window. */
export const spanMinUs = 10_000;
/** The window a run opens with: the last few simulated seconds. */
export const spanDefaultUs = 3_000_000;
/** Each zoom step halves or doubles the span. */
export const zoomFactor = 2;

/** The window's span and, when pinned, its end (null: it ends at the time shown). */
export interface ViewWindow {
  readonly spanUs: number;
  readonly pinnedEndUs: number | null;
}

/** The view a run opens with. */
export const followingView: ViewWindow = { spanUs: spanDefaultUs, pinnedEndUs: null };

/** Room left on each side of a stretch the window is fitted to, as a fraction of the stretch. */
const fitMarginFraction = 0.15;

/**
 * A window that shows `[fromUs, toUs]` whole with a little room on each side (at least the
 * narrowest span, at most `spanMaxUs`, then the stretch's end), pinned so it stays there while
 * paused.
 */
export function viewAround(fromUs: number, toUs: number, spanMaxUs: number): ViewWindow {
  const lengthUs = Math.max(0, toUs - fromUs);
  const marginUs = Math.round(lengthUs * fitMarginFraction);
  const spanUs = Math.min(spanMaxUs, Math.max(spanMinUs, lengthUs + 2 * marginUs));
  // Centred when the stretch is narrower than the span; its end shown when it is wider.
  return { spanUs, pinnedEndUs: toUs + Math.max(0, Math.round((spanUs - lengthUs) / 2)) };
}

/**
 * The widest window allowed: the whole kept history (never less than the default span, so a
 * young run can still be seen at the default zoom).
 */
export function spanMaxFor(historyStartUs: number, nowUs: number): number {
  return Math.max(spanDefaultUs, nowUs - historyStartUs);
}

/**
 * The window to draw at time `nowUs`. It never ends after now (a pinned end past now, after a
 * seek back, snaps to now) and never starts before 0 (early in a run it is [0, span], with now
 * inside it).
 */
export function windowAt(view: ViewWindow, nowUs: number): TimeWindow {
  const endUs = view.pinnedEndUs === null ? nowUs : Math.min(view.pinnedEndUs, nowUs);
  const startUs = endUs - view.spanUs;
  return startUs < 0 ? { startUs: 0, endUs: view.spanUs } : { startUs, endUs };
}

/**
 * Zooms by `factor` (below 1 zooms in) keeping `anchorUs` where it is on screen; a following
 * window stays following (it is anchored at now). The span stays within [spanMinUs, spanMaxUs].
 */
export function zoomView(
  view: ViewWindow,
  factor: number,
  nowUs: number,
  spanMaxUs: number,
  anchorUs?: number,
): ViewWindow {
  const spanUs = Math.round(Math.min(spanMaxUs, Math.max(spanMinUs, view.spanUs * factor)));
  if (view.pinnedEndUs === null) return { spanUs, pinnedEndUs: null };
  const window = windowAt(view, nowUs);
  const anchor = anchorUs ?? (window.startUs + window.endUs) / 2;
  const fraction = (anchor - window.startUs) / Math.max(1, window.endUs - window.startUs);
  const endUs = anchor + (1 - fraction) * spanUs;
  return endUs >= nowUs ? { spanUs, pinnedEndUs: null } : { spanUs, pinnedEndUs: endUs };
}

/**
 * Moves the window by `deltaUs` (negative: back in time). It cannot end before `historyStartUs`
 * plus one span's worth of room, and moving it to now or later makes it follow again.
 */
export function panView(
  view: ViewWindow,
  deltaUs: number,
  nowUs: number,
  historyStartUs: number,
): ViewWindow {
  const window = windowAt(view, nowUs);
  const earliestEndUs = Math.min(nowUs, historyStartUs + view.spanUs);
  const endUs = Math.max(earliestEndUs, window.endUs + deltaUs);
  return endUs >= nowUs ? { ...view, pinnedEndUs: null } : { ...view, pinnedEndUs: endUs };
}

/** What a key pressed on the diagram asks for. */
export type WindowKeyCommand = 'zoom-in' | 'zoom-out' | 'follow' | 'pan-back' | 'pan-forward';

/**
 * The command for a key on the diagram, or null when the diagram leaves the key to the page:
 * + and − zoom, End returns to now, and the left and right arrows pan, but only while paused
 * (while playing, → keeps its page-wide meaning of stepping).
 */
export function windowKeyCommand(key: string, isPlaying: boolean): WindowKeyCommand | null {
  if (key === '+' || key === '=') return 'zoom-in';
  if (key === '-' || key === '_' || key === '−') return 'zoom-out';
  if (key === 'End') return 'follow';
  if (isPlaying) return null;
  if (key === 'ArrowLeft') return 'pan-back';
  if (key === 'ArrowRight') return 'pan-forward';
  return null;
}

/** A span as words for the controls: "3 s", "250 ms", "1.5 s". */
export function formatSpan(spanUs: number): string {
  if (spanUs >= 1_000_000) return `${trimNumber(spanUs / 1_000_000)} s`;
  return `${trimNumber(spanUs / 1000)} ms`;
}

function trimNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}
