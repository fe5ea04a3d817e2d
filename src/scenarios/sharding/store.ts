import type { NodeId, NodeView } from '../../engine/types.ts';
import { ownerOf, replicaOf, type RoutingTable, shardNumber } from './placement.ts';
import { shardRole } from './protocol.ts';

/**
 * A shard's disk: one entry per key of the key space, in flat typed arrays so that a write
 * copies one small array rather than a map of every key. Arrays are never changed in place: an
 * update makes a new array and a new store object (copy on write), so the invariants can tell
 * what changed by comparing references. Every update changes one key, and the new store says
 * which, and from which arrays [1]: the invariants then look at that key instead of diffing the
 * whole key space after every write.
 */

/** No entry: this shard never held the key. */
export const entryNone = 0;
/** The shard owns the key: it serves it. */
export const entryOwned = 1;
/** The shard has sent the key to `peer` and waits for the acknowledgement; it serves nothing. */
export const entryHandingOff = 2;
/** A tombstone: the key went to `peer` at `epoch`; requests are sent on there. */
export const entryMoved = 3;

export type EntryStatus =
  typeof entryNone | typeof entryOwned | typeof entryHandingOff | typeof entryMoved;

export const entryNames: readonly string[] = ['none', 'owned', 'handing off', 'moved'];

/** The per-key arrays the invariants compare. */
export interface StoreArrays {
  readonly status: Uint8Array;
  /** Ownership epoch: 1 for the first owner, one more at every move [see shard.ts, note 2]. */
  readonly epoch: Int32Array;
  /** The key's value (a version number every write increments), while owned or handing off. */
  readonly value: Int32Array;
}

export interface ShardStore extends StoreArrays {
  /** Pool number of the shard a handing-off or moved key went to. */
  readonly peer: Uint8Array;
  /** Keys owned or handing off here. */
  readonly custodianCount: number;
  readonly handingOffCount: number;
  /** [1] The arrays of the store this one was made from, which differ only at `changedKey`. */
  readonly madeFrom: StoreArrays | null;
  /** [1] The key this store changed (-1 for a store made from scratch). */
  readonly changedKey: number;
}

/** What survives a shard crash. */
export interface ShardDurable {
  readonly store: ShardStore;
  /** Replica copies of other shards' keys: their value, 0 for none. */
  readonly replica: Int32Array;
  /** Owned keys whose newest value the replica has not confirmed (replication on). */
  readonly dirty: Uint8Array;
  readonly dirtyCount: number;
  /** The newest routing table this shard has heard of, and the one it replaced. */
  readonly table: RoutingTable;
  readonly previous: RoutingTable | null;
}

/**
 * The disk of shard `self` at the very start: every key the first table gives it, value 1, and
 * with replication on, the copies of the keys of the shard it follows.
 */
export function initialShardDurable(
  self: NodeId,
  table: RoutingTable,
  isReplicated: boolean,
): ShardDurable {
  const keyCount = table.keyCount;
  const status = new Uint8Array(keyCount);
  const epoch = new Int32Array(keyCount);
  const value = new Int32Array(keyCount);
  const replica = new Int32Array(keyCount);
  let owned = 0;
  for (let key = 0; key < keyCount; key++) {
    const owner = ownerOf(table, key);
    if (isReplicated && replicaOf(table, owner) === self) replica[key] = 1;
    if (owner !== self) continue;
    status[key] = entryOwned;
    epoch[key] = 1;
    value[key] = 1;
    owned++;
  }
  return {
    store: {
      status,
      epoch,
      peer: new Uint8Array(keyCount),
      value,
      custodianCount: owned,
      handingOffCount: 0,
      madeFrom: null,
      changedKey: -1,
    },
    replica,
    dirty: new Uint8Array(keyCount),
    dirtyCount: 0,
    table,
    previous: null,
  };
}

/** A copy of `store` with `key`'s entry replaced; the counts follow. */
export function withEntry(
  store: ShardStore,
  key: number,
  status: EntryStatus,
  epoch: number,
  peer: NodeId | null,
  value: number,
): ShardStore {
  const before = store.status[key] ?? entryNone;
  const isLive = (each: number): number =>
    each === entryOwned || each === entryHandingOff ? 1 : 0;
  const isHanding = (each: number): number => (each === entryHandingOff ? 1 : 0);
  const statuses = store.status.slice();
  const epochs = store.epoch.slice();
  const peers = store.peer.slice();
  const values = store.value.slice();
  statuses[key] = status;
  epochs[key] = epoch;
  peers[key] = peer === null ? 0 : shardNumber(peer);
  values[key] = value;
  return {
    status: statuses,
    epoch: epochs,
    peer: peers,
    value: values,
    custodianCount: store.custodianCount + isLive(status) - isLive(before),
    handingOffCount: store.handingOffCount + isHanding(status) - isHanding(before),
    madeFrom: arraysOf(store),
    changedKey: key,
  };
}

/**
 * A copy of `store` with a new value for an owned key (a write). Built as one literal, as is
 * `withStore`: writes are frequent, and V8 11 (Node 20) copies an object spread several times
 * slower.
 */
export function withValue(store: ShardStore, key: number, value: number): ShardStore {
  const values = store.value.slice();
  values[key] = value;
  return {
    status: store.status,
    epoch: store.epoch,
    peer: store.peer,
    value: values,
    custodianCount: store.custodianCount,
    handingOffCount: store.handingOffCount,
    madeFrom: arraysOf(store),
    changedKey: key,
  };
}

/** A copy of `durable` with another store. */
export function withStore(durable: ShardDurable, store: ShardStore): ShardDurable {
  return {
    store,
    replica: durable.replica,
    dirty: durable.dirty,
    dirtyCount: durable.dirtyCount,
    table: durable.table,
    previous: durable.previous,
  };
}

/** [1] The arrays alone: a hint must not point at a whole store, or every version stays alive. */
function arraysOf(store: ShardStore): StoreArrays {
  return { status: store.status, epoch: store.epoch, value: store.value };
}

/**
 * [1] The keys at which `store` may differ from the arrays an invariant saw last (`seenStatus`
 * and `seenOther`, where `other` picks the second array it watches): the one changed key when
 * the store was made from exactly those arrays, else every key (null).
 */
export function changedKeyHint(
  store: ShardStore,
  seenStatus: Uint8Array,
  seenOther: Int32Array,
  other: 'epoch' | 'value',
): number | null {
  const from = store.madeFrom;
  if (from === null || from.status !== seenStatus || from[other] !== seenOther) return null;
  return store.changedKey;
}

/** The durable state of a shard node, or null for any other node. */
export function shardDurableOf(node: NodeView): ShardDurable | null {
  if (node.role !== shardRole) return null;
  return node.durable as ShardDurable;
}

/** Whether the entry counts as a live copy (one that may be the key's custodian). */
export function isLiveEntry(status: number): boolean {
  return status === entryOwned || status === entryHandingOff;
}

/*
 * Notes
 *
 * [1] The diff hint. The safety invariants run after every event and remember, per shard, the
 *     arrays they last saw. A store made by one update from exactly those arrays can differ from
 *     them only at the changed key, so the check reads one key; anything else (several updates
 *     in one event, a store restored from a checkpoint, the first look) falls back to comparing
 *     every key. The hint keeps the previous version's arrays alive, and only those: it holds
 *     the arrays, not the previous store with its own hint.
 */
