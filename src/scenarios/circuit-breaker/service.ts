import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  acquire,
  type BreakerEvent,
  type BreakerState,
  initialBreaker,
  stepBreaker,
} from './breaker.ts';
import {
  breakerConfigOf,
  type CircuitBreakerMessage,
  countParam,
  dependencyRole,
  type FailureReason,
  msParamUs,
  paramOf,
} from './protocol.ts';

/**
 * The service in the middle: a bounded worker pool and a bounded wait queue in front of one
 * outbound call per request. Numbered notes [n] are keyed to the code.
 *
 * [1] A request holds a worker from the moment it starts until its answer is sent: the service's
 *     own work, then the call to the dependency and the wait for its reply or the call timeout.
 *     With no free worker it waits in the queue; with the queue full it is rejected at once.
 *     So a slow dependency ties up workers, and once all are tied up the service fails requests
 *     that never needed the dependency to be fast: the cascade is a consequence of the pool.
 * [2] With a breaker, the worker asks it for a permit (ACQUIRE) right before the call. Rejected:
 *     the worker answers at once, with a fallback when the fallback parameter is on, otherwise a
 *     failure ("fail fast"), and is free again.
 * [3] Every permit gets exactly one RESULT: on the reply, on an error, or when the call timeout
 *     fires first, whichever comes first (the other is then ignored). It carries the permit's
 *     generation, so the breaker ignores calls let through before it last changed state.
 * [4] The wait in `open` is an engine timer set when the breaker opens; it carries the breaker's
 *     generation, and a timer from an earlier open period (before a reset) is ignored.
 * [5] Operator controls "Force open" and "Reset breaker" arrive as faults on the service.
 * [6] The baseline has no breaker: every call is made and only the call timeout limits it.
 *     `ignores-breaker` is a deliberately broken service for the safety test: it keeps the
 *     breaker's books but makes the call even when the permit is refused.
 */

export type ServiceMode = 'breaker' | 'no-breaker' | 'ignores-breaker';

/** A request a worker is handling. */
export interface ServiceJob {
  readonly client: NodeId;
  readonly requestId: number;
  /** Local time the request reached the service. */
  readonly arrivedUs: number;
  /** The outbound call once made; null during the service's own work. */
  readonly call: OutboundCall | null;
}

export interface OutboundCall {
  readonly callId: number;
  readonly sentUs: number;
  /** The breaker generation of the permit, or null (no breaker, or refused and made anyway). */
  readonly permit: number | null;
}

export interface QueuedRequest {
  readonly client: NodeId;
  readonly requestId: number;
  readonly arrivedUs: number;
}

export interface ServiceDurable {
  readonly boots: number;
}

export interface ServiceState {
  readonly mode: ServiceMode;
  /** Null in the baseline. */
  readonly breaker: BreakerState | null;
  /** Workers by index; null when free. */
  readonly workers: readonly (ServiceJob | null)[];
  readonly queue: readonly QueuedRequest[];
  /** Limits as the parameters stood at the last event (for the summary). */
  readonly poolSize: number;
  readonly queueMax: number;
  readonly nextCallId: number;
  /** Calls put on the wire to the dependency since this start (the safety check reads it). */
  readonly callsSent: number;
  readonly answered: number;
  readonly fallbacks: number;
  readonly fastFailures: number;
  readonly rejected: number;
}

type Context = NodeContext<CircuitBreakerMessage, ServiceDurable>;

const workPrefix = 'work-';
const callPrefix = 'call-';
const waitTimer = 'breaker-wait';
/** Call ids per boot: a restarted service never reuses an id a late reply could carry. */
const idsPerBoot = 1_000_000_000;

/** The service behaviour for a mode ([6]). */
export function makeServiceBehaviour(
  mode: ServiceMode,
): Behaviour<ServiceState, CircuitBreakerMessage, ServiceDurable> {
  return {
    initialDurable(): ServiceDurable {
      return { boots: 0 };
    },

    init(ctx: Context): ServiceState {
      const boots = ctx.durable.boots + 1;
      ctx.persist({ boots });
      return {
        mode,
        breaker: mode === 'no-breaker' ? null : initialBreaker(),
        workers: [],
        queue: [],
        poolSize: countParam(ctx, 'poolSize'),
        queueMax: countParam(ctx, 'queueMax', 0),
        nextCallId: boots * idsPerBoot,
        callsSent: 0,
        answered: 0,
        fallbacks: 0,
        fastFailures: 0,
        rejected: 0,
      };
    },

    receive(state: ServiceState, event: NodeEvent<CircuitBreakerMessage>, ctx: Context) {
      const current = withLimits(state, ctx);
      switch (event.kind) {
        case 'message':
          return onMessage(current, event.from, event.message, ctx);
        case 'timer':
          return onTimer(current, event.name, event.data, ctx);
        case 'fault':
          return onControl(current, event.fault, ctx);
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    },

    summarize: summarizeService,
  };
}

export const serviceBehaviour = makeServiceBehaviour('breaker');
export const baselineServiceBehaviour = makeServiceBehaviour('no-breaker');

/** Workers busy right now. */
export function busyWorkers(state: ServiceState): number {
  let busy = 0;
  for (const job of state.workers) if (job !== null) busy++;
  return busy;
}

function summarizeService(state: ServiceState): NodeSummary {
  const busy = busyWorkers(state);
  const isSaturated = busy >= state.poolSize;
  const isProtecting = state.breaker !== null && state.breaker.value !== 'closed';
  return {
    label: state.breaker?.value ?? 'no breaker',
    badge: `${busy}/${state.poolSize} busy · q ${state.queue.length}`,
    health: isSaturated ? 'bad' : isProtecting || state.queue.length > 0 ? 'warn' : 'ok',
  };
}

/** Re-reads the (live) pool and queue limits and lets waiting requests into free workers. */
function withLimits(state: ServiceState, ctx: Context): ServiceState {
  const poolSize = countParam(ctx, 'poolSize');
  const queueMax = countParam(ctx, 'queueMax', 0);
  const limited =
    poolSize === state.poolSize && queueMax === state.queueMax
      ? state
      : { ...state, poolSize, queueMax };
  return limited.queue.length === 0 ? limited : admitQueued(limited, ctx);
}

function onMessage(
  state: ServiceState,
  from: NodeId,
  message: CircuitBreakerMessage,
  ctx: Context,
): ServiceState {
  switch (message.type) {
    case 'Request':
      return onRequest(
        state,
        { client: from, requestId: message.requestId, arrivedUs: ctx.localTimeUs },
        ctx,
      );
    case 'Reply':
      return finishCall(state, workerOfCall(state, message.callId), 'success', ctx);
    case 'Error':
      return finishCall(state, workerOfCall(state, message.callId), 'failure', ctx);
    case 'Response':
    case 'Fallback':
    case 'Failure':
    case 'Call':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

function onTimer(state: ServiceState, name: string, data: unknown, ctx: Context): ServiceState {
  if (name.startsWith(workPrefix))
    return callOut(state, Number(name.slice(workPrefix.length)), ctx);
  if (name.startsWith(callPrefix)) {
    return finishCall(state, Number(name.slice(callPrefix.length)), 'timeout', ctx);
  }
  if (name === waitTimer) {
    // [4] Only the timer of the current open period counts.
    const breaker = state.breaker;
    if (breaker?.value !== 'open' || data !== breaker.context.generation) return state;
    return step(state, 'WAIT_ELAPSED', ctx);
  }
  return state;
}

/** [5] Operator actions on the breaker; the baseline has none to act on. */
function onControl(state: ServiceState, control: string, ctx: Context): ServiceState {
  if (control !== 'force-open' && control !== 'reset') return state;
  if (state.breaker === null) {
    ctx.annotate('no breaker to act on (baseline)');
    return state;
  }
  return step(state, control === 'force-open' ? 'FORCE_OPEN' : 'RESET', ctx);
}

/** [1] A new request: a free worker takes it, else it waits, else it is turned away. */
function onRequest(state: ServiceState, request: QueuedRequest, ctx: Context): ServiceState {
  const worker = freeWorker(state);
  if (worker !== null) return startJob(state, worker, request, ctx);
  if (state.queue.length < state.queueMax) return { ...state, queue: [...state.queue, request] };
  ctx.metric('service-rejections', 1);
  return answer(state, request, 'Failure', ctx, 'service-overloaded');
}

function freeWorker(state: ServiceState): number | null {
  for (let index = 0; index < state.poolSize; index++) {
    if ((state.workers[index] ?? null) === null) return index;
  }
  return null;
}

function startJob(
  state: ServiceState,
  worker: number,
  request: QueuedRequest,
  ctx: Context,
): ServiceState {
  ctx.setTimer(`${workPrefix}${worker}`, msParamUs(ctx, 'serviceWorkMs'));
  const workers = state.workers.slice();
  while (workers.length <= worker) workers.push(null);
  workers[worker] = { ...request, call: null };
  return { ...state, workers };
}

/** Moves waiting requests into free workers, oldest first. */
function admitQueued(state: ServiceState, ctx: Context): ServiceState {
  let next = state;
  for (let worker = freeWorker(next); worker !== null; worker = freeWorker(next)) {
    const [first, ...rest] = next.queue;
    if (first === undefined) break;
    next = startJob({ ...next, queue: rest }, worker, first, ctx);
  }
  return next;
}

/** [2] The service's own work is done: call the dependency, if the breaker permits. */
function callOut(state: ServiceState, worker: number, ctx: Context): ServiceState {
  const job = state.workers[worker] ?? null;
  if (job?.call !== null) return state;
  const dependency = ctx.nodesWithRole(dependencyRole)[0] ?? '';
  let current = state;
  let permit: number | null = null;
  if (state.breaker !== null) {
    const asked = acquire(state.breaker, ctx.localTimeUs, breakerConfigOf(ctx));
    current = { ...state, breaker: asked.breaker };
    permit = asked.permit;
    if (permit === null && state.mode !== 'ignores-breaker') {
      const isFallback = paramOf(ctx, 'fallback') >= 1;
      ctx.metric(isFallback ? 'fallbacks' : 'fast-failures', 1);
      const counted = isFallback
        ? { ...current, fallbacks: current.fallbacks + 1 }
        : { ...current, fastFailures: current.fastFailures + 1 };
      const answered = isFallback
        ? answer(counted, job, 'Fallback', ctx)
        : answer(counted, job, 'Failure', ctx, 'breaker-open');
      return release(answered, worker, ctx);
    }
  }
  const callId = current.nextCallId;
  ctx.send(dependency, { type: 'Call', callId });
  ctx.setTimer(`${callPrefix}${worker}`, msParamUs(ctx, 'callTimeoutMs'));
  const workers = current.workers.slice();
  workers[worker] = { ...job, call: { callId, sentUs: ctx.localTimeUs, permit } };
  return { ...current, workers, nextCallId: callId + 1, callsSent: current.callsSent + 1 };
}

function workerOfCall(state: ServiceState, callId: number): number {
  return state.workers.findIndex((job) => job?.call?.callId === callId);
}

type CallOutcome = 'success' | 'failure' | 'timeout';

/** [3] The call's outcome: one RESULT to the breaker, one answer to the client. */
function finishCall(
  state: ServiceState,
  worker: number,
  outcome: CallOutcome,
  ctx: Context,
): ServiceState {
  const job = state.workers[worker] ?? null;
  const call = job?.call ?? null;
  if (job === null || call === null) return state; // late: already settled
  if (outcome === 'timeout') ctx.annotate(`call ${call.callId} timed out`);
  else ctx.cancelTimer(`${callPrefix}${worker}`);
  let current = state;
  if (state.breaker !== null && call.permit !== null) {
    current = step(state, 'RESULT', ctx, {
      generation: call.permit,
      isFailure: outcome !== 'success',
      durationUs: Math.max(0, ctx.localTimeUs - call.sentUs),
    });
  }
  const answered =
    outcome === 'success'
      ? answer(current, job, 'Response', ctx)
      : answer(current, job, 'Failure', ctx, 'dependency-failed');
  return release(answered, worker, ctx);
}

/** Sends the client its one answer and records how long the service took. */
function answer(
  state: ServiceState,
  request: QueuedRequest,
  type: 'Response' | 'Fallback' | 'Failure',
  ctx: Context,
  reason: FailureReason = 'dependency-failed',
): ServiceState {
  const { client, requestId } = request;
  if (type === 'Failure') ctx.send(client, { type, requestId, reason });
  else ctx.send(client, { type, requestId });
  ctx.metric('service-latency-p99', Math.max(0, ctx.localTimeUs - request.arrivedUs) / 1000);
  return { ...state, answered: state.answered + 1 };
}

/** Frees a worker and lets the oldest waiting request in. */
function release(state: ServiceState, worker: number, ctx: Context): ServiceState {
  const workers = state.workers.slice();
  workers[worker] = null;
  const freed = { ...state, workers };
  return freed.queue.length === 0 ? freed : admitQueued(freed, ctx);
}

/** The outcome of one permitted call, as the breaker's RESULT wants it. */
interface CallResult {
  readonly generation: number;
  readonly isFailure: boolean;
  readonly durationUs: number;
}

/** Feeds the breaker one event (a RESULT when `result` is given); see `applyBreaker`. */
function step(
  state: ServiceState,
  type: 'RESULT' | 'WAIT_ELAPSED' | 'FORCE_OPEN' | 'RESET',
  ctx: Context,
  result?: CallResult,
): ServiceState {
  const base = { nowUs: ctx.localTimeUs, config: breakerConfigOf(ctx) };
  if (type !== 'RESULT') return applyBreaker(state, { type, ...base }, ctx);
  if (result === undefined) return state;
  return applyBreaker(state, { type, ...base, ...result }, ctx);
}

/** Steps the breaker; traces a change of state and arms the wait in `open` [4]. */
function applyBreaker(state: ServiceState, event: BreakerEvent, ctx: Context): ServiceState {
  const before = state.breaker;
  if (before === null) return state;
  const after = stepBreaker(before, event);
  if (after.value !== before.value) {
    ctx.annotate(`breaker ${before.value} → ${after.value}: ${after.context.reason}`);
    if (after.value === 'open') {
      ctx.metric('breaker-trips', 1);
      ctx.setTimer(waitTimer, msParamUs(ctx, 'waitInOpenMs'), after.context.generation);
    } else if (before.value === 'open') {
      ctx.cancelTimer(waitTimer);
    }
  } else if (event.type === 'RESET') {
    ctx.annotate(`breaker reset: ${after.context.reason}`);
  }
  return { ...state, breaker: after };
}
