/**
 * Sets of sequence numbers kept as sorted, disjoint, inclusive ranges: `[[1, 40], [43, 97]]`.
 * Processed and acknowledged messages are nearly contiguous, so a set of thousands of numbers is
 * a handful of pairs: cheap to copy into a new state on every change and to clone into a
 * checkpoint. Every function returns a new array and leaves its argument alone.
 */

export type SeqRanges = readonly (readonly [number, number])[];

export const emptyRanges: SeqRanges = [];

/** Index of the first range whose end is ≥ seq (ranges.length when none). */
function firstEndingAtOrAfter(ranges: SeqRanges, seq: number): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ranges[middle] as readonly [number, number])[1] < seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first range holding a number above `after` (ranges.length when none). */
export function rangeIndexAbove(ranges: SeqRanges, after: number): number {
  return firstEndingAtOrAfter(ranges, after + 1);
}

/** Whether `seq` is in the set. */
export function hasSeq(ranges: SeqRanges | undefined, seq: number): boolean {
  if (ranges === undefined || ranges.length === 0) return false;
  const range = ranges[firstEndingAtOrAfter(ranges, seq)];
  return range !== undefined && range[0] <= seq;
}

/** The set with `seq` added (the same array when it was already there). */
export function addSeq(ranges: SeqRanges | undefined, seq: number): SeqRanges {
  const current = ranges ?? emptyRanges;
  const at = firstEndingAtOrAfter(current, seq);
  const next = current[at];
  if (next !== undefined && next[0] <= seq) return current;
  const previous = at > 0 ? current[at - 1] : undefined;
  const joinsPrevious = previous !== undefined && previous[1] === seq - 1;
  const joinsNext = next !== undefined && next[0] === seq + 1;
  const result = current.slice();
  if (joinsPrevious && joinsNext) {
    result.splice(at - 1, 2, [previous[0], next[1]]);
  } else if (joinsPrevious) {
    result[at - 1] = [previous[0], seq];
  } else if (joinsNext) {
    result[at] = [seq, next[1]];
  } else {
    result.splice(at, 0, [seq, seq]);
  }
  return result;
}

/** How many numbers the set holds. */
export function countSeqs(ranges: SeqRanges | undefined): number {
  let count = 0;
  for (const [first, last] of ranges ?? emptyRanges) count += last - first + 1;
  return count;
}

/** How many numbers the set holds up to `bound` (inclusive). */
export function countSeqsUpTo(ranges: SeqRanges | undefined, bound: number): number {
  let count = 0;
  for (const [first, last] of ranges ?? emptyRanges) {
    if (first > bound) break;
    count += Math.min(last, bound) - first + 1;
  }
  return count;
}

/** The largest number in the set, or 0 when it is empty. */
export function maxSeq(ranges: SeqRanges | undefined): number {
  const last = ranges?.at(-1);
  return last === undefined ? 0 : last[1];
}

/**
 * Calls `visit` with each number in the set above `after`, in increasing order, until `visit`
 * returns false.
 */
export function forEachSeqAbove(
  ranges: SeqRanges | undefined,
  after: number,
  visit: (seq: number) => boolean,
): void {
  const current = ranges ?? emptyRanges;
  for (let index = firstEndingAtOrAfter(current, after + 1); index < current.length; index++) {
    const [first, last] = current[index] as readonly [number, number];
    for (let seq = Math.max(first, after + 1); seq <= last; seq++) {
      if (!visit(seq)) return;
    }
  }
}
