/**
 * The arithmetic of the message animation, kept apart from the canvas so that it can be tested:
 * where a message is at a given time, and which simulated time the animation shows between two
 * frames from the worker.
 */

export interface MutablePoint {
  x: number;
  y: number;
}

/** Wall time between worker frames while playing (the host's slice interval). */
export const sliceMs = 16;
/**
 * How far past the latest frame the animation may extrapolate, in wall time: the next frame is
 * due about one slice after the latest, so this lets the display run at most one slice ahead.
 */
export const extrapolationMaxMs = 2 * sliceMs;

/** Fraction of its trip a message has covered at `timeUs`: 0 at `sentUs`, 1 at `dueUs`. */
export function progressAt(sentUs: number, dueUs: number, timeUs: number): number {
  if (!(dueUs > sentUs)) return 1;
  const progress = (timeUs - sentUs) / (dueUs - sentUs);
  if (!(progress > 0)) return 0;
  return progress >= 1 ? 1 : progress;
}

/**
 * The point `progress` of the way from (ax, ay) to (bx, by), writing into `out` (no allocation).
 * Each end is trimmed by `trimPx` so dots travel from node edge to node edge (less when the
 * nodes are close), and the point is moved `lanePx` to the right of the direction of travel so
 * that messages going opposite ways along one link do not cover each other.
 */
export function pointOnLink(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  progress: number,
  trimPx: number,
  lanePx: number,
  out: MutablePoint,
): MutablePoint {
  const dx = bx - ax;
  const dy = by - ay;
  const length = Math.sqrt(dx * dx + dy * dy);
  if (length < 1e-9) {
    out.x = ax;
    out.y = ay;
    return out;
  }
  const unitX = dx / length;
  const unitY = dy / length;
  const trim = length > 2 * trimPx ? trimPx : length * 0.25;
  const along = trim + (length - 2 * trim) * progress;
  // In screen coordinates (y down), (-unitY, unitX) points to the right of travel.
  out.x = ax + unitX * along - unitY * lanePx;
  out.y = ay + unitY * along + unitX * lanePx;
  return out;
}

/** Opacity of a fading mark `ageMs` after it appeared, for a mark that lives `lifeMs`. */
export function fadeAlpha(ageMs: number, lifeMs: number): number {
  if (!(ageMs > 0)) return 1;
  return ageMs >= lifeMs ? 0 : 1 - ageMs / lifeMs;
}

/**
 * The simulated time the animation shows. Frames arrive once per slice; between them the clock
 * runs on at wall time × speed from the latest frame, but at most `extrapolationMaxMs` past it,
 * never while paused, and never backwards while playing (a frame that lags the estimate holds
 * the display still until it catches up, rather than making dots jump back). A frame earlier
 * than the one before (a seek or reload), a change of speed or a paused frame resets the display
 * to the truth.
 */
export class DisplayClock {
  private frameTimeUs = 0;
  private frameWallMs = 0;
  private speed = 1;
  private isPlaying = false;
  private shownUs = 0;

  /** Takes a new frame's time, its wall arrival time and its playback state. */
  onFrame(timeUs: number, wallMs: number, speed: number, isPlaying: boolean): void {
    const isRewind = timeUs < this.frameTimeUs || speed !== this.speed;
    this.frameTimeUs = timeUs;
    this.frameWallMs = wallMs;
    this.speed = speed;
    this.isPlaying = isPlaying;
    if (isRewind || !isPlaying) this.shownUs = timeUs;
  }

  /** The time to show at wall time `wallMs`; `isExtrapolating` false shows the frame's time. */
  timeAt(wallMs: number, isExtrapolating = true): number {
    if (!this.isPlaying || !isExtrapolating) {
      this.shownUs = this.frameTimeUs;
      return this.shownUs;
    }
    const elapsedMs = Math.min(Math.max(wallMs - this.frameWallMs, 0), extrapolationMaxMs);
    const estimateUs = this.frameTimeUs + elapsedMs * this.speed * 1000;
    const ceilingUs = this.frameTimeUs + extrapolationMaxMs * this.speed * 1000;
    this.shownUs = Math.min(Math.max(this.shownUs, estimateUs), ceilingUs);
    return this.shownUs;
  }

  /** Whether the display still changes with wall time (the animation must keep drawing). */
  get isRunning(): boolean {
    return this.isPlaying;
  }
}

/**
 * Wall time a message takes at least to cross its link on screen. At the speeds that make a
 * storyline watchable (1× and up), a message on a millisecond link is in flight for a fraction
 * of one animation frame and would never be seen; stretched to this it reads as a dot moving
 * from sender to receiver. The stretch is display only: the frame still says where the
 * simulation is, and a paused or scrubbed view shows the truth.
 */
export const minVisibleFlightMs = 450;

/**
 * How far along its link to draw a message seen on screen since `seenMs`: its simulated
 * progress, but never faster than crossing the whole link in `minVisibleMs` of wall time. Once
 * delivered (`simProgress` 1) it finishes its trip at that pace.
 */
export function shownProgress(
  simProgress: number,
  seenMs: number,
  nowMs: number,
  minVisibleMs: number = minVisibleFlightMs,
): number {
  const wall = minVisibleMs > 0 ? Math.max(0, nowMs - seenMs) / minVisibleMs : 1;
  return Math.min(simProgress, wall >= 1 ? 1 : wall);
}
