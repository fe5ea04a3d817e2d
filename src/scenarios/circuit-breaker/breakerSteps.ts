import {
  type BreakerConfig,
  bucketCountOf,
  halfOpenMinimumOf,
  isSlowCall,
  minimumCallsOf,
  secondOf,
} from './breakerConfig.ts';
import {
  appended,
  emptyWindow,
  failureBit,
  oldestTimeUs,
  type OutcomeBits,
  type OutcomeWindow,
  slowBit,
  withoutOldest,
} from './outcomeWindow.ts';

/**
 * The breaker's data and the pure functions its transitions are made of: what a guard asks and
 * what a context update computes. The xstate machine in breaker.ts and the hand-written
 * transition beside it both call these, so they cannot drift apart in what they compute, only in
 * which transition they pick (which a property test checks).
 */

/**
 * Resilience4j's states. `forced-open`, `disabled` and `metrics-only` are set only by an
 * operator and left only by an operator: forced-open rejects every call, disabled permits every
 * call and records nothing, metrics-only permits every call and records it without ever opening.
 */
export type BreakerStateName =
  'closed' | 'open' | 'half-open' | 'forced-open' | 'disabled' | 'metrics-only';

export interface BreakerContext {
  /**
   * The sliding window (outcomeWindow.ts) of the current state: the latest calls in `closed`
   * and `metrics-only`, this period's trial results in `half-open`; `open` keeps the window of
   * the state it came from (Resilience4j's OpenState keeps that state's metrics) [1].
   */
  readonly window: OutcomeWindow;
  /** What the window holds, so `open` records a late result the way its window does [1]. */
  readonly windowRole: 'calls' | 'trials' | 'none';
  /** Bumped on every state change; permits and results carry it [2]. */
  readonly generation: number;
  /** Trial calls let through in this half-open period, and results recorded in it. */
  readonly probesStarted: number;
  readonly probesFinished: number;
  /** When the breaker last opened (for the owner's timer and the inspector). */
  readonly openedAtUs: number;
  /** When the wait in open ends: a call after it goes half-open (rule `first-call`). */
  readonly retryAfterUs: number;
  /** Whether the last ACQUIRE was permitted. */
  readonly lastPermitted: boolean;
  /** Why the breaker last changed state, for the trace. */
  readonly reason: string;
  /** How often it has opened (tripped, reopened, forced open, or half-open timed out). */
  readonly trips: number;
}

/** A breaker as plain data: what a node keeps in its state. */
export interface BreakerState {
  readonly value: BreakerStateName;
  readonly context: BreakerContext;
}

interface Stamped {
  readonly nowUs: number;
  readonly config: BreakerConfig;
}

export type BreakerEvent =
  | (Stamped & { readonly type: 'ACQUIRE' })
  | (Stamped & {
      readonly type: 'RESULT';
      /** The generation of the call's permit. */
      readonly generation: number;
      readonly isFailure: boolean;
      readonly durationUs: number;
    })
  /** The wait in open is over (the owner's timer). */
  | (Stamped & { readonly type: 'WAIT_ELAPSED' })
  /** The max wait in half-open is over (the owner's timer). */
  | (Stamped & { readonly type: 'MAX_WAIT_ELAPSED' })
  /** Operator: open now (Resilience4j's transitionToOpenState), with the usual wait. */
  | (Stamped & { readonly type: 'FORCE_OPEN' })
  /** Operator: closed with an empty window (Resilience4j's reset). */
  | (Stamped & { readonly type: 'RESET' })
  /** Operator: the forced states (transitionToForcedOpenState, …Disabled…, …MetricsOnly…). */
  | (Stamped & { readonly type: 'HOLD_OPEN' })
  | (Stamped & { readonly type: 'DISABLE' })
  | (Stamped & { readonly type: 'METRICS_ONLY' });

export type ResultEvent = Extract<BreakerEvent, { type: 'RESULT' }>;

export const initialContext: BreakerContext = {
  window: emptyWindow,
  windowRole: 'calls',
  generation: 0,
  probesStarted: 0,
  probesFinished: 0,
  openedAtUs: 0,
  retryAfterUs: 0,
  lastPermitted: true,
  reason: 'initial state',
  trips: 0,
};

function bitsOf(event: ResultEvent): OutcomeBits {
  const slow = isSlowCall(event.durationUs, event.config) ? slowBit : 0;
  return (event.isFailure ? failureBit : 0) | slow;
}

/** Whether a result is recorded in the current state at all [2]. */
export function isAccepted(context: BreakerContext, event: BreakerEvent): event is ResultEvent {
  return (
    event.type === 'RESULT' &&
    (event.generation === context.generation || event.config.rules.lateResults === 'recorded')
  );
}

/** The calls window after one more outcome, trimmed to its size [3]. */
function withCall(window: OutcomeWindow, event: ResultEvent): OutcomeWindow {
  const { config, nowUs } = event;
  if (config.windowKind === 'count') {
    // The last `windowCalls` outcomes, this one included.
    const size = Math.max(1, config.windowCalls);
    let next = appended(window, bitsOf(event), nowUs, false);
    while (next.calls > size) next = withoutOldest(next);
    return next;
  }
  // Outcomes recorded by a count window (before a live switch) have no finish time that places
  // them, so a time window cannot keep them: only timed ones, which are the newest, stay.
  let next = appended(window.isTimed ? window : emptyWindow, bitsOf(event), nowUs, true);
  if (config.rules.timeWindow === 'exact') {
    const oldestUs = nowUs - config.windowUs;
    while ((oldestTimeUs(next) ?? Infinity) <= oldestUs) next = withoutOldest(next);
  } else {
    // The buckets of the last N seconds, this one included: older seconds have left whole.
    const lastGone = secondOf(nowUs) - bucketCountOf(config);
    while (secondOf(oldestTimeUs(next) ?? Infinity) <= lastGone) next = withoutOldest(next);
  }
  return next;
}

/** Half-open's window after one more trial result (it decides before it could overflow). */
function withTrial(window: OutcomeWindow, event: ResultEvent): OutcomeWindow {
  return appended(window, bitsOf(event), event.nowUs, false);
}

/** The context with a result recorded in a `closed` or `metrics-only` window. */
export function recorded(context: BreakerContext, event: ResultEvent): BreakerContext {
  return { ...context, window: withCall(context.window, event) };
}

/**
 * The context with a late result recorded while `open`: into the window it kept, as that
 * window records (a trial window is Resilience4j's count window of the permitted trial calls);
 * nothing is judged [1].
 */
export function recordedWhileOpen(context: BreakerContext, event: ResultEvent): BreakerContext {
  if (context.windowRole === 'none') return context;
  if (context.windowRole === 'calls') return recorded(context, event);
  let window = withTrial(context.window, event);
  while (window.calls > Math.max(1, event.config.permittedHalfOpenCalls)) {
    window = withoutOldest(window);
  }
  return { ...context, window };
}

/** Whether a window's outcomes, judged by `config`, call for opening; the reason if so. */
export function tripReason(window: OutcomeWindow, config: BreakerConfig): string | null {
  return verdictOf(window, minimumCallsOf(config), config);
}

/** The verdict on a window that must hold `minimumCalls` outcomes to be judged. */
function verdictOf(
  window: OutcomeWindow,
  minimumCalls: number,
  config: BreakerConfig,
): string | null {
  const { calls, failures, slow } = window;
  if (calls < Math.max(1, minimumCalls)) return null;
  const failureRate = failures / calls;
  if (failureRate >= config.failureRateThreshold) {
    return `failure rate ${percentOf(failureRate)} over ${calls} calls`;
  }
  const slowRate = slow / calls;
  if (slowRate >= config.slowCallRateThreshold) {
    return `slow-call rate ${percentOf(slowRate)} over ${calls} calls`;
  }
  return null;
}

function percentOf(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** Half-open's decision after one more accepted result, or null while it has too few [4]. */
export interface HalfOpenDecision {
  readonly target: 'open' | 'closed';
  readonly reason: string;
  /** The trial window with the result in it. */
  readonly window: OutcomeWindow;
}

export function halfOpenDecision(
  context: BreakerContext,
  event: ResultEvent,
): HalfOpenDecision | null {
  const { config } = event;
  const window = withTrial(context.window, event);
  if (window.calls < halfOpenMinimumOf(config)) return null;
  const verdict = verdictOf(window, 1, config);
  const probes = Math.max(1, config.permittedHalfOpenCalls);
  return verdict === null
    ? { target: 'closed', reason: `all ${window.calls} trial call(s) passed`, window }
    : { target: 'open', reason: `${verdict} of ${probes} trial call(s)`, window };
}

/** A trial result recorded while half-open stays undecided. */
export function finishedProbe(context: BreakerContext, event: ResultEvent): BreakerContext {
  return {
    ...context,
    window: withTrial(context.window, event),
    probesFinished: context.probesFinished + 1,
  };
}

/** Whether the wait in open is over for a call asking now (rule `first-call`) [5]. */
export function isWaitOverAtCall(context: BreakerContext, event: Stamped): boolean {
  return event.config.rules.openToHalfOpen === 'first-call' && event.nowUs > context.retryAfterUs;
}

/** Whether the owner's timer ends the wait in open (rule `timer`). */
export function isWaitOnTimer(event: Stamped): boolean {
  return event.config.rules.openToHalfOpen === 'timer';
}

/** Whether an operator's "force open" while open starts the wait again. */
export function isRestartedWhileOpen(event: Stamped): boolean {
  return event.config.rules.forceOpenWhileOpen === 'restarts';
}

/** Whether half-open has a trial call left to permit. */
export function hasProbeLeft(context: BreakerContext, event: Stamped): boolean {
  return context.probesStarted < Math.max(1, event.config.permittedHalfOpenCalls);
}

/** Context on entering a state: a fresh window and a new generation. */
export function entered(
  context: BreakerContext,
  reason: string,
  windowRole: BreakerContext['windowRole'] = 'calls',
): BreakerContext {
  return {
    ...context,
    window: emptyWindow,
    windowRole,
    generation: context.generation + 1,
    probesStarted: 0,
    probesFinished: 0,
    reason,
  };
}

/** Context on entering half-open: an empty trial window. */
export function halfOpened(context: BreakerContext): BreakerContext {
  return entered(context, 'wait in open elapsed', 'trials');
}

/** Context on entering half-open at a call, which is its first trial call. */
export function halfOpenedByCall(context: BreakerContext): BreakerContext {
  return startedProbe(halfOpened(context));
}

export function startedProbe(context: BreakerContext): BreakerContext {
  return { ...context, probesStarted: context.probesStarted + 1, lastPermitted: true };
}

/**
 * Context on opening (tripped, reopened, forced, or half-open timed out): the wait in `open`
 * starts now; the window of the state it leaves is kept [1].
 */
export function opened(context: BreakerContext, event: Stamped, reason: string): BreakerContext {
  return {
    ...context,
    generation: context.generation + 1,
    probesStarted: 0,
    probesFinished: 0,
    reason,
    openedAtUs: event.nowUs,
    retryAfterUs: event.nowUs + event.config.waitInOpenUs,
    lastPermitted: false,
    trips: context.trips + 1,
  };
}

/** Context on tripping in `closed` on a result: its window, with the result, is kept. */
export function tripped(
  context: BreakerContext,
  event: ResultEvent,
  reason: string,
): BreakerContext {
  return opened(recorded(context, event), event, reason);
}

export const forcedOpenReason = 'forced open by the operator';
export const resetReason = 'reset by the operator';
export const maxWaitReason = 'max wait in half-open elapsed';

/** The operator's forced states: entered from any state, with nothing recorded yet. */
export const forcedStates = {
  HOLD_OPEN: { target: 'forced-open', reason: 'held open by the operator', windowRole: 'none' },
  DISABLE: { target: 'disabled', reason: 'disabled by the operator', windowRole: 'none' },
  METRICS_ONLY: {
    target: 'metrics-only',
    reason: 'set to metrics only by the operator',
    windowRole: 'calls',
  },
} as const;

/** Context on entering a forced state. */
export function forced(context: BreakerContext, type: keyof typeof forcedStates): BreakerContext {
  const { reason, windowRole } = forcedStates[type];
  return entered(context, reason, windowRole);
}

/*
 * Notes
 *
 * [1] Resilience4j hands OPEN the metrics of the state it leaves and records late results into
 *     them without judging; FORCED_OPEN and DISABLED keep metrics that record nothing. Here the
 *     window is what the inspector draws, so `open` shows the calls that tripped it.
 * [2] A permit carries the generation it was handed out in. Resilience4j records every result
 *     into whatever state the breaker is in when it arrives (rule `recorded`): a call let through
 *     while closed that fails after the breaker went half-open counts toward the half-open
 *     decision. DistSim 1 ignored results from an older generation (rule `ignored`).
 * [3] Resilience4j's count window is a ring of the last N outcomes; its time window a ring of N
 *     one-second buckets, so a call counts until its whole second has left the window (rule
 *     `buckets`). DistSim 1 let each call leave exactly N seconds after it finished (`exact`).
 *     Both are kept as a list of outcomes with running counts (outcomeWindow.ts); trimming by
 *     bucket only changes which outcomes leave.
 * [4] Resilience4j's half-open metrics are a count window of the permitted trial calls with a
 *     minimum of min(minimumNumberOfCalls, permitted), judged after every record: the first
 *     result that brings it to the minimum decides, to closed below the thresholds, to open at
 *     or above them. DistSim 1 waited for every permitted trial (rule `all-trials`).
 * [5] Resilience4j's OPEN lets the first call after the wait through as half-open's first trial
 *     (`clock.instant().isAfter(retryAfterWaitDuration)`), unless
 *     automaticTransitionFromOpenToHalfOpenEnabled schedules the change (rule `timer`).
 */
