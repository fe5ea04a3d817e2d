import type {
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import type { QueueEntry } from './brokerTypes.ts';
import type { SubscriberDurable } from './processing.ts';
import { brokerRole, messageKey, publisherRole } from './protocol.ts';
import {
  countSeqsUpTo,
  emptyRanges,
  hasSeq,
  maxSeq,
  rangeIndexAbove,
  type SeqRanges,
} from './ranges.ts';
import {
  paramOf,
  publisherIds,
  type SubscriberProfile,
  subscriberProfiles,
  topicIn,
  topicsOf,
} from './roster.ts';
import { indexOfMessage, publisherStore, storedQueues, subscriberStore } from './world.ts';

/**
 * The safety invariant "no acknowledged message lost", checked after every publisher and broker
 * event, incrementally: a subscriber's backlog can be a thousand messages, and looking each one
 * up after every event cost more than the rest of the run. Numbered notes [n] are at the end.
 */

type Params = Readonly<Record<string, number>>;

/** Violations remembered so that each is reported once. */
const reportedMax = 1_000;

function remember(reported: Set<string>, key: string): boolean {
  if (reported.has(key)) return false;
  if (reported.size >= reportedMax) {
    const oldest = reported.values().next();
    if (oldest.done !== true) reported.delete(oldest.value);
  }
  reported.add(key);
  return true;
}

/** Whether the configuration promises that no acknowledged message is lost. */
export function promisesNoLoss(params: Params): boolean {
  return (
    paramOf({ params }, 'deliveryMode') === 1 &&
    paramOf({ params }, 'brokerPersistence') === 1 &&
    paramOf({ params }, 'overflowPolicy') === 1
  );
}

export interface KeptMemory {
  /** Per durable subscriber and publisher: every owed message up to here is accounted for. */
  readonly checkedUpTo: Record<NodeId, Record<NodeId, number>>;
  readonly reported: Set<string>;
}

/**
 * The safety half of "every acknowledged message is eventually delivered to every durable
 * subscriber": with at-least-once delivery, a persistent broker and the block-publisher policy,
 * at every moment each acknowledged message is either already processed by each durable
 * subscriber or stored for it in the broker's durable queue. (The liveness invariant
 * `durable-backlog-drains` adds "and the queue drains".) Other configurations do not promise
 * it, and are not checked; their losses are counted instead. The baseline has no durable queue:
 * a message it gave up on for a subscriber violates it.
 */
export const noAckedMessageLost: SafetyInvariant<KeptMemory> = {
  id: 'no-acked-message-lost',
  kind: 'safety',
  description:
    'Durable at-least-once (persistent, blocking): every acknowledged message is processed by each durable subscriber or kept for it on disk',
  createMemory(): KeptMemory {
    return { checkedUpTo: {}, reported: new Set() };
  },
  check(world: WorldView, node: NodeView | undefined, memory: KeptMemory): Violation | null {
    // Only an ack (publisher), a queue change (broker) or a command can break it.
    if (node !== undefined && node.role !== publisherRole && node.role !== brokerRole) return null;
    const params = world.params;
    const publishers = publisherIds(params);
    const acked: SeqRanges[] = [];
    for (const publisher of publishers) acked.push(publisherStore(world, publisher).acked);
    const queues = storedQueues(world);
    const record = recordOf(memory);
    let first: Violation | null = null;
    for (const profile of subscriberProfiles(params)) {
      if (!profile.isDurable) continue;
      const processed = subscriberStore(world, profile.id).processed;
      const stored = queues?.[profile.id] ?? null;
      const violation = record.check(params, profile, publishers, acked, processed, stored, memory);
      first ??= violation;
    }
    return first;
  },
};

type Processed = SubscriberDurable['processed'];
/** The broker's queue for a subscriber on disk (null: none). */
type Stored = readonly QueueEntry[] | null;

/** [1] A subscriber's last check: what it read, and how far it looked per publisher. */
interface LastCheck {
  params: Params;
  processed: Processed;
  stored: Stored;
  /** Each publisher's acknowledged set. */
  readonly acked: SeqRanges[];
  /** Messages remembered (by any subscriber's check) when this check ended. */
  remembered: number;
  /** Per publisher: every acknowledged message up to here was looked at. */
  readonly scannedTo: number[];
  /** Per publisher: acknowledged messages up to `scannedTo` (the set only ever grows). */
  readonly ackedCount: number[];
}

/** Queue entries that may differ between two checks before a full check is cheaper. */
const changedEntriesMax = 64;

/**
 * [1] The checks of one memory: each subscriber's last check, and a count of remembered keys.
 * It runs after most events, so it allocates nothing while nothing changes.
 */
class CheckRecord {
  private readonly last = new Map<NodeId, LastCheck>();
  private remembered = 0;
  /** The first violation found by the scan under way. */
  private violation: Violation | null = null;

  check(
    params: Params,
    profile: SubscriberProfile,
    publishers: readonly NodeId[],
    acked: readonly SeqRanges[],
    processed: Processed,
    stored: Stored,
    memory: KeptMemory,
  ): Violation | null {
    const subscriber = profile.id;
    let last = this.last.get(subscriber);
    if (last !== undefined && this.isSame(last, params, acked, processed, stored)) return null;
    const isIncremental =
      last !== undefined &&
      this.canContinue(
        last,
        params,
        publishers,
        acked,
        processed,
        stored,
        memory.checkedUpTo[subscriber],
      );
    if (last === undefined || last.acked.length !== acked.length) {
      last = { params, processed, stored, acked: [], remembered: 0, scannedTo: [], ackedCount: [] };
      this.last.set(subscriber, last);
    }
    const checkedUpTo = (memory.checkedUpTo[subscriber] ??= {});
    const topics = topicsOf(params);
    const isPromised = promisesNoLoss(params);
    this.violation = null;
    for (let index = 0; index < publishers.length; index++) {
      const publisher = publishers[index] as NodeId;
      const ranges = acked[index] ?? emptyRanges;
      const upTo = checkedUpTo[publisher] ?? 0;
      const from = isIncremental ? (last.scannedTo[index] ?? upTo) : upTo;
      const done = processed[publisher];
      const scan = { profile, topics, publisher, ranges, done, stored, isPromised };
      checkedUpTo[publisher] = this.scan(scan, memory.reported, upTo, from);
      const reach = Math.max(from, maxSeq(ranges));
      last.acked[index] = ranges;
      last.scannedTo[index] = reach;
      last.ackedCount[index] = countSeqsUpTo(ranges, reach);
    }
    last.params = params;
    last.processed = processed;
    last.stored = stored;
    last.remembered = this.remembered;
    return this.violation;
  }

  /** [1] Whether every input is the very object of the last check, with nothing reported since. */
  private isSame(
    last: LastCheck,
    params: Params,
    acked: readonly SeqRanges[],
    processed: Processed,
    stored: Stored,
  ): boolean {
    if (last.remembered !== this.remembered || last.params !== params) return false;
    if (last.processed !== processed || last.stored !== stored) return false;
    if (last.acked.length !== acked.length) return false;
    for (let index = 0; index < acked.length; index++) {
      if (last.acked[index] !== acked[index]) return false;
    }
    return true;
  }

  /**
   * [2] Whether the messages looked at last time need no second look: nothing reported since,
   * the same parameters, no newly acknowledged message among them, and none that was kept and is
   * still unprocessed gone from the queue.
   */
  private canContinue(
    last: LastCheck,
    params: Params,
    publishers: readonly NodeId[],
    acked: readonly SeqRanges[],
    processed: Processed,
    stored: Stored,
    upTo: Readonly<Record<NodeId, number>> = {},
  ): boolean {
    if (last.remembered !== this.remembered || last.params !== params) return false;
    if (last.acked.length !== acked.length) return false;
    for (let index = 0; index < acked.length; index++) {
      const count = countSeqsUpTo(acked[index] ?? emptyRanges, last.scannedTo[index] ?? 0);
      if (count !== last.ackedCount[index]) return false;
    }
    if (last.stored === stored) return true;
    return onlyHarmlessRemovals(last.stored ?? [], stored ?? [], (entry) => {
      const at = publishers.indexOf(entry.publisher);
      if (at < 0) return true;
      const accounted = upTo[entry.publisher] ?? 0;
      const isLookedAt = entry.seq > accounted && entry.seq <= (last.scannedTo[at] ?? 0);
      return !isLookedAt || hasSeq(processed[entry.publisher], entry.seq);
    });
  }

  /**
   * Walks the publisher's acknowledged messages above `upToBefore` and returns the new end of
   * the accounted prefix: it moves over settled messages (not owed, processed, reported) up to
   * the first one still waiting on disk. Each unsettled message must be in the queue, or it is
   * remembered (and reported when promised). Those up to `from` were looked at last time and
   * were kept then ([2]): they only move the prefix, and once it stops, the walk jumps past them.
   */
  private scan(scan: Scan, reported: Set<string>, upToBefore: number, from: number): number {
    const { ranges, publisher, stored } = scan;
    // New messages are found from the queue's front in a full check (they come in queue order);
    // after an incremental one, the few acknowledged since sit near its end.
    const isNew = from > upToBefore;
    let upTo = upToBefore;
    let isPrefix = true;
    let hint = 0;
    for (let at = rangeIndexAbove(ranges, upToBefore); at < ranges.length; at++) {
      const [low, high] = ranges[at] as readonly [number, number];
      let seq = Math.max(low, upToBefore + 1);
      if (!isPrefix && seq <= from) seq = from + 1;
      for (; seq <= high; seq++) {
        const isSettled = isSettledFor(scan, reported, seq);
        if (seq <= from) {
          // Looked at before: only the prefix moves, up to the first still kept.
          if (isSettled) {
            upTo = seq;
          } else {
            isPrefix = false;
            seq = from; // on past the rest of them
          }
          continue;
        }
        if (!isSettled) {
          const found = isNew
            ? lastIndexOfMessage(stored ?? [], publisher, seq)
            : indexOfMessage(stored ?? [], publisher, seq, hint);
          if (found >= 0) {
            hint = found + 1;
            isPrefix = false;
            continue;
          }
          this.noteMissing(scan, reported, seq);
        }
        if (isPrefix) upTo = seq;
      }
    }
    return upTo;
  }

  /** An acknowledged message neither processed nor kept: remembered, reported if promised. */
  private noteMissing(scan: Scan, reported: Set<string>, seq: number): void {
    const key = messageKey(scan.publisher, seq);
    const isFirstTime = remember(reported, key);
    this.remembered++;
    if (isFirstTime && this.violation === null && scan.isPromised) {
      const subscriber = scan.profile.id;
      this.violation = {
        message: `${key} was acknowledged to ${scan.publisher} but ${subscriber} has neither processed it nor has it kept on disk`,
        nodes: [subscriber, scan.publisher],
      };
    }
  }
}

/** What a scan of one publisher's messages for one subscriber reads. */
interface Scan {
  readonly profile: SubscriberProfile;
  readonly topics: readonly string[];
  readonly publisher: NodeId;
  readonly ranges: SeqRanges;
  /** The subscriber's processed set for this publisher. */
  readonly done: SeqRanges | undefined;
  readonly stored: Stored;
  readonly isPromised: boolean;
}

/** Not owed to the subscriber, processed by it, or already reported. */
function isSettledFor(scan: Scan, reported: Set<string>, seq: number): boolean {
  return (
    !scan.profile.topics.includes(topicIn(scan.topics, seq)) ||
    hasSeq(scan.done, seq) ||
    (reported.size > 0 && reported.has(messageKey(scan.publisher, seq)))
  );
}

/** Where message `(publisher, seq)` is in `queue`, searching from the end, or −1. */
function lastIndexOfMessage(queue: readonly QueueEntry[], publisher: NodeId, seq: number): number {
  for (let at = queue.length - 1; at >= 0; at--) {
    const entry = queue[at] as QueueEntry;
    if (entry.seq === seq && entry.publisher === publisher) return at;
  }
  return -1;
}

/**
 * [2] Whether every entry of `before` missing from `after` passes `isHarmless`, assuming a queue
 * keeps its order (entries are appended, removed or replaced in place, matched by publisher and
 * sequence number). Whatever does not fit that, or too many differences, counts as harmful: the
 * caller then checks in full, so a wrong guess costs time, never a different answer.
 */
function onlyHarmlessRemovals(
  before: readonly QueueEntry[],
  after: readonly QueueEntry[],
  isHarmless: (entry: QueueEntry) => boolean,
): boolean {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  if (endBefore - start > changedEntriesMax || endAfter - start > changedEntriesMax) return false;
  let next = start;
  for (let index = start; index < endBefore; index++) {
    const entry = before[index] as QueueEntry;
    let found = next;
    while (found < endAfter && !isSameMessage(entry, after[found] as QueueEntry)) found++;
    if (found < endAfter) {
      next = found + 1;
    } else if (!isHarmless(entry)) {
      return false;
    }
  }
  return true;
}

function isSameMessage(a: QueueEntry, b: QueueEntry): boolean {
  return a.seq === b.seq && a.publisher === b.publisher;
}

/**
 * [1] Kept beside the memory, not in it: a checkpoint copies the memory (and restoring one
 * gives a new object, whose first checks then run in full), and this holds live state objects.
 */
const records = new WeakMap<KeptMemory, CheckRecord>();

function recordOf(memory: KeptMemory): CheckRecord {
  let record = records.get(memory);
  if (record === undefined) {
    record = new CheckRecord();
    records.set(memory, record);
  }
  return record;
}

/*
 * Notes
 *
 * [1] What a check can skip. A subscriber's check reads the publishers' acknowledged sets, its
 *     processed set, its queue on disk, the parameters and the `reported` set. Right after a
 *     check, the same check again finds nothing: every message it remembered is now reported
 *     (settled), every kept one is still kept, so the accounted prefix and the memory stay as
 *     they are. So when all those inputs are the very objects of the last check (states are
 *     immutable values) and nothing was reported since (a message reported for one subscriber
 *     settles it for all), the check is skipped. The record of last checks is kept beside the
 *     memory: a checkpoint copies the memory and a restored run starts with a new one, so its
 *     first checks run in full.
 *
 * [2] What a check need not look at again. After a check, every acknowledged message up to
 *     `scannedTo` is settled or kept in the queue. Settled stays settled: processed sets and the
 *     acknowledged sets only grow, and `reported` loses a key only when another is remembered
 *     (which forces a full check). So such a message can become unsettled and not kept only by
 *     leaving the queue unprocessed; the next check compares the queues (unchanged entries are
 *     the same objects, so only the changed stretch is compared) and checks in full if one did.
 *     Otherwise it moves the accounted prefix over what has been processed since, and looks up
 *     in the queue only the messages acknowledged since: constant work per event instead of work
 *     in proportion to the backlog. Parameters changing, or acknowledgements appearing below
 *     `scannedTo` (never, as publishers send in order), also force a full check.
 */
