import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Timing helpers shared by every figure: interleaved repetitions, medians, a full garbage
 * collection between timed runs, and number formatting.
 */

/** Something to time: a name and one run. */
export interface Contender<R> {
  readonly name: string;
  readonly run: () => R;
}

/** The timed runs of one contender (warm-up runs excluded). */
export interface Timings<R> {
  readonly name: string;
  readonly wallMs: number[];
  readonly results: R[];
}

/** How many runs to throw away and how many to keep. */
export interface RepetitionPlan {
  readonly warmupCount: number;
  readonly repetitionCount: number;
}

function findGarbageCollector(): { collect: () => void; source: string } | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return { collect: exposed, source: 'node --expose-gc' };
  try {
    // `npm run bench` starts Node without --expose-gc. Setting the flag at run time and reading
    // `gc` from a fresh context is the documented V8 way to get the function afterwards.
    setFlagsFromString('--expose-gc');
    const late: unknown = runInNewContext('gc');
    if (typeof late === 'function') {
      return { collect: late as () => void, source: 'v8.setFlagsFromString' };
    }
  } catch {
    // No collector: runs still work, with noisier times and memory samples.
  }
  return null;
}

const collector = findGarbageCollector();

/** Where the full-GC function came from, or null when none is available. */
export const garbageCollectorSource: string | null = collector?.source ?? null;

/** A full, synchronous garbage collection when available (a no-op otherwise). */
export function collectGarbage(): void {
  collector?.collect();
}

/**
 * Runs the contenders in rounds, A, B, C, then B, C, A, and so on (the first of a round rotates,
 * so no contender always follows the same one), with a full GC before each run so one
 * contender's garbage is not collected on another's clock. The first `warmupCount` rounds are
 * discarded. `onRound` sees each round's results, to check them as they come.
 */
export function interleave<R>(
  contenders: readonly Contender<R>[],
  plan: RepetitionPlan,
  onRound?: (round: number, results: readonly R[]) => void,
): Timings<R>[] {
  const timings = contenders.map((contender) => ({
    name: contender.name,
    wallMs: [] as number[],
    results: [] as R[],
  }));
  const roundCount = plan.warmupCount + plan.repetitionCount;
  for (let round = 0; round < roundCount; round++) {
    const roundResults = new Array<R>(contenders.length);
    for (let k = 0; k < contenders.length; k++) {
      const index = (round + k) % contenders.length;
      const contender = contenders[index] as Contender<R>;
      collectGarbage();
      const started = performance.now();
      const result = contender.run();
      const wallMs = performance.now() - started;
      roundResults[index] = result;
      if (round >= plan.warmupCount) {
        const timing = timings[index] as Timings<R>;
        timing.wallMs.push(wallMs);
        timing.results.push(result);
      }
    }
    onRound?.(round, roundResults);
  }
  return timings;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Millions of events per second for `events` in `wallMs`. */
export function millionsPerSecond(events: number, wallMs: number): number {
  return events / wallMs / 1000;
}

/** A rate in M events/s with three significant digits. */
export function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
}

/** A ratio such as `2.71x`. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

/** `median 12.3 ms (min 11.9, max 13.0, n 5)` for a list of wall times. */
export function describeWallTimes(wallMs: readonly number[]): string {
  const min = Math.min(...wallMs);
  const max = Math.max(...wallMs);
  return (
    `median ${median(wallMs).toFixed(1)} ms ` +
    `(min ${min.toFixed(1)}, max ${max.toFixed(1)}, n ${wallMs.length})`
  );
}

/** Bytes as MB with one decimal. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
