import type { NodeId, WorldView } from '../../engine/types.ts';
import type { Instrument, InstrumentReading } from '../define.ts';
import { laggingThreshold } from './moments.ts';
import { paramOf, projectorId, replicaIds } from './protocol.ts';
import {
  isPattern,
  isServing,
  projectorApplied,
  publishedUpTo,
  replicaDurable,
  wantedActive,
  writeLog,
} from './world.ts';

/**
 * The write log and its readers, as the CQRS and event-sourcing literature draws them (Greg
 * Young's CQRS documents, Martin Fowler's "CQRS" and "Event Sourcing"; Kafka's consumer lag): one
 * append-only log with a head, and each projection's position along it. Lag in events is the head
 * minus the reader's position; lag in time is that many events at the workload's write rate (the
 * log keeps no timestamps), the same "a second's worth of writes" the lagging moment uses.
 */

export interface ReaderReading {
  readonly id: NodeId;
  readonly kind: 'projector' | 'replica';
  /** Log position applied: every entry up to it is in this read model. */
  readonly position: number;
  /** Head minus position. */
  readonly lag: number;
  readonly isUp: boolean;
  /** Replicas: up, active and caught up since it started (the balancer sends it reads). */
  readonly isServing: boolean;
}

export interface CqrsInstrumentData {
  /** False in the baseline: one store, read and written, no read models. */
  readonly hasReadSide: boolean;
  /** The write log's length: its latest position. */
  readonly head: number;
  /** The command service's feed: every position up to here is acknowledged by the broker. */
  readonly publishedUpTo: number;
  /** Writes per second the workload asks for (clients × rate × write share). */
  readonly writesPerSecond: number;
  /** Lag at which the read side counts as lagging (the moment's threshold). */
  readonly laggingAt: number;
  /** The projector, then the replicas the operator wants active (and any still replaying). */
  readonly readers: readonly ReaderReading[];
  /** Pool replicas not in use. */
  readonly spares: readonly NodeId[];
}

/** Replica rows drawn at most (the pool holds at most 8). */
export const replicasShownMax = 8;

export function readWriteLog(world: WorldView): CqrsInstrumentData {
  const head = writeLog(world).length;
  const writesPerSecond =
    (paramOf(world, 'clientCount') *
      paramOf(world, 'opsPerSecond') *
      paramOf(world, 'writePercent')) /
    100;
  const base = {
    head,
    writesPerSecond,
    laggingAt: laggingThreshold(world),
  };
  if (!isPattern(world)) {
    return { ...base, hasReadSide: false, publishedUpTo: head, readers: [], spares: [] };
  }
  const projectorPosition = projectorApplied(world);
  const readers: ReaderReading[] = [
    {
      id: projectorId,
      kind: 'projector',
      position: projectorPosition,
      lag: head - projectorPosition,
      isUp: world.node(projectorId).status === 'up',
      isServing: false,
    },
  ];
  const wanted = wantedActive(world);
  const spares: NodeId[] = [];
  for (const id of replicaIds(world.params)) {
    const durable = replicaDurable(world, id);
    const isUsed = wanted.includes(id) || durable.isActive;
    if (!isUsed || readers.length > replicasShownMax) {
      if (!isUsed) spares.push(id);
      continue;
    }
    readers.push({
      id,
      kind: 'replica',
      position: durable.applied,
      lag: head - durable.applied,
      isUp: world.node(id).status === 'up',
      isServing: isServing(world, id),
    });
  }
  return { ...base, hasReadSide: true, publishedUpTo: publishedUpTo(world), readers, spares };
}

/** "≈ 0.8 s" of writes at the workload's rate. */
export function lagSeconds(lag: number, writesPerSecond: number): string {
  if (writesPerSecond <= 0) return '';
  return `≈ ${(lag / writesPerSecond).toFixed(1)} s`;
}

function listOf(ids: readonly string[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids.at(-1) ?? ''}`;
}

function readerText(reader: ReaderReading, data: CqrsInstrumentData): string {
  const where = `${reader.id} at ${reader.position}`;
  if (!reader.isUp) return `${where} (down, ${reader.lag} behind)`;
  const replaying = reader.kind === 'replica' && !reader.isServing ? ', replaying' : '';
  return `${where} (${reader.lag} behind, ${lagSeconds(reader.lag, data.writesPerSecond)}${replaying})`;
}

/**
 * The log and its readers in one or two sentences, as the figure's accessible name: the readers
 * at the head together, then each one behind.
 */
export function describeWriteLog(data: CqrsInstrumentData): string {
  if (!data.hasReadSide) {
    return `Write log at ${data.head}; no read models: one store serves reads and writes, so no read is behind.`;
  }
  const isCaughtUp = (reader: ReaderReading): boolean =>
    reader.isUp && reader.lag === 0 && (reader.kind === 'projector' || reader.isServing);
  const caughtUp = data.readers.filter(isCaughtUp).map((reader) => reader.id);
  const parts = data.readers
    .filter((reader) => !isCaughtUp(reader))
    .map((reader) => readerText(reader, data));
  if (caughtUp.length > 0) parts.push(`${listOf(caughtUp)} at ${data.head} (caught up)`);
  return `Write log at ${data.head}; ${parts.join('; ')}.`;
}

export const cqrsInstrument: Instrument = {
  title: 'Write log and read models',
  read(world): InstrumentReading {
    const data = readWriteLog(world);
    return { description: describeWriteLog(data), data };
  },
};
