/**
 * Windowing for a fixed-row-height list: which rows a scroll position shows. The list renders
 * only those (plus a few either side), so its cost does not grow with the number of rows.
 */

export interface RowWindowInput {
  readonly scrollTop: number;
  /** Height of the visible area, in pixels. */
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly rowCount: number;
  /** Extra rows rendered above and below the visible ones, so fast scrolling shows no gap. */
  readonly overscan: number;
}

export interface RowWindow {
  /** First rendered row. */
  readonly start: number;
  /** One past the last rendered row. */
  readonly end: number;
  /** Where the first rendered row sits, in pixels from the top of the list. */
  readonly offsetTop: number;
  /** Height of the whole list, so the scrollbar matches the row count. */
  readonly totalHeight: number;
}

export function rowWindow(input: RowWindowInput): RowWindow {
  const rowHeight = Math.max(1, input.rowHeight);
  const rowCount = Math.max(0, Math.floor(input.rowCount));
  const totalHeight = rowCount * rowHeight;
  const maxScroll = Math.max(0, totalHeight - Math.max(0, input.viewportHeight));
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxScroll);
  const overscan = Math.max(0, Math.floor(input.overscan));
  const firstVisible = Math.floor(scrollTop / rowHeight);
  const visibleCount = Math.ceil(Math.max(0, input.viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(rowCount, firstVisible + visibleCount + overscan);
  return { start, end: Math.max(start, end), offsetTop: start * rowHeight, totalHeight };
}

/** Whether a scroll position shows the end of the list (within `tolerance` pixels). */
export function isAtBottom(
  scrollTop: number,
  viewportHeight: number,
  scrollHeight: number,
  tolerance: number,
): boolean {
  return scrollTop + viewportHeight >= scrollHeight - tolerance;
}

/**
 * Position of the first item whose key is at least `target` in a list sorted by key (the list's
 * length when there is none). Keeps a scrolled-up log on the same rows while old rows are
 * trimmed off its top.
 */
export function firstAtOrAfter<T>(
  items: readonly T[],
  keyOf: (item: T) => number,
  target: number,
): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyOf(items[middle] as T) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
