import type { Behaviour, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import { onRetransmit, onTableUpdate, onTransfer, onTransferAck, pump } from './migration.ts';
import { ownerOf, type RoutingTable, shardId } from './placement.ts';
import {
  type ForwardMessage,
  forwardHopsMax,
  paramOf,
  type ReplyStatus,
  type RouteMessage,
  type ShardingMessage,
  slowShardFault,
  countParam,
} from './protocol.ts';
import {
  markDirty,
  onReplicate,
  onReplicateAck,
  onReplicateTick,
  scheduleReplication,
} from './replication.ts';
import {
  type Job,
  pumpTimer,
  replicateTimer,
  retransmitTimer,
  serviceTimer,
  type ShardContext,
  type ShardState,
  type ShardWork,
  withWork,
} from './shardState.ts';
import {
  entryHandingOff,
  entryMoved,
  entryOwned,
  initialShardDurable,
  type ShardDurable,
  withStore,
  withValue,
} from './store.ts';

/**
 * A shard: it serves the keys it owns from a bounded queue, one request at a time (its
 * capacity), sends on requests for keys it does not hold, and takes part in rebalances
 * (migration.ts) and replication (replication.ts). Its data is on disk (durable); its queue and
 * counters are not. Numbered notes [n] are at the end of the file.
 */

/**
 * The behaviour of shard nodes, given the first routing table (every shard starts from it) and
 * whether the initial load also writes replica copies.
 */
export function shardBehaviour(
  initial: RoutingTable,
  isReplicated: boolean,
): Behaviour<ShardState, ShardingMessage, ShardDurable> {
  return {
    initialDurable(nodeId: NodeId): ShardDurable {
      return initialShardDurable(nodeId, initial, isReplicated);
    },
    init: startShard,
    receive: receiveShard,
    summarize: summarizeShard,
  };
}

function startShard(ctx: ShardContext): ShardState {
  const durable = ctx.durable;
  if (durable.store.handingOffCount > 0) ctx.setTimer(retransmitTimer, 0);
  scheduleReplication(ctx);
  // Resume an interrupted rebalance (the very first table moves nothing).
  if (durable.table.version > 1) ctx.setTimer(pumpTimer, 0);
  return {
    self: ctx.self,
    queue: [],
    busy: null,
    slowFactor: 1,
    capacity: countParam(ctx, 'queueCapacity'),
    arrivals: 0,
    served: 0,
    timeInShardUs: 0,
    startedUs: ctx.localTimeUs,
    maxSeenVersion: durable.table.version,
    scanFrom: 0,
    reportedVersion: durable.table.version === 1 ? 1 : 0,
    isDraining: false,
    sentUs: [],
  };
}

export function receiveShard(
  state: ShardState,
  event: NodeEvent<ShardingMessage>,
  ctx: ShardContext,
): ShardState {
  switch (event.kind) {
    case 'message':
      return onMessage(state, event.from, event.message, ctx);
    case 'timer':
      return onTimer(state, event.name, ctx);
    case 'fault':
      if (event.fault !== slowShardFault) return state;
      return { ...state, slowFactor: Math.max(1, event.args.factor ?? 1) };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

function onMessage(
  state: ShardState,
  from: NodeId,
  message: ShardingMessage,
  ctx: ShardContext,
): ShardState {
  switch (message.type) {
    case 'Route':
    case 'Forward':
      return onRequest(state, message, ctx);
    case 'TableUpdate':
      return onTableUpdate(state, message, ctx);
    case 'Transfer':
      return onTransfer(state, from, message, ctx);
    case 'TransferAck':
      return onTransferAck(state, message, ctx);
    case 'Replicate':
      onReplicate(from, message, ctx);
      return state;
    case 'ReplicateAck':
      onReplicateAck(message, ctx);
      return state;
    case 'Ping':
      ctx.send(from, { type: 'Pong' });
      return state;
    case 'Request':
    case 'Reply':
    case 'TableAck':
    case 'Pong':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

function onTimer(state: ShardState, name: string, ctx: ShardContext): ShardState {
  switch (name) {
    case serviceTimer:
      return finishService(state, ctx);
    case pumpTimer:
      return pump(state, ctx);
    case retransmitTimer:
      return onRetransmit(state, ctx);
    case replicateTimer:
      return onReplicateTick(state, ctx);
    default:
      return state;
  }
}

/**
 * [1] A request arrives. An owned key (or, for a replica read, a replica copy) joins the queue;
 * a key being handed off is frozen and answered `retry`; any other key is sent on.
 */
function onRequest(
  state: ShardState,
  message: RouteMessage | ForwardMessage,
  ctx: ShardContext,
): ShardState {
  const job: Job = {
    client: message.client,
    requestId: message.requestId,
    attempt: message.attempt,
    key: message.key,
    op: message.op,
    isReplicaRead: message.isReplicaRead,
    hops: message.hops,
    admittedUs: ctx.localTimeUs,
  };
  const durable = ctx.durable;
  if (job.key < 0 || job.key >= durable.store.status.length) {
    reply(job, 'unavailable', 0, ctx);
    return state;
  }
  if (job.isReplicaRead) {
    if ((durable.replica[job.key] ?? 0) > 0) return admit(state, job, ctx);
    reply(job, 'unavailable', 0, ctx);
    return state;
  }
  const status = durable.store.status[job.key];
  if (status === entryOwned) return admit(state, job, ctx);
  if (status === entryHandingOff) reply(job, 'retry', 0, ctx);
  else sendOn(job, ctx);
  return state;
}

/** [2] The bounded queue: a full one rejects at once, so overload shows as failures, not only delay. */
function admit(state: ShardState, job: Job, ctx: ShardContext): ShardState {
  const capacity = countParam(ctx, 'queueCapacity');
  const held = state.queue.length + (state.busy === null ? 0 : 1);
  const isFull = held >= capacity;
  if (isFull) {
    ctx.metric('rejected', 1);
    reply(job, 'overloaded', 0, ctx);
  }
  const counted: ShardWork = {
    queue: isFull ? state.queue : [...state.queue, job],
    busy: state.busy,
    capacity,
    arrivals: state.arrivals + 1,
    served: state.served,
    timeInShardUs: state.timeInShardUs,
  };
  return withWork(state, isFull ? counted : startNext(counted, state.slowFactor, ctx));
}

/** An idle shard takes the oldest waiting request into service. */
function startNext(work: ShardWork, slowFactor: number, ctx: ShardContext): ShardWork {
  const next = work.queue[0];
  if (work.busy !== null || next === undefined) return work;
  const serviceUs = Math.round(paramOf(ctx, 'serviceTimeMs') * 1000 * slowFactor);
  ctx.setTimer(serviceTimer, serviceUs);
  return {
    queue: work.queue.slice(1),
    busy: next,
    capacity: work.capacity,
    arrivals: work.arrivals,
    served: work.served,
    timeInShardUs: work.timeInShardUs,
  };
}

/**
 * [3] The request in service is done. Ownership is checked again now, not only on arrival: the
 * key may have started its hand-off while the request waited, and a frozen key must not be
 * written (the value on the wire would be stale).
 */
function finishService(state: ShardState, ctx: ShardContext): ShardState {
  const job = state.busy;
  if (job === null) return state;
  const durable = ctx.durable;
  const key = job.key;
  if (job.isReplicaRead) {
    ctx.metric('replica-reads', 1);
    reply(job, 'ok', durable.replica[key] ?? 0, ctx, true);
  } else if (durable.store.status[key] === entryOwned) {
    serve(job, ctx);
  } else if (durable.store.status[key] === entryHandingOff) {
    reply(job, 'retry', 0, ctx);
  } else {
    sendOn(job, ctx);
  }
  const done: ShardWork = {
    queue: state.queue,
    busy: null,
    capacity: state.capacity,
    arrivals: state.arrivals,
    served: state.served + 1,
    timeInShardUs: state.timeInShardUs + Math.max(0, ctx.localTimeUs - job.admittedUs),
  };
  return withWork(state, startNext(done, state.slowFactor, ctx));
}

/** Reads the owned value, or writes the next one (to disk before the answer leaves). */
function serve(job: Job, ctx: ShardContext): void {
  const durable = ctx.durable;
  const current = durable.store.value[job.key] ?? 0;
  if (job.op === 'read') {
    reply(job, 'ok', current, ctx);
    return;
  }
  const value = current + 1;
  const written = withStore(durable, withValue(durable.store, job.key, value));
  const isReplicated = paramOf(ctx, 'replicationFactor') >= 2;
  ctx.persist(isReplicated ? markDirty(written, job.key) : written);
  scheduleReplication(ctx);
  reply(job, 'ok', value, ctx);
}

/**
 * [4] Sends a request on to the shard that should hold the key: where its tombstone says it
 * went; else its owner in our newest table; else, when that is us (the key is on its way here),
 * its owner in the table before. Forwards are bounded; past the bound the client retries.
 */
function sendOn(job: Job, ctx: ShardContext): void {
  const target = forwardTarget(job.key, ctx.durable, ctx.self);
  if (target === null || job.hops >= forwardHopsMax) {
    reply(job, 'retry', 0, ctx);
    return;
  }
  ctx.metric('forwards', 1);
  ctx.send(target, {
    type: 'Forward',
    client: job.client,
    requestId: job.requestId,
    attempt: job.attempt,
    key: job.key,
    op: job.op,
    isReplicaRead: false,
    hops: job.hops + 1,
  });
}

export function forwardTarget(key: number, durable: ShardDurable, self: NodeId): NodeId | null {
  if (durable.store.status[key] === entryMoved) return shardId(durable.store.peer[key] ?? 0);
  const owner = ownerOf(durable.table, key);
  if (owner !== self && owner !== '') return owner;
  const previous = durable.previous === null ? '' : ownerOf(durable.previous, key);
  return previous !== self && previous !== '' ? previous : null;
}

function reply(
  job: Job,
  status: ReplyStatus,
  value: number,
  ctx: ShardContext,
  isFromReplica = false,
): void {
  ctx.send(job.client, {
    type: 'Reply',
    requestId: job.requestId,
    attempt: job.attempt,
    status,
    key: job.key,
    value,
    isFromReplica,
  });
}

export function summarizeShard(state: ShardState, durable: ShardDurable): NodeSummary {
  const store = durable.store;
  const held = state.queue.length + (state.busy === null ? 0 : 1);
  const badge = `${store.custodianCount} keys · queue ${held}`;
  const isActive = durable.table.active.includes(state.self);
  if (store.custodianCount === 0 && !isActive) return { label: 'spare', badge, health: 'ok' };
  if (held >= Math.max(1, Math.ceil(state.capacity * 0.75))) {
    return { label: 'overloaded', badge, health: 'bad' };
  }
  if (state.isDraining || store.handingOffCount > 0) {
    return { label: 'migrating', badge, health: 'warn' };
  }
  return { label: 'active', badge, health: state.slowFactor > 1 ? 'warn' : 'ok' };
}

/*
 * Notes
 *
 * [1] Only the custodian serves a key, and only while it owns it (not while handing it off).
 *     Every other shard sends the request on, so nothing is ever answered from a stale copy.
 *     Replica reads are the one deliberate exception, and only when replication is on and the
 *     router believes the owner is down.
 *
 * [2] Capacity: one request at a time, each taking the service time (times the "slow shard"
 *     factor), and a bounded queue. Under a hot key the owner's queue fills, its latency grows to
 *     queue × service time, and requests beyond the queue are rejected as overloaded, while
 *     shards without the hot key idle. Hand-offs and replication bypass the queue: the model
 *     does not charge them against capacity.
 *
 * [3] A request is judged twice: when it arrives (to queue it) and when its service ends (to
 *     answer it), because the key's hand-off may have started in between. The queue itself is
 *     volatile: a crash loses what waits in it (those clients time out), never data.
 *
 * [4] A request can reach a shard that does not hold its key when tables are changing: the
 *     router routes by the newest table at once, so a request for a key not yet moved reaches the
 *     new owner, which sends it back to the old one; a request for a key that has just moved
 *     reaches the old owner, whose tombstone points to the new one.
 */
