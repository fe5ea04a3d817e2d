import type { BreakerConfig, BreakerRules } from './breakerConfig.ts';
import { memoByParams } from './paramsMemo.ts';
import { paramReader } from '../kit/params.ts';
import { circuitBreakerParams } from './params.ts';

/** Typed readers of the parameters. */
export const { paramOf, msParamUs, secondsParamUs, countParam, isOn } = paramReader(
  'circuit-breaker',
  circuitBreakerParams,
);

/**
 * Messages and roles of the circuit breaker scenario. Clients send requests to the service; the
 * service answers each one with exactly one of Response, Fallback or Failure; to answer it calls
 * the dependency (Call), which answers Reply or Error, or nothing at all when it is down.
 */

export const clientRole = 'client';
export const serviceRole = 'service';
export const dependencyRole = 'dependency';

/** A client's request to the service. */
export interface RequestMessage {
  readonly type: 'Request';
  readonly requestId: number;
}

/** The service's real answer, built from the dependency's reply. */
export interface ResponseMessage {
  readonly type: 'Response';
  readonly requestId: number;
}

/** A degraded answer (a default or cached value) served while the breaker rejects calls. */
export interface FallbackMessage {
  readonly type: 'Fallback';
  readonly requestId: number;
}

/** Why the service could not answer. */
export type FailureReason = 'breaker-open' | 'dependency-failed' | 'service-overloaded';

/** The service's "no": the breaker rejected the call, the call failed, or the queue was full. */
export interface FailureMessage {
  readonly type: 'Failure';
  readonly requestId: number;
  readonly reason: FailureReason;
}

export type ClientMessage = RequestMessage | ResponseMessage | FallbackMessage | FailureMessage;

/** The service's outbound call. */
export interface CallMessage {
  readonly type: 'Call';
  readonly callId: number;
}

/** The dependency's success. */
export interface ReplyMessage {
  readonly type: 'Reply';
  readonly callId: number;
}

/** The dependency's failure: an error while working, or its queue was full. */
export interface ErrorMessage {
  readonly type: 'Error';
  readonly callId: number;
  readonly reason: 'error' | 'overloaded';
}

export type DependencyMessage = CallMessage | ReplyMessage | ErrorMessage;

export type CircuitBreakerMessage = ClientMessage | DependencyMessage;

/** Every message type of the scenario (the view hints colour each one). */
export const messageTypes = [
  'Request',
  'Response',
  'Fallback',
  'Failure',
  'Call',
  'Reply',
  'Error',
] as const satisfies readonly CircuitBreakerMessage['type'][];

type Params = Readonly<Record<string, number>>;

/** The breaker's configuration as the parameters stand now (passed with every breaker event). */
export function breakerConfigOf(source: { readonly params: Params }): BreakerConfig {
  return settingsOf(source.params).breaker;
}

function breakerConfigFrom(source: { readonly params: Params }): BreakerConfig {
  return {
    windowKind: paramOf(source, 'windowKind') >= 1 ? 'time' : 'count',
    windowCalls: countParam(source, 'windowCalls'),
    windowUs: secondsParamUs(source, 'windowTimeS'),
    failureRateThreshold: paramOf(source, 'failureRateThresholdPercent') / 100,
    slowCallDurationUs: msParamUs(source, 'slowCallDurationMs'),
    slowCallRateThreshold: paramOf(source, 'slowCallRateThresholdPercent') / 100,
    minimumCalls: countParam(source, 'minimumCalls'),
    waitInOpenUs: msParamUs(source, 'waitInOpenMs'),
    permittedHalfOpenCalls: countParam(source, 'permittedHalfOpenCalls'),
    maxWaitInHalfOpenUs: msParamUs(source, 'maxWaitInHalfOpenMs'),
    rules: breakerRulesFrom(source),
  };
}

/**
 * The rules (params.ts): each switch's 0 follows Resilience4j, 1 the scenario's first version;
 * `openToHalfOpen` chooses between two of Resilience4j's own settings.
 */
function breakerRulesFrom(source: { readonly params: Params }): BreakerRules {
  const isEarlier = (key: keyof typeof circuitBreakerParams): boolean => paramOf(source, key) >= 1;
  return {
    countMinimum: isEarlier('minimumCallsRule') ? 'as-set' : 'capped',
    slowCall: isEarlier('slowCallRule') ? 'at-least' : 'above',
    timeWindow: isEarlier('timeWindowRule') ? 'exact' : 'buckets',
    lateResults: isEarlier('lateResults') ? 'ignored' : 'recorded',
    halfOpenMinimum: isEarlier('halfOpenRule') ? 'all-trials' : 'capped',
    forceOpenWhileOpen: isEarlier('forceOpenRule') ? 'ignored' : 'restarts',
    openToHalfOpen: paramOf(source, 'openToHalfOpen') >= 1 ? 'first-call' : 'timer',
  };
}

/**
 * The breaker state as a number for charts, by how much of the traffic it stops: 0 closed (and
 * the operator's disabled and metrics-only, which let every call through), 1 half-open, 2 open
 * (and the operator's forced open).
 */
export const breakerStateNumber = {
  closed: 0,
  disabled: 0,
  'metrics-only': 0,
  'half-open': 1,
  open: 2,
  'forced-open': 2,
} as const;

/**
 * Everything the behaviours read from the parameters while running, derived once per
 * parameters object (paramsMemo.ts): every event reads several of them. Each field is computed
 * exactly as the behaviour would compute it from the parameter itself.
 */
export interface CircuitBreakerSettings {
  /** Client: the mean gap between requests, and its timeout. */
  readonly meanArrivalUs: number;
  readonly clientTimeoutUs: number;
  /** Service: pool, wait queue, own work, call timeout, wait in open, fallback on or off. */
  readonly poolSize: number;
  readonly queueMax: number;
  readonly serviceWorkUs: number;
  readonly callTimeoutUs: number;
  readonly waitInOpenUs: number;
  readonly isFallback: boolean;
  readonly breaker: BreakerConfig;
  /** Dependency: the incident window (-1: none), its slowdown, workers, queue, mean work. */
  readonly incidentStartUs: number;
  readonly incidentEndUs: number;
  readonly incidentSlowdown: number;
  readonly dependencyConcurrency: number;
  readonly dependencyQueueMax: number;
  readonly dependencyServiceUs: number;
}

export const settingsOf = memoByParams((params): CircuitBreakerSettings => {
  const source = { params };
  const incidentStartS = paramOf(source, 'incidentStartS');
  const incidentStartUs = incidentStartS > 0 ? secondsParamUs(source, 'incidentStartS') : -1;
  return {
    meanArrivalUs: 1_000_000 / Math.max(0.001, paramOf(source, 'requestRatePerSecond')),
    clientTimeoutUs: msParamUs(source, 'clientTimeoutMs'),
    poolSize: countParam(source, 'poolSize'),
    queueMax: countParam(source, 'queueMax', 0),
    serviceWorkUs: msParamUs(source, 'serviceWorkMs'),
    callTimeoutUs: msParamUs(source, 'callTimeoutMs'),
    waitInOpenUs: msParamUs(source, 'waitInOpenMs'),
    isFallback: paramOf(source, 'fallback') >= 1,
    breaker: breakerConfigFrom(source),
    incidentStartUs,
    incidentEndUs:
      incidentStartS > 0 ? incidentStartUs + secondsParamUs(source, 'incidentLengthS') : -1,
    incidentSlowdown: paramOf(source, 'incidentSlowdown'),
    dependencyConcurrency: countParam(source, 'dependencyConcurrency'),
    dependencyQueueMax: countParam(source, 'dependencyQueueMax', 0),
    dependencyServiceUs: paramOf(source, 'dependencyServiceMs') * 1000,
  };
});
