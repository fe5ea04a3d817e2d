import type { SideName } from './protocol.ts';

/** How the clock moves a side: `until` steps forward to a time, `seek` goes back or forward. */
export type MoveKind = 'until' | 'seek';

/** Longest wall-clock gap one tick catches up (a background tab does not burst on return). */
export const tickGapMsMax = 250;

/**
 * The compare page's clock, which both sides follow. Neither side plays on its own: each tick
 * asks both to step to the same simulated time, and the next time is set only when both have
 * answered (lockstep). So while paused the sides are at exactly the same time, and while playing
 * they differ by at most one tick's advance, for as long as the slower side takes to get there;
 * a slow side slows the pair instead of letting them drift.
 */
export class CompareClock {
  private readonly move: (side: SideName, kind: MoveKind, timeUs: number) => void;
  private readonly outstanding = new Map<SideName, number>();
  private readonly holds = new Set<SideName>();
  private targetValue = 0;
  private playing = false;
  private speedValue = 1;
  private lastWallMs = 0;

  constructor(move: (side: SideName, kind: MoveKind, timeUs: number) => void) {
    this.move = move;
  }

  /** The simulated time both sides are (or are being brought) at. */
  get targetUs(): number {
    return this.targetValue;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  get speed(): number {
    return this.speedValue;
  }

  /** Whether a side still has a request to answer or is held (a mirrored command in progress). */
  isBusy(side: SideName): boolean {
    return (this.outstanding.get(side) ?? 0) > 0 || this.holds.has(side);
  }

  setSpeed(speed: number): void {
    this.speedValue = speed;
  }

  play(nowMs: number): void {
    this.playing = true;
    this.lastWallMs = nowMs;
  }

  pause(): void {
    this.playing = false;
  }

  /**
   * Advances both sides by the wall time since the last advance times the speed, once both have
   * answered the previous step; returns whether it sent anything.
   */
  tick(nowMs: number): boolean {
    if (!this.playing || this.isBusy('a') || this.isBusy('b')) return false;
    const elapsedMs = Math.min(Math.max(0, nowMs - this.lastWallMs), tickGapMsMax);
    const advanceUs = Math.round(elapsedMs * this.speedValue * 1000);
    if (advanceUs <= 0) return false;
    this.lastWallMs = nowMs;
    this.targetValue += advanceUs;
    this.sendBoth('until');
    return true;
  }

  /** Pauses and moves both sides forward by `deltaUs`. */
  stepBy(deltaUs: number): void {
    this.pause();
    this.targetValue += Math.max(0, Math.round(deltaUs));
    this.sendBoth('until');
  }

  /** Pauses and moves both sides to `timeUs` (back or forward). */
  seekTo(timeUs: number): void {
    this.pause();
    this.targetValue = Math.max(0, Math.round(timeUs));
    this.sendBoth('seek');
  }

  /** Sets the shared time without moving anyone (when both sides opened at a position). */
  setTarget(timeUs: number): void {
    this.targetValue = Math.max(0, Math.round(timeUs));
  }

  /** Brings one side back to the shared time (after it loaded a run or applied a command). */
  realign(side: SideName): void {
    this.send(side, 'seek');
  }

  /** A side answered one request. */
  acknowledge(side: SideName): void {
    this.outstanding.set(side, Math.max(0, (this.outstanding.get(side) ?? 0) - 1));
  }

  /** Keeps ticks from moving a side until `release` (it is busy with something else). */
  hold(side: SideName): void {
    this.holds.add(side);
  }

  release(side: SideName): void {
    this.holds.delete(side);
  }

  private sendBoth(kind: MoveKind): void {
    this.send('a', kind);
    this.send('b', kind);
  }

  private send(side: SideName, kind: MoveKind): void {
    this.outstanding.set(side, (this.outstanding.get(side) ?? 0) + 1);
    this.move(side, kind, this.targetValue);
  }
}
