import { exponential, ZipfSampler } from '../../engine/distributions.ts';
import type { Behaviour, NodeContext, NodeEvent, NodeSummary } from '../../engine/types.ts';
import {
  clientRole,
  hotKeyFault,
  keyCountOf,
  type Operation,
  paramOf,
  msParamUs,
  type ReplyMessage,
  routerId,
  type ShardingMessage,
} from './protocol.ts';
import { armHotKeyTimer, isInHotKeyWindow, storyHotKeyArgs, storylineTimer } from './storyline.ts';

/**
 * The workload: clients send reads and writes to the router as an open-loop Poisson stream
 * (arrivals do not wait for answers, so an overloaded shard sees its queue grow). Keys follow
 * the chosen distribution; the "hot key" fault sends most of one client's requests to one key.
 * A request answered `retry` (its key is being handed off) is tried again shortly; any other
 * failure, or no answer within the timeout, counts as failed.
 */

/** Attempts per request (the first one included) before a `retry` answer counts as failure. */
export const attemptsMax = 4;
/** Wait before a retried attempt. */
export const retryBackoffUs = 25_000;
/** Requests one client keeps open at once; beyond it, new ones fail at once (bounded memory). */
export const outstandingMax = 500;

interface Outstanding {
  readonly requestId: number;
  readonly attempt: number;
  readonly key: number;
  readonly op: Operation;
  readonly startedUs: number;
}

/** A write the client saw acknowledged, for the acknowledged-writes invariant. */
export interface AcknowledgedWrite {
  readonly key: number;
  readonly value: number;
}

export interface ClientState {
  readonly nextRequestId: number;
  readonly outstanding: readonly Outstanding[];
  /** Set by the "hot key" fault: this share of requests goes to this key. */
  readonly hotKey: { readonly key: number; readonly share: number } | null;
  readonly succeeded: number;
  readonly failed: number;
  readonly isLastFailed: boolean;
  /** Local time of this start, so the monitor notices a restart (counters reset). */
  readonly startedUs: number;
  readonly lastAcknowledgedWrite: AcknowledgedWrite | null;
  /** The last request answered ok and the value it read or wrote (for the history, history.ts). */
  readonly lastAnswer: { readonly requestId: number; readonly value: number } | null;
}

type Context = NodeContext<ShardingMessage, null>;

const arriveTimer = 'arrive';
const timeoutPrefix = 'timeout:';
const retryPrefix = 'retry:';

export const clientBehaviour: Behaviour<ClientState, ShardingMessage, null> = {
  initialDurable(): null {
    return null;
  },

  init(ctx: Context): ClientState {
    ctx.setTimer(arriveTimer, nextArrivalUs(ctx));
    armHotKeyTimer(ctx);
    return {
      nextRequestId: 1,
      outstanding: [],
      // A client restarted inside the storyline's hot-key window picks it up again at once.
      hotKey: isInHotKeyWindow(ctx) ? storyHotKey(ctx) : null,
      succeeded: 0,
      failed: 0,
      isLastFailed: false,
      startedUs: ctx.localTimeUs,
      lastAcknowledgedWrite: null,
      lastAnswer: null,
    };
  },

  receive(state: ClientState, event: NodeEvent<ShardingMessage>, ctx: Context): ClientState {
    switch (event.kind) {
      case 'message':
        return event.message.type === 'Reply' ? onReply(state, event.message, ctx) : state;
      case 'timer':
        if (event.name === arriveTimer) return onArrival(state, ctx);
        if (event.name === storylineTimer) return onStoryEdge(state, ctx);
        if (event.name.startsWith(timeoutPrefix)) return onTimeout(state, event.data, ctx);
        if (event.name.startsWith(retryPrefix)) return onRetry(state, event.data, ctx);
        return state;
      case 'fault':
        if (event.fault !== hotKeyFault) return state;
        // An operator's hot key takes over from the storyline's at this client.
        ctx.cancelTimer(storylineTimer);
        return onHotKey(state, event.args, ctx);
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ClientState): NodeSummary {
    return {
      label: state.hotKey === null ? 'client' : 'hot key',
      badge: `${state.succeeded} ok, ${state.failed} failed`,
      health: state.isLastFailed ? 'warn' : 'ok',
    };
  },
};

function onArrival(state: ClientState, ctx: Context): ClientState {
  ctx.setTimer(arriveTimer, nextArrivalUs(ctx));
  if (state.outstanding.length >= outstandingMax) return fail(state, null, ctx);
  const request: Outstanding = {
    requestId: state.nextRequestId,
    attempt: 1,
    key: chooseKey(state, ctx),
    op: ctx.random.chance(paramOf(ctx, 'readFraction')) ? 'read' : 'write',
    startedUs: ctx.localTimeUs,
  };
  send(request, ctx);
  // Whole literals on the request path: V8 11 (Node 20) copies an object spread several times
  // slower, and these run for every request.
  return {
    nextRequestId: state.nextRequestId + 1,
    outstanding: [...state.outstanding, request],
    hotKey: state.hotKey,
    succeeded: state.succeeded,
    failed: state.failed,
    isLastFailed: state.isLastFailed,
    startedUs: state.startedUs,
    lastAcknowledgedWrite: state.lastAcknowledgedWrite,
    lastAnswer: state.lastAnswer,
  };
}

function send(request: Outstanding, ctx: Context): void {
  const { requestId, attempt, key, op } = request;
  ctx.send(routerId, { type: 'Request', requestId, attempt, key, op });
  ctx.setTimer(`${timeoutPrefix}${requestId}`, msParamUs(ctx, 'requestTimeoutMs'), requestId);
}

function onReply(state: ClientState, reply: ReplyMessage, ctx: Context): ClientState {
  const request = state.outstanding.find((each) => each.requestId === reply.requestId);
  if (request?.attempt !== reply.attempt) return state;
  switch (reply.status) {
    case 'ok': {
      ctx.cancelTimer(`${timeoutPrefix}${request.requestId}`);
      const latencyMs = (ctx.localTimeUs - request.startedUs) / 1000;
      ctx.metric('success-rate', 1);
      ctx.metric('latency-p50', latencyMs);
      ctx.metric('latency-p99', latencyMs);
      const acknowledged = request.op === 'write' ? { key: request.key, value: reply.value } : null;
      return {
        nextRequestId: state.nextRequestId,
        outstanding: without(state.outstanding, request.requestId),
        hotKey: state.hotKey,
        succeeded: state.succeeded + 1,
        failed: state.failed,
        isLastFailed: false,
        startedUs: state.startedUs,
        lastAcknowledgedWrite: acknowledged ?? state.lastAcknowledgedWrite,
        lastAnswer: { requestId: request.requestId, value: reply.value },
      };
    }
    case 'retry': {
      if (request.attempt >= attemptsMax) return fail(state, request.requestId, ctx);
      ctx.cancelTimer(`${timeoutPrefix}${request.requestId}`);
      ctx.setTimer(`${retryPrefix}${request.requestId}`, retryBackoffUs, request.requestId);
      return state;
    }
    case 'overloaded':
    case 'unavailable':
      return fail(state, request.requestId, ctx);
    default: {
      const unknownStatus: never = reply.status;
      return unknownStatus;
    }
  }
}

function onRetry(state: ClientState, data: unknown, ctx: Context): ClientState {
  const index = state.outstanding.findIndex((each) => each.requestId === data);
  const request = state.outstanding[index];
  if (request === undefined) return state;
  const next: Outstanding = { ...request, attempt: request.attempt + 1 };
  send(next, ctx);
  const outstanding = state.outstanding.slice();
  outstanding[index] = next;
  return { ...state, outstanding };
}

function onTimeout(state: ClientState, data: unknown, ctx: Context): ClientState {
  const request = state.outstanding.find((each) => each.requestId === data);
  return request === undefined ? state : fail(state, request.requestId, ctx);
}

function fail(state: ClientState, requestId: number | null, ctx: Context): ClientState {
  ctx.metric('success-rate', 0);
  if (requestId !== null) {
    ctx.cancelTimer(`${timeoutPrefix}${requestId}`);
    ctx.cancelTimer(`${retryPrefix}${requestId}`);
  }
  const outstanding =
    requestId === null ? state.outstanding : without(state.outstanding, requestId);
  return {
    nextRequestId: state.nextRequestId,
    outstanding,
    hotKey: state.hotKey,
    succeeded: state.succeeded,
    failed: state.failed + 1,
    isLastFailed: true,
    startedUs: state.startedUs,
    lastAcknowledgedWrite: state.lastAcknowledgedWrite,
    lastAnswer: state.lastAnswer,
  };
}

function without(outstanding: readonly Outstanding[], requestId: number): readonly Outstanding[] {
  return outstanding.filter((each) => each.requestId !== requestId);
}

function onHotKey(
  state: ClientState,
  args: Readonly<Record<string, number>>,
  ctx: Context,
): ClientState {
  const share = (args.sharePercent ?? 90) / 100;
  if (share <= 0) return { ...state, hotKey: null };
  const key = Math.round(args.key ?? paramOf(ctx, 'hotKey')) % keyCountOf(ctx.params);
  ctx.annotate(`sends ${Math.round(share * 100)}% of its requests to key ${key}`);
  return { ...state, hotKey: { key, share: Math.min(1, share) } };
}

/** The storyline's hot key starts or ends, through the "Hot key" fault's own code. */
function onStoryEdge(state: ClientState, ctx: Context): ClientState {
  const isStarting = isInHotKeyWindow(ctx);
  const next = onHotKey(state, storyHotKeyArgs(ctx.params, isStarting), ctx);
  if (!isStarting) ctx.annotate('the hot key cools down');
  armHotKeyTimer(ctx);
  return next;
}

/** The storyline's hot key, as the fault would set it (a restarted client, mid-window). */
function storyHotKey(ctx: Context): ClientState['hotKey'] {
  const args = storyHotKeyArgs(ctx.params, true);
  const key = Math.round(args.key ?? 0) % keyCountOf(ctx.params);
  return { key, share: Math.min(1, (args.sharePercent ?? 0) / 100) };
}

/** The key of the next request, from the fault's hot key or the distribution parameter. */
function chooseKey(state: ClientState, ctx: Context): number {
  const keyCount = keyCountOf(ctx.params);
  const random = ctx.random;
  if (state.hotKey !== null) {
    return random.chance(state.hotKey.share) ? state.hotKey.key : random.int(keyCount);
  }
  switch (Math.round(paramOf(ctx, 'keyDistribution'))) {
    case 1:
      return zipfFor(keyCount, paramOf(ctx, 'zipfSkew')).sample(random);
    case 2: {
      const hotKey = Math.round(paramOf(ctx, 'hotKey')) % keyCount;
      return random.chance(paramOf(ctx, 'hotKeyShare')) ? hotKey : random.int(keyCount);
    }
    default:
      return random.int(keyCount);
  }
}

/** Exponential gaps: a Poisson stream at this client's share of the request rate. */
function nextArrivalUs(ctx: Context): number {
  const clients = Math.max(1, ctx.nodesWithRole(clientRole).length);
  const perClientRate = Math.max(0.001, paramOf(ctx, 'requestRate') / clients);
  return Math.max(1, Math.round(exponential(ctx.random, 1_000_000 / perClientRate)));
}

/**
 * Zipf samplers by (key count, skew). A sampler is a pure table, so caching it outside node
 * state (which must be plain data) changes nothing in a run; the cache is bounded.
 */
const samplers = new Map<string, ZipfSampler>();
const samplerCacheMax = 8;

function zipfFor(keyCount: number, skew: number): ZipfSampler {
  const name = `${keyCount}:${skew}`;
  let sampler = samplers.get(name);
  if (sampler === undefined) {
    sampler = new ZipfSampler(keyCount, Math.max(0, skew));
    if (samplers.size >= samplerCacheMax) {
      const oldest = samplers.keys().next();
      if (oldest.done !== true) samplers.delete(oldest.value);
    }
    samplers.set(name, sampler);
  }
  return sampler;
}
