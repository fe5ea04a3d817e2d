import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import { fetchBatchMax } from './projector.ts';
import {
  balancerId,
  type ChangesMessage,
  boundedCount,
  projectorId,
  type QueryMessage,
  type ReplicaMessage,
  msParamUs,
} from './protocol.ts';
import { admit, drain, finish, isWorkerTimer, load, newPool, type Pool } from './workers.ts';

/**
 * A query-service replica: a read store (the read model) that it keeps up to date by fetching
 * changes from the projector and applying them in log order, and a bounded pool of workers that
 * answer queries from it. It serves only while it is an active member of the read side and has
 * caught up since it started. Numbered notes [n] are at the end of the file.
 */

/**
 * Durable: the read store. `model[k - 1]` is the version of key k (the position of the last
 * write to it, 0 if none) as of log position `applied`; with the membership generation it
 * belongs to.
 */
export interface ReplicaDurable {
  readonly generation: number;
  readonly isActive: boolean;
  readonly applied: number;
  readonly model: readonly number[];
}

interface QueryJob {
  readonly client: NodeId;
  readonly readId: number;
  readonly key: number;
  readonly minPosition: number;
  /** When it started waiting for the replica to catch up (read-your-writes). */
  readonly sinceUs: number;
}

export interface ReplicaState {
  /** [2] Has caught up with the projector since this start (or since joining). */
  readonly isCaughtUp: boolean;
  /** Waiting for the answer to a fetch from this position (0: not fetching). */
  readonly fetchFrom: number;
  /** A batch being applied. */
  readonly applying: Omit<ChangesMessage, 'type'> | null;
  readonly pool: Pool<QueryJob>;
  /** [3] Queries held until the replica reaches their client's last write. */
  readonly waiting: readonly QueryJob[];
}

type Context = NodeContext<ReplicaMessage, ReplicaDurable>;

const statusTimer = 'status';
const fetchTimer = 'fetch';
const applyTimer = 'apply';

export const queryReplicaBehaviour: Behaviour<ReplicaState, ReplicaMessage, ReplicaDurable> = {
  initialDurable(): ReplicaDurable {
    return { generation: 0, isActive: false, applied: 0, model: [] };
  },

  init(ctx: Context): ReplicaState {
    const state: ReplicaState = {
      isCaughtUp: false,
      fetchFrom: 0,
      applying: null,
      pool: newPool(boundedCount(ctx, 'queryConcurrency')),
      waiting: [],
    };
    ctx.setTimer(statusTimer, msParamUs(ctx, 'statusIntervalMs'));
    sendStatus(state, ctx);
    return ctx.durable.isActive ? fetch(state, ctx) : state;
  },

  receive(state: ReplicaState, event: NodeEvent<ReplicaMessage>, ctx: Context): ReplicaState {
    switch (event.kind) {
      case 'message':
        return onMessage(state, event.message, ctx);
      case 'timer':
        return onTimer(state, event.name, ctx);
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ReplicaState, durable: ReplicaDurable): NodeSummary {
    const label = !durable.isActive ? 'spare' : state.isCaughtUp ? 'serving' : 'catching up';
    const busy = load(state.pool) + state.waiting.length;
    return {
      label,
      badge: durable.isActive ? `applied ${durable.applied} · ${busy} queued` : 'idle',
      health: label === 'catching up' ? 'warn' : 'ok',
    };
  },
};

function onMessage(state: ReplicaState, message: ReplicaMessage, ctx: Context): ReplicaState {
  switch (message.type) {
    case 'Query':
      return onQuery(state, message, ctx);
    case 'Changes':
      return onChanges(state, message, ctx);
    case 'Activate':
      return message.generation > ctx.durable.generation
        ? join(state, message.generation, ctx)
        : state;
    case 'Deactivate':
      return message.generation >= ctx.durable.generation && ctx.durable.isActive
        ? leave(state, message.generation, ctx)
        : state;
    case 'ReadReply':
    case 'Fetch':
    case 'Status':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

function onTimer(state: ReplicaState, name: string, ctx: Context): ReplicaState {
  if (isWorkerTimer(name)) return onQueryDone(state, name, ctx);
  switch (name) {
    case applyTimer:
      return onApplied(state, ctx);
    case fetchTimer:
      return ctx.durable.isActive ? fetch(withFetchFrom(state, 0), ctx) : state;
    case statusTimer: {
      ctx.setTimer(statusTimer, msParamUs(ctx, 'statusIntervalMs'));
      sendStatus(state, ctx);
      return expireWaiting(state, ctx);
    }
    default:
      return state;
  }
}

const isServing = (state: ReplicaState, ctx: Context): boolean =>
  ctx.durable.isActive && state.isCaughtUp;

/** [3] A query: answered by a worker, held for read-your-writes, or refused. */
function onQuery(state: ReplicaState, message: QueryMessage, ctx: Context): ReplicaState {
  const job: QueryJob = {
    client: message.client,
    readId: message.readId,
    key: message.key,
    minPosition: message.minPosition,
    sinceUs: ctx.localTimeUs,
  };
  if (!isServing(state, ctx)) return reply(state, job, 'unavailable', ctx);
  if (job.minPosition > ctx.durable.applied) {
    if (state.waiting.length >= boundedCount(ctx, 'queueMax')) {
      return reply(state, job, 'busy', ctx);
    }
    ctx.metric('ryow-waits', 1);
    const waiting = state.waiting.slice();
    waiting.push(job);
    return replicaState(state, state.applying, state.pool, waiting);
  }
  return startQuery(state, job, ctx);
}

function startQuery(state: ReplicaState, job: QueryJob, ctx: Context): ReplicaState {
  const pool = admit(
    state.pool,
    job,
    boundedCount(ctx, 'queueMax'),
    () => msParamUs(ctx, 'queryServiceMs'),
    ctx,
  );
  return pool === null
    ? reply(state, job, 'busy', ctx)
    : replicaState(state, state.applying, pool, state.waiting);
}

function onQueryDone(state: ReplicaState, timer: string, ctx: Context): ReplicaState {
  const { pool, job } = finish(state.pool, timer, () => msParamUs(ctx, 'queryServiceMs'), ctx);
  const next = replicaState(state, state.applying, pool, state.waiting);
  if (job === null) return next;
  return reply(next, job, isServing(next, ctx) ? 'ok' : 'unavailable', ctx);
}

/** Answers the client directly; `ok` reads the read model as it is now. */
function reply(
  state: ReplicaState,
  job: QueryJob,
  outcome: 'ok' | 'busy' | 'unavailable',
  ctx: Context,
): ReplicaState {
  const { applied, model } = ctx.durable;
  ctx.send(job.client, {
    type: 'ReadReply',
    readId: job.readId,
    outcome,
    applied: outcome === 'ok' ? applied : 0,
    version: outcome === 'ok' ? (model[job.key - 1] ?? 0) : 0,
  });
  return state;
}

/** [3] Queries that waited longer than the read-your-writes wait are answered unavailable. */
function expireWaiting(state: ReplicaState, ctx: Context): ReplicaState {
  if (state.waiting.length === 0) return state;
  const limitUs = msParamUs(ctx, 'ryowWaitMs');
  const kept: QueryJob[] = [];
  for (const job of state.waiting) {
    if (ctx.localTimeUs - job.sinceUs >= limitUs) reply(state, job, 'unavailable', ctx);
    else kept.push(job);
  }
  return kept.length === state.waiting.length
    ? state
    : replicaState(state, state.applying, state.pool, kept);
}

/** [1] Asks the projector for the changes after the applied position. */
function fetch(state: ReplicaState, ctx: Context): ReplicaState {
  if (state.fetchFrom !== 0 || state.applying !== null) return state;
  const from = ctx.durable.applied + 1;
  ctx.send(projectorId, { type: 'Fetch', from, max: fetchBatchMax, isWaiting: state.isCaughtUp });
  ctx.setTimer(fetchTimer, msParamUs(ctx, 'pullTimeoutMs'));
  return withFetchFrom(state, from);
}

/** [1] Takes only the batch that continues the read model exactly, and applies it. */
function onChanges(state: ReplicaState, message: ChangesMessage, ctx: Context): ReplicaState {
  const isNext =
    ctx.durable.isActive && state.applying === null && message.from === ctx.durable.applied + 1;
  if (!isNext) return state;
  ctx.cancelTimer(fetchTimer);
  if (message.keys.length === 0) {
    // The answer to a fetch that does not wait: nothing new. Caught up if at the head.
    const next = withFetchFrom(state, 0);
    return fetch(ctx.durable.applied >= message.head ? becomeCaughtUp(next, ctx) : next, ctx);
  }
  const applyUs = Math.round(msParamUs(ctx, 'replicaApplyMs') * message.keys.length);
  ctx.setTimer(applyTimer, applyUs);
  const { from, keys, head } = message;
  const next = replicaState(state, { from, keys, head }, state.pool, state.waiting);
  return withFetchFrom(next, 0);
}

function onApplied(state: ReplicaState, ctx: Context): ReplicaState {
  const batch = state.applying;
  const durable = ctx.durable;
  const done = replicaState(state, null, state.pool, state.waiting);
  if (batch === null || batch.from !== durable.applied + 1) return done;
  const keyCount = boundedCount(ctx, 'keyCount');
  const model =
    durable.model.length === keyCount
      ? durable.model.slice()
      : Array.from({ length: keyCount }, (_, index) => durable.model[index] ?? 0);
  batch.keys.forEach((key, index) => {
    model[key - 1] = batch.from + index;
  });
  const applied = durable.applied + batch.keys.length;
  const { generation, isActive } = durable;
  ctx.persist({ generation, isActive, applied, model });
  let next = done;
  if (applied >= batch.head) next = becomeCaughtUp(next, ctx);
  return fetch(releaseWaiting(next, ctx), ctx);
}

/** [2] Caught up: from now on it serves. The load balancer hears it at once. */
function becomeCaughtUp(state: ReplicaState, ctx: Context): ReplicaState {
  if (state.isCaughtUp) return state;
  ctx.annotate(`caught up at position ${ctx.durable.applied}: serving`);
  const { fetchFrom, applying, pool, waiting } = state;
  const next: ReplicaState = { isCaughtUp: true, fetchFrom, applying, pool, waiting };
  sendStatus(next, ctx);
  return next;
}

/** [3] Queries whose client's write is now applied go to the workers. */
function releaseWaiting(state: ReplicaState, ctx: Context): ReplicaState {
  if (state.waiting.length === 0) return state;
  const applied = ctx.durable.applied;
  const stillWaiting = state.waiting.filter((job) => job.minPosition > applied);
  let next = replicaState(state, state.applying, state.pool, stillWaiting);
  for (const job of state.waiting)
    if (job.minPosition <= applied) next = startQuery(next, job, ctx);
  return next;
}

/** [4] Joins as of `generation`: an empty read model, replayed from position 1. */
function join(state: ReplicaState, generation: number, ctx: Context): ReplicaState {
  const empty = emptied(state, ctx);
  ctx.persist({ generation, isActive: true, applied: 0, model: emptyModel(ctx) });
  ctx.annotate(`joins the read side (generation ${generation}): replays from position 1`);
  sendStatus(empty, ctx);
  return fetch(empty, ctx);
}

/** [4] Leaves as of `generation`: queries still here are answered unavailable; the store is dropped. */
function leave(state: ReplicaState, generation: number, ctx: Context): ReplicaState {
  const empty = emptied(state, ctx);
  ctx.persist({ generation, isActive: false, applied: 0, model: [] });
  ctx.annotate(`leaves the read side (generation ${generation})`);
  sendStatus(empty, ctx);
  return empty;
}

function emptied(state: ReplicaState, ctx: Context): ReplicaState {
  const { pool, jobs } = drain(state.pool);
  for (const job of [...jobs, ...state.waiting]) reply(state, job, 'unavailable', ctx);
  ctx.cancelTimer(fetchTimer);
  ctx.cancelTimer(applyTimer);
  return { isCaughtUp: false, fetchFrom: 0, applying: null, pool, waiting: [] };
}

function emptyModel(ctx: Context): number[] {
  return Array.from({ length: boundedCount(ctx, 'keyCount') }, () => 0);
}

function sendStatus(state: ReplicaState, ctx: Context): void {
  const { generation, isActive, applied } = ctx.durable;
  ctx.send(balancerId, {
    type: 'Status',
    generation,
    isActive,
    isServing: isActive && state.isCaughtUp,
    applied,
  });
}

// Whole literals, in one field order, rather than `{ ...state, field }`: V8 builds a spread
// with overrides several times slower, and a replica changes state on nearly every event.

function replicaState(
  state: ReplicaState,
  applying: ReplicaState['applying'],
  pool: Pool<QueryJob>,
  waiting: readonly QueryJob[],
): ReplicaState {
  return { isCaughtUp: state.isCaughtUp, fetchFrom: state.fetchFrom, applying, pool, waiting };
}

function withFetchFrom(state: ReplicaState, fetchFrom: number): ReplicaState {
  const { isCaughtUp, applying, pool, waiting } = state;
  return { isCaughtUp, fetchFrom, applying, pool, waiting };
}

/*
 * Notes
 *
 * [1] Keeping up. The replica has one fetch outstanding, from its applied position + 1. It
 *     applies a batch only if it starts exactly there (a late answer to an older fetch, or a
 *     duplicate, is dropped), in order, and writes the read store and the new position to disk
 *     together. So its read model is always the write log's prefix up to `applied`.
 *
 * [2] Serving. A replica serves only once it has caught up with the projector since it started:
 *     a restarted replica has its read store on disk but may be far behind, and a new one starts
 *     from nothing. Caught up means a batch brought it to the projector's head as the projector
 *     reported it; after that it serves even when it falls behind again (that is the lag the
 *     scenario measures, and what makes reads stale).
 *
 * [3] Read your writes. A query that carries a position the replica has not applied yet waits
 *     (outside the workers) until the replica gets there, and is answered unavailable after
 *     `ryowWaitMs`. It costs latency, and availability when the read side is far behind.
 *
 * [4] Membership. Activate and Deactivate carry the generation the load balancer gave this
 *     replica's latest change; an older one is ignored, so a delayed message cannot undo a newer
 *     decision. Joining always starts from an empty store: a replica that was removed and added
 *     again replays everything, like a new one.
 */
