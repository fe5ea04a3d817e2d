import { exponential } from '../../engine/distributions.ts';
import type { Behaviour, NodeContext, NodeEvent, NodeSummary } from '../../engine/types.ts';
import { type ClientMessage, serviceRole, settingsOf } from './protocol.ts';

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

/** A request waiting for its answer. */
export interface OpenRequest {
  readonly requestId: number;
  /** Local send time. */
  readonly sentUs: number;
}

export interface ClientState {
  readonly nextRequestId: number;
  /** Open requests, oldest (and lowest id) first: a short list, copied cheaply on each change. */
  readonly outstanding: readonly OpenRequest[];
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
      outstanding: [],
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
    let successes = 0;
    for (const isSuccess of state.recent) if (isSuccess) successes++;
    const share = state.recent.length === 0 ? 1 : successes / state.recent.length;
    return {
      label: 'client',
      badge: `${Math.round(share * 100)}% ok · ${state.outstanding.length} waiting`,
      health: share >= 0.9 ? 'ok' : share >= 0.5 ? 'warn' : 'bad',
    };
  },
};

/** The next arrival: the rate is live, so each gap is drawn from the rate as it stands now. */
function nextArrivalUs(ctx: Context): number {
  return Math.max(1, Math.round(exponential(ctx.random, settingsOf(ctx.params).meanArrivalUs)));
}

function onSend(state: ClientState, ctx: Context): ClientState {
  ctx.setTimer(sendTimer, nextArrivalUs(ctx));
  const requestId = state.nextRequestId;
  if (state.outstanding.length >= outstandingMax) {
    return recordOutcome({ ...state, nextRequestId: requestId + 1 }, 'failure', 0, ctx);
  }
  const service = ctx.nodesWithRole(serviceRole)[0];
  if (service === undefined) {
    return recordOutcome({ ...state, nextRequestId: requestId + 1 }, 'failure', 0, ctx);
  }
  ctx.send(service, { type: 'Request', requestId });
  ctx.setTimer(`${timeoutPrefix}${requestId}`, settingsOf(ctx.params).clientTimeoutUs);
  const outstanding = [...state.outstanding, { requestId, sentUs: ctx.localTimeUs }];
  return { ...state, nextRequestId: requestId + 1, outstanding };
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
  const open = state.outstanding;
  let index = 0;
  while (index < open.length && open[index]?.requestId !== requestId) index++;
  const request = open[index];
  if (request === undefined) return state;
  if (outcome !== 'timeout') ctx.cancelTimer(`${timeoutPrefix}${requestId}`);
  const outstanding = open.slice(0, index);
  for (let rest = index + 1; rest < open.length; rest++)
    outstanding.push(open[rest] as OpenRequest);
  const latencyMs = Math.max(0, ctx.localTimeUs - request.sentUs) / 1000;
  return recordOutcome(state, outcome, latencyMs, ctx, outstanding);
}

/** Counts a settled request (with `outstanding`, the open requests after it, if it was open). */
function recordOutcome(
  state: ClientState,
  outcome: Outcome,
  latencyMs: number,
  ctx: Context,
  outstanding: readonly OpenRequest[] = state.outstanding,
): ClientState {
  const isSuccess = outcome === 'success' || outcome === 'fallback';
  ctx.metric('client-success', isSuccess ? 1 : 0);
  ctx.metric('client-latency-p50', latencyMs);
  ctx.metric('client-latency-p99', latencyMs);
  // The last `recentOutcomesMax` outcomes, this one included, copied once.
  const previous = state.recent;
  const recent = previous.slice(Math.max(0, previous.length + 1 - recentOutcomesMax));
  recent.push(isSuccess);
  return {
    ...state,
    outstanding,
    recent,
    succeeded: state.succeeded + (isSuccess ? 1 : 0),
    fallbacks: state.fallbacks + (outcome === 'fallback' ? 1 : 0),
    failed: state.failed + (isSuccess ? 0 : 1),
    timedOut: state.timedOut + (outcome === 'timeout' ? 1 : 0),
  };
}
