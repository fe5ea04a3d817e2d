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
import { countSeqsUpTo, forEachSeqAbove, hasSeq, maxSeq, type SeqRanges } from './ranges.ts';
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
    const acked = publishers.map((publisher) => publisherStore(world, publisher).acked);
    const queues = storedQueues(world);
    const record = recordOf(memory);
    let first: Violation | null = null;
    for (const profile of subscriberProfiles(params)) {
      if (!profile.isDurable) continue;
      const inputs: Inputs = {
        params,
        profile,
        publishers,
        acked,
        processed: subscriberStore(world, profile.id).processed,
        stored: queues?.[profile.id] ?? null,
      };
      const violation = record.check(inputs, memory);
      first ??= violation;
    }
    return first;
  },
};

/** What one subscriber's check reads. */
interface Inputs {
  readonly params: Params;
  readonly profile: SubscriberProfile;
  readonly publishers: readonly NodeId[];
  /** Each publisher's acknowledged set, in `publishers` order. */
  readonly acked: readonly SeqRanges[];
  readonly processed: SubscriberDurable['processed'];
  /** The broker's queue for the subscriber on disk (null: none). */
  readonly stored: readonly QueueEntry[] | null;
}

/** [1] A subscriber's last check: its inputs and how far it looked, per publisher. */
interface LastCheck {
  readonly inputs: Inputs;
  /** Messages remembered (by any subscriber's check) when this check ended. */
  readonly remembered: number;
  /** Per publisher: every acknowledged message up to here was looked at. */
  readonly scannedTo: readonly number[];
  /** Per publisher: acknowledged messages up to `scannedTo` (the set only ever grows). */
  readonly ackedCount: readonly number[];
}

/** Queue entries that may differ between two checks before a full check is cheaper. */
const changedEntriesMax = 64;

/** [1] The checks of one memory: each subscriber's last check, and a count of remembered keys. */
class CheckRecord {
  private readonly last = new Map<NodeId, LastCheck>();
  private remembered = 0;

  check(inputs: Inputs, memory: KeptMemory): Violation | null {
    const last = this.last.get(inputs.profile.id);
    if (last !== undefined && this.isSame(last, inputs)) return null;
    const isIncremental = last !== undefined && this.canContinue(last, inputs, memory);
    const scannedTo: number[] = [];
    const ackedCount: number[] = [];
    const checkedUpTo = (memory.checkedUpTo[inputs.profile.id] ??= {});
    let first: Violation | null = null;
    inputs.publishers.forEach((publisher, index) => {
      const acked = inputs.acked[index] ?? [];
      const upTo = checkedUpTo[publisher] ?? 0;
      const from = isIncremental ? (last.scannedTo[index] ?? upTo) : upTo;
      const result = this.scan(inputs, memory, publisher, acked, upTo, from);
      checkedUpTo[publisher] = result.upTo;
      first ??= result.violation;
      const reach = Math.max(from, maxSeq(acked));
      scannedTo.push(reach);
      ackedCount.push(countSeqsUpTo(acked, reach));
    });
    this.last.set(inputs.profile.id, {
      inputs,
      remembered: this.remembered,
      scannedTo,
      ackedCount,
    });
    return first;
  }

  /** [1] Whether every input is the very object of the last check, with nothing reported since. */
  private isSame(last: LastCheck, inputs: Inputs): boolean {
    const before = last.inputs;
    return (
      last.remembered === this.remembered &&
      before.params === inputs.params &&
      before.processed === inputs.processed &&
      before.stored === inputs.stored &&
      before.acked.length === inputs.acked.length &&
      before.acked.every((ranges, index) => ranges === inputs.acked[index])
    );
  }

  /**
   * [2] Whether the messages looked at last time need no second look: nothing reported since,
   * the same parameters, no newly acknowledged message among them, and none that was kept and is
   * still unprocessed gone from the queue.
   */
  private canContinue(last: LastCheck, inputs: Inputs, memory: KeptMemory): boolean {
    if (last.remembered !== this.remembered || last.inputs.params !== inputs.params) return false;
    if (last.inputs.acked.length !== inputs.acked.length) return false;
    for (let index = 0; index < inputs.acked.length; index++) {
      const count = countSeqsUpTo(inputs.acked[index] ?? [], last.scannedTo[index] ?? 0);
      if (count !== last.ackedCount[index]) return false;
    }
    const upTo = memory.checkedUpTo[inputs.profile.id] ?? {};
    return onlyHarmlessRemovals(last.inputs.stored ?? [], inputs.stored ?? [], (entry) => {
      const at = inputs.publishers.indexOf(entry.publisher);
      if (at < 0) return true;
      const isLookedAt =
        entry.seq > (upTo[entry.publisher] ?? 0) && entry.seq <= (last.scannedTo[at] ?? 0);
      return !isLookedAt || hasSeq(inputs.processed[entry.publisher], entry.seq);
    });
  }

  /**
   * Walks the publisher's acknowledged messages above `upTo`: the accounted prefix moves over
   * settled ones (not owed, processed, reported) up to the first one still waiting on disk, and
   * each unsettled one must be in the queue, or it is remembered (and reported when promised).
   * Those up to `from` were looked at last time and were kept then ([2]): they only move the
   * prefix, and once it stops, the walk jumps past them.
   */
  private scan(
    inputs: Inputs,
    memory: KeptMemory,
    publisher: NodeId,
    acked: SeqRanges,
    upToBefore: number,
    from: number,
  ): { upTo: number; violation: Violation | null } {
    const topics = topicsOf(inputs.params);
    const profile = inputs.profile;
    const done = inputs.processed[publisher];
    const reported = memory.reported;
    const stored = inputs.stored ?? [];
    const isSettled = (seq: number): boolean =>
      !profile.topics.includes(topicIn(topics, seq)) ||
      hasSeq(done, seq) ||
      (reported.size > 0 && reported.has(messageKey(publisher, seq)));
    let upTo = upToBefore;
    let isPrefix = true;
    // Messages looked at before: only the prefix moves.
    forEachSeqAbove(acked, upToBefore, (seq) => {
      if (seq > from) return false;
      if (!isSettled(seq)) {
        isPrefix = false;
        return false;
      }
      upTo = seq;
      return true;
    });
    // Messages acknowledged since (all of them, in a full check). Found from the queue's front in
    // a full check (they are in queue order); new ones sit near its end.
    const isNew = from > upToBefore;
    let hint = 0;
    let violation: Violation | null = null;
    forEachSeqAbove(acked, Math.max(from, upToBefore), (seq) => {
      if (!isSettled(seq)) {
        const found = isNew
          ? lastIndexOfMessage(stored, publisher, seq)
          : indexOfMessage(stored, publisher, seq, hint);
        if (found >= 0) {
          hint = found + 1;
          isPrefix = false;
          return true;
        }
        // Not kept: a violation when the configuration promises, exempt otherwise.
        const key = messageKey(publisher, seq);
        const isFirstTime = remember(reported, key);
        this.remembered++;
        if (isFirstTime && violation === null && promisesNoLoss(inputs.params)) {
          const subscriber = profile.id;
          violation = {
            message: `${key} was acknowledged to ${publisher} but ${subscriber} has neither processed it nor has it kept on disk`,
            nodes: [subscriber, publisher],
          };
        }
      }
      if (isPrefix) upTo = seq;
      return true;
    });
    return { upTo, violation };
  }
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
