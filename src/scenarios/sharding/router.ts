import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  movedKeyCount,
  ownerOf,
  replicaOf,
  type RoutingTable,
  shardNumber,
  withShardAdded,
  withShardRemoved,
} from './placement.ts';
import {
  addShardControl,
  paramOf,
  msParamUs,
  queuedOperationsMax,
  removeShardControl,
  type RequestMessage,
  type ShardingMessage,
  type TableAckMessage,
  shardRole,
  tablePollEveryRounds,
} from './protocol.ts';
import { addShardAtUs, isStorylineOn, storylineTimer } from './storyline.ts';

/**
 * The router: it holds the routing table (on disk), sends every request to the shard the table
 * names, checks the shards' health, and runs rebalances one at a time when the operator adds or
 * removes a shard. Numbered notes [n] are at the end of the file.
 */

export type RebalanceKind = 'add' | 'remove';

/** A rebalance in progress. */
export interface Rebalance {
  readonly kind: RebalanceKind;
  /** The shard joining or leaving. */
  readonly shard: NodeId;
  readonly version: number;
  /** Shards taking part that have not yet reported done for `version`. */
  readonly waiting: readonly NodeId[];
  /** Shards that have not yet acknowledged the table at all. */
  readonly unconfirmed: readonly NodeId[];
  readonly startedUs: number;
  /** Keys whose owner differs between the old and the new table. */
  readonly plannedMoves: number;
}

/** What survives a router crash. */
export interface RouterDurable {
  readonly table: RoutingTable;
  /** The table the last rebalance started from (the first table until then). */
  readonly previous: RoutingTable;
  readonly rebalance: Rebalance | null;
  /** Operator requests waiting for the running rebalance to finish (bounded). */
  readonly queued: readonly RebalanceKind[];
  readonly completed: number;
  /** Whether the storyline's add (storyline.ts) is behind us: made, or dropped for an operator's. */
  readonly isStoryAddDone: boolean;
}

/** Volatile: when each shard last answered a health check (local time). */
export interface RouterState {
  readonly lastHeardUs: Readonly<Record<NodeId, number>>;
  /** Announcement rounds of the running rebalance, to pace the slow poll [3]. */
  readonly announcements: number;
}

type Context = NodeContext<ShardingMessage, RouterDurable>;

const pingTimer = 'ping';
const announceTimer = 'announce';
/** Missed health-check intervals before a shard counts as down. */
const missedChecksMax = 3;

export function routerBehaviour(
  initial: RoutingTable,
): Behaviour<RouterState, ShardingMessage, RouterDurable> {
  return {
    initialDurable(): RouterDurable {
      return {
        table: initial,
        previous: initial,
        rebalance: null,
        queued: [],
        completed: 0,
        isStoryAddDone: false,
      };
    },
    init(ctx: Context): RouterState {
      ctx.setTimer(pingTimer, msParamUs(ctx, 'healthCheckMs'));
      // [2] A restarted router resumes the rebalance it was running, from its disk.
      if (ctx.durable.rebalance !== null) ctx.setTimer(announceTimer, 0);
      // [5] The storyline's add, if still ahead (a restart after it passed makes it at once).
      if (isStorylineOn(ctx.params) && !ctx.durable.isStoryAddDone) {
        ctx.setTimer(storylineTimer, Math.max(0, addShardAtUs(ctx.params) - ctx.localTimeUs));
      }
      const lastHeardUs: Record<NodeId, number> = {};
      for (const shard of ctx.nodesWithRole(shardRole)) lastHeardUs[shard] = ctx.localTimeUs;
      return { lastHeardUs, announcements: 0 };
    },
    receive(state: RouterState, event: NodeEvent<ShardingMessage>, ctx: Context): RouterState {
      switch (event.kind) {
        case 'message':
          return onMessage(state, event.from, event.message, ctx);
        case 'timer':
          if (event.name === pingTimer) sendPings(ctx);
          if (event.name === storylineTimer) return storyAdd(state, ctx);
          return event.name === announceTimer ? announce(state, ctx) : state;
        case 'fault':
          if (event.fault === addShardControl || event.fault === removeShardControl) {
            dropStoryAdd(ctx);
          }
          if (event.fault === addShardControl) return enqueue(state, 'add', ctx);
          if (event.fault === removeShardControl) return enqueue(state, 'remove', ctx);
          return state;
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },
    summarize(_state: RouterState, durable: RouterDurable): NodeSummary {
      const rebalance = durable.rebalance;
      const queued = durable.queued.length > 0 ? ` · ${durable.queued.length} queued` : '';
      if (rebalance === null) {
        return { label: 'router', badge: `table v${durable.table.version}${queued}`, health: 'ok' };
      }
      const verb = rebalance.kind === 'add' ? '+' : '−';
      return {
        label: 'rebalancing',
        badge: `v${rebalance.version} ${verb}${rebalance.shard}${queued}`,
        health: 'warn',
      };
    },
  };
}

function onMessage(
  state: RouterState,
  from: NodeId,
  message: ShardingMessage,
  ctx: Context,
): RouterState {
  switch (message.type) {
    case 'Request':
      route(state, from, message, ctx);
      return state;
    case 'Pong':
      return {
        lastHeardUs: { ...state.lastHeardUs, [from]: ctx.localTimeUs },
        announcements: state.announcements,
      };
    case 'TableAck':
      return onTableAck(state, from, message, ctx);
    case 'Route':
    case 'Forward':
    case 'Reply':
    case 'TableUpdate':
    case 'Transfer':
    case 'TransferAck':
    case 'Replicate':
    case 'ReplicateAck':
    case 'Ping':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

/**
 * [1] Routing: the owner under the newest table. A shard that missed its health checks is
 * treated as down: reads go to its replica when replication is on, everything else fails fast.
 */
function route(state: RouterState, client: NodeId, request: RequestMessage, ctx: Context): void {
  const table = ctx.durable.table;
  const owner = ownerOf(table, request.key);
  if (owner === '') return;
  if (!isSuspected(state, owner, ctx)) {
    forward(ctx, owner, client, request, false);
    return;
  }
  const replica = replicaOf(table, owner);
  const canReadReplica =
    request.op === 'read' &&
    paramOf(ctx, 'replicationFactor') >= 2 &&
    replica !== null &&
    !isSuspected(state, replica, ctx);
  if (canReadReplica) {
    forward(ctx, replica, client, request, true);
    return;
  }
  ctx.send(client, {
    type: 'Reply',
    requestId: request.requestId,
    attempt: request.attempt,
    status: 'unavailable',
    key: request.key,
    value: 0,
    isFromReplica: false,
  });
}

function forward(
  ctx: Context,
  shard: NodeId,
  client: NodeId,
  request: RequestMessage,
  isReplicaRead: boolean,
): void {
  ctx.send(shard, {
    type: 'Route',
    client,
    requestId: request.requestId,
    attempt: request.attempt,
    key: request.key,
    op: request.op,
    isReplicaRead,
    hops: 0,
  });
}

export function isSuspected(state: RouterState, shard: NodeId, ctx: Context): boolean {
  const heard = state.lastHeardUs[shard] ?? ctx.localTimeUs;
  return ctx.localTimeUs - heard > missedChecksMax * msParamUs(ctx, 'healthCheckMs');
}

function sendPings(ctx: Context): void {
  for (const shard of watchedShards(ctx.durable)) ctx.send(shard, { type: 'Ping' });
  ctx.setTimer(pingTimer, msParamUs(ctx, 'healthCheckMs'));
}

/** Active shards and those taking part in a rebalance. */
function watchedShards(durable: RouterDurable): NodeId[] {
  const shards = [...durable.table.active];
  for (const shard of durable.rebalance?.waiting ?? []) {
    if (!shards.includes(shard)) shards.push(shard);
  }
  return shards;
}

/** An operator asked for a shard to be added or removed: queue it, and start if idle. */
/** [5] The storyline's shard joins, queued exactly as the operator's "Add a shard" is. */
function storyAdd(state: RouterState, ctx: Context): RouterState {
  if (ctx.durable.isStoryAddDone) return state;
  ctx.persist({ ...ctx.durable, isStoryAddDone: true });
  ctx.annotate('storyline: the operator’s plan adds a shard');
  return enqueue(state, 'add', ctx);
}

/** [5] An operator's add or remove takes over: the storyline's add is dropped. */
function dropStoryAdd(ctx: Context): void {
  if (!isStorylineOn(ctx.params) || ctx.durable.isStoryAddDone) return;
  ctx.persist({ ...ctx.durable, isStoryAddDone: true });
  ctx.cancelTimer(storylineTimer);
  ctx.annotate('an operator took over: the storyline’s shard is not added');
}

function enqueue(state: RouterState, kind: RebalanceKind, ctx: Context): RouterState {
  const durable = ctx.durable;
  if (durable.queued.length >= queuedOperationsMax) {
    ctx.annotate(`ignores “${kind} a shard”: ${queuedOperationsMax} requests already queued`);
    return state;
  }
  ctx.persist({ ...durable, queued: [...durable.queued, kind] });
  return startNext(state, ctx);
}

/**
 * [2] Starts the next queued rebalance when none is running: computes the next table, writes it
 * to disk with the list of shards taking part, routes by it from now on, and announces it.
 */
function startNext(state: RouterState, ctx: Context): RouterState {
  let durable = ctx.durable;
  while (durable.rebalance === null && durable.queued.length > 0) {
    const [kind, ...rest] = durable.queued;
    const table = durable.table;
    const shard =
      kind === 'add'
        ? ctx.nodesWithRole(shardRole).find((id) => !table.active.includes(id))
        : table.active.length > 1
          ? table.active.at(-1)
          : undefined;
    if (shard === undefined) {
      ctx.annotate(kind === 'add' ? 'no spare shard left to add' : 'cannot remove the last shard');
      durable = { ...durable, queued: rest };
      continue;
    }
    const next = kind === 'add' ? withShardAdded(table, shard) : withShardRemoved(table, shard);
    const waiting = [...new Set([...table.active, ...next.active])].sort(
      (a, b) => shardNumber(a) - shardNumber(b),
    );
    const rebalance: Rebalance = {
      kind: kind ?? 'add',
      shard,
      version: next.version,
      waiting,
      unconfirmed: waiting,
      startedUs: ctx.localTimeUs,
      plannedMoves: movedKeyCount(table, next),
    };
    durable = { ...durable, table: next, previous: table, rebalance, queued: rest };
    ctx.annotate(
      `table v${next.version}: ${kind === 'add' ? 'adds' : 'removes'} ${shard}, ` +
        `${rebalance.plannedMoves} of ${next.keyCount} keys move`,
    );
  }
  if (durable !== ctx.durable) ctx.persist(durable);
  const rebalance = durable.rebalance;
  if (rebalance === null || ctx.hasTimer(announceTimer)) return state;
  // A joining shard has not been watched yet: give it a full health-check window.
  const lastHeardUs = { ...state.lastHeardUs, [rebalance.shard]: ctx.localTimeUs };
  return announce({ lastHeardUs, announcements: 0 }, ctx);
}

/**
 * [3] Sends the table to every shard that has not acknowledged it, every retransmit interval;
 * every tenth round also to those that acknowledged but have not reported done (in case the
 * report was lost).
 */
function announce(state: RouterState, ctx: Context): RouterState {
  const { table, previous, rebalance } = ctx.durable;
  if (rebalance === null) return state;
  const isPollRound = state.announcements % tablePollEveryRounds === 0;
  for (const shard of rebalance.waiting) {
    if (!isPollRound && !rebalance.unconfirmed.includes(shard)) continue;
    ctx.send(shard, { type: 'TableUpdate', table, previous });
  }
  ctx.setTimer(announceTimer, msParamUs(ctx, 'retransmitMs'));
  return { ...state, announcements: state.announcements + 1 };
}

/**
 * [3] A shard has the table; once it reports done it has nothing left to hand off. When the last
 * one is done, the rebalance is over.
 */
function onTableAck(
  state: RouterState,
  from: NodeId,
  ack: TableAckMessage,
  ctx: Context,
): RouterState {
  const durable = ctx.durable;
  const rebalance = durable.rebalance;
  if (rebalance?.version !== ack.version || !rebalance.waiting.includes(from)) return state;
  const unconfirmed = rebalance.unconfirmed.filter((id) => id !== from);
  const waiting = ack.isDone ? rebalance.waiting.filter((id) => id !== from) : rebalance.waiting;
  if (waiting.length > 0) {
    if (unconfirmed.length !== rebalance.unconfirmed.length || ack.isDone) {
      ctx.persist({ ...durable, rebalance: { ...rebalance, waiting, unconfirmed } });
    }
    return state;
  }
  const version = ack.version;
  const keyCount = durable.table.keyCount;
  ctx.metric('moved-keys', rebalance.plannedMoves / keyCount);
  ctx.metric('rebalances', 1);
  ctx.metric('rebalance-ms', (ctx.localTimeUs - rebalance.startedUs) / 1000);
  ctx.annotate(`rebalance to v${version} complete: ${rebalance.plannedMoves} keys moved`);
  ctx.cancelTimer(announceTimer);
  ctx.persist({ ...durable, rebalance: null, completed: durable.completed + 1 });
  return startNext(state, ctx);
}

/*
 * Notes
 *
 * [1] The router never serves data and never waits for a rebalance: it routes by its newest
 *     table from the moment it writes it. A request for a key that has not moved yet reaches the
 *     new owner, which sends it on to the old one (shard.ts, note 4). The table version is the
 *     routing epoch that every placement message carries.
 *
 * [2] One rebalance at a time: the next table is computed only when every shard that took part
 *     in the last one (old and new owners) has reported. Table, rebalance and queue are on disk,
 *     so a router crash loses only in-flight requests; on restart it announces again.
 *
 * [3] A TableAck with isDone from a shard means: my table is this version, and every key it says
 *     is not mine has been handed off and acknowledged. When all of them say so, every key sits
 *     with its owner under the new table. The router repeats the table quickly to shards that
 *     have not acknowledged it, and only now and then to those that have but are still busy, so
 *     a long hand-off does not cost a table per shard per retransmit interval. The moved-keys figure is the share of keys whose owner differs
 *     between the two tables, which is exactly the set of keys the shards hand off.
 *
 * [5] The storyline (storyline.ts). With `storylineStartS` > 0 the router adds a shard at that
 *     time on its own timer, by queueing an "add" exactly as the operator's control does, so the
 *     new table, the hand-off and the moments are the same. Whether it has happened is on disk,
 *     so a restarted router neither repeats nor forgets it. An operator's add or remove before
 *     it takes over: the scheduled add is dropped rather than stacked on the operator's.
 */
