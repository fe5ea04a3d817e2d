import type { MetricSpec, Monitor, NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { ClientDurable } from './client.ts';
import { createHistoryMemory, type CqrsHistoryMemory, recordHistory } from './history.ts';
import { createReadSideSeen, observeReadSide, type ReadSideSeen } from './moments.ts';
import { clientRole, replicaIds } from './protocol.ts';
import {
  isPattern,
  isServing,
  maxLag,
  projectorApplied,
  replicaLag,
  wantedActive,
  writeLog,
} from './world.ts';

/**
 * The scenario's metrics. Clients record what they alone see (latency, success, their own
 * read-your-writes violations); the monitor watches every client to judge stale reads, which
 * needs to know every write acknowledged to anyone, and samples throughput and lag.
 */

/** Metrics per replica in the pool (the view draws them as bars). */
export const replicaCountMax = 8;

const perReplicaLag: MetricSpec[] = Array.from({ length: replicaCountMax }, (_, i) => ({
  name: `lag-q${i + 1}`,
  unit: 'changes',
  description: `Write-log head minus the applied position of replica q${i + 1} (0 while spare)`,
  aggregate: 'last',
}));

export const cqrsMetrics: readonly MetricSpec[] = [
  {
    name: 'read-throughput',
    unit: 'reads/s',
    description: 'Reads answered ok per second',
    aggregate: 'mean',
  },
  {
    name: 'write-throughput',
    unit: 'writes/s',
    description: 'Writes acknowledged (to the waiting client) per second',
    aggregate: 'mean',
  },
  {
    name: 'read-latency',
    unit: 'ms',
    description: 'Time from a read to its ok answer (median)',
    aggregate: 'p50',
  },
  {
    name: 'read-latency-p99',
    unit: 'ms',
    description: 'Time from a read to its ok answer (99th percentile)',
    aggregate: 'p99',
  },
  {
    name: 'write-latency',
    unit: 'ms',
    description: 'Time from a write to its acknowledgement, retries included (99th percentile)',
    aggregate: 'p99',
  },
  {
    name: 'read-success',
    unit: 'ratio',
    description: 'Share of reads answered ok (not busy, unavailable or timed out)',
    aggregate: 'mean',
  },
  {
    name: 'write-success',
    unit: 'ratio',
    description: 'Share of writes acknowledged (not refused or given up)',
    aggregate: 'mean',
  },
  {
    name: 'lag-max',
    unit: 'changes',
    description: 'Largest read-model lag among the active replicas (write-log head − applied)',
    aggregate: 'max',
  },
  ...perReplicaLag,
  {
    name: 'lag-projector',
    unit: 'changes',
    description: 'Write-log head minus the projector’s applied position',
    aggregate: 'last',
  },
  {
    name: 'stale-reads',
    unit: 'reads',
    description: 'Reads that missed a write acknowledged (to anyone) before they were issued',
    aggregate: 'sum',
  },
  {
    name: 'ryow-violations',
    unit: 'reads',
    description: 'Reads that missed the reading client’s own acknowledged write',
    aggregate: 'sum',
  },
  {
    name: 'ryow-waits',
    unit: 'reads',
    description:
      'Reads a replica held until it caught up with the client’s write (read-your-writes mode)',
    aggregate: 'sum',
  },
  {
    name: 'publish-retries',
    unit: 'publishes',
    description: 'Changes the command service published again (no broker ack in time)',
    aggregate: 'sum',
  },
  {
    name: 'feed-redeliveries',
    unit: 'changes',
    description: 'Changes the broker delivered to the projector again (no ack in time)',
    aggregate: 'sum',
  },
  {
    name: 'serving-replicas',
    unit: 'replicas',
    description: 'Query replicas up and serving',
    aggregate: 'last',
  },
];

export const sampleIntervalUs = 250_000;
/** Reads whose issue-time head the monitor keeps at once; the oldest are forgotten past it. */
export const trackedReadsMax = 20_000;

/** What the monitor last saw of one client. */
interface ClientSeen {
  issued: number;
  ok: number;
  failed: number;
  writesOk: number;
}

export interface CqrsMonitorMemory {
  /** The highest log position acknowledged to any client so far. */
  ackedHead: number;
  /** A read's key (see `readKey`) → the acknowledged head when the read was issued. */
  readonly headAtIssue: Map<number, number>;
  readonly seen: Map<NodeId, ClientSeen>;
  staleReads: number;
  readsSinceSample: number;
  writesSinceSample: number;
  /** The read side as last seen, for the moments (moments.ts). */
  readonly readSide: ReadSideSeen;
  /** The clients' operations, for the consistency checkers (history.ts). */
  readonly history: CqrsHistoryMemory;
}

export const cqrsMonitor: Monitor<CqrsMonitorMemory> = {
  sampleIntervalUs,
  createMemory(): CqrsMonitorMemory {
    return {
      ackedHead: 0,
      headAtIssue: new Map(),
      seen: new Map(),
      staleReads: 0,
      readsSinceSample: 0,
      writesSinceSample: 0,
      readSide: createReadSideSeen(),
      history: createHistoryMemory(),
    };
  },

  observe(world: WorldView, node: NodeView | undefined, memory: CqrsMonitorMemory, moment) {
    recordHistory(world, node, memory.history);
    if (node !== undefined) {
      if (node.role === clientRole) observeClient(node, memory);
      else observeReadSide(world, node, memory.readSide, moment);
      return;
    }
    for (const each of world.nodes) if (each.role === clientRole) observeClient(each, memory);
    observeReadSide(world, undefined, memory.readSide, moment);
  },

  sample(world: WorldView, memory: CqrsMonitorMemory, record): void {
    const seconds = sampleIntervalUs / 1_000_000;
    record('read-throughput', memory.readsSinceSample / seconds);
    record('write-throughput', memory.writesSinceSample / seconds);
    memory.readsSinceSample = 0;
    memory.writesSinceSample = 0;
    if (memory.staleReads > 0) record('stale-reads', memory.staleReads);
    memory.staleReads = 0;
    record('lag-max', maxLag(world));
    if (!isPattern(world)) return;
    const active = new Set(wantedActive(world));
    let serving = 0;
    for (const id of replicaIds(world.params)) {
      record(`lag-${id}`, active.has(id) ? replicaLag(world, id) : 0);
      if (active.has(id) && isServing(world, id)) serving++;
    }
    record('lag-projector', writeLog(world).length - projectorApplied(world));
    record('serving-replicas', serving);
  },
};

/**
 * [1] Judges reads by the positions acknowledged before them. A client handles one event at a
 * time, so between two looks at it at most one thing happened: an ack arrived (the head may
 * rise), a read was issued (note the head now), a read was answered (compare) or failed.
 */
function observeClient(node: NodeView, memory: CqrsMonitorMemory): void {
  const durable = node.durable as ClientDurable;
  let seen = memory.seen.get(node.id);
  if (seen === undefined) {
    seen = { issued: 0, ok: 0, failed: 0, writesOk: 0 };
    memory.seen.set(node.id, seen);
  }
  memory.ackedHead = Math.max(memory.ackedHead, durable.ownAckedMax);
  for (let readId = seen.issued + 1; readId <= durable.readsIssued; readId++) {
    if (memory.headAtIssue.size >= trackedReadsMax) forgetOldest(memory.headAtIssue);
    memory.headAtIssue.set(readKey(node, readId), memory.ackedHead);
  }
  if (durable.readsOk > seen.ok && durable.lastRead !== null) {
    const key = readKey(node, durable.lastRead.readId);
    const head = memory.headAtIssue.get(key);
    if (head !== undefined && durable.lastRead.applied < head) memory.staleReads++;
    memory.headAtIssue.delete(key);
    memory.readsSinceSample += durable.readsOk - seen.ok;
  }
  if (durable.readsFailed > seen.failed) {
    memory.headAtIssue.delete(readKey(node, durable.lastFailedReadId));
  }
  memory.writesSinceSample += Math.max(0, durable.writesOk - seen.writesOk);
  seen.issued = durable.readsIssued;
  seen.ok = durable.readsOk;
  seen.failed = durable.readsFailed;
  seen.writesOk = durable.writesOk;
}

/** Read ids per client stay far below this, so a read's key is unique to its client and id. */
const readIdsPerClient = 4_294_967_296;

/** A number naming read `readId` of `node` (no string built per read). */
function readKey(node: NodeView, readId: number): number {
  return node.index * readIdsPerClient + readId;
}

function forgetOldest(map: Map<number, number>): void {
  const oldest = map.keys().next();
  if (oldest.done !== true) map.delete(oldest.value);
}

/*
 * Notes
 *
 * [1] Stale reads. A read is stale if it misses a write that was acknowledged, to any client,
 *     before the read was issued. Acknowledged means the WriteAck reached its client (the
 *     client's durable `ownAckedMax` rose). A read sees its replica's read model, which is the
 *     write log up to the replica's applied position (the safety invariant), so it misses such a
 *     write exactly when its applied position is below the highest position acknowledged before
 *     it was issued. The tests recount this from the trace, independently of the clients' own
 *     bookkeeping.
 */
