import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  acquire,
  type BreakerEvent,
  type BreakerState,
  initialBreaker,
  stepBreaker,
} from './breaker.ts';
import {
  type CircuitBreakerMessage,
  dependencyRole,
  type FailureReason,
  settingsOf,
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
 *     generation, so the breaker knows a call let through before it last changed state (it
 *     records it in its current state, or ignores it, as its rules say).
 * [4] The wait in `open` is an engine timer set when the breaker opens (unless the breaker goes
 *     half-open at the first call after the wait), and so is the max wait in `half-open` when
 *     one is set; each carries the breaker's generation, and a timer from an earlier period
 *     (before a reset, a forced open) is ignored.
 * [5] Operator controls arrive as faults on the service: "Force open" and "Reset breaker", and
 *     Resilience4j's forced states "Hold open", "Disable" and "Metrics only", which stay until
 *     the operator resets the breaker (or forces it open).
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
const halfOpenTimer = 'breaker-half-open-wait';

/** The operator's controls on the breaker [5], by fault id. */
const controls = {
  'force-open': 'FORCE_OPEN',
  reset: 'RESET',
  'hold-open': 'HOLD_OPEN',
  disable: 'DISABLE',
  'metrics-only': 'METRICS_ONLY',
} as const;

type ControlEvent = (typeof controls)[keyof typeof controls];

/** Timer names per worker, built once (`work-3` is then one string, not a new one per event). */
const workTimerNames: string[] = [];
const callTimerNames: string[] = [];

function workTimerOf(worker: number): string {
  return (workTimerNames[worker] ??= `${workPrefix}${worker}`);
}

function callTimerOf(worker: number): string {
  return (callTimerNames[worker] ??= `${callPrefix}${worker}`);
}
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
        poolSize: settingsOf(ctx.params).poolSize,
        queueMax: settingsOf(ctx.params).queueMax,
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
  const { poolSize, queueMax } = settingsOf(ctx.params);
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
  if (name === waitTimer || name === halfOpenTimer) {
    // [4] Only the timer of the current open or half-open period counts.
    const breaker = state.breaker;
    const value = name === waitTimer ? 'open' : 'half-open';
    if (breaker?.value !== value || data !== breaker.context.generation) return state;
    return step(state, name === waitTimer ? 'WAIT_ELAPSED' : 'MAX_WAIT_ELAPSED', ctx);
  }
  return state;
}

/** [5] Operator actions on the breaker; the baseline has none to act on. */
function onControl(state: ServiceState, control: string, ctx: Context): ServiceState {
  if (!Object.hasOwn(controls, control)) return state;
  if (state.breaker === null) {
    ctx.annotate('no breaker to act on (baseline)');
    return state;
  }
  return step(state, controls[control as keyof typeof controls], ctx);
}

/** [1] A new request: a free worker takes it, else it waits, else it is turned away. */
function onRequest(state: ServiceState, request: QueuedRequest, ctx: Context): ServiceState {
  const worker = freeWorker(state.workers, state.poolSize);
  if (worker !== null) {
    return { ...state, workers: startJob(state.workers, worker, request, ctx) };
  }
  if (state.queue.length < state.queueMax) return { ...state, queue: [...state.queue, request] };
  ctx.metric('service-rejections', 1);
  sendAnswer(request, 'Failure', ctx, 'service-overloaded');
  return { ...state, answered: state.answered + 1 };
}

/** The first free worker below the pool size, or null. */
function freeWorker(workers: ServiceState['workers'], poolSize: number): number | null {
  for (let index = 0; index < poolSize; index++) {
    if ((workers[index] ?? null) === null) return index;
  }
  return null;
}

/** Starts the service's own work on a request: the workers with it taken on. */
function startJob(
  workers: ServiceState['workers'],
  worker: number,
  request: QueuedRequest,
  ctx: Context,
): ServiceState['workers'] {
  ctx.setTimer(workTimerOf(worker), settingsOf(ctx.params).serviceWorkUs);
  const next = workers.slice();
  while (next.length <= worker) next.push(null);
  const { client, requestId, arrivedUs } = request;
  next[worker] = { client, requestId, arrivedUs, call: null };
  return next;
}

/** Moves waiting requests into free workers, oldest first. */
function admitQueued(state: ServiceState, ctx: Context): ServiceState {
  const queue = state.queue;
  let workers = state.workers;
  let admitted = 0;
  let worker = freeWorker(workers, state.poolSize);
  while (worker !== null && admitted < queue.length) {
    workers = startJob(workers, worker, queue[admitted] as QueuedRequest, ctx);
    admitted++;
    worker = freeWorker(workers, state.poolSize);
  }
  return admitted === 0 ? state : { ...state, workers, queue: queue.slice(admitted) };
}

/** [2] The service's own work is done: call the dependency, if the breaker permits. */
function callOut(state: ServiceState, worker: number, ctx: Context): ServiceState {
  const job = state.workers[worker] ?? null;
  if (job?.call !== null) return state;
  const dependency = ctx.nodesWithRole(dependencyRole)[0] ?? '';
  const settings = settingsOf(ctx.params);
  let breaker = state.breaker;
  let permit: number | null = null;
  if (breaker !== null) {
    const asked = acquire(breaker, ctx.localTimeUs, settings.breaker);
    // A call after the wait in open may take the breaker half-open (rule `first-call`).
    if (asked.breaker.value !== breaker.value) traceChange(breaker, asked.breaker, 'ACQUIRE', ctx);
    breaker = asked.breaker;
    permit = asked.permit;
    if (permit === null && state.mode !== 'ignores-breaker') {
      const isFallback = settings.isFallback;
      ctx.metric(isFallback ? 'fallbacks' : 'fast-failures', 1);
      if (isFallback) sendAnswer(job, 'Fallback', ctx);
      else sendAnswer(job, 'Failure', ctx, 'breaker-open');
      return released(
        {
          ...state,
          breaker,
          fallbacks: state.fallbacks + (isFallback ? 1 : 0),
          fastFailures: state.fastFailures + (isFallback ? 0 : 1),
          answered: state.answered + 1,
          workers: withoutJob(state.workers, worker),
        },
        ctx,
      );
    }
  }
  const callId = state.nextCallId;
  ctx.send(dependency, { type: 'Call', callId });
  ctx.setTimer(callTimerOf(worker), settings.callTimeoutUs);
  const workers = state.workers.slice();
  workers[worker] = { ...job, call: { callId, sentUs: ctx.localTimeUs, permit } };
  return { ...state, breaker, workers, nextCallId: callId + 1, callsSent: state.callsSent + 1 };
}

function workerOfCall(state: ServiceState, callId: number): number {
  const workers = state.workers;
  for (let index = 0; index < workers.length; index++) {
    if (workers[index]?.call?.callId === callId) return index;
  }
  return -1;
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
  else ctx.cancelTimer(callTimerOf(worker));
  let breaker = state.breaker;
  if (breaker !== null && call.permit !== null) {
    const nowUs = ctx.localTimeUs;
    breaker = applyBreaker(
      breaker,
      {
        type: 'RESULT',
        nowUs,
        config: settingsOf(ctx.params).breaker,
        generation: call.permit,
        isFailure: outcome !== 'success',
        durationUs: Math.max(0, nowUs - call.sentUs),
      },
      ctx,
    );
  }
  if (outcome === 'success') sendAnswer(job, 'Response', ctx);
  else sendAnswer(job, 'Failure', ctx, 'dependency-failed');
  return released(
    {
      ...state,
      breaker,
      answered: state.answered + 1,
      workers: withoutJob(state.workers, worker),
    },
    ctx,
  );
}

/** Sends the client its one answer and records how long the service took. */
function sendAnswer(
  request: QueuedRequest,
  type: 'Response' | 'Fallback' | 'Failure',
  ctx: Context,
  reason: FailureReason = 'dependency-failed',
): void {
  const { client, requestId } = request;
  if (type === 'Failure') ctx.send(client, { type, requestId, reason });
  else ctx.send(client, { type, requestId });
  ctx.metric('service-latency-p99', Math.max(0, ctx.localTimeUs - request.arrivedUs) / 1000);
}

/** The workers with `worker` free again. */
function withoutJob(workers: ServiceState['workers'], worker: number): ServiceState['workers'] {
  const next = workers.slice();
  next[worker] = null;
  return next;
}

/** After a worker was freed: the oldest waiting request takes it. */
function released(state: ServiceState, ctx: Context): ServiceState {
  return state.queue.length === 0 ? state : admitQueued(state, ctx);
}

/** Feeds the breaker the end of a wait or an operator's control; see `applyBreaker`. */
function step(
  state: ServiceState,
  type: 'WAIT_ELAPSED' | 'MAX_WAIT_ELAPSED' | ControlEvent,
  ctx: Context,
): ServiceState {
  if (state.breaker === null) return state;
  const event = { type, nowUs: ctx.localTimeUs, config: settingsOf(ctx.params).breaker };
  return { ...state, breaker: applyBreaker(state.breaker, event, ctx) };
}

/** Steps the breaker and traces what changed; see `traceChange`. */
function applyBreaker(before: BreakerState, event: BreakerEvent, ctx: Context): BreakerState {
  const after = stepBreaker(before, event);
  traceChange(before, after, event.type, ctx);
  return after;
}

/**
 * Traces a change of state (or a state entered again: open by a forced open, a forced state
 * set again) and arms or disarms the timers of `open` and `half-open` [4].
 */
function traceChange(
  before: BreakerState,
  after: BreakerState,
  type: BreakerEvent['type'],
  ctx: Context,
): void {
  const isEnteredAgain = after.context.generation !== before.context.generation;
  if (after.value !== before.value || (after.value === 'open' && isEnteredAgain)) {
    ctx.annotate(`breaker ${before.value} → ${after.value}: ${after.context.reason}`);
    const config = settingsOf(ctx.params).breaker;
    if (after.value === 'open') {
      ctx.metric('breaker-trips', 1);
      if (config.rules.openToHalfOpen === 'timer') {
        ctx.setTimer(waitTimer, settingsOf(ctx.params).waitInOpenUs, after.context.generation);
      }
    } else if (before.value === 'open') {
      ctx.cancelTimer(waitTimer);
    }
    if (after.value === 'half-open' && config.maxWaitInHalfOpenUs > 0) {
      ctx.setTimer(halfOpenTimer, config.maxWaitInHalfOpenUs, after.context.generation);
    } else if (before.value === 'half-open') {
      ctx.cancelTimer(halfOpenTimer);
    }
  } else if (type === 'RESET') {
    ctx.annotate(`breaker reset: ${after.context.reason}`);
  } else if (isEnteredAgain) {
    ctx.annotate(`breaker ${after.value} again: ${after.context.reason}`);
  }
}
