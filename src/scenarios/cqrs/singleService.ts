import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import { append, emptyLog, entryAt } from './appendLog.ts';
import type { CommandDurable, LogEntry } from './commandService.ts';
import { type ClientMessage, boundedCount, msParamUs } from './protocol.ts';
import { admit, finish, isWorkerTimer, load, newPool, type Pool } from './workers.ts';

/**
 * The baseline: one service and one store for reads and writes. Writes are committed to the same
 * log as in the pattern (with the same deduplication); reads are answered from the store itself,
 * so they are never stale. But both share one pool of workers and one queue: as reads grow,
 * writes wait behind them. The pool has as many workers as the command service and one query
 * replica together, so the baseline runs on the same hardware as the smallest CQRS setup.
 */

type Job =
  | {
      readonly kind: 'write';
      readonly client: NodeId;
      readonly requestId: number;
      readonly key: number;
    }
  | {
      readonly kind: 'read';
      readonly client: NodeId;
      readonly readId: number;
      readonly key: number;
    };

export interface SingleServiceState {
  readonly pool: Pool<Job>;
  /** The version of each key (position of its last write), rebuilt from the log on start. */
  readonly versions: readonly number[];
}

type Context = NodeContext<ClientMessage, CommandDurable>;

const meanUs =
  (ctx: Context) =>
  (job: Job): number =>
    msParamUs(ctx, job.kind === 'write' ? 'writeServiceMs' : 'queryServiceMs');

export const singleServiceBehaviour: Behaviour<SingleServiceState, ClientMessage, CommandDurable> =
  {
    initialDurable(): CommandDurable {
      return { log: emptyLog(), lastRequest: {}, publishedUpTo: 0 };
    },

    init(ctx: Context): SingleServiceState {
      const workers = boundedCount(ctx, 'writeConcurrency') + boundedCount(ctx, 'queryConcurrency');
      const versions = Array.from({ length: boundedCount(ctx, 'keyCount') }, () => 0);
      const log = ctx.durable.log;
      for (let index = 0; index < log.length; index++) {
        versions[(entryAt(log, index) as LogEntry).key - 1] = index + 1;
      }
      return { pool: newPool(workers), versions };
    },

    receive(
      state: SingleServiceState,
      event: NodeEvent<ClientMessage>,
      ctx: Context,
    ): SingleServiceState {
      switch (event.kind) {
        case 'message':
          return onMessage(state, event.from, event.message, ctx);
        case 'timer':
          return isWorkerTimer(event.name) ? onDone(state, event.name, ctx) : state;
        case 'fault':
          return state;
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },

    summarize(state: SingleServiceState, durable: CommandDurable): NodeSummary {
      const busy = load(state.pool);
      return {
        label: 'serving',
        badge: `log ${durable.log.length} · ${busy} busy`,
        health: busy > state.pool.busy.length ? 'warn' : 'ok',
      };
    },
  };

function onMessage(
  state: SingleServiceState,
  from: NodeId,
  message: ClientMessage,
  ctx: Context,
): SingleServiceState {
  let job: Job;
  if (message.type === 'Write') {
    if (answerRepeat(from, message.requestId, ctx)) return state;
    job = { kind: 'write', client: from, requestId: message.requestId, key: message.key };
  } else if (message.type === 'Read') {
    job = { kind: 'read', client: from, readId: message.readId, key: message.key };
  } else {
    return state;
  }
  const pool = admit(state.pool, job, boundedCount(ctx, 'queueMax'), meanUs(ctx), ctx);
  if (pool !== null) return { pool, versions: state.versions };
  if (job.kind === 'write') ctx.send(from, { type: 'WriteBusy', requestId: job.requestId });
  else
    ctx.send(from, {
      type: 'ReadReply',
      readId: job.readId,
      outcome: 'busy',
      applied: 0,
      version: 0,
    });
  return state;
}

function answerRepeat(client: NodeId, requestId: number, ctx: Context): boolean {
  const last = ctx.durable.lastRequest[client];
  if (last === undefined || requestId > last.requestId) return false;
  if (requestId === last.requestId) {
    ctx.send(client, { type: 'WriteAck', requestId, position: last.position });
  }
  return true;
}

function onDone(state: SingleServiceState, timer: string, ctx: Context): SingleServiceState {
  const { pool, job } = finish(state.pool, timer, meanUs(ctx), ctx);
  const next: SingleServiceState = { pool, versions: state.versions };
  if (job === null) return next;
  const durable = ctx.durable;
  if (job.kind === 'read') {
    // The read model is the store itself: every committed write, nothing more.
    const version = state.versions[job.key - 1] ?? 0;
    ctx.send(job.client, {
      type: 'ReadReply',
      readId: job.readId,
      outcome: 'ok',
      applied: durable.log.length,
      version,
    });
    return next;
  }
  if (answerRepeat(job.client, job.requestId, ctx)) return next;
  const position = durable.log.length + 1;
  const lastRequest = { ...durable.lastRequest };
  lastRequest[job.client] = { requestId: job.requestId, position };
  ctx.persist({
    log: append(durable.log, { key: job.key, client: job.client }),
    lastRequest,
    publishedUpTo: durable.publishedUpTo,
  });
  ctx.send(job.client, { type: 'WriteAck', requestId: job.requestId, position });
  const versions = state.versions.slice();
  versions[job.key - 1] = position;
  return { pool, versions };
}
