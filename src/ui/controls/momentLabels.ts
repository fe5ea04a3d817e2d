/**
 * Which moment ticks on the timeline get a written label: left to right, a label is written only
 * where it does not run into the previous written one, so labels never overlap however many
 * moments a run has (the rest keep their tick, name and tooltip).
 */
export interface TickLabel {
  /** Horizontal position of the tick, 0-1 along the track. */
  readonly at: number;
  readonly text: string;
}

/** Approximate width of one character of the label font (0.7rem system sans), in pixels. */
export const labelCharPx = 6.2;
/** Space kept clear between two written labels, in pixels. */
export const labelGapPx = 10;

/**
 * Indices of the ticks whose label is written, for a track `trackPx` wide. A label is centred on
 * its tick but kept inside the track; `charPx` is the width of a character.
 */
export function writtenLabels(
  ticks: readonly TickLabel[],
  trackPx: number,
  charPx = labelCharPx,
): number[] {
  const written: number[] = [];
  let freeFromPx = Number.NEGATIVE_INFINITY;
  ticks.forEach((tick, index) => {
    const widthPx = tick.text.length * charPx;
    if (widthPx > trackPx) return;
    const left = labelLeftPx(tick.at, widthPx, trackPx);
    if (left < freeFromPx) return;
    written.push(index);
    freeFromPx = left + widthPx + labelGapPx;
  });
  return written;
}

/** Left edge of a label centred on its tick and clamped to the track. */
export function labelLeftPx(at: number, widthPx: number, trackPx: number): number {
  const centred = at * trackPx - widthPx / 2;
  return Math.min(trackPx - widthPx, Math.max(0, centred));
}
