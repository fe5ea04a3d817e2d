import type {
  LivenessInvariant,
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import type { EventStoreDurable } from './eventStore.ts';
import { describeKey, keyOf, streamPrint } from './eventPrints.ts';
import { sampleIntervalUs } from './monitor.ts';
import { itemAt, type PersistentList, sliceOf } from './persistentList.ts';
import { eventStoreRole, paramOf } from './protocol.ts';
import type { StoredEvent } from './storeProtocol.ts';
import { eventStoreOf, isCaughtUp, projectionsOf, storeDurableOf } from './world.ts';

/**
 * The scenario's promises (the two that fold, replay-equals-live and projection-equals-fold, are
 * in foldInvariants.ts). The three safety invariants read the store's disk (the log) and each
 * node's state after every event and keep what they saw before in their memory; the liveness one
 * asks that projections catch up once faults heal. In the baseline there is no log: the safety
 * invariants have nothing to check (that absence is the point of the comparison).
 */

/** Violations remembered so each is reported once. */
export const reportedMax = 1_000;

function isStoreEvent(node: NodeView | undefined): boolean {
  return node === undefined || node.role === eventStoreRole;
}

/** Whether two stored events are the same: the same object, or equal field by field (a checkpoint clones them). */
export function sameEvent(a: StoredEvent, b: StoredEvent): boolean {
  return (
    a === b ||
    (a.stream === b.stream &&
      a.version === b.version &&
      a.position === b.position &&
      a.type === b.type &&
      a.recordedUs === b.recordedUs &&
      a.meta.commandId === b.meta.commandId &&
      a.meta.issuedBy === b.meta.issuedBy &&
      a.meta.handledBy === b.meta.handledBy &&
      JSON.stringify(a.data) === JSON.stringify(b.data))
  );
}

function short(event: StoredEvent): string {
  return `${event.type} ${JSON.stringify(event.data)} of ${event.meta.commandId} at position ${event.position}`;
}

// ---- Versions contiguous, never rewritten -------------------------------------------------------

/** Events per stream whose keys the memory keeps, to say what a rewrite replaced. */
export const recentKeysMax = 64;

/** What the invariant saw of one stream at its last look (see eventPrints.ts). */
export interface SeenStream {
  /** Its length. */
  count: number;
  /** The fingerprint of those `count` events. */
  print: number;
  /** The keys of the last few of them (versions count − recent.length + 1 … count). */
  recent: string[];
  /** The fingerprint of the events before `recent`. */
  printBeforeRecent: number;
}

/** A stream version, told apart from others by its length and fingerprint. */
export interface StreamMark {
  readonly count: number;
  readonly print: number;
}

export interface ContiguityMemory {
  /** Each stream as last seen. */
  readonly seen: Map<string, SeenStream>;
  /** The stream versions last checked, to skip streams that did not change. */
  readonly checked: Map<string, StreamMark>;
  /** Log entries already checked. */
  logLength: number;
  lastLogEvent: StoredEvent | null;
}

/**
 * Every stream's versions are 1, 2, 3… with no gap, an event once seen at a version is the same
 * event ever after (content and position), the log's positions are 1, 2, 3…, and every log entry
 * is the event its stream holds at that version. Checked after every store event (and command).
 * What was seen is remembered as fingerprints, and the keys of the latest events to name a
 * rewritten one (eventPrints.ts).
 */
export const streamVersionsContiguous: SafetyInvariant<ContiguityMemory> = {
  id: 'stream-versions-contiguous',
  kind: 'safety',
  description: 'Versions in every stream are contiguous and an event once written is never changed',
  createMemory: () => ({ seen: new Map(), checked: new Map(), logLength: 0, lastLogEvent: null }),
  check(world: WorldView, node: NodeView | undefined, memory: ContiguityMemory): Violation | null {
    if (!isStoreEvent(node)) return null;
    const durable = storeDurableOf(world);
    const store = eventStoreOf(world);
    if (durable === null || store === null) return null;
    let first: Violation | null = null;
    for (const [stream, events] of durable.streams) {
      const mark = { count: events.length, print: fullPrint(events) };
      const checked = memory.checked.get(stream);
      if (checked?.count === mark.count && checked.print === mark.print) continue;
      memory.checked.set(stream, mark);
      first ??= checkStream(stream, events, memory, store.id);
    }
    return first ?? checkLog(durable, memory, store.id);
  },
};

const fullPrints = new WeakMap<PersistentList<StoredEvent>, number>();

/** The fingerprint of a whole stream (cached per stream version: it never changes). */
function fullPrint(events: PersistentList<StoredEvent>): number {
  let print = fullPrints.get(events);
  if (print === undefined) {
    print = streamPrint(events, events.length);
    fullPrints.set(events, print);
  }
  return print;
}

function checkStream(
  stream: string,
  events: PersistentList<StoredEvent>,
  memory: ContiguityMemory,
  storeId: NodeId,
): Violation | null {
  const seen = memory.seen.get(stream) ?? { count: 0, print: 0, recent: [], printBeforeRecent: 0 };
  const isKept = events.length >= seen.count && streamPrint(events, seen.count) === seen.print;
  memory.seen.set(stream, seenNow(events, seen, isKept));
  if (!isKept) return changedSeen(stream, events, seen, storeId);
  for (let index = seen.count; index < events.length; index++) {
    const event = itemAt(events, index) as StoredEvent;
    if (event.version !== index + 1 || event.stream !== stream) {
      return {
        message: `${stream}: the event at index ${index} has version ${event.version} of ${event.stream}, expected ${index + 1}`,
        nodes: [storeId],
      };
    }
  }
  return null;
}

/** The memory of a stream as it is now; `isKept`: the events seen before are still there. */
function seenNow(
  events: PersistentList<StoredEvent>,
  seen: SeenStream,
  isKept: boolean,
): SeenStream {
  const count = events.length;
  const added = isKept ? sliceOf(events, seen.count) : sliceOf(events, count - recentKeysMax);
  const recent = [...(isKept ? seen.recent : []), ...added.map(keyOf)].slice(-recentKeysMax);
  return {
    count,
    print: fullPrint(events),
    recent,
    printBeforeRecent: streamPrint(events, count - recent.length),
  };
}

/** Names the first event seen before that is no longer there as it was. */
function changedSeen(
  stream: string,
  events: PersistentList<StoredEvent>,
  seen: SeenStream,
  storeId: NodeId,
): Violation {
  const recentFrom = seen.count - seen.recent.length;
  if (events.length >= recentFrom && streamPrint(events, recentFrom) === seen.printBeforeRecent) {
    for (let offset = 0; offset < seen.recent.length; offset++) {
      const index = recentFrom + offset;
      const before = seen.recent[offset] as string;
      const now = itemAt(events, index);
      if (now === undefined) {
        return {
          message: `${stream}: version ${index + 1} (${describeKey(before)}) disappeared`,
          nodes: [storeId],
        };
      }
      if (keyOf(now) !== before) {
        return {
          message: `${stream}: version ${index + 1} rewritten: was ${describeKey(before)}, now ${short(now)}`,
          nodes: [storeId],
        };
      }
    }
  }
  // Older than the keys kept: the fingerprint says that, not which event.
  return {
    message: `${stream}: an event at or before version ${recentFrom} was rewritten or lost (${seen.count} seen, ${events.length} now)`,
    nodes: [storeId],
  };
}

function checkLog(
  durable: EventStoreDurable,
  memory: ContiguityMemory,
  storeId: NodeId,
): Violation | null {
  const log = durable.log;
  const last = memory.lastLogEvent;
  const before = memory.logLength;
  memory.logLength = log.length;
  memory.lastLogEvent = itemAt(log, log.length - 1) ?? null;
  if (
    log.length < before ||
    (last !== null && !sameEvent(last, itemAt(log, before - 1) as StoredEvent))
  ) {
    return {
      message: `log: the entries up to position ${before} changed (now ${log.length} entries)`,
      nodes: [storeId],
    };
  }
  for (let index = before; index < log.length; index++) {
    const event = itemAt(log, index) as StoredEvent;
    if (event.position !== index + 1) {
      return {
        message: `log: entry ${index + 1} has position ${event.position}`,
        nodes: [storeId],
      };
    }
    const stream = durable.streams.get(event.stream);
    const inStream = stream === undefined ? undefined : itemAt(stream, event.version - 1);
    if (inStream === undefined || !sameEvent(inStream, event)) {
      return {
        message: `log: position ${event.position} (${event.stream} v${event.version}) is not what the stream holds at that version`,
        nodes: [storeId],
      };
    }
  }
  return null;
}

// ---- Liveness: projections catch up -------------------------------------------------------------

/**
 * Once no fault is in force, every projection reaches the log's head. The bound, with R the
 * re-subscribe interval, G the gap timeout and L the largest one-way latency (1.5 × the mean):
 *
 * - R: a projection that missed the store's pushes while cut off, or whose store restarted and
 *   forgot it, hears nothing new and subscribes again within R; one that sees a gap instead waits
 *   G. Take R + G for both.
 * - 4L: the Subscribe and the catch-up batches (all sent at once), twice in case a first
 *   re-subscription crossed a batch still on its way.
 * - R again: margin for a quiet log, where the projection learns the head only from its next
 *   re-subscription.
 * - four monitor ticks, the granularity at which the engine checks, and room for a tick to fall
 *   between two events of a steady load (the head must be met at a tick, with nothing in flight).
 */
export const projectionsCatchUp: LivenessInvariant = {
  id: 'projections-catch-up',
  kind: 'liveness',
  description: 'After faults heal, every projection catches up to the head of the log',
  boundUs(params: Readonly<Record<string, number>>): number {
    return catchUpBoundUs(params);
  },
  isExpected(world: WorldView): boolean {
    return eventStoreOf(world) !== null && !world.hasActiveFaults;
  },
  holds(world: WorldView): boolean {
    return projectionsOf(world).every((projection) => isCaughtUp(world, projection));
  },
};

/** The gap timeout: long enough for batches sent together to arrive in any order. */
export function gapTimeoutUs(params: Readonly<Record<string, number>>): number {
  return Math.max(10_000, Math.round(3 * paramOf({ params }, 'linkLatencyMs') * 1000));
}

export function catchUpBoundUs(params: Readonly<Record<string, number>>): number {
  const resubscribeUs = paramOf({ params }, 'resubscribeMs') * 1000;
  const latencyUs = 1.5 * paramOf({ params }, 'linkLatencyMs') * 1000;
  return Math.round(
    2 * resubscribeUs + gapTimeoutUs(params) + 4 * latencyUs + 4 * sampleIntervalUs,
  );
}
