import type { Moment, MomentSpec } from '../../engine/types.ts';

/** How long a sentence stays on the caption line while the run plays, in wall milliseconds. */
export const sentenceHoldMs = 2500;

/** What the caption line says: one moment, or the latest of several that went by. */
export interface Caption {
  /** The moment the caption names. */
  readonly moment: Moment;
  /** Moments that went by since the previous caption without being shown. */
  readonly skipped: number;
  /** "2 × conflict retried, 1 × snapshot taken": the skipped ones by kind, or ''. */
  readonly skippedText: string;
}

/** Index of the last moment at or before `timeUs` (-1 if none): moments are in time order. */
export function lastAtOrBefore(moments: readonly Moment[], timeUs: number): number {
  let low = 0;
  let high = moments.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((moments[mid]?.timeUs ?? Infinity) <= timeUs) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/**
 * The caption pacer: while the run plays, a sentence stays at least `sentenceHoldMs` of wall
 * time; what happened meanwhile is summarised into the next caption ("and 3 more: …"). Paused, or
 * after a jump back, the caption is the latest moment at once.
 */
export class NarrationPace {
  private shownIndex = -1;
  private shownAtMs = Number.NEGATIVE_INFINITY;
  /** First of the moments the current caption covers (the skipped ones, then the one shown). */
  private skippedFrom = 0;

  /** The caption for the run at `timeUs`, at wall time `nowMs`; null before the first moment. */
  caption(
    moments: readonly Moment[],
    specs: readonly MomentSpec[],
    timeUs: number,
    isPlaying: boolean,
    nowMs: number,
  ): Caption | null {
    const latest = lastAtOrBefore(moments, timeUs);
    const isJumpBack = latest < this.shownIndex;
    const isHeld = isPlaying && !isJumpBack && nowMs - this.shownAtMs < sentenceHoldMs;
    if (latest !== this.shownIndex && !isHeld) {
      const from = isJumpBack || !isPlaying ? latest : this.shownIndex + 1;
      this.skippedFrom = Math.max(0, from);
      this.shownIndex = latest;
      this.shownAtMs = nowMs;
    }
    const moment = moments[this.shownIndex];
    if (moment === undefined) return null;
    const skippedMoments = moments.slice(this.skippedFrom, this.shownIndex);
    return {
      moment,
      skipped: skippedMoments.length,
      skippedText: countByKind(skippedMoments, specs),
    };
  }

  /** Milliseconds until the held caption may change (for a timer), or null if it is not held. */
  holdLeftMs(nowMs: number): number | null {
    const left = this.shownAtMs + sentenceHoldMs - nowMs;
    return left > 0 ? left : null;
  }
}

/** "2 × conflict retried, 1 × snapshot taken", in the order the scenario declares its kinds. */
export function countByKind(moments: readonly Moment[], specs: readonly MomentSpec[]): string {
  return specs
    .map((spec) => ({
      label: spec.label.toLowerCase(),
      count: moments.filter((moment) => moment.kind === spec.id).length,
    }))
    .filter(({ count }) => count > 0)
    .map(({ label, count }) => `${String(count)} × ${label}`)
    .join(', ');
}
