import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import type { PublisherMessage, PublishNackMessage } from '../pub-sub/protocol.ts';
import { brokerId } from '../pub-sub/roster.ts';
import { boundedCount, topicOfKey, msParamUs, type WriteMessage } from './protocol.ts';
import type { ClientMessage } from './protocol.ts';
import { type AppendLog, append, emptyLog, entryAt } from './appendLog.ts';
import { admit, finish, isWorkerTimer, load, newPool, type Pool } from './workers.ts';

/**
 * The write side: the command service with its write store, an append-only log on disk. Each
 * accepted write gets the next log position, is written durably, acknowledged to the client with
 * its position, and then published to the change feed (the Pub/Sub broker) as seq = position,
 * one at a time, again and again until the broker acknowledges it. Numbered notes [n] at the end.
 */

/** One committed write. Its log position is its index + 1. */
export interface LogEntry {
  readonly key: number;
  readonly client: NodeId;
}

/** Durable: the write store (the log), deduplication records, and how far the feed has it. */
export interface CommandDurable {
  /** A persistent append-only log (appendLog.ts): appending copies one chunk, not the log. */
  readonly log: AppendLog<LogEntry>;
  /** [1] The last request of each client and the position it got. */
  readonly lastRequest: Readonly<
    Record<NodeId, { readonly requestId: number; readonly position: number }>
  >;
  /** [2] Every position up to here is acknowledged by the broker. */
  readonly publishedUpTo: number;
}

interface WriteJob {
  readonly client: NodeId;
  readonly requestId: number;
  readonly key: number;
}

export interface CommandState {
  readonly pool: Pool<WriteJob>;
  /** The broker epoch last heard of (0: none yet). */
  readonly epoch: number;
  /** The position being published (0: none), and how many times it was sent. */
  readonly publishing: number;
  readonly sends: number;
  /** "Queue full" refusals in a row, for the back-off. */
  readonly refusals: number;
}

type Message = ClientMessage | PublisherMessage;
type Context = NodeContext<Message, CommandDurable>;

const publishTimer = 'publish';
/** The back-off after a "full" refusal doubles up to this multiple of the publish timeout. */
const backoffMultipleMax = 8;

export const commandServiceBehaviour: Behaviour<CommandState, Message, CommandDurable> = {
  initialDurable(): CommandDurable {
    return { log: emptyLog(), lastRequest: {}, publishedUpTo: 0 };
  },

  init(ctx: Context): CommandState {
    const state: CommandState = {
      pool: newPool(boundedCount(ctx, 'writeConcurrency')),
      epoch: 0,
      publishing: 0,
      sends: 0,
      refusals: 0,
    };
    return publishNext(state, ctx); // [2] a restart resumes publishing where the broker stopped
  },

  receive(state: CommandState, event: NodeEvent<Message>, ctx: Context): CommandState {
    switch (event.kind) {
      case 'message':
        return onMessage(state, event.from, event.message, ctx);
      case 'timer':
        if (isWorkerTimer(event.name)) return onWriteDone(state, event.name, ctx);
        if (event.name === publishTimer) return sendPublish(state, ctx);
        return state;
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: CommandState, durable: CommandDurable): NodeSummary {
    const unpublished = durable.log.length - durable.publishedUpTo;
    return {
      label: state.refusals > 0 ? 'feed blocked' : 'writing',
      badge: `log ${durable.log.length} · ${unpublished} to publish · ${load(state.pool)} busy`,
      health: state.refusals > 0 || unpublished > 100 ? 'warn' : 'ok',
    };
  },
};

function onMessage(
  state: CommandState,
  from: NodeId,
  message: Message,
  ctx: Context,
): CommandState {
  switch (message.type) {
    case 'Write':
      return onWrite(state, from, message, ctx);
    case 'PublishAck':
      return onPublishAck(state, message.seq, message.epoch, ctx);
    case 'PublishNack':
      return onPublishNack(state, message, ctx);
    case 'WriteAck':
    case 'WriteBusy':
    case 'Read':
    case 'ReadReply':
    case 'Publish':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

/** [1] A repeat is answered from the record; a new write waits for a worker (or is refused). */
function onWrite(
  state: CommandState,
  from: NodeId,
  message: WriteMessage,
  ctx: Context,
): CommandState {
  if (answerRepeat(from, message.requestId, ctx)) return state;
  const job: WriteJob = { client: from, requestId: message.requestId, key: message.key };
  const pool = admit(
    state.pool,
    job,
    boundedCount(ctx, 'queueMax'),
    () => msParamUs(ctx, 'writeServiceMs'),
    ctx,
  );
  if (pool === null) {
    ctx.send(from, { type: 'WriteBusy', requestId: message.requestId });
    return state;
  }
  return withPool(state, pool);
}

/** Answers a write this service has already committed (or an older one): true when it did. */
function answerRepeat(client: NodeId, requestId: number, ctx: Context): boolean {
  const last = ctx.durable.lastRequest[client];
  if (last === undefined || requestId > last.requestId) return false;
  if (requestId === last.requestId) {
    ctx.send(client, { type: 'WriteAck', requestId, position: last.position });
  }
  return true;
}

/** [1] A worker finished a write: append it to the log on disk, acknowledge, publish. */
function onWriteDone(state: CommandState, timer: string, ctx: Context): CommandState {
  const { pool, job } = finish(state.pool, timer, () => msParamUs(ctx, 'writeServiceMs'), ctx);
  const next = withPool(state, pool);
  if (job === null || answerRepeat(job.client, job.requestId, ctx)) return next;
  const durable = ctx.durable;
  const position = durable.log.length + 1;
  const lastRequest = { ...durable.lastRequest };
  lastRequest[job.client] = { requestId: job.requestId, position };
  ctx.persist({
    log: append(durable.log, { key: job.key, client: job.client }),
    lastRequest,
    publishedUpTo: durable.publishedUpTo,
  });
  ctx.send(job.client, { type: 'WriteAck', requestId: job.requestId, position });
  return publishNext(next, ctx);
}

/** [2] Starts publishing the first position the broker has not acknowledged, if idle. */
function publishNext(state: CommandState, ctx: Context): CommandState {
  if (state.publishing !== 0) return state;
  const position = ctx.durable.publishedUpTo + 1;
  if (position > ctx.durable.log.length) return state;
  return sendPublish(commandState(state, state.epoch, position, 0, state.refusals), ctx);
}

function sendPublish(state: CommandState, ctx: Context): CommandState {
  const position = state.publishing;
  const entry = entryAt(ctx.durable.log, position - 1);
  if (entry === undefined) return state;
  if (state.sends > 0) ctx.metric('publish-retries', 1);
  ctx.send(brokerId, {
    type: 'Publish',
    topic: topicOfKey(entry.key),
    seq: position,
    createdUs: ctx.localTimeUs,
    epoch: state.epoch,
  });
  ctx.setTimer(publishTimer, msParamUs(ctx, 'publishTimeoutMs'));
  return commandState(state, state.epoch, position, state.sends + 1, state.refusals);
}

function onPublishAck(state: CommandState, seq: number, epoch: number, ctx: Context): CommandState {
  if (seq !== state.publishing) return state; // a stale answer
  ctx.cancelTimer(publishTimer);
  const durable = ctx.durable;
  ctx.persist({ log: durable.log, lastRequest: durable.lastRequest, publishedUpTo: seq });
  return publishNext(commandState(state, Math.max(state.epoch, epoch), 0, 0, 0), ctx);
}

/** [3] A new broker epoch: adopt it and send again at once. A full feed: back off, then retry. */
function onPublishNack(
  state: CommandState,
  message: PublishNackMessage,
  ctx: Context,
): CommandState {
  if (message.seq !== state.publishing) return state;
  if (message.reason === 'epoch') {
    if (message.epoch <= state.epoch) return state;
    return sendPublish({ ...state, epoch: message.epoch, sends: 0 }, ctx);
  }
  const refusals = state.refusals + 1;
  const ceilingUs =
    msParamUs(ctx, 'publishTimeoutMs') *
    Math.min(backoffMultipleMax, 1 << Math.min(refusals - 1, 3));
  ctx.setTimer(publishTimer, Math.max(1, Math.round(ctx.random.float() * ceilingUs)));
  return { ...state, refusals, epoch: Math.max(state.epoch, message.epoch) };
}

// Whole literals, in one field order, rather than `{ ...state, field }`: V8 builds a spread
// with overrides several times slower, and the service changes state on nearly every event.

function commandState(
  state: CommandState,
  epoch: number,
  publishing: number,
  sends: number,
  refusals: number,
): CommandState {
  return { pool: state.pool, epoch, publishing, sends, refusals };
}

function withPool(state: CommandState, pool: Pool<WriteJob>): CommandState {
  const { epoch, publishing, sends, refusals } = state;
  return { pool, epoch, publishing, sends, refusals };
}

/*
 * Notes
 *
 * [1] Commit. A write is committed when its entry is in the log on disk (a synchronous write in
 *     this model); only then is it acknowledged, with its position. The service records each
 *     client's last request id and position with the same write, so a client's repeat of a lost
 *     answer gets the same position instead of a second commit. A repeat that arrives while the
 *     first copy still waits in the queue is checked again when its turn comes.
 *
 * [2] The feed, as a transactional outbox. Publishing does not hold up writes: the log is the
 *     outbox. The service publishes positions in order, one at a time (stop-and-wait, which keeps
 *     them in order at the broker), and moves on only when the broker acknowledges; the highest
 *     acknowledged position is on disk, so after a crash it resumes from there. A position sent
 *     twice is harmless: the broker remembers the highest sequence number it accepted from this
 *     publisher and acks a repeat without storing it twice.
 *
 * [3] The broker's refusals (pub-sub protocol.ts [1]). After a broker restart the first publish
 *     names the old epoch and is refused with the new one, which the service adopts. The broker
 *     refuses with "full" when the projector's queue is at its bound (block-publisher policy):
 *     the service keeps the change in its log, backs off (full jitter) and tries again, so the
 *     read side falls behind but never loses a change, and writes carry on meanwhile.
 */
