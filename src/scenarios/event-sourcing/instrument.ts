import type { NodeId, WorldView } from '../../engine/types.ts';
import type { Instrument, InstrumentReading } from '../define.ts';
import type { RetriedConflict } from './moments.ts';
import type { EventSourcingMonitorMemory } from './monitor.ts';
import { itemAt } from './persistentList.ts';
import { countParam } from './protocol.ts';
import { crudRowsOf, logHeadOf, positionOf, projectionsOf, storeDurableOf } from './world.ts';

/**
 * The streams of the event store and the readers of its log, as the event-sourcing literature
 * draws them (Greg Young's "Versioning in an Event Sourced System" and the EventStoreDB docs on
 * streams, expected versions and catch-up subscriptions; Martin Fowler's "Event Sourcing"): one
 * stream per aggregate, its events numbered by version, the latest snapshot as a mark at the
 * version it folds up to; the global log with a position per event, and each projection's
 * cursor on it; optimistic concurrency as "expected version vN, but the stream was at vM".
 *
 * Reading stays small whatever the size of the log: the store's streams map holds one stream per
 * account (at most `accountCount`, 16), so it is walked; each stream is a persistent list, so
 * its length (version) is O(1) and only its newest `eventsPerStream` events are read, by index
 * (never a slice or a walk of a stream). The log is read as its length only. The latest conflict
 * comes from the monitor's memory (moments.ts [3]), since a handler keeps no record of it.
 */

/** Streams drawn at most; the rest are counted. */
export const streamsShownMax = 6;
/** Newest events read and drawn per stream. */
export const eventsPerStream = 5;

export interface StreamEventReading {
  readonly version: number;
  /** Its position in the global log. */
  readonly position: number;
  readonly type: string;
  readonly amount: number;
}

export interface StreamReading {
  readonly stream: string;
  /** The stream's version: how many events it holds (the baseline: the row's version). */
  readonly version: number;
  /** The newest events, oldest first (empty in the baseline: the row keeps no history). */
  readonly events: readonly StreamEventReading[];
  /** The version the stream's latest snapshot folds up to, or null. */
  readonly snapshotVersion: number | null;
  /** Baseline: the row's balance, overwritten by every write. */
  readonly balance: number | null;
}

export interface ProjectionCursor {
  readonly id: NodeId;
  /** Last log position applied (a crashed one: its checkpoint's, or 0). */
  readonly position: number;
  /** Head minus position. */
  readonly lag: number;
  readonly isUp: boolean;
  /** Replaying the log from position 0. */
  readonly isRebuilding: boolean;
  /** Holding early events until a gap fills. */
  readonly isWaitingOnGap: boolean;
}

export interface EventSourcingInstrumentData {
  /** False in the baseline: a CRUD store, one row per account, no log. */
  readonly hasLog: boolean;
  /** Events in the log (its last position); rows in the baseline are not events. */
  readonly head: number;
  readonly streamCount: number;
  /** Up to `streamsShownMax`: the streams appended to most recently, in account order. */
  readonly streams: readonly StreamReading[];
  /** `snapshotEvery` (0: snapshots off). */
  readonly snapshotEvery: number;
  /** Streams that have a snapshot. */
  readonly snapshotCount: number;
  readonly projections: readonly ProjectionCursor[];
  /** Conflicts retried and commands that gave up, so far in the run. */
  readonly retried: number;
  readonly gaveUp: number;
  readonly lastConflict: RetriedConflict | null;
}

/** acct-2 before acct-10: by length, then by name. */
function byName(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function seenOf(monitorMemory: unknown): EventSourcingMonitorMemory['seen'] | null {
  if (typeof monitorMemory !== 'object' || monitorMemory === null) return null;
  return (monitorMemory as Partial<EventSourcingMonitorMemory>).seen ?? null;
}

function readStreams(world: WorldView): {
  streams: StreamReading[];
  streamCount: number;
  snapshotCount: number;
} {
  const store = storeDurableOf(world);
  if (store === null) {
    const rows = crudRowsOf(world);
    if (rows === null) return { streams: [], streamCount: 0, snapshotCount: 0 };
    // Rows are not written in any order the table keeps: the first ones by name.
    const names = [...rows.keys()].sort(byName).slice(0, streamsShownMax);
    const streams = names.map((stream) => ({
      stream,
      version: rows.get(stream)?.version ?? 0,
      events: [],
      snapshotVersion: null,
      balance: rows.get(stream)?.balance ?? 0,
    }));
    return { streams, streamCount: rows.size, snapshotCount: 0 };
  }
  // One stream per account (≤ 16): the ones with the newest last events.
  const latest: { stream: string; position: number }[] = [];
  store.streams.forEach((list, stream) => {
    latest.push({ stream, position: itemAt(list, list.length - 1)?.position ?? 0 });
  });
  latest.sort((a, b) => b.position - a.position);
  const names = latest
    .slice(0, streamsShownMax)
    .map((each) => each.stream)
    .sort(byName);
  const streams = names.map((stream): StreamReading => {
    const list = store.streams.get(stream);
    const length = list?.length ?? 0;
    const events: StreamEventReading[] = [];
    for (let index = Math.max(0, length - eventsPerStream); index < length; index++) {
      const event = list === undefined ? undefined : itemAt(list, index);
      if (event === undefined) continue;
      const amount = event.data.amount;
      events.push({
        version: event.version,
        position: event.position,
        type: event.type,
        amount: typeof amount === 'number' ? amount : 0,
      });
    }
    return {
      stream,
      version: length,
      events,
      snapshotVersion: store.snapshots.get(stream)?.version ?? null,
      balance: null,
    };
  });
  return { streams, streamCount: store.streams.size, snapshotCount: store.snapshots.size };
}

export function readStreamsInstrument(
  world: WorldView,
  monitorMemory: unknown,
): EventSourcingInstrumentData {
  const hasLog = storeDurableOf(world) !== null;
  const head = logHeadOf(world);
  const seen = seenOf(monitorMemory);
  const projections: ProjectionCursor[] = projectionsOf(world).map((projection) => {
    const position = positionOf(projection);
    return {
      id: projection.node.id,
      position,
      lag: Math.max(0, head - position),
      isUp: projection.node.status === 'up' && projection.state !== null,
      isRebuilding: projection.state?.isRebuilding ?? false,
      isWaitingOnGap: (projection.state?.pending.length ?? 0) > 0,
    };
  });
  return {
    hasLog,
    head,
    ...readStreams(world),
    snapshotEvery: hasLog ? countParam(world, 'snapshotEvery', 0) : 0,
    projections: hasLog ? projections : [],
    retried: seen?.retried ?? 0,
    gaveUp: seen?.gaveUp ?? 0,
    lastConflict: seen?.lastRetried ?? null,
  };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "12 conflicts retried, the last on acct-1 (expected v4, was v5)" */
export function conflictText(data: EventSourcingInstrumentData): string {
  const last = data.lastConflict;
  const gaveUp = data.gaveUp > 0 ? `, ${data.gaveUp} gave up` : '';
  if (last === null) return data.gaveUp > 0 ? `no conflict retried${gaveUp}` : 'no conflicts yet';
  const where =
    last.stream === null
      ? `at ${last.handler}`
      : `on ${last.stream} (expected v${last.expectedVersion}, was v${last.actualVersion})`;
  return `${plural(data.retried, 'conflict')} retried${gaveUp}, the last ${where}`;
}

function cursorText(cursor: ProjectionCursor): string {
  const state = !cursor.isUp
    ? `down, ${cursor.lag} behind`
    : cursor.isRebuilding
      ? `rebuilding, ${cursor.lag} behind`
      : cursor.lag === 0
        ? 'caught up'
        : `${cursor.lag} behind`;
  return `projection '${cursor.id}' at ${cursor.position} (${state})`;
}

/**
 * The streams, the latest conflict and the projections in one or two sentences, as the figure's
 * accessible name.
 */
export function describeStreams(data: EventSourcingInstrumentData): string {
  if (!data.hasLog) {
    return (
      `CRUD store: ${plural(data.streamCount, 'row')} overwritten in place, no history and no ` +
      `projections; ${conflictText(data)}.`
    );
  }
  const snapshots =
    data.snapshotEvery > 0
      ? `; snapshots every ${data.snapshotEvery} events (${plural(data.snapshotCount, 'stream')} ${data.snapshotCount === 1 ? 'has' : 'have'} one)`
      : '';
  const atHead = data.projections.filter((cursor) => cursor.isUp && cursor.lag === 0);
  const others = data.projections.filter((cursor) => !(cursor.isUp && cursor.lag === 0));
  const parts = others.map(cursorText);
  if (atHead.length > 0) {
    const names = atHead.map((cursor) => `'${cursor.id}'`).join(' and ');
    const noun = atHead.length === 1 ? 'projection' : 'projections';
    parts.push(`${noun} ${names} at ${data.head} (caught up)`);
  }
  const cursors = parts.join(', ');
  return (
    `Streams: ${plural(data.streamCount, 'stream')}, ${plural(data.head, 'event')}${snapshots}; ` +
    `${conflictText(data)}; ${cursors}.`
  );
}

export const eventSourcingInstrument: Instrument = {
  title: 'Streams',
  read(world, monitorMemory): InstrumentReading {
    const data = readStreamsInstrument(world, monitorMemory);
    return { description: describeStreams(data), data };
  },
};
