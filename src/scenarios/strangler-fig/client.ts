import { exponential } from '../../engine/distributions.ts';
import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  answerOf,
  type ClientMessage,
  clientRole,
  facadeId,
  keyCount,
  legacyId,
  paramOf,
  msParamUs,
  type ResponseMessage,
  routeMixParams,
  usersMax,
  countParam,
} from './protocol.ts';

/**
 * The workload: each client sends requests to the facade at Poisson arrivals, for a random
 * route (weighted by the mix parameters), a random item and a random one of its users. It never
 * retries: a request ends with exactly one outcome, good or bad, and the client keeps the
 * counters the monitor turns into shares, throughput and the error budget. It is the same in
 * both variants, so the pattern and the big-bang baseline serve the same traffic.
 */

/** Outcomes a client remembers for the liveness check ("the last few answers were good"). */
export const recentOutcomesMax = 5;
/** Requests a client keeps open at once; past it, a tick's request is skipped. */
const outstandingMax = 500;

interface Outstanding {
  readonly route: number;
  readonly key: number;
  readonly user: number;
  readonly sentUs: number;
}

/** The last answer delivered to this client, as the safety invariant reads it. */
export interface Delivery {
  readonly requestId: number;
  readonly answerId: string;
  readonly producer: NodeId;
  readonly isShadow: boolean;
}

/** How the client's resolved requests were answered, for the traffic-share chart. */
export interface AnsweredBy {
  readonly legacy: number;
  readonly new: number;
  /** No back end's answer: the facade timed out, or nothing came back in time. */
  readonly failed: number;
}

export interface ClientState {
  readonly nextSeq: number;
  readonly outstanding: ReadonlyMap<number, Outstanding>;
  readonly sent: number;
  readonly good: number;
  /** Bad outcomes: errors, timeouts and wrong answers. */
  readonly bad: number;
  readonly wrong: number;
  readonly answeredBy: AnsweredBy;
  /** Newest last; true for a good outcome. */
  readonly recent: readonly boolean[];
  /** Per route: whether the latest resolved request was good (null before the first). */
  readonly lastByRoute: readonly (boolean | null)[];
  /** Users (0-based, of this client) who have seen at least one bad outcome. */
  readonly exposedUsers: readonly number[];
  /** Responses delivered in this incarnation, late and duplicate ones included. */
  readonly deliveries: number;
  readonly lastDelivery: Delivery | null;
}

/** Survives restarts so that request ids stay unique: they start at boots × 10⁷. */
export interface ClientDurable {
  readonly boots: number;
}

type Context = NodeContext<ClientMessage, ClientDurable>;

const sendTimer = 'send';
const requestIdsPerBoot = 10_000_000;

export const clientBehaviour: Behaviour<ClientState, ClientMessage, ClientDurable> = {
  initialDurable(): ClientDurable {
    return { boots: 0 };
  },

  init(ctx: Context): ClientState {
    const boots = ctx.durable.boots + 1;
    ctx.persist({ boots });
    ctx.setTimer(sendTimer, nextGapUs(ctx));
    return {
      nextSeq: boots * requestIdsPerBoot + 1,
      outstanding: new Map(),
      sent: 0,
      good: 0,
      bad: 0,
      wrong: 0,
      answeredBy: { legacy: 0, new: 0, failed: 0 },
      recent: [],
      lastByRoute: routeMixParams.map(() => null),
      exposedUsers: [],
      deliveries: 0,
      lastDelivery: null,
    };
  },

  receive(state: ClientState, event: NodeEvent<ClientMessage>, ctx: Context): ClientState {
    switch (event.kind) {
      case 'message':
        return event.message.type === 'Response' ? onResponse(state, event.message, ctx) : state;
      case 'timer':
        if (event.name === sendTimer) return sendRequest(state, ctx);
        return expire(state, event.data as number, ctx);
      case 'fault':
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: ClientState): NodeSummary {
    const isFailing = state.recent.length > 0 && state.recent[state.recent.length - 1] === false;
    return {
      label: 'client',
      badge: `${state.good} good, ${state.bad} bad`,
      health: isFailing ? 'warn' : 'ok',
    };
  },
};

function sendRequest(state: ClientState, ctx: Context): ClientState {
  ctx.setTimer(sendTimer, nextGapUs(ctx));
  const route = pickRoute(ctx);
  if (route === null || state.outstanding.size >= outstandingMax) return state;
  const requestId = state.nextSeq;
  const key = ctx.random.intBetween(1, keyCount);
  const user = ctx.random.int(countParam(ctx, 'usersPerClient'));
  const userId = clientIndex(ctx) * usersMax + user;
  ctx.send(facadeId, { type: 'Request', requestId, route, key, userId });
  ctx.setTimer(`expire:${requestId}`, msParamUs(ctx, 'clientTimeoutMs'), requestId);
  const outstanding = new Map(state.outstanding);
  outstanding.set(requestId, { route, key, user, sentUs: ctx.localTimeUs });
  // Whole literals on the request path (here and in `resolve`): V8 11 (Node 20) copies an
  // object spread several times slower, and these run for every request.
  return {
    nextSeq: requestId + 1,
    outstanding,
    sent: state.sent + 1,
    good: state.good,
    bad: state.bad,
    wrong: state.wrong,
    answeredBy: state.answeredBy,
    recent: state.recent,
    lastByRoute: state.lastByRoute,
    exposedUsers: state.exposedUsers,
    deliveries: state.deliveries,
    lastDelivery: state.lastDelivery,
  };
}

/** A response's delivery, as the client records it (every one, late and duplicate ones too). */
type Delivered = Pick<ClientState, 'deliveries' | 'lastDelivery'>;

/** How one request ended, from the client's point of view. */
interface Verdict {
  readonly isGood: boolean;
  readonly isWrong: boolean;
  readonly by: keyof AnsweredBy;
}

/** Every delivery is recorded for the invariant; only the first answer in time counts. */
function onResponse(state: ClientState, response: ResponseMessage, ctx: Context): ClientState {
  const lastDelivery: Delivery = {
    requestId: response.requestId,
    answerId: response.answerId,
    producer: response.producer,
    isShadow: response.isShadow,
  };
  const delivered: Delivered = { deliveries: state.deliveries + 1, lastDelivery };
  const request = state.outstanding.get(response.requestId);
  if (request === undefined) return { ...state, ...delivered }; // late (already timed out) or a duplicate
  ctx.cancelTimer(`expire:${response.requestId}`);
  const latencyMs = (ctx.localTimeUs - request.sentUs) / 1000;
  ctx.metric('latency-p50', latencyMs);
  ctx.metric('latency-p99', latencyMs);
  // The client checks the value against the true answer: a test oracle a real client lacks,
  // here only to count what users would have seen.
  const isWrong =
    response.outcome === 'ok' && response.value !== answerOf(request.route, request.key);
  const by: keyof AnsweredBy =
    response.producer === legacyId ? 'legacy' : response.producer === facadeId ? 'failed' : 'new';
  const verdict: Verdict = { isGood: response.outcome === 'ok' && !isWrong, isWrong, by };
  return resolve(state, response.requestId, request, verdict, ctx, delivered);
}

function expire(state: ClientState, requestId: number, ctx: Context): ClientState {
  const request = state.outstanding.get(requestId);
  if (request === undefined) return state;
  const verdict: Verdict = { isGood: false, isWrong: false, by: 'failed' };
  return resolve(state, requestId, request, verdict, ctx, null);
}

/** The state after one request's outcome (and, for a response, its delivery: one copy, not two). */
function resolve(
  state: ClientState,
  requestId: number,
  request: Outstanding,
  verdict: Verdict,
  ctx: Context,
  delivered: Delivered | null,
): ClientState {
  const { isGood, isWrong, by } = verdict;
  ctx.metric('success-rate', isGood ? 1 : 0);
  if (!isGood) ctx.metric('client-errors', 1);
  if (isWrong) ctx.metric('wrong-answers', 1);
  const outstanding = new Map(state.outstanding);
  outstanding.delete(requestId);
  const isNewlyExposed = !isGood && !state.exposedUsers.includes(request.user);
  return {
    nextSeq: state.nextSeq,
    outstanding,
    sent: state.sent,
    good: state.good + (isGood ? 1 : 0),
    bad: state.bad + (isGood ? 0 : 1),
    wrong: state.wrong + (isWrong ? 1 : 0),
    answeredBy: countedBy(state.answeredBy, by),
    recent: withRecent(state.recent, isGood),
    lastByRoute: withLastOfRoute(state.lastByRoute, request.route, isGood),
    exposedUsers: isNewlyExposed ? [...state.exposedUsers, request.user] : state.exposedUsers,
    deliveries: delivered === null ? state.deliveries : delivered.deliveries,
    lastDelivery: delivered === null ? state.lastDelivery : delivered.lastDelivery,
  };
}

function countedBy(answeredBy: AnsweredBy, by: keyof AnsweredBy): AnsweredBy {
  const { legacy, failed } = answeredBy;
  return {
    legacy: legacy + (by === 'legacy' ? 1 : 0),
    new: answeredBy.new + (by === 'new' ? 1 : 0),
    failed: failed + (by === 'failed' ? 1 : 0),
  };
}

/** The last `recentOutcomesMax` outcomes, newest last. */
function withRecent(recent: readonly boolean[], isGood: boolean): readonly boolean[] {
  const kept =
    recent.length < recentOutcomesMax ? recent.slice() : recent.slice(1 - recentOutcomesMax);
  kept.push(isGood);
  return kept;
}

/** The per-route latest outcomes with `route`'s set (the same array when it already says so). */
function withLastOfRoute(
  lastByRoute: readonly (boolean | null)[],
  route: number,
  isGood: boolean,
): readonly (boolean | null)[] {
  if (lastByRoute[route] === isGood) return lastByRoute;
  return lastByRoute.map((last, index) => (index === route ? isGood : last));
}

/** The route weights and their total, per parameter set (a new object whenever one changes). */
const mixes = new WeakMap<
  Readonly<Record<string, number>>,
  { readonly weights: readonly number[]; readonly total: number }
>();

function mixOf(ctx: Context): { readonly weights: readonly number[]; readonly total: number } {
  let mix = mixes.get(ctx.params);
  if (mix === undefined) {
    const weights = routeMixParams.map((key) => Math.max(0, Math.round(paramOf(ctx, key))));
    mix = { weights, total: weights.reduce((sum, weight) => sum + weight, 0) };
    mixes.set(ctx.params, mix);
  }
  return mix;
}

/** A route drawn by the mix weights as they stand now; null when every weight is zero. */
function pickRoute(ctx: Context): number | null {
  const { weights, total } = mixOf(ctx);
  if (total === 0) return null;
  let draw = ctx.random.int(total);
  for (let route = 0; route < weights.length; route++) {
    draw -= weights[route] ?? 0;
    if (draw < 0) return route;
  }
  return weights.length - 1;
}

/** Poisson arrivals: exponential gaps with mean 1 / rate. */
function nextGapUs(ctx: Context): number {
  const meanUs = 1_000_000 / Math.max(1, paramOf(ctx, 'requestRatePerS'));
  return Math.max(1, Math.round(exponential(ctx.random, meanUs)));
}

function clientIndex(ctx: Context): number {
  return Math.max(0, ctx.nodesWithRole(clientRole).indexOf(ctx.self));
}
