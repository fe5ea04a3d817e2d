import type { NodeId } from '../../engine/types.ts';
import { replicaOf } from './placement.ts';
import {
  paramOf,
  msParamUs,
  type ReplicateAckMessage,
  type ReplicateMessage,
  replicateBatchMax,
  replicatePairBytes,
} from './protocol.ts';
import { replicateTimer, type ShardContext, type ShardState } from './shardState.ts';
import { entryOwned, type ShardDurable } from './store.ts';

/**
 * Optional replication (replication factor 2): every owner keeps a read-only copy of its keys on
 * the next active shard. It is asynchronous: writes are acknowledged by the owner alone, and the
 * owner ships the keys it changed (dirty keys) to its replica in batches every retransmit
 * interval until the replica confirms them. Numbered notes [n] are at the end of the file.
 */

/** A copy of `durable` with `key` marked as not yet confirmed by the replica. */
export function markDirty(durable: ShardDurable, key: number): ShardDurable {
  if (durable.dirty[key] === 1) return durable;
  const dirty = durable.dirty.slice();
  dirty[key] = 1;
  return { ...durable, dirty, dirtyCount: durable.dirtyCount + 1 };
}

/** [2] A new replica follows this shard: every owned key must be shipped to it. */
export function markAllOwnedDirty(durable: ShardDurable): ShardDurable {
  const status = durable.store.status;
  const dirty = new Uint8Array(status.length);
  let dirtyCount = 0;
  for (let key = 0; key < status.length; key++) {
    if (status[key] !== entryOwned) continue;
    dirty[key] = 1;
    dirtyCount++;
  }
  return { ...durable, dirty, dirtyCount };
}

export function isReplicating(ctx: ShardContext): boolean {
  return paramOf(ctx, 'replicationFactor') >= 2;
}

/** Starts the replication timer when there is something to ship and none is pending. */
export function scheduleReplication(ctx: ShardContext): void {
  if (!isReplicating(ctx) || ctx.durable.dirtyCount === 0 || ctx.hasTimer(replicateTimer)) return;
  ctx.setTimer(replicateTimer, msParamUs(ctx, 'retransmitMs'));
}

/**
 * [1] Ships up to a batch of dirty keys to the replica. Keys that are no longer owned here
 * (handed off meanwhile) stop being this shard's business and are dropped from the dirty set.
 */
export function onReplicateTick(state: ShardState, ctx: ShardContext): ShardState {
  const durable = ctx.durable;
  const replica = replicaOf(durable.table, ctx.self);
  const { status, value } = durable.store;
  const pairs: number[] = [];
  let dirty = durable.dirty;
  let dirtyCount = durable.dirtyCount;
  for (let key = 0; key < status.length && pairs.length < 2 * replicateBatchMax; key++) {
    if (dirty[key] !== 1) continue;
    if (status[key] !== entryOwned) {
      if (dirty === durable.dirty) dirty = dirty.slice();
      dirty[key] = 0;
      dirtyCount--;
      continue;
    }
    pairs.push(key, value[key] ?? 0);
  }
  if (dirty !== durable.dirty) ctx.persist({ ...durable, dirty, dirtyCount });
  if (replica !== null && pairs.length > 0) {
    const message: ReplicateMessage = {
      type: 'Replicate',
      pairs,
      sizeBytes: (pairs.length / 2) * replicatePairBytes,
    };
    ctx.send(replica, message);
  }
  scheduleReplication(ctx);
  return state;
}

/** [1] The replica keeps the newest value it has seen of each key (values only grow). */
export function onReplicate(from: NodeId, message: ReplicateMessage, ctx: ShardContext): void {
  const durable = ctx.durable;
  let copies = durable.replica;
  const pairs = message.pairs;
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = pairs[i] ?? -1;
    const value = pairs[i + 1] ?? 0;
    if (key < 0 || key >= copies.length || value <= (copies[key] ?? 0)) continue;
    if (copies === durable.replica) copies = copies.slice();
    copies[key] = value;
  }
  if (copies !== durable.replica) ctx.persist({ ...durable, replica: copies });
  const ack: ReplicateAckMessage = { type: 'ReplicateAck', pairs };
  ctx.send(from, ack);
}

/** The replica confirmed these values: keys not written since are clean again. */
export function onReplicateAck(message: ReplicateAckMessage, ctx: ShardContext): void {
  const durable = ctx.durable;
  let dirty = durable.dirty;
  let dirtyCount = durable.dirtyCount;
  const pairs = message.pairs;
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = pairs[i] ?? -1;
    if (dirty[key] !== 1 || durable.store.value[key] !== pairs[i + 1]) continue;
    if (dirty === durable.dirty) dirty = dirty.slice();
    dirty[key] = 0;
    dirtyCount--;
  }
  if (dirty !== durable.dirty) ctx.persist({ ...durable, dirty, dirtyCount });
}

/*
 * Notes
 *
 * [1] Asynchronous replication, as in Redis or a MongoDB secondary: the owner answers a write as
 *     soon as it has it on its own disk, and the replica lags by up to about one retransmit
 *     interval plus a one-way latency. A read served by the replica (only when the router
 *     believes the owner is down) can therefore miss the last writes; the README says so. Values
 *     only grow (every write increments the version), so a late or duplicated batch can never
 *     roll a copy back. Writes are never sent to a replica: while an owner is down its keys are
 *     read-only. Promoting a replica to owner would need an agreement on who owns the key (the
 *     leader-election scenario shows what that takes) and is left out.
 *
 * [2] When a rebalance changes which shard follows an owner, the owner ships every key it owns
 *     to the new replica, in batches. Until they arrive, reads of those keys while the owner is
 *     down find no copy and are answered `unavailable`.
 */
