import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import { type AmbassadorMessage, type CallMessage, settingsOf } from './protocol.ts';
import {
  armStoryline,
  overloadCapacityPercent,
  overloadEndTimer,
  overloadLengthUs,
  overloadStartTimer,
} from './storyline.ts';

/**
 * A remote service instance: a fixed number of workers and a bounded FIFO queue [1]. A call that
 * finds a worker free is served at once; otherwise it waits in the queue, so its latency grows
 * with the queue ahead of it; with the queue full it is rejected at once. A queued call is served
 * even if its caller gave up long ago: the instance cannot know [2]. Numbered notes [n] are at
 * the end of the file.
 */

/** One call waiting for a worker. */
export interface QueuedCall {
  readonly from: NodeId;
  readonly callId: number;
}

/** The scenario faults in force on this instance (all cleared by `recover` or a restart). */
export interface RemoteFaults {
  /** Service time multiplier of "Make slow". */
  readonly slowFactor: number;
  /** Share of normal capacity left by "Overload", in percent. */
  readonly capacityPercent: number;
  /** Share of calls failed by "Return errors", in percent. */
  readonly errorPercent: number;
}

export interface RemoteState {
  readonly queue: readonly QueuedCall[];
  /** Workers busy right now. */
  readonly inService: number;
  readonly nextJobId: number;
  readonly faults: RemoteFaults;
  /** Counters since the last (re)start, read by the monitor and the inspector. */
  readonly arrivals: number;
  readonly served: number;
  readonly rejected: number;
  readonly failed: number;
  readonly replySeq: number;
  /** The queue limit when the state last changed (the summary has no parameters to read). */
  readonly queueLimitSeen: number;
}

/** Durable: how often the instance has started, so its answer ids never repeat. */
export interface RemoteDurable {
  readonly incarnation: number;
}

type Context = NodeContext<AmbassadorMessage, RemoteDurable>;

const healthy: RemoteFaults = { slowFactor: 1, capacityPercent: 100, errorPercent: 0 };

/** Scenario fault ids (declared in model.ts). */
export const remoteFaultIds = {
  slow: 'remote-slow',
  overload: 'remote-overload',
  errors: 'remote-errors',
  recover: 'remote-recover',
} as const;

export const remoteBehaviour: Behaviour<RemoteState, AmbassadorMessage, RemoteDurable> = {
  initialDurable(): RemoteDurable {
    return { incarnation: 0 };
  },

  init(ctx: Context): RemoteState {
    ctx.persist({ incarnation: ctx.durable.incarnation + 1 });
    armStoryline(ctx);
    return {
      queue: [],
      inService: 0,
      nextJobId: 1,
      faults: healthy,
      arrivals: 0,
      served: 0,
      rejected: 0,
      failed: 0,
      replySeq: 0,
      queueLimitSeen: queueLimit(ctx),
    };
  },

  receive(state: RemoteState, event: NodeEvent<AmbassadorMessage>, ctx: Context): RemoteState {
    switch (event.kind) {
      case 'message':
        return event.message.type === 'Call'
          ? onCall(state, event.from, event.message, ctx)
          : state;
      case 'timer':
        if (event.name === overloadStartTimer) return onOverloadStart(state, ctx);
        if (event.name === overloadEndTimer) return onOverloadEnd(state, ctx);
        return onJobDone(state, event.data as QueuedCall, ctx);
      case 'fault':
        return onFault(state, event.fault, event.args, ctx);
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: RemoteState): NodeSummary {
    const label = remoteLabel(state);
    const health = label === 'ok' ? 'ok' : label === 'overloaded' ? 'bad' : 'warn';
    return { label, badge: `queue ${state.queue.length}`, health };
  },
};

/**
 * What the instance looks like from outside: `overloaded` once its queue is half full, `slow`
 * while a slow or overload fault is in force, `failing` while it returns errors, `busy` while
 * every worker is taken, `ok` otherwise.
 */
export function remoteLabel(state: RemoteState): string {
  if (state.queue.length > 0 && state.queue.length >= queueHalfOf(state)) return 'overloaded';
  if (state.faults.slowFactor > 1 || state.faults.capacityPercent < 100) return 'slow';
  if (state.faults.errorPercent > 0) return 'failing';
  if (state.queue.length > 0) return 'busy';
  return 'ok';
}

/** Half the queue limit, as last seen. */
function queueHalfOf(state: RemoteState): number {
  return Math.max(1, Math.ceil(state.queueLimitSeen / 2));
}

function onCall(state: RemoteState, from: NodeId, call: CallMessage, ctx: Context): RemoteState {
  const { remoteWorkers, remoteQueueMax } = settingsOf(ctx.params);
  const arrivals = state.arrivals + 1;
  const job: QueuedCall = { from, callId: call.callId };
  if (state.inService < remoteWorkers) {
    startJob(state, job, ctx);
    return {
      ...state,
      inService: state.inService + 1,
      nextJobId: state.nextJobId + 1,
      arrivals,
      queueLimitSeen: remoteQueueMax,
    };
  }
  if (state.queue.length < remoteQueueMax) {
    return { ...state, queue: [...state.queue, job], arrivals, queueLimitSeen: remoteQueueMax };
  }
  // [1] Queue full: reject at once, a cheap and fast error the caller may retry.
  return {
    ...state,
    arrivals,
    rejected: state.rejected + 1,
    replySeq: reply(state, job, 'rejected', ctx),
    queueLimitSeen: remoteQueueMax,
  };
}

function onJobDone(state: RemoteState, job: QueuedCall, ctx: Context): RemoteState {
  const isError =
    state.faults.errorPercent > 0 && ctx.random.chance(state.faults.errorPercent / 100);
  const replySeq = reply(state, job, isError ? 'error' : 'ok', ctx);
  const { remoteWorkers, remoteQueueMax } = settingsOf(ctx.params);
  const inService = Math.max(0, state.inService - 1);
  const served = state.served + 1;
  const failed = state.failed + (isError ? 1 : 0);
  // [2] The next call in line is served whether or not its caller is still waiting.
  const next = state.queue[0];
  if (next === undefined || inService >= remoteWorkers) {
    return { ...state, inService, served, failed, replySeq, queueLimitSeen: remoteQueueMax };
  }
  startJob(state, next, ctx);
  return {
    ...state,
    queue: state.queue.slice(1),
    inService: inService + 1,
    nextJobId: state.nextJobId + 1,
    served,
    failed,
    replySeq,
    queueLimitSeen: remoteQueueMax,
  };
}

/** Starts serving `job` (the caller counts it in service and moves `nextJobId` on). */
function startJob(state: RemoteState, job: QueuedCall, ctx: Context): void {
  ctx.setTimer(`job:${state.nextJobId}`, serviceTimeUs(state.faults, ctx), job);
}

/** Sends the caller its reply; the new reply sequence number. */
function reply(
  state: RemoteState,
  job: QueuedCall,
  reason: 'ok' | 'error' | 'rejected',
  ctx: Context,
): number {
  const seq = state.replySeq + 1;
  ctx.send(job.from, {
    type: 'Reply',
    callId: job.callId,
    isOk: reason === 'ok',
    reason,
    answerId: `${ctx.self}:${ctx.durable.incarnation}:${seq}`,
  });
  return seq;
}

/** [3] Work per call: uniform in [0.5, 1.5] × the mean, stretched by slow and overload faults. */
function serviceTimeUs(faults: RemoteFaults, ctx: Context): number {
  const meanUs = settingsOf(ctx.params).serviceTimeUs * faults.slowFactor;
  const stretchedUs = (meanUs * 100) / Math.max(1, faults.capacityPercent);
  const lowUs = Math.round(stretchedUs / 2);
  return ctx.random.intBetween(lowUs, Math.max(lowUs, Math.round((stretchedUs * 3) / 2)));
}

function onFault(
  state: RemoteState,
  fault: string,
  args: Readonly<Record<string, number>>,
  ctx: Context,
): RemoteState {
  const faults = state.faults;
  switch (fault) {
    case remoteFaultIds.slow: {
      const factor = Math.max(1, args.factor ?? 5);
      ctx.annotate(`slow: service time ×${factor}`);
      return { ...state, faults: { ...faults, slowFactor: factor } };
    }
    case remoteFaultIds.overload: {
      const capacityPercent = Math.min(100, Math.max(1, args.capacityPercent ?? 20));
      ctx.annotate(`overloaded: capacity cut to ${capacityPercent}%`);
      return { ...state, faults: { ...faults, capacityPercent } };
    }
    case remoteFaultIds.errors: {
      const errorPercent = Math.min(100, Math.max(0, args.percent ?? 50));
      ctx.annotate(`returns errors on ${errorPercent}% of calls`);
      return { ...state, faults: { ...faults, errorPercent } };
    }
    case remoteFaultIds.recover:
      ctx.annotate('recovered: normal speed, capacity and errors');
      return { ...state, faults: healthy };
    default:
      return state;
  }
}

/** The storyline's overload begins: the "Overload" fault with its capacity, and its end armed. */
function onOverloadStart(state: RemoteState, ctx: Context): RemoteState {
  ctx.setTimer(overloadEndTimer, overloadLengthUs(ctx.params));
  const capacityPercent = overloadCapacityPercent(ctx.params);
  return onFault(state, remoteFaultIds.overload, { capacityPercent }, ctx);
}

/** The storyline's overload ends: full capacity again, unless someone changed it meanwhile. */
function onOverloadEnd(state: RemoteState, ctx: Context): RemoteState {
  if (state.faults.capacityPercent !== overloadCapacityPercent(ctx.params)) return state;
  ctx.annotate('overload over: capacity back to 100%');
  return { ...state, faults: { ...state.faults, capacityPercent: 100 } };
}

function queueLimit(ctx: Context): number {
  return settingsOf(ctx.params).remoteQueueMax;
}

/** Whether a scenario fault is in force on this instance. */
export function hasRemoteFault(state: RemoteState): boolean {
  const faults = state.faults;
  return faults.slowFactor > 1 || faults.capacityPercent < 100 || faults.errorPercent > 0;
}

/*
 * Notes
 *
 * [1] Bounded concurrency and a bounded queue are what every real server has (a thread pool and
 *     its accept backlog, a connection limit). Rejecting when the queue is full keeps the latency
 *     of what is queued bounded; it also returns a fast error that careless clients retry at once.
 *
 * [2] Wasted work: a caller that timed out has moved on (or retried elsewhere), but its call still
 *     sits in the queue and takes a worker when its turn comes. Under overload most of the work
 *     done is for callers that already gave up, which is why retrying an overloaded service makes
 *     it slower for everyone (a retry storm).
 *
 * [3] Slow and Overload both stretch the work per call, so both also cut how many calls per
 *     second the instance can serve: Make slow ×N divides capacity by N, Overload to P% leaves P%
 *     of it. They differ in intent: one slow instance is the hedging case, a capacity cut on every
 *     instance the retry storm case.
 */
