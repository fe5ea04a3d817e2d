import type {
  LivenessInvariant,
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import type { AcknowledgedWrite, ClientState } from './client.ts';
import {
  clientRole,
  keyCountOf,
  paramOf,
  queuedOperationsMax,
  shardRole,
  tablePollEveryRounds,
} from './protocol.ts';
import { shardDurableOf } from './store.ts';
import {
  custodianOf,
  isPlacementSettled,
  keyHolders,
  keyProblem,
  type ShardDisk,
  shardDisks,
} from './world.ts';

/**
 * The scenario's invariants. Both safety checks run after every event, incrementally: a shard's
 * store arrays are replaced (never changed in place) when they change, so a check compares the
 * arrays it saw last with the current ones by reference and looks only at the keys that differ.
 * A key space of a few thousand keys then costs almost nothing per event.
 */

/** Distinct violations remembered, so each is reported once. */
const reportedViolationsMax = 1_000;

interface SeenOwnership {
  readonly status: Uint8Array;
  readonly epoch: Int32Array;
}

export interface CustodianMemory {
  readonly seen: Map<NodeId, SeenOwnership>;
  readonly reported: Set<string>;
  isPrimed: boolean;
}

/**
 * Every key has exactly one custodian at every event (see migration.ts, note 2): among the
 * shards' live entries (owned or handing off) for the key, exactly one has the highest epoch,
 * and no shard other than that custodian has the key `owned`. A key with no live entry is lost;
 * two at the top epoch, or a stale owned copy, is a double owner.
 */
export const oneCustodianPerKey: SafetyInvariant<CustodianMemory> = {
  id: 'one-custodian-per-key',
  kind: 'safety',
  description: 'Every key has exactly one custodian shard: never two owners, never none',
  createMemory(): CustodianMemory {
    return { seen: new Map(), reported: new Set(), isPrimed: false };
  },
  check(world: WorldView, node: NodeView | undefined, memory: CustodianMemory): Violation | null {
    const isEverything = node === undefined || !memory.isPrimed;
    if (!isEverything && node.role !== shardRole) return null;
    memory.isPrimed = true;
    const disks = shardDisks(world);
    const acting = isEverything ? disks : disks.filter((disk) => disk.id === node.id);
    const changed = new Set<number>();
    for (const disk of acting) {
      const { status, epoch } = disk.durable.store;
      const seen = memory.seen.get(disk.id);
      if (seen?.status === status && seen.epoch === epoch) continue;
      for (let key = 0; key < status.length; key++) {
        if (
          seen === undefined ||
          seen.status[key] !== status[key] ||
          seen.epoch[key] !== epoch[key]
        ) {
          changed.add(key);
        }
      }
      memory.seen.set(disk.id, { status, epoch });
    }
    for (const key of changed) {
      const problem = keyProblem(disks, key);
      if (problem === null || memory.reported.has(problem)) continue;
      remember(memory.reported, problem);
      return { message: problem, nodes: keyHolders(disks, key) };
    }
    return null;
  },
};

interface SeenValues {
  readonly status: Uint8Array;
  readonly value: Int32Array;
}

export interface WritesMemory {
  /** The newest value acknowledged to any client, per key. */
  readonly acknowledged: Map<number, number>;
  readonly seenAcks: Map<NodeId, AcknowledgedWrite | null>;
  readonly seenValues: Map<NodeId, SeenValues>;
  readonly reported: Set<string>;
}

/**
 * No acknowledged write is lost: the key's custodian always holds a value at least as new as
 * the newest one any client saw acknowledged. A hand-off that shipped a value older than a write
 * the source had already acknowledged would break it.
 */
export const acknowledgedWritesKept: SafetyInvariant<WritesMemory> = {
  id: 'acknowledged-writes-kept',
  kind: 'safety',
  description: 'Every acknowledged write survives, through moves and crashes',
  createMemory(): WritesMemory {
    return {
      acknowledged: new Map(),
      seenAcks: new Map(),
      seenValues: new Map(),
      reported: new Set(),
    };
  },
  check(world: WorldView, node: NodeView | undefined, memory: WritesMemory): Violation | null {
    const acting = node === undefined ? world.nodes : [node];
    const suspects = new Set<number>();
    for (const each of acting) {
      if (each.role === clientRole) noteAcknowledged(each, memory, suspects);
      else if (each.role === shardRole) noteValues(each, memory, suspects);
    }
    if (suspects.size === 0) return null;
    const disks = shardDisks(world);
    for (const key of suspects) {
      const violation = lostWrite(disks, key, memory);
      if (violation !== null) return violation;
    }
    return null;
  },
};

function noteAcknowledged(node: NodeView, memory: WritesMemory, suspects: Set<number>): void {
  if (node.status !== 'up') return;
  const write = (node.state as ClientState).lastAcknowledgedWrite;
  if (memory.seenAcks.get(node.id) === write) return;
  memory.seenAcks.set(node.id, write);
  if (write === null) return;
  if ((memory.acknowledged.get(write.key) ?? 0) < write.value) {
    memory.acknowledged.set(write.key, write.value);
  }
  suspects.add(write.key);
}

function noteValues(node: NodeView, memory: WritesMemory, suspects: Set<number>): void {
  const durable = shardDurableOf(node);
  if (durable === null) return;
  const { status, value } = durable.store;
  const seen = memory.seenValues.get(node.id);
  if (seen?.status === status && seen.value === value) return;
  memory.seenValues.set(node.id, { status, value });
  if (memory.acknowledged.size === 0) return;
  for (let key = 0; key < status.length; key++) {
    if (seen !== undefined && seen.status[key] === status[key] && seen.value[key] === value[key]) {
      continue;
    }
    if (memory.acknowledged.has(key)) suspects.add(key);
  }
}

function lostWrite(
  disks: readonly ShardDisk[],
  key: number,
  memory: WritesMemory,
): Violation | null {
  const acknowledged = memory.acknowledged.get(key) ?? 0;
  const custodian = custodianOf(disks, key);
  // A key without a custodian is the other invariant's finding.
  if (custodian === null || custodian.value >= acknowledged) return null;
  const message =
    `key ${key}: value ${acknowledged} was acknowledged, but its custodian ` +
    `${custodian.shard} holds ${custodian.value}`;
  if (memory.reported.has(message)) return null;
  remember(memory.reported, message);
  return { message, nodes: [custodian.shard] };
}

function remember(reported: Set<string>, message: string): void {
  if (reported.size >= reportedViolationsMax) {
    const oldest = reported.keys().next();
    if (oldest.done !== true) reported.delete(oldest.value);
  }
  reported.add(message);
}

/**
 * Once faults have healed, placement converges: every queued rebalance finishes and every key
 * sits, owned, on the shard the router's table names. The bound, with K keys, L the largest
 * one-way latency (1.5 × the mean), W the hand-off window, r the migration rate and R the
 * retransmit interval:
 *
 * - one rebalance: a source hands off at most K keys, each taking the larger of its pacing
 *   interval 1/r and its share of a round trip 2L/W; add P × R for a completion report lost
 *   before the heal (the router asks busy shards again every P = tablePollEveryRounds rounds),
 *   and 4L for the table update, the last acknowledgement and the completion report;
 * - the running rebalance plus the queued ones (at most `queuedOperationsMax`), one after another;
 * - R + 2L more for the router to learn of a shard it missed.
 */
export const placementConverges: LivenessInvariant = {
  id: 'placement-converges',
  kind: 'liveness',
  description: 'After faults heal, every key is owned by the shard the routing table names',
  boundUs(params: Readonly<Record<string, number>>): number {
    const keyCount = keyCountOf(params);
    const latencyUs = 1.5 * paramOf({ params }, 'linkLatencyMs') * 1000;
    const retransmitUs = paramOf({ params }, 'retransmitMs') * 1000;
    const windowMax = Math.max(1, paramOf({ params }, 'migrationWindow'));
    const pacingUs = 1_000_000 / Math.max(1, paramOf({ params }, 'migrationRate'));
    const perKeyUs = Math.max(pacingUs, (2 * latencyUs) / windowMax);
    const rebalanceUs = keyCount * perKeyUs + tablePollEveryRounds * retransmitUs + 4 * latencyUs;
    return Math.round((queuedOperationsMax + 1) * rebalanceUs + retransmitUs + 2 * latencyUs);
  },
  isExpected(world: WorldView): boolean {
    return !world.hasActiveFaults;
  },
  holds: isPlacementSettled,
};
