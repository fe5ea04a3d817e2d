/**
 * The practical limit the engine queue is measured against (BENCHMARKS.md): a bare binary
 * min-heap over three parallel typed arrays, ordered by (time, seq) so ties are total and FIFO.
 *
 * There is deliberately no class, no growth, no bounds checks and no object holding the count:
 * the caller owns the arrays (sized for its peak) and the entry count in a local variable, and
 * these two functions are small enough for V8 to inline into the caller's loop. Anything the
 * engine queue does beyond this (a `this` to load fields from, a capacity check, a sequence
 * counter, a return value) is the overhead the `engine/bare` ratio shows.
 */

/** The three parallel arrays of a bare heap; entry i is (times[i], seqs[i], payloads[i]). */
export interface BareHeapArrays {
  readonly times: Float64Array;
  readonly seqs: Float64Array;
  readonly payloads: Int32Array;
}

/** Preallocates a bare heap for at most `capacity` simultaneous entries. */
export function createBareHeap(capacity: number): BareHeapArrays {
  return {
    times: new Float64Array(capacity),
    seqs: new Float64Array(capacity),
    payloads: new Int32Array(capacity),
  };
}

/**
 * Inserts (time, seq, payload) into a heap that holds `count` entries; the caller then
 * increments its count. Sift up: parents that sort after the new entry move down one level.
 */
export function bareHeapPush(
  times: Float64Array,
  seqs: Float64Array,
  payloads: Int32Array,
  count: number,
  time: number,
  seq: number,
  payload: number,
): void {
  let index = count;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    const parentTime = times[parent] as number;
    if (parentTime < time || (parentTime === time && (seqs[parent] as number) < seq)) break;
    times[index] = parentTime;
    seqs[index] = seqs[parent] as number;
    payloads[index] = payloads[parent] as number;
    index = parent;
  }
  times[index] = time;
  seqs[index] = seq;
  payloads[index] = payload;
}

/**
 * Removes the root of a heap whose last entry is at index `last` (the count after removal);
 * the caller reads times[0] and payloads[0] first and decrements its count. Sift down: the last
 * entry descends from the root, smaller children moving up one level.
 */
export function bareHeapRemoveRoot(
  times: Float64Array,
  seqs: Float64Array,
  payloads: Int32Array,
  last: number,
): void {
  if (last === 0) return;
  const time = times[last] as number;
  const seq = seqs[last] as number;
  const payload = payloads[last] as number;
  const half = last >> 1;
  let index = 0;
  while (index < half) {
    let child = 2 * index + 1;
    let childTime = times[child] as number;
    let childSeq = seqs[child] as number;
    const right = child + 1;
    if (right < last) {
      const rightTime = times[right] as number;
      const rightSeq = seqs[right] as number;
      if (rightTime < childTime || (rightTime === childTime && rightSeq < childSeq)) {
        child = right;
        childTime = rightTime;
        childSeq = rightSeq;
      }
    }
    if (time < childTime || (time === childTime && seq < childSeq)) break;
    times[index] = childTime;
    seqs[index] = childSeq;
    payloads[index] = payloads[child] as number;
    index = child;
  }
  times[index] = time;
  seqs[index] = seq;
  payloads[index] = payload;
}
