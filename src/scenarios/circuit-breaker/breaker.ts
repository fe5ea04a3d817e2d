import { assign, setup, transition } from 'xstate';
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
 * The circuit breaker, written once as an xstate machine and run as a pure transition function on
 * engine time: no actor, no clock, no timers inside. The node that owns a breaker keeps its state
 * as plain data (`BreakerState`, cloned into checkpoints like any node state), feeds it events
 * stamped with the node's clock, and sets an engine timer for the wait in `open` [1]. The Circuit
 * Breaker scenario's service and the Ambassador's outbound calls share this one implementation.
 *
 * States and transitions [2]:
 *  - `closed`: calls are permitted; each outcome goes into a sliding window (the last N calls, or
 *    the calls of the last T ms). Once the window holds at least `minimumCalls` and the failure
 *    rate or the slow-call rate reaches its threshold, the breaker opens.
 *  - `open`: calls are rejected at once (the caller fails fast or serves a fallback). After
 *    `waitInOpenUs` the owner sends WAIT_ELAPSED and the breaker goes half-open.
 *  - `half-open`: up to `permittedHalfOpenCalls` trial calls are let through; when all of them
 *    have finished, the same thresholds decide: back to `closed` (window cleared) or `open` again.
 *
 * Every ACQUIRE that is permitted hands out the breaker's current `generation`; a RESULT from an
 * older generation (a call let through while closed that finishes after the breaker opened) is
 * ignored [3], so half-open probes are judged on their own outcomes only.
 *
 * [1] xstate's `after` transitions need an actor's clock; engine timers keep time simulated and
 *     deterministic, and a checkpoint needs no actor state.
 * [2] The names and defaults follow Resilience4j's CircuitBreaker, the most widely used design.
 * [3] Resilience4j does the same by ignoring outcomes reported to a breaker that has moved on.
 * [4] The machine is the definition; `stepBreaker` runs the same transition written out by hand
 *     (`transitionOf`: the same guards in the same order, the same context updates, which both
 *     share). Asking for a permit and reporting a result are the hot paths (every call), and
 *     xstate's `transition` builds an actor and a snapshot per event, about a millisecond until
 *     the JIT has seen it often, which a run of a few hundred state changes never does. A
 *     property test checks that `stepBreaker` and the machine agree on every step of random
 *     event sequences (every event type, stale results, live configuration changes).
 */

/** Thresholds and sizes; passed with every event, so live parameter changes apply at once. */
export interface BreakerConfig {
  readonly windowKind: 'count' | 'time';
  /** Count window: the last this many calls. */
  readonly windowCalls: number;
  /** Time window: the calls finished in the last this many µs. */
  readonly windowUs: number;
  /** Failure rate (0–1) at or above which the breaker opens. */
  readonly failureRateThreshold: number;
  /** A call that took at least this long counts as slow. */
  readonly slowCallDurationUs: number;
  /** Slow-call rate (0–1) at or above which the breaker opens; above 1 disables it. */
  readonly slowCallRateThreshold: number;
  /** Calls the window must hold before the rates are judged. */
  readonly minimumCalls: number;
  /** Time in `open` before trial calls are let through. */
  readonly waitInOpenUs: number;
  /** Trial calls in `half-open`. */
  readonly permittedHalfOpenCalls: number;
}

export interface BreakerContext {
  /**
   * The sliding window (outcomeWindow.ts): the outcomes of the latest calls and their counts; in
   * `half-open`, the outcomes of this period's trial calls.
   */
  readonly window: OutcomeWindow;
  /** Bumped on every state change; permits and results carry it. */
  readonly generation: number;
  /** Trial calls let through in this half-open period, and how many of them have finished. */
  readonly probesStarted: number;
  readonly probesFinished: number;
  /** When the breaker last opened (for the owner's timer and the inspector). */
  readonly openedAtUs: number;
  /** Whether the last ACQUIRE was permitted. */
  readonly lastPermitted: boolean;
  /** Why the breaker last changed state, for the trace. */
  readonly reason: string;
  /** How often it has opened. */
  readonly trips: number;
}

export type BreakerStateName = 'closed' | 'open' | 'half-open';

/** A breaker as plain data: what a node keeps in its state. */
export interface BreakerState {
  readonly value: BreakerStateName;
  readonly context: BreakerContext;
}

export type BreakerEvent =
  | { readonly type: 'ACQUIRE'; readonly nowUs: number; readonly config: BreakerConfig }
  | {
      readonly type: 'RESULT';
      readonly nowUs: number;
      readonly config: BreakerConfig;
      readonly generation: number;
      readonly isFailure: boolean;
      readonly durationUs: number;
    }
  | { readonly type: 'WAIT_ELAPSED'; readonly nowUs: number; readonly config: BreakerConfig }
  | { readonly type: 'FORCE_OPEN'; readonly nowUs: number; readonly config: BreakerConfig }
  | { readonly type: 'RESET'; readonly nowUs: number; readonly config: BreakerConfig };

type ResultEvent = Extract<BreakerEvent, { type: 'RESULT' }>;

function bitsOf(event: ResultEvent): OutcomeBits {
  const slow = event.durationUs >= event.config.slowCallDurationUs ? slowBit : 0;
  return (event.isFailure ? failureBit : 0) | slow;
}

/** The window after recording one more outcome, trimmed to its size. */
function recorded(context: BreakerContext, event: ResultEvent): BreakerContext {
  const { config, nowUs } = event;
  if (config.windowKind === 'count') {
    // The last `windowCalls` outcomes, this one included.
    const size = Math.max(1, config.windowCalls);
    let window = appended(context.window, bitsOf(event), nowUs, false);
    while (window.calls > size) window = withoutOldest(window);
    return { ...context, window };
  }
  // Outcomes recorded by a count window (before a live switch) have no finish time that places
  // them, so a time window cannot keep them: only timed ones, which are the newest, stay.
  const timed = context.window.isTimed ? context.window : emptyWindow;
  let window = appended(timed, bitsOf(event), nowUs, true);
  const oldestUs = nowUs - config.windowUs;
  while ((oldestTimeUs(window) ?? Infinity) <= oldestUs) window = withoutOldest(window);
  return { ...context, window };
}

/** Whether a window's outcomes, judged by `config`, call for opening; the reason if so. */
export function tripReason(window: OutcomeWindow, config: BreakerConfig): string | null {
  return verdictOf(window.calls, window.failures, window.slow, config.minimumCalls, config);
}

/** The verdict on `calls` outcomes of which `failures` failed and `slow` were slow. */
function verdictOf(
  calls: number,
  failures: number,
  slow: number,
  minimumCalls: number,
  config: BreakerConfig,
): string | null {
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

const initialContext: BreakerContext = {
  window: emptyWindow,
  generation: 0,
  probesStarted: 0,
  probesFinished: 0,
  openedAtUs: 0,
  lastPermitted: true,
  reason: 'initial state',
  trips: 0,
};

/** The outcomes of this half-open period's trial calls, judged on their own. */
function probeVerdict(context: BreakerContext, event: ResultEvent): string | null {
  const probes = Math.max(1, event.config.permittedHalfOpenCalls);
  const bits = bitsOf(event);
  const { calls, failures, slow } = context.window;
  const failed = failures + (bits & failureBit ? 1 : 0);
  const reason = verdictOf(calls + 1, failed, slow + (bits & slowBit ? 1 : 0), 1, event.config);
  return reason === null ? null : `${reason} of ${probes} trial call(s)`;
}

const isCurrent = (context: BreakerContext, event: BreakerEvent): event is ResultEvent =>
  event.type === 'RESULT' && event.generation === context.generation;

const isLastProbe = (context: BreakerContext, event: BreakerEvent): event is ResultEvent =>
  isCurrent(context, event) &&
  context.probesFinished + 1 >= Math.max(1, event.config.permittedHalfOpenCalls);

/** Context on entering a state: a fresh window and a new generation. */
function entered(context: BreakerContext, reason: string): BreakerContext {
  return {
    ...context,
    window: emptyWindow,
    generation: context.generation + 1,
    probesStarted: 0,
    probesFinished: 0,
    reason,
  };
}

/** Context on opening (tripped, reopened or forced): the wait in `open` starts now. */
function opened(context: BreakerContext, nowUs: number, reason: string): BreakerContext {
  return {
    ...entered(context, reason),
    openedAtUs: nowUs,
    lastPermitted: false,
    trips: context.trips + 1,
  };
}

function tripReasonOf(context: BreakerContext, event: BreakerEvent): string {
  return isCurrent(context, event)
    ? (tripReason(recorded(context, event).window, event.config) ?? 'tripped')
    : 'forced open by the operator';
}

function reopenReasonOf(context: BreakerContext, event: BreakerEvent): string {
  return isCurrent(context, event) ? (probeVerdict(context, event) ?? 'trial failed') : 'reopened';
}

function closeReasonOf(context: BreakerContext, event: BreakerEvent): string {
  return event.type === 'RESET'
    ? 'reset by the operator'
    : `all ${context.probesFinished + 1} trial call(s) passed`;
}

/** A trial call's outcome, kept until the last one decides. */
function finishedProbe(context: BreakerContext, event: ResultEvent): BreakerContext {
  return {
    ...context,
    window: appended(context.window, bitsOf(event), event.nowUs, false),
    probesFinished: context.probesFinished + 1,
  };
}

/** The machine. Guards and context updates are pure functions of (context, event). */
export const breakerMachine = setup({
  types: {
    context: {} as BreakerContext,
    events: {} as BreakerEvent,
  },
  guards: {
    isCurrentResult: ({ context, event }) => isCurrent(context, event),
    tripsAfterResult: ({ context, event }) =>
      isCurrent(context, event) &&
      tripReason(recorded(context, event).window, event.config) !== null,
    hasProbeLeft: ({ context, event }) =>
      context.probesStarted < Math.max(1, event.config.permittedHalfOpenCalls),
    lastProbeFails: ({ context, event }) =>
      isLastProbe(context, event) && probeVerdict(context, event) !== null,
    lastProbePasses: ({ context, event }) => isLastProbe(context, event),
  },
  actions: {
    permit: assign({ lastPermitted: true }),
    reject: assign({ lastPermitted: false }),
    record: assign(({ context, event }) =>
      isCurrent(context, event) ? recorded(context, event) : context,
    ),
    trip: assign(({ context, event }) =>
      opened(context, event.nowUs, tripReasonOf(context, event)),
    ),
    reopen: assign(({ context, event }) =>
      opened(context, event.nowUs, reopenReasonOf(context, event)),
    ),
    halfOpen: assign(({ context }) => entered(context, 'wait in open elapsed')),
    close: assign(({ context, event }) => entered(context, closeReasonOf(context, event))),
    startProbe: assign(({ context }) => ({
      probesStarted: context.probesStarted + 1,
      lastPermitted: true,
    })),
    finishProbe: assign(({ context, event }) =>
      isCurrent(context, event) ? finishedProbe(context, event) : {},
    ),
  },
}).createMachine({
  id: 'breaker',
  initial: 'closed',
  context: initialContext,
  on: {
    RESET: { target: '.closed', actions: 'close' },
  },
  states: {
    closed: {
      on: {
        ACQUIRE: { actions: 'permit' },
        RESULT: [
          { guard: 'tripsAfterResult', target: 'open', actions: 'trip' },
          { guard: 'isCurrentResult', actions: 'record' },
        ],
        FORCE_OPEN: { target: 'open', actions: 'trip' },
      },
    },
    open: {
      on: {
        ACQUIRE: { actions: 'reject' },
        WAIT_ELAPSED: { target: 'half-open', actions: 'halfOpen' },
      },
    },
    'half-open': {
      on: {
        ACQUIRE: [{ guard: 'hasProbeLeft', actions: 'startProbe' }, { actions: 'reject' }],
        RESULT: [
          { guard: 'lastProbeFails', target: 'open', actions: 'reopen' },
          { guard: 'lastProbePasses', target: 'closed', actions: 'close' },
          { guard: 'isCurrentResult', actions: 'finishProbe' },
        ],
        FORCE_OPEN: { target: 'open', actions: 'trip' },
      },
    },
  },
});

/** A closed breaker with an empty window. */
export function initialBreaker(): BreakerState {
  return { value: 'closed', context: initialContext };
}

/** The breaker after one event: the machine's transition, from and back to plain data [4]. */
export function stepBreaker(state: BreakerState, event: BreakerEvent): BreakerState {
  return transitionOf(state, event);
}

/**
 * The machine's transition written out [4]: for the state and event, the first transition
 * whose guard holds (in the machine's order), its target and its context update. No transition:
 * the breaker as it was.
 */
function transitionOf(state: BreakerState, event: BreakerEvent): BreakerState {
  const { context } = state;
  // The root's RESET, which no state overrides.
  if (event.type === 'RESET') {
    return { value: 'closed', context: entered(context, closeReasonOf(context, event)) };
  }
  switch (state.value) {
    case 'closed':
      switch (event.type) {
        case 'ACQUIRE':
          return { value: 'closed', context: { ...context, lastPermitted: true } };
        case 'RESULT': {
          if (!isCurrent(context, event)) return state;
          const next = recorded(context, event);
          const reason = tripReason(next.window, event.config);
          if (reason === null) return { value: 'closed', context: next };
          return { value: 'open', context: opened(context, event.nowUs, reason) };
        }
        case 'FORCE_OPEN':
          return {
            value: 'open',
            context: opened(context, event.nowUs, tripReasonOf(context, event)),
          };
        case 'WAIT_ELAPSED':
          return state;
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    case 'open':
      switch (event.type) {
        case 'ACQUIRE':
          return { value: 'open', context: { ...context, lastPermitted: false } };
        case 'WAIT_ELAPSED':
          return { value: 'half-open', context: entered(context, 'wait in open elapsed') };
        case 'RESULT':
        case 'FORCE_OPEN':
          return state;
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    case 'half-open':
      switch (event.type) {
        case 'ACQUIRE': {
          const hasProbeLeft =
            context.probesStarted < Math.max(1, event.config.permittedHalfOpenCalls);
          return {
            value: 'half-open',
            context: hasProbeLeft
              ? { ...context, probesStarted: context.probesStarted + 1, lastPermitted: true }
              : { ...context, lastPermitted: false },
          };
        }
        case 'RESULT': {
          if (!isCurrent(context, event)) return state;
          if (isLastProbe(context, event)) {
            const verdict = probeVerdict(context, event);
            if (verdict !== null) {
              return { value: 'open', context: opened(context, event.nowUs, verdict) };
            }
            return { value: 'closed', context: entered(context, closeReasonOf(context, event)) };
          }
          return { value: 'half-open', context: finishedProbe(context, event) };
        }
        case 'FORCE_OPEN':
          return {
            value: 'open',
            context: opened(context, event.nowUs, tripReasonOf(context, event)),
          };
        case 'WAIT_ELAPSED':
          return state;
        default: {
          const unknownEvent: never = event;
          return unknownEvent;
        }
      }
    default: {
      const unknownState: never = state.value;
      return unknownState;
    }
  }
}

/** One event through the xstate machine itself (what `stepBreaker` must agree with). */
export function machineStep(state: BreakerState, event: BreakerEvent): BreakerState {
  const snapshot = breakerMachine.resolveState({ value: state.value, context: state.context });
  const [next] = transition(breakerMachine, snapshot, event);
  return { value: next.value, context: next.context };
}

/** Asks to make one call: the breaker after the request, and the permit's generation if any. */
export function acquire(
  state: BreakerState,
  nowUs: number,
  config: BreakerConfig,
): { readonly breaker: BreakerState; readonly permit: number | null } {
  // In `closed` and `open` an ACQUIRE changes nothing once `lastPermitted` agrees: the same
  // breaker, not an equal copy, so the owner's state need not change either.
  if (state.value === 'closed' && state.context.lastPermitted) {
    return { breaker: state, permit: state.context.generation };
  }
  if (state.value === 'open' && !state.context.lastPermitted) {
    return { breaker: state, permit: null };
  }
  const breaker = transitionOf(state, { type: 'ACQUIRE', nowUs, config });
  return {
    breaker,
    permit: breaker.context.lastPermitted ? breaker.context.generation : null,
  };
}
