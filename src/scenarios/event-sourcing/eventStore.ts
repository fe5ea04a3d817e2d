import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  admit,
  type Disk,
  finish,
  idleDisk,
  isDiskTimer,
  type QueuedRequest,
  startNext,
  withSlowFactor,
} from './disk.ts';
import { emptyList, type PersistentList, push, sliceOf, takeFirst } from './persistentList.ts';
import { storeWith } from './stateCopies.ts';
import {
  type AppendMessage,
  type EventStoreMessage,
  type LoadMessage,
  type Snapshot,
  sizeForEvents,
  type StoredEvent,
  type StoreRequest,
  type StreamVersion,
  type SubscribeMessage,
} from './storeProtocol.ts';

/**
 * The event store: an append-only log of events, split into streams (one per aggregate), with
 * optimistic concurrency, snapshots and catch-up subscriptions. It knows nothing of bank
 * accounts: any scenario can run it with its own settings. Numbered notes [n] are keyed to the
 * code.
 *
 * [1] Durable: the log, the streams and the snapshots are written (`persist`) before any reply
 *     that depends on them leaves, so an acknowledged append survives a crash. The request queue
 *     and the subscriber list are volatile: a restarted store has forgotten both.
 * [2] Optimistic concurrency: an append says which version it expects each stream to be at (the
 *     version its writer loaded). If any stream has moved on, nothing is written and the writer
 *     hears `conflict` with the current versions; it must reload and decide again. Two writers
 *     that loaded the same version can never both append: the second one always conflicts.
 * [3] Events are only ever added at the end: a stream's versions are 1, 2, 3… and an event once
 *     written keeps its version, position and content forever (the safety invariant checks it).
 * [4] Loads read a stream from a version, optionally starting at the latest snapshot in range,
 *     and cost store time per event read: long streams make loads slow, snapshots make them short.
 * [5] Catch-up subscriptions: a subscriber says where it is (`fromPosition`); the store sends
 *     everything after it in batches, then every new event as it is appended. Tailing the log is
 *     served from memory without waiting in the request queue. A batch may be lost or overtaken
 *     on the way; the subscriber notices from the positions and subscribes again.
 * [6] `overwrites` is a deliberately broken store for the safety test: on a conflict it writes
 *     anyway, replacing the events after the expected version (last writer wins).
 * [7] The log and the streams are persistent lists (persistentList.ts): an append shares
 *     everything already written with the version before it instead of copying the log, so its
 *     cost does not grow with the log; a load or a catch-up copies only the events it sends.
 */

/** Events the log holds at most; past it appends are refused with `log-full`. */
export const logEventsMax = 100_000;
/** Subscribers remembered at most. */
export const subscribersMax = 64;

export interface EventStoreDurable {
  /** [7] Every event in position order. */
  readonly log: PersistentList<StoredEvent>;
  /** [7] Each stream's events in version order (the same event objects as in `log`). */
  readonly streams: ReadonlyMap<string, PersistentList<StoredEvent>>;
  /** The latest snapshot per stream. */
  readonly snapshots: ReadonlyMap<string, Snapshot>;
}

export type EventStoreMode = 'append-only' | 'overwrites';

export interface EventStoreState {
  readonly mode: EventStoreMode;
  readonly disk: Disk<StoreRequest>;
  /** Nodes following the log, fed with every new event. */
  readonly subscribers: readonly NodeId[];
  readonly appended: number;
  readonly conflicts: number;
  readonly loads: number;
  readonly eventsRead: number;
}

/** How fast the store works, read from the run's parameters at each request. */
export interface EventStoreSettings {
  /** Store time per request, µs. */
  readonly requestUs: number;
  /** Extra store time per event a load reads, µs. */
  readonly readUsPerEvent: number;
  /** Most events per EventsBatch. */
  readonly batchMax: number;
}

export interface EventStoreConfig {
  readonly mode: EventStoreMode;
  settings(params: Readonly<Record<string, number>>): EventStoreSettings;
}

type Context = NodeContext<EventStoreMessage, EventStoreDurable>;

/** The event store behaviour with its settings (see `eventSourcingStoreConfig` in model.ts). */
export function eventStoreBehaviour(
  config: EventStoreConfig,
): Behaviour<EventStoreState, EventStoreMessage, EventStoreDurable> {
  const serviceTimeUs = (request: QueuedRequest<StoreRequest>, ctx: Context): number => {
    const settings = config.settings(ctx.params);
    const read =
      request.message.type === 'Load' ? loadBounds(ctx.durable, request.message).count : 0;
    return settings.requestUs + settings.readUsPerEvent * read;
  };
  return {
    initialDurable: (): EventStoreDurable => ({
      log: emptyList(),
      streams: new Map(),
      snapshots: new Map(),
    }),

    init(): EventStoreState {
      return {
        mode: config.mode,
        disk: idleDisk(),
        subscribers: [],
        appended: 0,
        conflicts: 0,
        loads: 0,
        eventsRead: 0,
      };
    },

    receive(state, event: NodeEvent<EventStoreMessage>, ctx: Context): EventStoreState {
      switch (event.kind) {
        case 'message': {
          const { message, from } = event;
          if (message.type === 'Subscribe') return subscribe(state, from, message, ctx, config);
          if (
            message.type === 'Append' ||
            message.type === 'Load' ||
            message.type === 'SaveSnapshot'
          ) {
            const disk = admit(state.disk, { from, message }, ctx, serviceTimeUs);
            return disk === state.disk ? state : storeWith(state, { disk });
          }
          return state;
        }
        case 'timer': {
          if (!isDiskTimer(event.name)) return state;
          const { done, disk } = finish(state.disk);
          const waiting = storeWith(state, { disk });
          const served = done === null ? waiting : serve(waiting, done, ctx);
          return storeWith(served, { disk: startNext(served.disk, ctx, serviceTimeUs) });
        }
        case 'fault':
          return onFault(state, event.fault, event.args, ctx);
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },

    summarize(state: EventStoreState, durable: EventStoreDurable): NodeSummary {
      const waiting = state.disk.queue.length;
      const isSlow = state.disk.slowFactor > 1;
      return {
        label: isSlow ? 'slow store' : 'event store',
        badge: `${durable.log.length} events · ${durable.streams.size} streams · q ${waiting}`,
        health: waiting > 50 ? 'bad' : isSlow || waiting > 5 ? 'warn' : 'ok',
      };
    },
  };
}

/** The "slow store" fault and its recovery. */
function onFault(
  state: EventStoreState,
  fault: string,
  args: Readonly<Record<string, number>>,
  ctx: Context,
): EventStoreState {
  if (fault === 'slow-store') {
    const factor = args.factor ?? 10;
    ctx.annotate(`store slowed ×${factor}`);
    return storeWith(state, { disk: withSlowFactor(state.disk, factor) });
  }
  if (fault === 'recover-store') {
    ctx.annotate('store back to normal speed');
    return storeWith(state, { disk: withSlowFactor(state.disk, 1) });
  }
  return state;
}

function serve(
  state: EventStoreState,
  request: QueuedRequest<StoreRequest>,
  ctx: Context,
): EventStoreState {
  const { message, from } = request;
  switch (message.type) {
    case 'Append':
      return append(state, from, message, ctx);
    case 'Load':
      return load(state, from, message, ctx);
    case 'SaveSnapshot':
      saveSnapshot(message.snapshot, ctx);
      return state;
    case 'Subscribe':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

/** A stream's current version (0 for a stream never written). */
export function versionOf(durable: EventStoreDurable, stream: string): number {
  return durable.streams.get(stream)?.length ?? 0;
}

/** [2] [3] All or nothing: every expected version must match, then the events go at the end. */
function append(
  state: EventStoreState,
  from: NodeId,
  message: AppendMessage,
  ctx: Context,
): EventStoreState {
  const durable = ctx.durable;
  const streams = message.writes.map((write) => write.stream);
  const isRepeated = streams.some((stream, index) => streams.indexOf(stream) !== index);
  const current = (): StreamVersion[] =>
    streams.map((stream) => ({ stream, version: versionOf(ctx.durable, stream) }));
  const stale = message.writes.filter(
    (write) => write.expectedVersion !== versionOf(durable, write.stream),
  );
  if (isRepeated || (stale.length > 0 && state.mode === 'append-only')) {
    reply(ctx, from, message.appendId, 'conflict', current(), 0, 0);
    return storeWith(state, { conflicts: state.conflicts + 1 });
  }
  const eventCount = message.writes.reduce((sum, write) => sum + write.events.length, 0);
  if (durable.log.length + eventCount > logEventsMax) {
    reply(ctx, from, message.appendId, 'log-full', current(), 0, 0);
    return state;
  }
  const firstPosition = durable.log.length + 1;
  let log = durable.log;
  const streamMap = new Map(durable.streams);
  const added: StoredEvent[] = [];
  for (const write of message.writes) {
    // [6] The broken store keeps only the events up to the expected version, then writes.
    let stream = takeFirst(
      streamMap.get(write.stream) ?? emptyList<StoredEvent>(),
      write.expectedVersion,
    );
    for (const event of write.events) {
      const stored: StoredEvent = {
        ...event,
        stream: write.stream,
        version: stream.length + 1,
        position: log.length + 1,
        recordedUs: ctx.localTimeUs,
      };
      log = push(log, stored);
      stream = push(stream, stored);
      added.push(stored);
    }
    streamMap.set(write.stream, stream);
  }
  // [1] On disk before anyone hears of it.
  ctx.persist({ log, streams: streamMap, snapshots: durable.snapshots });
  const lastPosition = log.length;
  reply(ctx, from, message.appendId, 'appended', current(), firstPosition, lastPosition);
  for (const subscriber of state.subscribers) {
    sendBatch(ctx, subscriber, firstPosition - 1, added, lastPosition);
  }
  return storeWith(state, { appended: state.appended + eventCount });
}

function reply(
  ctx: Context,
  to: NodeId,
  appendId: number,
  outcome: 'appended' | 'conflict' | 'log-full',
  versions: readonly StreamVersion[],
  firstPosition: number,
  lastPosition: number,
): void {
  ctx.send(to, { type: 'AppendResult', appendId, outcome, versions, firstPosition, lastPosition });
}

type LoadRequest = Pick<LoadMessage, 'stream' | 'afterVersion' | 'upToVersion' | 'useSnapshot'>;

/** Where a load reads: the snapshot it starts from (if any), then versions `from`+1 … `upTo`. */
function loadBounds(
  durable: EventStoreDurable,
  request: LoadRequest,
): { readonly snapshot: Snapshot | null; readonly from: number; readonly count: number } {
  const length = versionOf(durable, request.stream);
  const upTo = Math.min(length, request.upToVersion ?? length);
  const saved = request.useSnapshot ? durable.snapshots.get(request.stream) : undefined;
  const snapshot =
    saved !== undefined && saved.version > request.afterVersion && saved.version <= upTo
      ? saved
      : null;
  const from = Math.max(0, snapshot?.version ?? request.afterVersion);
  return { snapshot, from, count: Math.max(0, upTo - from) };
}

/** What a load reads: the snapshot it starts from (if any) and the events after it. */
export function loadRange(
  durable: EventStoreDurable,
  request: LoadRequest,
): { readonly snapshot: Snapshot | null; readonly events: readonly StoredEvent[] } {
  const { snapshot, from, count } = loadBounds(durable, request);
  const stream = durable.streams.get(request.stream);
  const events = stream === undefined || count === 0 ? [] : sliceOf(stream, from, from + count);
  return { snapshot, events };
}

/** [4] Reads a stream (snapshot + tail, or a range of versions). */
function load(
  state: EventStoreState,
  from: NodeId,
  message: LoadMessage,
  ctx: Context,
): EventStoreState {
  const { snapshot, events } = loadRange(ctx.durable, message);
  ctx.send(from, {
    type: 'Loaded',
    loadId: message.loadId,
    stream: message.stream,
    snapshot,
    events,
    version: versionOf(ctx.durable, message.stream),
    sizeBytes: sizeForEvents(events.length),
  });
  return storeWith(state, { loads: state.loads + 1, eventsRead: state.eventsRead + events.length });
}

/** Keeps a snapshot if it is newer than the one held and within the stream. */
function saveSnapshot(snapshot: Snapshot, ctx: Context): void {
  const durable = ctx.durable;
  const held = durable.snapshots.get(snapshot.stream);
  const isUsable = snapshot.version > 0 && snapshot.version <= versionOf(durable, snapshot.stream);
  if (!isUsable || (held !== undefined && held.version >= snapshot.version)) return;
  const snapshots = new Map(durable.snapshots);
  snapshots.set(snapshot.stream, snapshot);
  ctx.persist({ log: durable.log, streams: durable.streams, snapshots });
  ctx.metric('snapshots', 1);
}

/** [5] (Re)starts a subscriber's feed from its position: the backlog in batches, then live. */
function subscribe(
  state: EventStoreState,
  from: NodeId,
  message: SubscribeMessage,
  ctx: Context,
  config: EventStoreConfig,
): EventStoreState {
  const log = ctx.durable.log;
  const head = log.length;
  const start = Math.min(head, Math.max(0, Math.floor(message.fromPosition)));
  const batchMax = Math.max(1, Math.round(config.settings(ctx.params).batchMax));
  if (start === head) sendBatch(ctx, from, start, [], head);
  for (let position = start; position < head; position += batchMax) {
    sendBatch(ctx, from, position, sliceOf(log, position, position + batchMax), head);
  }
  if (state.subscribers.includes(from)) return state;
  const subscribers = [...state.subscribers, from].slice(-subscribersMax);
  return storeWith(state, { subscribers });
}

function sendBatch(
  ctx: Context,
  to: NodeId,
  fromPosition: number,
  events: readonly StoredEvent[],
  head: number,
): void {
  ctx.send(to, {
    type: 'EventsBatch',
    fromPosition,
    events,
    head,
    sizeBytes: sizeForEvents(events.length),
  });
}
