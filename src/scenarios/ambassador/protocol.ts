import type { NodeContext, NodeId } from '../../engine/types.ts';
import {
  type BreakerConfig,
  type BreakerRules,
  resilience4jRules,
} from '../circuit-breaker/breakerConfig.ts';
import { memoByParams } from '../circuit-breaker/paramsMemo.ts';
import { paramReader } from '../kit/params.ts';
import { ambassadorParams } from './params.ts';

/** Typed readers of the parameters. */
export const { paramOf, msParamUs, secondsParamUs, countParam, boundedCount, isOn } = paramReader(
  'ambassador',
  ambassadorParams,
);

/**
 * Messages of the ambassador scenario. The app speaks a plain request/response protocol to its
 * co-located ambassador; the ambassador (or, in the baseline, the app itself) speaks a call/reply
 * protocol to the remote instances across the WAN. Every answer carries an id of its own, so the
 * app can tell a second answer to one request from a copy the network duplicated.
 */

/** App → its ambassador: please get this done. */
export interface RequestMessage {
  readonly type: 'Request';
  readonly requestId: number;
}

/** How a request ended, as the ambassador reports it. */
export type Outcome =
  | 'ok'
  | 'error'
  | 'rejected'
  | 'timeout'
  | 'deadline'
  | 'budget spent'
  | 'breaker open'
  | 'overflow';

/** Ambassador → app: the one answer to a request. */
export interface ResponseMessage {
  readonly type: 'Response';
  readonly requestId: number;
  readonly isOk: boolean;
  readonly outcome: Outcome;
  readonly attempts: number;
  /** Unique per answer sent (the sender's id, incarnation and sequence number). */
  readonly answerId: string;
}

/** Ambassador (or baseline app) → remote instance: one attempt. */
export interface CallMessage {
  readonly type: 'Call';
  /** Unique per sender: the ambassador's attempt id, or the baseline app's request id. */
  readonly callId: number;
}

/** Remote → caller: the result of one attempt (`isOk` false: an error or a rejection). */
export interface ReplyMessage {
  readonly type: 'Reply';
  readonly callId: number;
  readonly isOk: boolean;
  /** `ok`, `error` (the instance failed the request) or `rejected` (its queue was full). */
  readonly reason: 'ok' | 'error' | 'rejected';
  readonly answerId: string;
}

export type AmbassadorMessage = RequestMessage | ResponseMessage | CallMessage | ReplyMessage;

/** Every message type of the scenario (the view hints colour each one). */
export const messageTypes = [
  'Request',
  'Response',
  'Call',
  'Reply',
] as const satisfies readonly AmbassadorMessage['type'][];

export const appRole = 'app';
export const ambassadorRole = 'ambassador';
export const remoteRole = 'remote';

/** Node ids by position: `app-1` talks to `amb-1`; remotes are `remote-1`… */
export function appId(index: number): NodeId {
  return `app-${index + 1}`;
}
export function ambassadorId(index: number): NodeId {
  return `amb-${index + 1}`;
}
export function remoteId(index: number): NodeId {
  return `remote-${index + 1}`;
}

const ambassadorByApp = new Map<NodeId, NodeId>();

/** The ambassador co-located with `app` (`app-2` → `amb-2`); worked out once per app id. */
export function ambassadorOf(app: NodeId): NodeId {
  let ambassador = ambassadorByApp.get(app);
  if (ambassador === undefined) {
    ambassador = app.replace(/^app-/, 'amb-');
    ambassadorByApp.set(app, ambassador);
  }
  return ambassador;
}

/** How long the app waits beyond the deadline for its ambassador's answer (the local hop). */
export const localSlackUs = 20_000;

/**
 * The loss of one direction of the WAN for a round-trip loss `roundTripLoss` (0–1): a round trip
 * survives when both directions do, so each direction keeps √(1 − p) [1].
 */
export function perDirectionLoss(roundTripLoss: number): number {
  const kept = Math.sqrt(Math.max(0, 1 - roundTripLoss));
  return Math.round((1 - kept) * 1e9) / 1e9;
}

/** Retries beyond this count use the cap anyway; it keeps 2^n exact and small. */
const backoffDoublingsMax = 30;

/**
 * Full jitter [2]: the backoff before retry number `retry` (1 for the first retry) is drawn
 * uniformly from [0, min(cap, base · 2^retry)], in microseconds.
 */
export function backoffUs(ctx: Pick<NodeContext, 'params' | 'random'>, retry: number): number {
  const { backoffBaseUs: baseUs, backoffCapUs: capUs } = settingsOf(ctx.params);
  let ceilingUs = baseUs;
  for (let doubling = 0; doubling < Math.min(retry, backoffDoublingsMax); doubling++) {
    ceilingUs *= 2;
    if (ceilingUs >= capUs) break;
  }
  ceilingUs = Math.min(capUs, ceilingUs);
  return ctx.random.intBetween(0, Math.max(0, ceilingUs));
}

/** Calls in a breaker's count window, calls it needs before judging, and trial calls. */
export const breakerWindowCalls = 20;
export const breakerMinimumCalls = 10;
export const breakerProbeCalls = 2;

/** The per-instance breaker's configuration as the parameters stand now [3]. */
export function breakerConfigOf(ctx: {
  readonly params: Readonly<Record<string, number>>;
}): BreakerConfig {
  return settingsOf(ctx.params).breaker;
}

function breakerConfigFrom(ctx: {
  readonly params: Readonly<Record<string, number>>;
}): BreakerConfig {
  return {
    windowKind: 'count',
    windowCalls: breakerWindowCalls,
    windowUs: 10_000_000,
    failureRateThreshold: paramOf(ctx, 'breakerFailurePercent') / 100,
    slowCallDurationUs: msParamUs(ctx, 'tryTimeoutMs'),
    // Slow calls are not judged on their own: a call slower than the per-try timeout already
    // failed as a timeout.
    slowCallRateThreshold: 1.01,
    minimumCalls: breakerMinimumCalls,
    waitInOpenUs: msParamUs(ctx, 'breakerWaitMs'),
    permittedHalfOpenCalls: breakerProbeCalls,
    maxWaitInHalfOpenUs: 0,
    rules: paramOf(ctx, 'breakerLateResults') >= 1 ? rulesIgnoringLateResults : resilience4jRules,
  };
}

/**
 * Resilience4j's rules but for late outcomes, which breakers before version 3 ignored [3]. The
 * other rules on which the shared breaker once differed cannot show here: the minimum (10) is
 * below the window (20) and the trial calls (2), slow calls are never judged, the window counts
 * calls, and no operator forces a breaker.
 */
const rulesIgnoringLateResults: BreakerRules = { ...resilience4jRules, lateResults: 'ignored' };

/**
 * What the behaviours read from the parameters while running, derived once per parameters
 * object (circuit-breaker/paramsMemo.ts) [4]. Each field is computed exactly as the behaviours
 * computed it from the parameter itself.
 */
export interface AmbassadorSettings {
  /** App: the mean gap between requests. */
  readonly meanArrivalUs: number;
  /** Ambassador: the request's policy, timeouts, backoff, hedging and budget switches. */
  readonly maxAttempts: number;
  readonly requestTimeoutUs: number;
  readonly tryTimeoutUs: number;
  readonly backoffBaseUs: number;
  readonly backoffCapUs: number;
  readonly isHedgingOn: boolean;
  readonly hedgeDelayUs: number;
  readonly isRetryBudgetOn: boolean;
  /** The `balancer` parameter, rounded (instances.ts names the modes). */
  readonly balancerMode: number;
  readonly isBreakerOn: boolean;
  readonly breaker: BreakerConfig;
  readonly breakerWaitUs: number;
  /** Remote: workers, queue limit and mean service time. */
  readonly remoteWorkers: number;
  readonly remoteQueueMax: number;
  readonly serviceTimeUs: number;
}

export const settingsOf = memoByParams((params): AmbassadorSettings => {
  const ctx = { params };
  return {
    meanArrivalUs: 1_000_000 / Math.max(0.001, paramOf(ctx, 'requestRatePerSec')),
    maxAttempts: countParam(ctx, 'maxAttempts'),
    requestTimeoutUs: msParamUs(ctx, 'requestTimeoutMs'),
    tryTimeoutUs: msParamUs(ctx, 'tryTimeoutMs'),
    backoffBaseUs: msParamUs(ctx, 'backoffBaseMs'),
    backoffCapUs: msParamUs(ctx, 'backoffCapMs'),
    isHedgingOn: isOn(ctx, 'isHedgingOn'),
    hedgeDelayUs: msParamUs(ctx, 'hedgeDelayMs'),
    isRetryBudgetOn: isOn(ctx, 'isRetryBudgetOn'),
    balancerMode: Math.round(paramOf(ctx, 'balancer')),
    isBreakerOn: isOn(ctx, 'isBreakerOn'),
    breaker: breakerConfigFrom(ctx),
    breakerWaitUs: msParamUs(ctx, 'breakerWaitMs'),
    remoteWorkers: countParam(ctx, 'remoteWorkers'),
    remoteQueueMax: countParam(ctx, 'remoteQueueMax'),
    serviceTimeUs: paramOf(ctx, 'serviceTimeMs') * 1000,
  };
});

/*
 * Notes
 *
 * [1] "20% loss" is meant the way an app experiences it: one call in five gets no answer. Were the
 *     20% applied to each direction, a round trip would survive only 0.8 × 0.8 = 64% of the time.
 *
 * [2] Marc Brooker, "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015): drawing the
 *     whole delay at random spreads retries from many clients evenly instead of in synchronized
 *     waves, and does the least total work of the variants compared there.
 *
 * [3] The breaker is the Circuit Breaker scenario's machine, reused as is: one per remote
 *     instance, fed the outcome of every attempt sent to that instance.
 *
 * [4] Every event reads several parameters (timeouts, limits, switches, the breaker's
 *     configuration); the parameters object only changes when a parameter does, so these are
 *     worked out once per change instead of on every event.
 */
