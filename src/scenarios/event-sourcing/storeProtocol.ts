import type { NodeId } from '../../engine/types.ts';

/**
 * The event store's wire protocol, independent of any domain: a writer appends events to
 * streams with an expected version (optimistic concurrency), a reader loads one stream (from a
 * snapshot, up to a version), and a subscriber follows the whole log by global position. Bank
 * accounts are one user of it (see handler.ts); a CQRS scenario can feed its projectors from the
 * same store with the same messages.
 *
 * Versions count events: a stream at version 3 holds events 1, 2 and 3; an empty or unknown
 * stream is at version 0. Positions number every event of the log, across streams, from 1.
 */

/** An event's payload: flat, plain data the domain defines (amounts, account ids…). */
export type EventData = Readonly<Record<string, string | number>>;

/** Who caused an event: kept with it, so the log answers "who changed this, and why". */
export interface EventMeta {
  /** The command the event records (unique per command). */
  readonly commandId: string;
  /** The node that issued the command (a client). */
  readonly issuedBy: NodeId;
  /** The node that decided it (a command handler). */
  readonly handledBy: NodeId;
}

/** An event as a writer proposes it. */
export interface NewEvent {
  readonly type: string;
  readonly data: EventData;
  readonly meta: EventMeta;
}

/** An event as the store keeps it: never changed once written. */
export interface StoredEvent extends NewEvent {
  readonly stream: string;
  /** 1, 2, 3… within its stream. */
  readonly version: number;
  /** 1, 2, 3… across the whole log: the order subscribers see. */
  readonly position: number;
  /** The store's local time when it was appended, in µs. */
  readonly recordedUs: number;
}

/** A stream's folded state at a version, saved so loads can skip the events before it. */
export interface Snapshot {
  readonly stream: string;
  readonly version: number;
  /** Plain data in the writer's own format; the store never looks inside. */
  readonly state: unknown;
}

/** One stream's part of an append: "add these after version `expectedVersion`". */
export interface StreamWrite {
  readonly stream: string;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

/**
 * Append events, all or nothing. One write is the usual single-stream append; several writes are
 * one transaction across streams (a transfer between two accounts): every expected version must
 * match, or nothing is written.
 */
export interface AppendMessage {
  readonly type: 'Append';
  readonly appendId: number;
  readonly writes: readonly StreamWrite[];
  readonly sizeBytes?: number;
}

/** A stream's version as the store reports it. */
export interface StreamVersion {
  readonly stream: string;
  readonly version: number;
}

/**
 * The answer to an append. `appended`: every write landed; `versions` are the new versions and
 * the events took positions `firstPosition`…`lastPosition`. `conflict`: some expected version was
 * stale; `versions` are the current ones (nothing was written). `log-full`: the store has no room
 * left (`logEventsMax`).
 */
export interface AppendResultMessage {
  readonly type: 'AppendResult';
  readonly appendId: number;
  readonly outcome: 'appended' | 'conflict' | 'log-full';
  readonly versions: readonly StreamVersion[];
  readonly firstPosition: number;
  readonly lastPosition: number;
}

/**
 * Read one stream: the events after `afterVersion` up to `upToVersion` (null: to the end). With
 * `useSnapshot`, the store starts from its latest snapshot inside that range when it has one, and
 * sends only the events after it.
 */
export interface LoadMessage {
  readonly type: 'Load';
  readonly loadId: number;
  readonly stream: string;
  readonly afterVersion: number;
  readonly upToVersion: number | null;
  readonly useSnapshot: boolean;
}

/** The answer to a load: an optional snapshot, the events after it, and the stream's version now. */
export interface LoadedMessage {
  readonly type: 'Loaded';
  readonly loadId: number;
  readonly stream: string;
  readonly snapshot: Snapshot | null;
  readonly events: readonly StoredEvent[];
  readonly version: number;
  readonly sizeBytes?: number;
}

/** Keep this snapshot (fire and forget); the store ignores one older than what it has. */
export interface SaveSnapshotMessage {
  readonly type: 'SaveSnapshot';
  readonly snapshot: Snapshot;
}

/**
 * Catch-up subscription: "send me every event after `fromPosition`, then every new one as it is
 * appended". Sending it again (after silence, a gap or a rebuild) restarts the feed from there.
 */
export interface SubscribeMessage {
  readonly type: 'Subscribe';
  readonly fromPosition: number;
}

/**
 * Events of the log in position order, the first one at `fromPosition + 1` (none: a heartbeat),
 * and the log's head (its last position) when the batch left.
 */
export interface EventsBatchMessage {
  readonly type: 'EventsBatch';
  readonly fromPosition: number;
  readonly events: readonly StoredEvent[];
  readonly head: number;
  readonly sizeBytes?: number;
}

export type StoreRequest = AppendMessage | LoadMessage | SaveSnapshotMessage | SubscribeMessage;
export type StoreReply = AppendResultMessage | LoadedMessage | EventsBatchMessage;
export type EventStoreMessage = StoreRequest | StoreReply;

/** Every message type of the store protocol (the view hints colour each one). */
export const storeMessageTypes = [
  'Append',
  'AppendResult',
  'Load',
  'Loaded',
  'SaveSnapshot',
  'Subscribe',
  'EventsBatch',
] as const satisfies readonly EventStoreMessage['type'][];

/** Rough wire size of a message carrying `eventCount` events (only bandwidth-limited links care). */
export function sizeForEvents(eventCount: number): number {
  return 100 + 60 * eventCount;
}
