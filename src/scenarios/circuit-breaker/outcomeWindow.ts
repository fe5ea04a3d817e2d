/**
 * The breaker's sliding window: the outcomes of the latest calls, oldest first, each with its
 * finish time, and how many of them failed or were slow, so the rates are read without a pass
 * over the window. Plain immutable data, like the rest of a node's state [1].
 *
 * Outcomes sit in chunks of `chunkSize`. A full chunk never changes and is shared by every
 * later version of the window; recording an outcome copies only the newest, partly filled
 * chunk, and the list of full chunks is copied only when a chunk fills up or the last of its
 * outcomes leaves the window. So a call costs about the same whether the window holds the
 * twenty calls of a count window or the tens of thousands a two-minute time window collects
 * under full load [2].
 *
 * [1] Never changed in place: a checkpoint that holds a window sees it as it was.
 * [2] A plain array copied on every call cost time in proportion to the window: a long time
 *     window at a high request rate made every call slower the longer the run went on.
 */

/** One outcome: bit 0 set for a failure, bit 1 for a slow call. */
export type OutcomeBits = number;
export const failureBit = 1;
export const slowBit = 2;

const chunkSize = 16;

/**
 * Outcomes and their finish times, oldest first. Only a time window records times: in a count
 * window they are not kept at all (and any left from an earlier time window are not read).
 */
export interface OutcomeChunk {
  readonly bits: readonly OutcomeBits[];
  readonly timesUs: readonly number[];
}

export interface OutcomeWindow {
  /** Full chunks, oldest first; the first `head` outcomes of the first one have left. */
  readonly full: readonly OutcomeChunk[];
  readonly head: number;
  /** The newest outcomes, fewer than a chunk. */
  readonly tail: OutcomeChunk;
  /** Outcomes in the window, and how many of them failed and were slow. */
  readonly calls: number;
  readonly failures: number;
  readonly slow: number;
  /**
   * Whether every outcome was recorded by a time window, so its finish time places it; a count
   * window (or a half-open period) records outcomes a time window cannot place.
   */
  readonly isTimed: boolean;
}

const emptyChunk: OutcomeChunk = { bits: [], timesUs: [] };

export const emptyWindow: OutcomeWindow = {
  full: [],
  head: 0,
  tail: emptyChunk,
  calls: 0,
  failures: 0,
  slow: 0,
  isTimed: false,
};

function failedOf(bits: OutcomeBits): number {
  return bits & failureBit;
}

function slowOf(bits: OutcomeBits): number {
  return (bits & slowBit) >> 1;
}

/** The window with one more outcome, finished at `timeUs`, recorded by a time window or not. */
export function appended(
  window: OutcomeWindow,
  bits: OutcomeBits,
  timeUs: number,
  isTimed: boolean,
): OutcomeWindow {
  const tailBits = window.tail.bits.slice();
  tailBits.push(bits);
  const tail: OutcomeChunk = {
    bits: tailBits,
    timesUs: isTimed ? [...window.tail.timesUs, timeUs] : window.tail.timesUs,
  };
  const isFull = tailBits.length === chunkSize;
  return {
    full: isFull ? [...window.full, tail] : window.full,
    head: window.head,
    tail: isFull ? emptyChunk : tail,
    calls: window.calls + 1,
    failures: window.failures + failedOf(bits),
    slow: window.slow + slowOf(bits),
    isTimed,
  };
}

/** The window without its oldest outcome (the same window when it is empty). */
export function withoutOldest(window: OutcomeWindow): OutcomeWindow {
  const first = window.full[0];
  if (first !== undefined) {
    const bits = first.bits[window.head] ?? 0;
    const head = window.head + 1;
    const isSpent = head === first.bits.length;
    return {
      ...window,
      full: isSpent ? window.full.slice(1) : window.full,
      head: isSpent ? 0 : head,
      calls: window.calls - 1,
      failures: window.failures - failedOf(bits),
      slow: window.slow - slowOf(bits),
    };
  }
  const bits = window.tail.bits[0];
  if (bits === undefined) return window;
  const timesUs = window.isTimed ? window.tail.timesUs.slice(1) : window.tail.timesUs;
  return {
    ...window,
    tail: { bits: window.tail.bits.slice(1), timesUs },
    calls: window.calls - 1,
    failures: window.failures - failedOf(bits),
    slow: window.slow - slowOf(bits),
  };
}

/** The finish time of the oldest outcome; undefined when the window is empty. */
export function oldestTimeUs(window: OutcomeWindow): number | undefined {
  const first = window.full[0];
  return first !== undefined ? first.timesUs[window.head] : window.tail.timesUs[0];
}

/** The outcomes, oldest first (for tests and inspection; the breaker reads the counts). */
export function outcomesOf(window: OutcomeWindow): OutcomeBits[] {
  const outcomes: OutcomeBits[] = [];
  window.full.forEach((chunk, index) =>
    outcomes.push(...chunk.bits.slice(index === 0 ? window.head : 0)),
  );
  outcomes.push(...window.tail.bits);
  return outcomes;
}

/** The finish times a time window places its outcomes by, oldest first; none otherwise. */
export function timesOf(window: OutcomeWindow): number[] {
  if (!window.isTimed) return [];
  const times: number[] = [];
  window.full.forEach((chunk, index) =>
    times.push(...chunk.timesUs.slice(index === 0 ? window.head : 0)),
  );
  times.push(...window.tail.timesUs);
  return times;
}
