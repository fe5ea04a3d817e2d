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
import { changedKeyHint, type ShardStore, shardDurableOf } from './store.ts';
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
 * arrays it saw last with the current ones by reference and looks only at the keys that differ:
 * the one key the store's diff hint names (store.ts, note 1), or every key when there is no
 * hint. An event that changes no store costs a few comparisons and allocates nothing.
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
    if (!isEverything) {
      // One node acted: only a shard whose status or epoch array changed can matter.
      const durable = shardDurableOf(node);
      if (durable === null) return null;
      const seen = memory.seen.get(node.id);
      const { status, epoch } = durable.store;
      if (seen?.status === status && seen.epoch === epoch) return null;
      const changed: number[] = [];
      noteOwnershipChanges(node.id, durable.store, memory, changed);
      return changed.length === 0 ? null : firstKeyProblem(shardDisks(world), changed, memory);
    }
    memory.isPrimed = true;
    const disks = shardDisks(world);
    const changed: number[] = [];
    for (const disk of disks) noteOwnershipChanges(disk.id, disk.durable.store, memory, changed);
    return firstKeyProblem(disks, changed, memory);
  },
};

/**
 * Appends to `changed` the keys whose status or epoch on this shard differ from what the memory
 * saw last (each key once, in the order first found), and remembers the current arrays.
 */
function noteOwnershipChanges(
  id: NodeId,
  store: ShardStore,
  memory: CustodianMemory,
  changed: number[],
): void {
  const { status, epoch } = store;
  const seen = memory.seen.get(id);
  if (seen?.status === status && seen.epoch === epoch) return;
  memory.seen.set(id, { status, epoch });
  const hinted =
    seen === undefined ? null : changedKeyHint(store, seen.status, seen.epoch, 'epoch');
  if (seen !== undefined && hinted !== null) {
    const isChanged =
      seen.status[hinted] !== status[hinted] || seen.epoch[hinted] !== epoch[hinted];
    if (isChanged && !changed.includes(hinted)) changed.push(hinted);
    return;
  }
  // A key of an earlier shard is already listed; a set keeps the check linear.
  const listed = changed.length === 0 ? null : new Set(changed);
  for (let key = 0; key < status.length; key++) {
    if (seen !== undefined && seen.status[key] === status[key] && seen.epoch[key] === epoch[key]) {
      continue;
    }
    if (listed === null || !listed.has(key)) changed.push(key);
  }
}

function firstKeyProblem(
  disks: readonly ShardDisk[],
  changed: readonly number[],
  memory: CustodianMemory,
): Violation | null {
  for (const key of changed) {
    const problem = keyProblem(disks, key);
    if (problem === null || memory.reported.has(problem)) continue;
    remember(memory.reported, problem);
    return { message: problem, nodes: keyHolders(disks, key) };
  }
  return null;
}

interface SeenValues {
  readonly status: Uint8Array;
  readonly value: Int32Array;
}

export interface WritesMemory {
  /**
   * The newest value acknowledged to any client, by key (0 for none; values start at 1). A
   * typed array indexed by key rather than a Map: the memory is copied into every checkpoint.
   */
  acknowledged: Float64Array;
  /** Keys with an acknowledged value. */
  acknowledgedCount: number;
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
      acknowledged: new Float64Array(0),
      acknowledgedCount: 0,
      seenAcks: new Map(),
      seenValues: new Map(),
      reported: new Set(),
    };
  },
  check(world: WorldView, node: NodeView | undefined, memory: WritesMemory): Violation | null {
    if (node !== undefined) {
      // One node acted: a client with a new acknowledged write, or a shard whose values moved.
      const suspects: number[] = [];
      if (node.role === clientRole) noteAcknowledged(node, memory, suspects);
      else if (node.role === shardRole) noteValues(node, memory, suspects);
      return suspects.length === 0 ? null : firstLostWrite(shardDisks(world), suspects, memory);
    }
    const suspects = new Set<number>();
    for (const each of world.nodes) {
      const found: number[] = [];
      if (each.role === clientRole) noteAcknowledged(each, memory, found);
      else if (each.role === shardRole) noteValues(each, memory, found);
      for (const key of found) suspects.add(key);
    }
    return suspects.size === 0 ? null : firstLostWrite(shardDisks(world), suspects, memory);
  },
};

function firstLostWrite(
  disks: readonly ShardDisk[],
  suspects: Iterable<number>,
  memory: WritesMemory,
): Violation | null {
  for (const key of suspects) {
    const violation = lostWrite(disks, key, memory);
    if (violation !== null) return violation;
  }
  return null;
}

function noteAcknowledged(node: NodeView, memory: WritesMemory, suspects: number[]): void {
  if (node.status !== 'up') return;
  const write = (node.state as ClientState).lastAcknowledgedWrite;
  if (memory.seenAcks.get(node.id) === write) return;
  memory.seenAcks.set(node.id, write);
  if (write === null) return;
  if (acknowledgedOf(memory, write.key) < write.value) acknowledge(memory, write.key, write.value);
  suspects.push(write.key);
}

function acknowledgedOf(memory: WritesMemory, key: number): number {
  const acknowledged = memory.acknowledged;
  return key < acknowledged.length ? (acknowledged[key] ?? 0) : 0;
}

/** Records a newer acknowledged value (above 0); keys are indices of the key space. */
function acknowledge(memory: WritesMemory, key: number, value: number): void {
  if (key >= memory.acknowledged.length) {
    const grown = new Float64Array(Math.max(key + 1, 2 * memory.acknowledged.length));
    grown.set(memory.acknowledged);
    memory.acknowledged = grown;
  }
  if (memory.acknowledged[key] === 0) memory.acknowledgedCount++;
  memory.acknowledged[key] = value;
}

/** Appends the acknowledged keys whose status or value on this shard changed, in key order. */
function noteValues(node: NodeView, memory: WritesMemory, suspects: number[]): void {
  const durable = shardDurableOf(node);
  if (durable === null) return;
  const store = durable.store;
  const { status, value } = store;
  const seen = memory.seenValues.get(node.id);
  if (seen?.status === status && seen.value === value) return;
  memory.seenValues.set(node.id, { status, value });
  if (memory.acknowledgedCount === 0) return;
  const hinted =
    seen === undefined ? null : changedKeyHint(store, seen.status, seen.value, 'value');
  if (seen !== undefined && hinted !== null) {
    const isChanged =
      seen.status[hinted] !== status[hinted] || seen.value[hinted] !== value[hinted];
    if (isChanged && acknowledgedOf(memory, hinted) > 0) suspects.push(hinted);
    return;
  }
  for (let key = 0; key < status.length; key++) {
    if (seen !== undefined && seen.status[key] === status[key] && seen.value[key] === value[key]) {
      continue;
    }
    if (acknowledgedOf(memory, key) > 0) suspects.push(key);
  }
}

function lostWrite(
  disks: readonly ShardDisk[],
  key: number,
  memory: WritesMemory,
): Violation | null {
  const acknowledged = acknowledgedOf(memory, key);
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
