import type {
  LivenessInvariant,
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import type { EventStoreDurable } from './eventStore.ts';
import { sampleIntervalUs } from './monitor.ts';
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

export interface ContiguityMemory {
  /** Each stream's events as last seen (a copy of the references). */
  readonly seen: Map<string, StoredEvent[]>;
  /** The stream arrays last checked, to skip streams that did not change. */
  readonly checked: Map<string, readonly StoredEvent[]>;
  /** Log entries already checked. */
  logLength: number;
  lastLogEvent: StoredEvent | null;
}

/**
 * Every stream's versions are 1, 2, 3… with no gap, an event once seen at a version is the same
 * event ever after (content and position), the log's positions are 1, 2, 3…, and every log entry
 * is the event its stream holds at that version. Checked after every store event (and command).
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
      if (memory.checked.get(stream) === events) continue;
      memory.checked.set(stream, events);
      first ??= checkStream(stream, events, memory, store.id);
    }
    return first ?? checkLog(durable, memory, store.id);
  },
};

function checkStream(
  stream: string,
  events: readonly StoredEvent[],
  memory: ContiguityMemory,
  storeId: NodeId,
): Violation | null {
  const seen = memory.seen.get(stream) ?? [];
  memory.seen.set(stream, events.slice());
  for (let index = 0; index < seen.length; index++) {
    const before = seen[index] as StoredEvent;
    const now = events[index];
    if (now === undefined) {
      return {
        message: `${stream}: version ${index + 1} (${short(before)}) disappeared`,
        nodes: [storeId],
      };
    }
    if (!sameEvent(before, now)) {
      return {
        message: `${stream}: version ${index + 1} rewritten: was ${short(before)}, now ${short(now)}`,
        nodes: [storeId],
      };
    }
  }
  for (let index = seen.length; index < events.length; index++) {
    const event = events[index] as StoredEvent;
    if (event.version !== index + 1 || event.stream !== stream) {
      return {
        message: `${stream}: the event at index ${index} has version ${event.version} of ${event.stream}, expected ${index + 1}`,
        nodes: [storeId],
      };
    }
  }
  return null;
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
  memory.lastLogEvent = log.at(-1) ?? null;
  if (log.length < before || (last !== null && !sameEvent(last, log[before - 1] as StoredEvent))) {
    return {
      message: `log: the entries up to position ${before} changed (now ${log.length} entries)`,
      nodes: [storeId],
    };
  }
  for (let index = before; index < log.length; index++) {
    const event = log[index] as StoredEvent;
    if (event.position !== index + 1) {
      return {
        message: `log: entry ${index + 1} has position ${event.position}`,
        nodes: [storeId],
      };
    }
    const inStream = durable.streams.get(event.stream)?.[event.version - 1];
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
