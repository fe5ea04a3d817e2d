/**
 * How often the diagram may follow a playing run. Every new frame changes what it shows, and on a
 * big run (bench-mesh: 100 lanes, thousands of messages in the kept events) rebuilding and
 * repainting it costs more than a 60 Hz frame has; redrawn for every frame, it starved the
 * topology's animation. So the diagram measures what its own work costs and waits long enough
 * between redraws to keep its share of the page's main thread under `shareMax`, and a diagram
 * dense enough to be drawn as bundles redraws four times a second. A light run (a fraction of
 * a millisecond per redraw) still redraws every frame; a paused run, at once.
 */

/** The diagram's share of the main thread at most while the run plays. */
export const shareMax = 0.2;
/** The longest wait between redraws, however costly: the diagram still moves. */
export const waitMaxMs = 250;
/**
 * The wait at least while the diagram draws bundles (more messages in its window than it draws
 * one by one): an aggregate that changes four times a second reads as well as at 60, and its
 * thousand-odd thick strokes also cost the browser a raster the script cannot time.
 */
export const bundledWaitMs = 250;
/** Weight of the newest measurement in the running estimate of each part's cost. */
const smoothing = 0.3;

export class RedrawPace {
  private readonly costs = new Map<string, number>();
  /** Whether the latest redraw drew bundles. */
  private isBundled = false;

  /** Runs `work` (one part of a redraw: building, windowing, painting) and notes its cost. */
  time<T>(part: string, work: () => T, now: () => number = () => performance.now()): T {
    const started = now();
    const result = work();
    this.note(part, now() - started);
    return result;
  }

  /** Says whether the redraw being painted draws bundles (see `bundledWaitMs`). */
  noteBundled(isBundled: boolean): void {
    this.isBundled = isBundled;
  }

  note(part: string, costMs: number): void {
    const previous = this.costs.get(part);
    this.costs.set(
      part,
      previous === undefined ? costMs : previous + smoothing * (costMs - previous),
    );
  }

  /** The estimated cost of one redraw, all parts together. */
  costMs(): number {
    let sum = 0;
    for (const cost of this.costs.values()) sum += cost;
    return sum;
  }

  /** The wait between redraws that keeps the diagram's share under `shareMax`. */
  waitMs(): number {
    const share = Math.min(waitMaxMs, (this.costMs() * (1 - shareMax)) / shareMax);
    return this.isBundled ? Math.max(bundledWaitMs, share) : share;
  }
}
