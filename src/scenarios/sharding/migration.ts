import type { NodeId } from '../../engine/types.ts';
import { ownerOf, replicaOf, shardId } from './placement.ts';
import {
  paramOf,
  msParamUs,
  routerId,
  type TableUpdateMessage,
  type TransferAckMessage,
  type TransferMessage,
  countParam,
} from './protocol.ts';
import { markAllOwnedDirty, markDirty, scheduleReplication } from './replication.ts';
import { pumpTimer, retransmitTimer, type ShardContext, type ShardState } from './shardState.ts';
import {
  entryHandingOff,
  entryMoved,
  entryNone,
  entryOwned,
  type ShardDurable,
  withEntry,
} from './store.ts';

/**
 * The hand-off of keys between shards during a rebalance, shard side. The router announces a
 * new table; every shard then hands off, one key at a time and at a throttled pace, each key it
 * owns that the new table gives to another shard, and reports when it has none left. Numbered
 * notes [n] are at the end of the file.
 */

/** [1] A newer table replaces ours; an equal one is the router asking again whether we are done. */
export function onTableUpdate(
  state: ShardState,
  message: TableUpdateMessage,
  ctx: ShardContext,
): ShardState {
  const durable = ctx.durable;
  const version = message.table.version;
  if (version < durable.table.version) return state;
  if (version === durable.table.version) {
    const next = pump(state, ctx);
    // The router is asking again: our acknowledgement or report was lost, or it restarted.
    if (next.reportedVersion === state.reportedVersion) {
      ctx.send(routerId, { type: 'TableAck', version, isDone: !next.isDraining });
    }
    return next;
  }
  let adopted: ShardDurable = { ...durable, table: message.table, previous: message.previous };
  const isReplicated = paramOf(ctx, 'replicationFactor') >= 2;
  if (isReplicated && replicaOf(durable.table, ctx.self) !== replicaOf(message.table, ctx.self)) {
    // A new shard follows us: it needs a copy of everything we own.
    adopted = markAllOwnedDirty(adopted);
  }
  ctx.persist(adopted);
  scheduleReplication(ctx);
  ctx.annotate(`adopts table v${version}`);
  const next = pump({ ...state, scanFrom: 0 }, ctx);
  // Done at once (nothing of ours moves) was reported by the pump; otherwise confirm receipt.
  if (next.isDraining) ctx.send(routerId, { type: 'TableAck', version, isDone: false });
  return next;
}

/**
 * [2] The pump: finds the next key we own that our table gives to another shard, and hands it
 * off if the window allows. It sends at most one key per pacing interval (the migration rate),
 * and reports done (TableAck) once nothing is left to send or to be acknowledged.
 */
export function pump(state: ShardState, ctx: ShardContext): ShardState {
  const table = ctx.durable.table;
  if (state.maxSeenVersion > table.version) {
    // [5] Our table is older than a key we were sent: wait for the router's update.
    return state.isDraining ? state : { ...state, isDraining: true };
  }
  const status = ctx.durable.store.status;
  const keyCount = status.length;
  let scan = state.scanFrom;
  while (scan < keyCount && !(status[scan] === entryOwned && ownerOf(table, scan) !== ctx.self)) {
    scan++;
  }
  const windowMax = countParam(ctx, 'migrationWindow');
  let sentUs = state.sentUs;
  if (
    scan < keyCount &&
    ctx.durable.store.handingOffCount < windowMax &&
    !ctx.hasTimer(pumpTimer)
  ) {
    handOff(scan, ownerOf(table, scan), ctx);
    sentUs = [...sentUs.filter((each) => each.key !== scan), { key: scan, atUs: ctx.localTimeUs }];
    scan++;
    const rate = Math.max(1, paramOf(ctx, 'migrationRate'));
    ctx.setTimer(pumpTimer, Math.round(1_000_000 / rate));
  }
  const hasMore = scan < keyCount;
  const isDraining = hasMore || ctx.durable.store.handingOffCount > 0;
  let reportedVersion = state.reportedVersion;
  if (!isDraining && reportedVersion < table.version) {
    reportedVersion = table.version;
    ctx.send(routerId, { type: 'TableAck', version: table.version, isDone: true });
  }
  return { ...state, scanFrom: scan, isDraining, reportedVersion, sentUs };
}

/**
 * [3] Marks the key as handing off to `target` (on disk, before anything is sent) and sends it.
 * From now on this shard serves no request for the key, so the value on the wire is final.
 */
function handOff(key: number, target: NodeId, ctx: ShardContext): void {
  const durable = ctx.durable;
  const store = durable.store;
  const epoch = store.epoch[key] ?? 0;
  const value = store.value[key] ?? 0;
  ctx.persist({ ...durable, store: withEntry(store, key, entryHandingOff, epoch, target, value) });
  sendTransfer(key, target, ctx);
  if (!ctx.hasTimer(retransmitTimer)) ctx.setTimer(retransmitTimer, msParamUs(ctx, 'retransmitMs'));
}

function sendTransfer(key: number, target: NodeId, ctx: ShardContext): void {
  const store = ctx.durable.store;
  const message: TransferMessage = {
    type: 'Transfer',
    key,
    value: store.value[key] ?? 0,
    epoch: (store.epoch[key] ?? 0) + 1,
    tableVersion: ctx.durable.table.version,
  };
  ctx.send(target, message);
}

/**
 * [4] Every retransmit interval, sends again each key that has waited that long for its
 * acknowledgement (after a restart, when send times are forgotten, every key in hand-off).
 */
export function onRetransmit(state: ShardState, ctx: ShardContext): ShardState {
  const store = ctx.durable.store;
  if (store.handingOffCount === 0) return { ...state, sentUs: [] };
  const intervalUs = msParamUs(ctx, 'retransmitMs');
  const nowUs = ctx.localTimeUs;
  const sentUs: { readonly key: number; readonly atUs: number }[] = [];
  for (let key = 0; key < store.status.length; key++) {
    if (store.status[key] !== entryHandingOff) continue;
    const last = state.sentUs.find((each) => each.key === key);
    if (last !== undefined && nowUs - last.atUs < intervalUs) {
      sentUs.push(last);
      continue;
    }
    sendTransfer(key, shardId(store.peer[key] ?? 0), ctx);
    sentUs.push({ key, atUs: nowUs });
  }
  ctx.setTimer(retransmitTimer, intervalUs);
  return { ...state, sentUs };
}

/**
 * [4] A key arrives. A newer epoch than anything we have held for it makes us its owner, at
 * once and on disk; an epoch we have already seen is a duplicate (a retransmission, or a copy
 * the network made) and is only acknowledged again.
 */
export function onTransfer(
  state: ShardState,
  from: NodeId,
  message: TransferMessage,
  ctx: ShardContext,
): ShardState {
  const durable = ctx.durable;
  const store = durable.store;
  const key = message.key;
  if (key < 0 || key >= store.status.length) return state;
  const known = store.status[key] ?? entryNone;
  if (known !== entryNone && (store.epoch[key] ?? 0) >= message.epoch) {
    ctx.send(from, { type: 'TransferAck', key, epoch: message.epoch });
    return state;
  }
  const taken = withEntry(store, key, entryOwned, message.epoch, null, message.value);
  const next = { ...durable, store: taken };
  // On disk first, then the acknowledgement: an acknowledged key is never lost.
  ctx.persist(paramOf(ctx, 'replicationFactor') >= 2 ? markDirty(next, key) : next);
  ctx.send(from, { type: 'TransferAck', key, epoch: message.epoch });
  scheduleReplication(ctx);
  ctx.metric('transfers', 1);
  const moved: ShardState = {
    ...state,
    maxSeenVersion: Math.max(state.maxSeenVersion, message.tableVersion),
    scanFrom: Math.min(state.scanFrom, key),
  };
  return pump(moved, ctx);
}

/** [3] The new owner has the key: it is no longer ours, and a tombstone remembers where it went. */
export function onTransferAck(
  state: ShardState,
  message: TransferAckMessage,
  ctx: ShardContext,
): ShardState {
  const durable = ctx.durable;
  const store = durable.store;
  const key = message.key;
  const isAwaited =
    store.status[key] === entryHandingOff && (store.epoch[key] ?? 0) + 1 === message.epoch;
  if (!isAwaited) return state;
  const target = shardId(store.peer[key] ?? 0);
  const moved = withEntry(store, key, entryMoved, message.epoch, target, 0);
  let dirty = durable.dirty;
  let dirtyCount = durable.dirtyCount;
  if (dirty[key] === 1) {
    dirty = dirty.slice();
    dirty[key] = 0;
    dirtyCount--;
  }
  ctx.persist({ ...durable, store: moved, dirty, dirtyCount });
  return pump({ ...state, sentUs: state.sentUs.filter((each) => each.key !== key) }, ctx);
}

/*
 * Notes
 *
 * [1] Tables only move forward. The router waits for every shard taking part to report before
 *     it starts the next rebalance, so a shard never skips a version it has to act on; a shard
 *     that was a spare meanwhile just jumps to the newest one.
 *
 * [2] Ownership and custodianship. Every key has exactly one custodian at every moment:
 *     - a key at rest is `owned` by one shard, which serves it;
 *     - while it moves, the source holds it `handing off`: frozen (requests for it are answered
 *       `retry`), still on the source's disk, and the custodian until the target has it;
 *     - the target becomes the owner the moment it stores the Transfer (durably); from then on it
 *       is the custodian and the source's frozen copy is dead, although the source only learns
 *       that, and turns its entry into a tombstone, when the acknowledgement arrives.
 *     Each entry carries an ownership epoch: 1 for the first owner, and each Transfer carries the
 *     source's epoch + 1. The custodian is therefore the live entry (owned or handing off) with
 *     the highest epoch, and the safety invariant checks that it is unique, that it exists, and
 *     that no other shard still has the key `owned`.
 *
 * [3] The source writes "handing off" to disk before the Transfer leaves, and serves nothing for
 *     the key afterwards, so the value on the wire is the final one: no acknowledged write can be
 *     lost in the move. It deletes its copy only on the acknowledgement, which the target sends
 *     only after storing the key: a crash of either side at any point leaves the key on at least
 *     one disk, and the newest epoch on exactly one.
 *
 * [4] Loss, duplication and reordering. The source retransmits until acknowledged; the target
 *     acknowledges every copy but takes the key only for an epoch newer than any it has held,
 *     including tombstones, so a stale duplicate arriving after the key has moved on cannot
 *     resurrect an old owner. An acknowledgement counts only when it matches the epoch in
 *     flight. A key that comes back to a shard later arrives with a higher epoch and is taken.
 *
 * [5] A shard may receive a key before the table that moved it (the TableUpdate was lost or is
 *     slow). It owns the key from that moment, but it must not judge the key by its old table,
 *     which would send it straight back: the pump waits until the newer table arrives.
 */
