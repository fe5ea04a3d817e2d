import { speedMin } from './speedScale.ts';

/*
 * The speed a run actually plays at, measured on the page: simulated time advanced per second
 * of wall time over a short sliding window of the worker's frames, timed when the page receives
 * them. The worker advances each slice by wall time × speed but stops a slice at its wall
 * budget, so a heavy run falls behind the speed asked for and never catches up; this is how far
 * behind. Wall time is read on the page, not in the worker: it is what the person watches, and
 * frames the worker skipped while the page was busy (flow control) still count, since the next
 * frame carries the time they covered.
 */

/** Wall time the figure is measured over. */
export const achievedWindowMs = 2_000;
/** Least wall time of playing at one speed before there is a figure at all. */
export const achievedSpanMinMs = 750;
/** The figure changes at most this often, so it reads steadily and stays quiet. */
export const achievedRefreshMs = 1_000;
/** No frame for this long while playing counts as the run standing still (see `tick`). */
export const achievedStallMs = 1_000;
/** Below this share of the speed asked, the toolbar says what is achieved. */
export const achievedShownBelow = 0.95;

/** What the meter reads from a frame. */
export interface SpeedSample {
  readonly timeUs: number;
  readonly isPlaying: boolean;
  /** The speed asked for (the worker's, as the frame reports it). */
  readonly speed: number;
}

/**
 * Follows frames and says what speed the run reaches when that is clearly below the one asked:
 * `observe` returns the achieved speed to show (`formatAchieved` rounds it), or null when the run
 * keeps up, is paused, or has not played long enough at this speed to tell. Anything that breaks
 * the steady advance starts the window over: a pause (seeks, steps and loads pause the worker
 * and send a paused frame), a new speed, time going back.
 */
export class AchievedSpeedMeter {
  /** Wall ms and simulated µs of the frames in the window, oldest first. */
  private wall: number[] = [];
  private sim: number[] = [];
  private speed = Number.NaN;
  private shown: number | null = null;
  private shownAtMs = Number.NEGATIVE_INFINITY;

  observe(frame: SpeedSample, nowMs: number): number | null {
    const lastSim = this.sim[this.sim.length - 1];
    const isBreak =
      !frame.isPlaying ||
      frame.speed !== this.speed ||
      (lastSim !== undefined && frame.timeUs < lastSim);
    if (isBreak) this.restart(frame.speed);
    if (!frame.isPlaying) return null;
    this.wall.push(nowMs);
    this.sim.push(frame.timeUs);
    this.trim(nowMs);
    if (nowMs - this.shownAtMs < achievedRefreshMs && !isBreak) return this.shown;
    this.shown = this.lagging();
    this.shownAtMs = nowMs;
    return this.shown;
  }

  /**
   * For the time between frames: when no frame has come for `achievedStallMs` while playing (a
   * worker stuck in a long step, a page too busy to take frames), the run has not moved for
   * that long, and the figure says so instead of keeping its last value.
   */
  tick(nowMs: number): number | null {
    const last = this.wall[this.wall.length - 1];
    if (last === undefined || nowMs - last < achievedStallMs) return this.shown;
    this.trim(nowMs);
    this.shown = this.lagging(nowMs);
    this.shownAtMs = nowMs;
    return this.shown;
  }

  /**
   * The achieved speed over the window, unrounded; null while the window is too short. `nowMs`
   * ends the window later than the last frame when no frame has come since.
   */
  achieved(nowMs?: number): number | null {
    const first = this.wall[0];
    const lastFrame = this.wall[this.wall.length - 1];
    if (first === undefined || lastFrame === undefined) return null;
    const last = Math.max(lastFrame, nowMs ?? lastFrame);
    if (last - first < achievedSpanMinMs) return null;
    const simMs = ((this.sim[this.sim.length - 1] ?? 0) - (this.sim[0] ?? 0)) / 1000;
    return simMs / (last - first);
  }

  private lagging(nowMs?: number): number | null {
    const achieved = this.achieved(nowMs);
    if (achieved === null || achieved >= this.speed * achievedShownBelow) return null;
    return achieved;
  }

  private restart(speed: number): void {
    this.wall = [];
    this.sim = [];
    this.speed = speed;
    this.shown = null;
    this.shownAtMs = Number.NEGATIVE_INFINITY;
  }

  /** Drops samples older than the window, keeping one at or before its start as the base. */
  private trim(nowMs: number): void {
    let drop = 0;
    while (
      drop + 1 < this.wall.length &&
      (this.wall[drop + 1] ?? nowMs) <= nowMs - achievedWindowMs
    )
      drop++;
    if (drop === 0) return;
    this.wall.splice(0, drop);
    this.sim.splice(0, drop);
  }
}

/**
 * "340×", "0.6×", "0.25×": the achieved speed in the speed label's precision (whole numbers from
 * 10×, two significant digits below), rounded down so it never claims more than is reached;
 * "under 0.01×" for a run that barely moves.
 */
export function formatAchieved(speed: number): string {
  if (!(speed >= speedMin)) return `under ${String(speedMin)}×`;
  const digits = Math.max(0, 1 - Math.floor(Math.log10(speed)));
  const factor = 10 ** digits;
  // The small nudge keeps 0.29 (stored as 0.28999…) from showing as 0.28.
  return `${String(Math.floor(speed * factor + 1e-9) / factor)}×`;
}
