import type { NodeId } from '../../engine/types.ts';
import type { InFlight, OverflowPolicy, QueueEntry } from './brokerTypes.ts';

/**
 * Pure operations on one subscription queue (arrays in arrival order, never changed in place:
 * each operation returns a fresh copy, built with `slice` and index writes, which V8 does far
 * faster than spreads of slices). Numbered notes refer to broker.ts.
 */

export function isFull(queue: readonly QueueEntry[], capacity: number): boolean {
  return queue.length >= capacity;
}

/**
 * [4] Appends `entry`. With drop-oldest and a full queue it first drops the oldest message that
 * is not out for delivery (the oldest of all when every one is), so the queue keeps its length:
 * that is how the caller tells a drop. Block-publisher never reaches a full queue here: the
 * publish was refused before.
 */
export function enqueue(
  queue: readonly QueueEntry[],
  entry: QueueEntry,
  capacity: number,
  policy: OverflowPolicy,
): readonly QueueEntry[] {
  if (policy === 'block-publisher' || !isFull(queue, capacity)) {
    const next = queue.slice();
    next.push(entry);
    return next;
  }
  let at = 0;
  while (at < queue.length && (queue[at] as QueueEntry).inFlight !== null) at++;
  if (at === queue.length) at = 0;
  const next = queue.slice();
  next.splice(at, 1);
  next.push(entry);
  return next;
}

/**
 * [5] The index of the next message to deliver to `session`, or −1. A message is out for
 * delivery while it was sent in this session and its deadline has not passed; such a message
 * holds back every later message of the same publisher, which keeps each publisher's order.
 */
export function pickNext(queue: readonly QueueEntry[], session: number, nowUs: number): number {
  // Publishers held back so far; allocated only once a message is found out for delivery.
  let heldBack: NodeId[] | null = null;
  for (let index = 0; index < queue.length; index++) {
    const entry = queue[index] as QueueEntry;
    if (isOutForDelivery(entry.inFlight, session, nowUs)) {
      (heldBack ??= []).push(entry.publisher);
    } else if (heldBack === null || !heldBack.includes(entry.publisher)) {
      return index;
    }
  }
  return -1;
}

/** The earliest ack deadline among the messages out for delivery to `session` (Infinity: none). */
export function earliestDeadlineUs(
  queue: readonly QueueEntry[],
  session: number,
  nowUs: number,
): number {
  let earliest = Infinity;
  for (const entry of queue) {
    if (isOutForDelivery(entry.inFlight, session, nowUs)) {
      earliest = Math.min(earliest, (entry.inFlight as InFlight).deadlineUs);
    }
  }
  return earliest;
}

function isOutForDelivery(inFlight: InFlight | null, session: number, nowUs: number): boolean {
  return inFlight !== null && inFlight.session === session && inFlight.deadlineUs > nowUs;
}

/** The queue without message `(publisher, seq)`; the same array when it is not there. */
export function removeMessage(
  queue: readonly QueueEntry[],
  publisher: NodeId,
  seq: number,
): readonly QueueEntry[] {
  for (let at = 0; at < queue.length; at++) {
    const entry = queue[at] as QueueEntry;
    if (entry.publisher === publisher && entry.seq === seq) return replaceAt(queue, at, null);
  }
  return queue;
}

/** The queue with the entry at `index` replaced by `entry`, or removed when it is null. */
export function replaceAt(
  queue: readonly QueueEntry[],
  index: number,
  entry: QueueEntry | null,
): readonly QueueEntry[] {
  const next = queue.slice();
  if (entry === null) next.splice(index, 1);
  else next[index] = entry;
  return next;
}

/** [6] After a restart nothing is out for delivery: every message may be delivered again. */
export function withNothingInFlight(queue: readonly QueueEntry[]): readonly QueueEntry[] {
  return queue.some((entry) => entry.inFlight !== null)
    ? queue.map((entry) => (entry.inFlight === null ? entry : { ...entry, inFlight: null }))
    : queue;
}
