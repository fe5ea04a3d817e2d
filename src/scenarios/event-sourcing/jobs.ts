import type { NodeId } from '../../engine/types.ts';
import {
  type AccountState,
  type Aggregate,
  decide,
  foldAccount,
  includesCommand,
  metaFor,
  newAggregate,
  streamsOf,
} from './account.ts';
import type { Awaited, HandlerContext, HandlerState, Job } from './handler.ts';
import { cachePut, evict, remember, saveSnapshot, storeOf } from './handlerCache.ts';
import { type CommandMessage, type CommandOutcome, countParam, msParamUs } from './protocol.ts';
import { handlerWith, jobWith } from './stateCopies.ts';
import type { StoredEvent } from './storeProtocol.ts';

/**
 * A command's way through the handler, as a job: intake, waiting for its accounts, loads, the
 * decision, the append and its answer, retries, and the reply to the client. The notes [n] are
 * those of handler.ts.
 */

/** Commands a handler holds (in flight and waiting); past it, new ones are refused. */
export const handlerJobsMax = 200;
/** Answered command ids remembered to recognise duplicates. */
const recentCommandsMax = 200;
export const storeTimerPrefix = 'store:';

type Context = HandlerContext;

/** A load's answer in either variant. */
export interface LoadReply {
  readonly requestId: number;
  readonly stream: string;
  /** Where the fold starts: a snapshot or a row, or null (from the empty account or the tail). */
  readonly base: Aggregate | null;
  readonly events: readonly StoredEvent[];
}

/** An append's (or row write's) answer in either variant. */
export interface CommitReply {
  readonly requestId: number;
  readonly outcome: 'committed' | 'conflict' | 'failed';
  readonly versions: readonly { readonly stream: string; readonly version: number }[];
}

export function intake(
  state: HandlerState,
  client: NodeId,
  message: CommandMessage,
  ctx: Context,
): HandlerState {
  if (state.jobs.length >= handlerJobsMax) {
    answer(ctx, client, message.commandId, 'unavailable', 'handler overloaded');
    return handlerWith(state, { unavailable: state.unavailable + 1 });
  }
  const id = message.commandId;
  // A command the network delivered twice is carried out once. (`some` with ===, not `includes`:
  // V8's includes compares freshly built strings many times slower.)
  // (`some` with ===, not `includes`: V8's includes compares freshly built strings many times
  // slower, and this runs for every command against up to 200 ids.)
  if (
    state.recentCommandIds.some((each) => each === id) ||
    state.jobs.some((job) => job.commandId === id)
  )
    return state;
  const job: Job = {
    commandId: message.commandId,
    timer: `${storeTimerPrefix}${message.commandId}`,
    client,
    command: message.command,
    streams: streamsOf(message.command),
    phase: 'waiting',
    retries: 0,
    aggregates: new Map(),
    isFresh: false,
    awaiting: [],
    proposed: [],
    isInLog: false,
  };
  return startReady(handlerWith(state, { jobs: [...state.jobs, job] }), ctx);
}

/** [2] Starts every waiting job whose accounts no earlier job (in flight or waiting) holds. */
function startReady(state: HandlerState, ctx: Context): HandlerState {
  const claimed = new Set<string>();
  let next = state;
  for (const job of state.jobs) {
    const isFree = job.streams.every((stream) => !claimed.has(stream));
    for (const stream of job.streams) claimed.add(stream);
    if (job.phase === 'waiting' && isFree) next = startJob(next, job, ctx);
  }
  return next;
}

/** [1] Takes cached accounts as they are and loads the others. */
function startJob(state: HandlerState, job: Job, ctx: Context): HandlerState {
  const cacheSize = countParam(ctx, 'cacheSize', 0);
  const aggregates = new Map<string, Aggregate>();
  const toLoad: string[] = [];
  for (const stream of job.streams) {
    const cached = cacheSize > 0 ? state.cache.get(stream) : undefined;
    if (cached === undefined) toLoad.push(stream);
    else aggregates.set(stream, cached);
  }
  const started = jobWith(job, { aggregates, isFresh: aggregates.size === 0 });
  if (toLoad.length === 0) return decideJob(replaceJob(state, started), started, ctx);
  return load(state, jobWith(started, { phase: 'loading' }), toLoad, ctx);
}

/** Sends loads (full, or tails after the versions held) and waits for them. */
function load(
  state: HandlerState,
  job: Job,
  streams: readonly string[],
  ctx: Context,
): HandlerState {
  let nextRequestId = state.nextRequestId;
  const awaiting: Awaited[] = [];
  for (const stream of streams) {
    const requestId = nextRequestId++;
    const afterVersion = job.aggregates.get(stream)?.version ?? 0;
    awaiting.push({ requestId, stream, afterVersion });
    if (state.mode === 'crud') {
      ctx.send(storeOf(state, ctx), { type: 'Read', readId: requestId, account: stream });
    } else {
      const useSnapshot = afterVersion === 0 && countParam(ctx, 'snapshotEvery', 0) > 0;
      ctx.send(storeOf(state, ctx), {
        type: 'Load',
        loadId: requestId,
        stream,
        afterVersion,
        upToVersion: null,
        useSnapshot,
      });
    }
  }
  ctx.setTimer(job.timer, msParamUs(ctx, 'storeTimeoutMs'));
  return replaceJob(
    handlerWith(state, { nextRequestId }),
    jobWith(job, { phase: 'loading', awaiting }),
  );
}

/** [1] Folds a load's answer into the job's working copy; decides once every load is in. */
export function onLoaded(state: HandlerState, reply: LoadReply, ctx: Context): HandlerState {
  const job = jobAwaiting(state, reply.requestId);
  const awaited = job?.awaiting.find((each) => each.requestId === reply.requestId);
  if (job === undefined || awaited === undefined || job.phase !== 'loading') return state;
  const held = job.aggregates.get(reply.stream);
  const start =
    reply.base ?? (awaited.afterVersion > 0 && held !== undefined ? held : newAggregate);
  const aggregate: Aggregate = {
    version: reply.events.at(-1)?.version ?? start.version,
    state: foldAccount(reply.events, start.state),
  };
  if (state.mode !== 'crud' && awaited.afterVersion === 0) {
    ctx.metric('replay-length', reply.events.length);
    // [5] A long replay is worth a snapshot at once, not only at the next multiple of N.
    const snapshotEvery = countParam(ctx, 'snapshotEvery', 0);
    if (snapshotEvery > 0 && reply.events.length >= snapshotEvery)
      saveSnapshot(state, reply.stream, aggregate, ctx);
  }
  const aggregates = new Map(job.aggregates);
  aggregates.set(reply.stream, aggregate);
  const awaiting = job.awaiting.filter((each) => each.requestId !== reply.requestId);
  const isInLog = job.isInLog || includesCommand(reply.events, job.commandId);
  const updated = jobWith(job, { aggregates, awaiting, isInLog });
  const known = remember(state.known, reply.stream, aggregate);
  if (awaiting.length > 0) return replaceJob(handlerWith(state, { known }), updated);
  if (isInLog) {
    // [4] The "conflict" was with itself: an earlier copy of this append landed (its answer lost
    // or overtaken). Appending again would apply the command twice.
    ctx.annotate(`${job.commandId}: its events are already in the log (an earlier append landed)`);
    const accepted = handlerWith(replaceJob(state, updated), {
      known,
      accepted: state.accepted + 1,
    });
    return finish(accepted, updated, 'accepted', 'already in the log', ctx);
  }
  return decideJob(replaceJob(handlerWith(state, { known }), updated), updated, ctx);
}

/** [3] The rules on the working copies: reject, or append with the versions held. */
function decideJob(state: HandlerState, job: Job, ctx: Context): HandlerState {
  const accounts = new Map<string, AccountState>();
  for (const [stream, aggregate] of job.aggregates) accounts.set(stream, aggregate.state);
  const decision = decide(job.command, accounts, metaFor(job.commandId, job.client, ctx.self));
  if (decision.kind === 'reject') {
    if (!job.isFresh)
      return load(state, jobWith(job, { isFresh: true }), [...job.aggregates.keys()], ctx);
    return finish(
      handlerWith(state, { rejected: state.rejected + 1 }),
      job,
      'rejected',
      decision.reason,
      ctx,
    );
  }
  const requestId = state.nextRequestId;
  if (state.mode === 'crud') {
    const rows = decision.writes.map((write) => ({
      account: write.stream,
      expectedVersion: job.aggregates.get(write.stream)?.version ?? 0,
      balance: foldAccount(write.events, job.aggregates.get(write.stream)?.state).balance,
    }));
    ctx.send(storeOf(state, ctx), { type: 'Write', writeId: requestId, rows });
  } else {
    const writes = decision.writes.map((write) => ({
      stream: write.stream,
      expectedVersion: job.aggregates.get(write.stream)?.version ?? 0,
      events: write.events,
    }));
    ctx.send(storeOf(state, ctx), { type: 'Append', appendId: requestId, writes });
  }
  ctx.setTimer(job.timer, msParamUs(ctx, 'storeTimeoutMs'));
  const appending = jobWith(job, {
    phase: 'appending',
    awaiting: [{ requestId, stream: '', afterVersion: 0 }],
    proposed: decision.writes,
  });
  return replaceJob(handlerWith(state, { nextRequestId: requestId + 1 }), appending);
}

/** [3] [4] The append's answer. */
export function onCommitted(state: HandlerState, reply: CommitReply, ctx: Context): HandlerState {
  const job = jobAwaiting(state, reply.requestId);
  if (job?.phase !== 'appending') return state;
  if (reply.outcome === 'failed') {
    return finish(
      handlerWith(state, { unavailable: state.unavailable + 1 }),
      job,
      'unavailable',
      'the log is full',
      ctx,
    );
  }
  if (reply.outcome === 'committed') return committed(state, job, reply, ctx);
  ctx.metric('conflicts', 1);
  const conflicted = handlerWith(state, { conflicts: state.conflicts + 1 });
  if (job.retries >= countParam(ctx, 'retryMax', 0)) {
    ctx.metric('conflicts-exhausted', 1);
    const evicted = evict(conflicted, job);
    return finish(
      handlerWith(evicted, { exhausted: evicted.exhausted + 1 }),
      job,
      'conflict-exhausted',
      `${job.retries} retries`,
      ctx,
    );
  }
  ctx.metric('retries', 1);
  const retried = handlerWith(conflicted, { retries: conflicted.retries + 1 });
  const stale = reply.versions.filter(
    (each) => job.aggregates.get(each.stream)?.version !== each.version,
  );
  ctx.annotate(
    `${job.commandId}: conflict on ${stale.map((each) => `${each.stream} (now v${each.version})`).join(', ')}, retry ${job.retries + 1}`,
  );
  const retrying = jobWith(job, { retries: job.retries + 1, awaiting: [], proposed: [] });
  if (state.mode === 'skips-reload') {
    // [7] The bug: the new version number without the events behind it.
    const aggregates = new Map(job.aggregates);
    for (const each of stale) {
      const held = aggregates.get(each.stream);
      if (held !== undefined) aggregates.set(each.stream, { ...held, version: each.version });
    }
    const blind = jobWith(retrying, { aggregates });
    return decideJob(replaceJob(retried, blind), blind, ctx);
  }
  // Reload what moved on (everything, should the store name no stream that did).
  const toReload = stale.length > 0 ? stale.map((each) => each.stream) : [...job.aggregates.keys()];
  return load(retried, jobWith(retrying, { isFresh: true }), toReload, ctx);
}

/** [5] Success: the new versions go to the cache, snapshots are saved, the client hears it. */
function committed(state: HandlerState, job: Job, reply: CommitReply, ctx: Context): HandlerState {
  const cacheSize = countParam(ctx, 'cacheSize', 0);
  const snapshotEvery = countParam(ctx, 'snapshotEvery', 0);
  let cache = state.cache;
  let known = state.known;
  for (const write of job.proposed) {
    const held = job.aggregates.get(write.stream) ?? newAggregate;
    const version =
      reply.versions.find((each) => each.stream === write.stream)?.version ?? held.version;
    const after: Aggregate = { version, state: foldAccount(write.events, held.state) };
    if (cacheSize > 0) cache = cachePut(cache, write.stream, after, cacheSize);
    known = remember(known, write.stream, after);
    const crosses =
      Math.floor(version / Math.max(1, snapshotEvery)) >
      Math.floor(held.version / Math.max(1, snapshotEvery));
    if (state.mode !== 'crud' && snapshotEvery > 0 && crosses)
      saveSnapshot(state, write.stream, after, ctx);
  }
  const detail = job.retries === 0 ? 'appended' : `appended after ${job.retries} retries`;
  return finish(
    handlerWith(state, { cache, known, accepted: state.accepted + 1 }),
    job,
    'accepted',
    detail,
    ctx,
  );
}

/** [6] The store did not answer in time. */
export function onStoreTimeout(state: HandlerState, commandId: string, ctx: Context): HandlerState {
  const job = state.jobs.find((each) => each.commandId === commandId);
  if (job === undefined || job.phase === 'waiting') return state;
  const evicted = evict(handlerWith(state, { unavailable: state.unavailable + 1 }), job);
  return finish(evicted, job, 'unavailable', 'no answer from the store in time', ctx);
}

/** Answers the client, drops the job and starts whatever was waiting for its accounts. */
function finish(
  state: HandlerState,
  job: Job,
  outcome: CommandOutcome,
  detail: string,
  ctx: Context,
): HandlerState {
  answer(ctx, job.client, job.commandId, outcome, detail);
  ctx.cancelTimer(job.timer);
  const jobs = state.jobs.filter((each) => each.commandId !== job.commandId);
  const recentCommandIds = [...state.recentCommandIds.slice(1 - recentCommandsMax), job.commandId];
  return startReady(handlerWith(state, { jobs, recentCommandIds }), ctx);
}

function answer(
  ctx: Context,
  client: NodeId,
  commandId: string,
  outcome: CommandOutcome,
  detail: string,
): void {
  ctx.send(client, { type: 'CommandResult', commandId, outcome, detail });
}

function jobAwaiting(state: HandlerState, requestId: number): Job | undefined {
  return state.jobs.find((job) => job.awaiting.some((each) => each.requestId === requestId));
}

function replaceJob(state: HandlerState, job: Job): HandlerState {
  return handlerWith(state, {
    jobs: state.jobs.map((each) => (each.commandId === job.commandId ? job : each)),
  });
}
