import type { ParamSpec } from '../../engine/types.ts';
import { linkLatencyParam } from '../kit/links.ts';

/**
 * The scenario's parameters, times in milliseconds or seconds as labelled (behaviours convert to
 * microseconds). Everything a behaviour reads while running is live: the workload, the pool, the
 * timeouts, the dependency and the breaker's thresholds take effect at the next request, call or
 * state change. Only what shapes the topology (client count, link latency) and the window kind
 * (switching it discards the window, which is not a tuning change) and how open turns half-open
 * (a timer that is or is not armed) need a reset.
 *
 * The breaker's parameters are Resilience4j's CircuitBreakerConfig [1]. Its defaults are made for
 * production traffic (a window of 100 calls, 60 s open); the defaults here are chosen so that the
 * scheduled incident shows the whole story in seconds:
 *
 *   parameter                        here        Resilience4j
 *   windowKind                       count       COUNT_BASED
 *   windowCalls / windowTimeS        20 / 10 s   slidingWindowSize 100 (calls or seconds)
 *   failureRateThresholdPercent      50          50
 *   slowCallDurationMs               250 ms      slowCallDurationThreshold 60 s
 *   slowCallRateThresholdPercent     50          100
 *   minimumCalls                     10          minimumNumberOfCalls 100
 *   waitInOpenMs                     5 s         waitDurationInOpenState 60 s
 *   permittedHalfOpenCalls           3           permittedNumberOfCallsInHalfOpenState 10
 *   maxWaitInHalfOpenMs              0           maxWaitDurationInHalfOpenState 0 (for ever)
 *   openToHalfOpen                   timer       automaticTransitionFromOpenToHalfOpen false
 *
 * The rule switches at the end choose, for each point where DistSim's first breaker differed
 * from Resilience4j, which of the two to follow (breakerConfig.ts); Resilience4j is the default.
 *
 * [1] resilience4j/resilience4j on GitHub, CircuitBreakerConfig.java.
 */
export const circuitBreakerParams = {
  // ---- Workload ----------------------------------------------------------------------------
  clientCount: {
    label: 'Clients',
    default: 2,
    min: 1,
    max: 4,
    step: 1,
    unit: 'clients',
    help: 'Clients calling the service; each sends requests at its own rate.',
  },
  requestRatePerSecond: {
    label: 'Request rate per client',
    default: 20,
    min: 1,
    max: 60,
    step: 1,
    unit: 'req/s',
    help: 'Open-loop arrivals (Poisson): clients keep sending whether or not answers come back.',
    isLive: true,
  },
  clientTimeoutMs: {
    label: 'Client timeout',
    default: 1500,
    min: 100,
    max: 10_000,
    step: 100,
    unit: 'ms',
    help: 'A client gives up on a request it has no answer to after this long (a failure).',
    isLive: true,
  },
  linkLatencyMs: linkLatencyParam({ default: 2, max: 100 }),
  // ---- The service ---------------------------------------------------------------------------
  poolSize: {
    label: 'Service worker pool',
    default: 8,
    min: 1,
    max: 64,
    step: 1,
    unit: 'workers',
    help: 'Requests the service handles at once; a worker is held for the whole request, outbound call included.',
    isLive: true,
  },
  queueMax: {
    label: 'Service wait queue',
    default: 16,
    min: 0,
    max: 200,
    step: 1,
    unit: 'requests',
    help: 'Requests that wait for a free worker; when the queue is full, new ones are rejected.',
    isLive: true,
  },
  serviceWorkMs: {
    label: 'Service own work',
    default: 5,
    min: 1,
    max: 200,
    step: 1,
    unit: 'ms',
    help: 'What the service does itself for each request before calling the dependency.',
    isLive: true,
  },
  callTimeoutMs: {
    label: 'Call timeout',
    default: 1000,
    min: 50,
    max: 10_000,
    step: 50,
    unit: 'ms',
    help: 'The service gives up on a call to the dependency after this long (a failure).',
    isLive: true,
  },
  // ---- The dependency ------------------------------------------------------------------------
  dependencyServiceMs: {
    label: 'Dependency service time',
    default: 20,
    min: 1,
    max: 1000,
    step: 1,
    unit: 'ms',
    help: 'Mean time the dependency works on one call when healthy (0.5–1.5 × it).',
    isLive: true,
  },
  dependencyConcurrency: {
    label: 'Dependency concurrency',
    default: 4,
    min: 1,
    max: 32,
    step: 1,
    unit: 'calls',
    help: 'Calls the dependency works on at once; the rest wait in its queue.',
    isLive: true,
  },
  dependencyQueueMax: {
    label: 'Dependency queue',
    default: 32,
    min: 0,
    max: 500,
    step: 1,
    unit: 'calls',
    help: 'Calls waiting at the dependency; past it, it answers "overloaded" at once.',
    isLive: true,
  },
  incidentStartS: {
    label: 'Incident starts at',
    default: 10,
    min: 0,
    max: 600,
    step: 1,
    unit: 's',
    help: 'A scheduled slowdown of the dependency (a batch job on its host); 0 = no incident.',
    isLive: true,
  },
  incidentLengthS: {
    label: 'Incident length',
    default: 15,
    min: 1,
    max: 600,
    step: 1,
    unit: 's',
    help: 'How long the scheduled slowdown lasts.',
    isLive: true,
  },
  incidentSlowdown: {
    label: 'Incident slowdown',
    default: 20,
    min: 1,
    max: 100,
    step: 1,
    unit: '×',
    help: 'How many times slower the dependency works during the incident.',
    isLive: true,
  },
  // ---- The breaker (pattern variant) ---------------------------------------------------------
  windowKind: {
    label: 'Window kind',
    default: 0,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'What the breaker judges: the last N calls (count window) or the calls of the last T seconds (time window).',
    choices: [
      { value: 0, label: 'count window' },
      { value: 1, label: 'time window' },
    ],
  },
  windowCalls: {
    label: 'Window size (count)',
    default: 20,
    min: 1,
    max: 200,
    step: 1,
    unit: 'calls',
    help: 'A count window judges this many most recent calls.',
    isLive: true,
  },
  windowTimeS: {
    label: 'Window size (time)',
    default: 10,
    min: 1,
    max: 120,
    step: 1,
    unit: 's',
    help: 'A time window judges the calls that finished in this many last seconds.',
    isLive: true,
  },
  failureRateThresholdPercent: {
    label: 'Failure-rate threshold',
    default: 50,
    min: 1,
    max: 100,
    step: 1,
    unit: '%',
    help: 'The breaker opens when at least this share of the window failed (errors and timeouts).',
    isLive: true,
  },
  slowCallDurationMs: {
    label: 'Slow-call duration',
    default: 250,
    min: 10,
    max: 10_000,
    step: 10,
    unit: 'ms',
    help: 'A call that takes longer than this counts as slow, even if it succeeds.',
    isLive: true,
  },
  slowCallRateThresholdPercent: {
    label: 'Slow-call-rate threshold',
    default: 50,
    min: 1,
    max: 100,
    step: 1,
    unit: '%',
    help: 'The breaker also opens when at least this share of the window was slow.',
    isLive: true,
  },
  minimumCalls: {
    label: 'Minimum calls',
    default: 10,
    min: 1,
    max: 100,
    step: 1,
    unit: 'calls',
    help: 'The window must hold this many calls before its rates are judged.',
    isLive: true,
  },
  waitInOpenMs: {
    label: 'Wait in open',
    default: 5000,
    min: 100,
    max: 60_000,
    step: 100,
    unit: 'ms',
    help: 'How long the breaker stays open (failing fast) before it lets trial calls through.',
    isLive: true,
  },
  permittedHalfOpenCalls: {
    label: 'Trial calls (half-open)',
    default: 3,
    min: 1,
    max: 20,
    step: 1,
    unit: 'calls',
    help: 'Calls let through in half-open; their outcome decides: closed, or open again.',
    isLive: true,
  },
  maxWaitInHalfOpenMs: {
    label: 'Max wait in half-open',
    default: 0,
    min: 0,
    max: 60_000,
    step: 100,
    unit: 'ms',
    help: 'Half-open goes back to open when its trial calls have not decided within this long; 0 waits for ever, as Resilience4j does by default.',
    isLive: true,
  },
  openToHalfOpen: {
    label: 'Open to half-open',
    default: 0,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'When the wait in open is over, the breaker goes half-open on its own (Resilience4j with automatic transition on, which lets the story show without a caller), or when the next call asks (Resilience4j’s default). Needs a reset.',
    choices: [
      { value: 0, label: 'on its own, by a timer' },
      { value: 1, label: 'at the next call' },
    ],
  },
  fallback: {
    label: 'Fallback response',
    default: 1,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'While the breaker rejects a call: answer with a fallback (a cached or default answer), or fail fast.',
    choices: [
      { value: 0, label: 'fail fast' },
      { value: 1, label: 'fallback' },
    ],
    isLive: true,
  },
  // ---- Where the breaker follows Resilience4j, or an earlier version of this scenario --------
  minimumCallsRule: {
    label: 'Minimum calls, count window',
    default: 0,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'Resilience4j judges a count window smaller than the minimum number of calls once it is full; the first version of this scenario waited for the minimum, so such a window never opened.',
    choices: [
      { value: 0, label: 'at most the window size (Resilience4j)' },
      { value: 1, label: 'as set, even above the window size' },
    ],
    isLive: true,
  },
  slowCallRule: {
    label: 'Slow call',
    default: 0,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'Whether a call that takes exactly the slow-call duration is slow: Resilience4j counts only calls that take longer.',
    choices: [
      { value: 0, label: 'longer than the duration (Resilience4j)' },
      { value: 1, label: 'at least the duration' },
    ],
    isLive: true,
  },
  timeWindowRule: {
    label: 'Time window',
    default: 0,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'Resilience4j keeps a time window as one bucket per second: a call counts in the bucket of the second it finished in, and whole buckets leave the window. The exact window lets each call leave exactly the window’s length after it finished.',
    choices: [
      { value: 0, label: 'one-second buckets (Resilience4j)' },
      { value: 1, label: 'exact, call by call' },
    ],
    isLive: true,
  },
  lateResults: {
    label: 'Late results',
    default: 0,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'The result of a call let through before the breaker changed state: Resilience4j records it in the state the breaker is in now (in half-open it counts toward the decision; while open it changes nothing).',
    choices: [
      { value: 0, label: 'recorded in the current state (Resilience4j)' },
      { value: 1, label: 'ignored' },
    ],
    isLive: true,
  },
  halfOpenRule: {
    label: 'Half-open decides after',
    default: 0,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'Resilience4j decides half-open once the minimum number of calls or the permitted trial calls, whichever is fewer, have reported (late results included).',
    choices: [
      { value: 0, label: 'the minimum calls or all trials, whichever is fewer (Resilience4j)' },
      { value: 1, label: 'every trial call' },
    ],
    isLive: true,
  },
  forceOpenRule: {
    label: 'Force open while open',
    default: 0,
    min: 0,
    max: 1,
    step: 1,
    unit: '',
    help: 'What the operator’s "Force open" does to a breaker that is already open: Resilience4j starts its wait again.',
    choices: [
      { value: 0, label: 'starts the wait again (Resilience4j)' },
      { value: 1, label: 'nothing' },
    ],
    isLive: true,
  },
} satisfies Readonly<Record<string, ParamSpec>>;

/**
 * The parameters that play a run of version 1 exactly: the breaker's rules as they were before
 * it followed Resilience4j (breakerConfig.ts, `distSim1Rules`). Version 1 had no max wait in
 * half-open and went half-open by a timer, which the defaults of those parameters still do.
 */
export const rulesBeforeResilience4j = {
  minimumCallsRule: 1,
  slowCallRule: 1,
  timeWindowRule: 1,
  lateResults: 1,
  halfOpenRule: 1,
  forceOpenRule: 1,
} as const;
