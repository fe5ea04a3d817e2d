import type { NodeId } from '../../engine/types.ts';
import type { InFlight, OverflowPolicy, QueueEntry } from './brokerTypes.ts';

/**
 * Pure operations on one subscription queue (arrays in arrival order, never changed in place).
 * Numbered notes refer to broker.ts.
 */

export function isFull(queue: readonly QueueEntry[], capacity: number): boolean {
  return queue.length >= capacity;
}

/**
 * [4] Appends `entry`. With drop-oldest and a full queue it first drops the oldest message that
 * is not out for delivery (the oldest of all when every one is); returns what it dropped.
 * Block-publisher never reaches a full queue here: the publish was refused before.
 */
export function enqueue(
  queue: readonly QueueEntry[],
  entry: QueueEntry,
  capacity: number,
  policy: OverflowPolicy,
): { readonly queue: readonly QueueEntry[]; readonly dropped: QueueEntry | null } {
  if (policy === 'block-publisher' || !isFull(queue, capacity)) {
    return { queue: [...queue, entry], dropped: null };
  }
  const waiting = queue.findIndex((each) => each.inFlight === null);
  const at = waiting >= 0 ? waiting : 0;
  const dropped = queue[at] ?? null;
  return { queue: [...queue.slice(0, at), ...queue.slice(at + 1), entry], dropped };
}

/**
 * [5] The index of the next message to deliver to `session`, or −1, with the earliest ack
 * deadline among messages out for delivery (Infinity when none). A message is out for delivery
 * while it was sent in this session and its deadline has not passed; such a message holds back
 * every later message of the same publisher, which keeps each publisher's order.
 */
export function pickNext(
  queue: readonly QueueEntry[],
  session: number,
  nowUs: number,
): { readonly index: number; readonly earliestDeadlineUs: number } {
  const heldBack = new Set<NodeId>();
  let earliestDeadlineUs = Infinity;
  for (let index = 0; index < queue.length; index++) {
    const entry = queue[index] as QueueEntry;
    if (isOutForDelivery(entry.inFlight, session, nowUs)) {
      heldBack.add(entry.publisher);
      earliestDeadlineUs = Math.min(earliestDeadlineUs, (entry.inFlight as InFlight).deadlineUs);
      continue;
    }
    if (!heldBack.has(entry.publisher)) return { index, earliestDeadlineUs };
  }
  return { index: -1, earliestDeadlineUs };
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
  const at = queue.findIndex((entry) => entry.publisher === publisher && entry.seq === seq);
  return at < 0 ? queue : [...queue.slice(0, at), ...queue.slice(at + 1)];
}

export function replaceAt(
  queue: readonly QueueEntry[],
  index: number,
  entry: QueueEntry | null,
): readonly QueueEntry[] {
  const rest = queue.slice(index + 1);
  return entry === null
    ? [...queue.slice(0, index), ...rest]
    : [...queue.slice(0, index), entry, ...rest];
}

/** [6] After a restart nothing is out for delivery: every message may be delivered again. */
export function withNothingInFlight(queue: readonly QueueEntry[]): readonly QueueEntry[] {
  return queue.some((entry) => entry.inFlight !== null)
    ? queue.map((entry) => (entry.inFlight === null ? entry : { ...entry, inFlight: null }))
    : queue;
}
