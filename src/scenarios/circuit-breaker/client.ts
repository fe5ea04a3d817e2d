import { exponential } from '../../engine/distributions.ts';
import type { Behaviour, NodeContext, NodeEvent, NodeSummary } from '../../engine/types.ts';
import { type ClientMessage, msParamUs, paramOf, serviceRole } from './protocol.ts';

/**
 * The workload, the same in both variants: each client sends requests to the service as a
 * Poisson stream [1] and waits for each answer up to its own timeout. It counts an answer of
 * Response or Fallback as a success, a Failure or a timeout as a failure, and records how long
 * every request took to settle, good or bad [2].
 *
 * [1] Open loop: arrivals do not wait for answers, as with many independent users. A closed loop
 *     (one request at a time) would slow down with the service and hide the cascade.
 * [2] A timed-out request settles at the client's timeout, so the latency percentiles show the
 *     timeout when a service stops answering, the way a user experiences it.
 */

/** Requests a client keeps open at once; past it, a new request fails at once (never sent). */
export const outstandingMax = 500;
/** Outcomes remembered for the client's health colour. */
const recentOutcomesMax = 20;
/** Request ids per boot: a restarted client never reuses an id a late answer could carry. */
const idsPerBoot = 1_000_000_000;

export interface ClientDurable {
  readonly boots: number;
}

export interface ClientState {
  readonly nextRequestId: number;
  /** Open requests: id → local send time. */
  readonly outstanding: ReadonlyMap<number, number>;
  readonly succeeded: number;
  readonly fallbacks: number;
  readonly failed: number;
  readonly timedOut: number;
  /** The last outcomes, newest last (true: success). */
  readonly recent: readonly boolean[];
}

type Context = NodeContext<ClientMessage, ClientDurable>;

const sendTimer = 'send';
const timeoutPrefix = 'timeout-';

export const clientBehaviour: Behaviour<ClientState, ClientMessage, ClientDurable> = {
  initialDurable(): ClientDurable {
    return { boots: 0 };
  },

  init(ctx: Context): ClientState {
    const boots = ctx.durable.boots + 1;
    ctx.persist({ boots });
    ctx.setTimer(sendTimer, nextArrivalUs(ctx));
    return {
      nextRequestId: boots * idsPerBoot,
      outstanding: new Map(),
      succeeded: 0,
      fallbacks: 0,
      failed: 0,
      timedOut: 0,
      recent: [],
    };
  },

  receive(state: ClientState, event: NodeEvent<ClientMessage>, ctx: Context): ClientState {
    switch (event.kind) {
      case 'message':
        return onAnswer(state, event.message, ctx);
      case 'timer':
        if (event.name === sendTimer) return onSend(state, ctx);
        if (event.name.startsWith(timeoutPrefix)) {
          return settle(state, Number(event.name.slice(timeoutPrefix.length)), 'timeout', ctx);
        }
        return state;
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ClientState): NodeSummary {
    const successes = state.recent.filter(Boolean).length;
    const share = state.recent.length === 0 ? 1 : successes / state.recent.length;
    return {
      label: 'client',
      badge: `${Math.round(share * 100)}% ok · ${state.outstanding.size} waiting`,
      health: share >= 0.9 ? 'ok' : share >= 0.5 ? 'warn' : 'bad',
    };
  },
};

/** The next arrival: the rate is live, so each gap is drawn from the rate as it stands now. */
function nextArrivalUs(ctx: Context): number {
  const meanUs = 1_000_000 / Math.max(0.001, paramOf(ctx, 'requestRatePerSecond'));
  return Math.max(1, Math.round(exponential(ctx.random, meanUs)));
}

function onSend(state: ClientState, ctx: Context): ClientState {
  ctx.setTimer(sendTimer, nextArrivalUs(ctx));
  const requestId = state.nextRequestId;
  const next = { ...state, nextRequestId: requestId + 1 };
  if (state.outstanding.size >= outstandingMax) return recordOutcome(next, 'failure', 0, ctx);
  const service = ctx.nodesWithRole(serviceRole)[0];
  if (service === undefined) return recordOutcome(next, 'failure', 0, ctx);
  ctx.send(service, { type: 'Request', requestId });
  ctx.setTimer(`${timeoutPrefix}${requestId}`, msParamUs(ctx, 'clientTimeoutMs'));
  const outstanding = new Map(state.outstanding);
  outstanding.set(requestId, ctx.localTimeUs);
  return { ...next, outstanding };
}

function onAnswer(state: ClientState, message: ClientMessage, ctx: Context): ClientState {
  switch (message.type) {
    case 'Response':
      return settle(state, message.requestId, 'success', ctx);
    case 'Fallback':
      return settle(state, message.requestId, 'fallback', ctx);
    case 'Failure':
      return settle(state, message.requestId, 'failure', ctx);
    case 'Request':
      return state;
    default: {
      const unknownMessage: never = message;
      return unknownMessage;
    }
  }
}

type Outcome = 'success' | 'fallback' | 'failure' | 'timeout';

/** Closes an open request (a late answer to one already settled is ignored). */
function settle(
  state: ClientState,
  requestId: number,
  outcome: Outcome,
  ctx: Context,
): ClientState {
  const sentUs = state.outstanding.get(requestId);
  if (sentUs === undefined) return state;
  if (outcome !== 'timeout') ctx.cancelTimer(`${timeoutPrefix}${requestId}`);
  const outstanding = new Map(state.outstanding);
  outstanding.delete(requestId);
  const latencyMs = Math.max(0, ctx.localTimeUs - sentUs) / 1000;
  return recordOutcome({ ...state, outstanding }, outcome, latencyMs, ctx);
}

function recordOutcome(
  state: ClientState,
  outcome: Outcome,
  latencyMs: number,
  ctx: Context,
): ClientState {
  const isSuccess = outcome === 'success' || outcome === 'fallback';
  ctx.metric('client-success', isSuccess ? 1 : 0);
  ctx.metric('client-latency-p50', latencyMs);
  ctx.metric('client-latency-p99', latencyMs);
  const recent = [...state.recent.slice(1 - recentOutcomesMax), isSuccess];
  return {
    ...state,
    recent,
    succeeded: state.succeeded + (isSuccess ? 1 : 0),
    fallbacks: state.fallbacks + (outcome === 'fallback' ? 1 : 0),
    failed: state.failed + (isSuccess ? 0 : 1),
    timedOut: state.timedOut + (outcome === 'timeout' ? 1 : 0),
  };
}
