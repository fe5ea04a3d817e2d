import { assign, setup, transition } from 'xstate';
import type { BreakerConfig } from './breakerConfig.ts';
import {
  type BreakerContext,
  type BreakerEvent,
  type BreakerState,
  entered,
  finishedProbe,
  forced,
  forcedOpenReason,
  halfOpenDecision,
  halfOpened,
  halfOpenedByCall,
  hasProbeLeft,
  initialContext,
  isAccepted,
  isRestartedWhileOpen,
  isWaitOnTimer,
  isWaitOverAtCall,
  maxWaitReason,
  opened,
  recorded,
  recordedWhileOpen,
  resetReason,
  startedProbe,
  tripped,
  tripReason,
} from './breakerSteps.ts';

export type { BreakerConfig, BreakerRules } from './breakerConfig.ts';
export type {
  BreakerContext,
  BreakerEvent,
  BreakerState,
  BreakerStateName,
} from './breakerSteps.ts';
export { tripReason } from './breakerSteps.ts';

/**
 * The circuit breaker, written once as an xstate machine and run as a pure transition function on
 * engine time: no actor, no clock, no timers inside. The node that owns a breaker keeps its state
 * as plain data (`BreakerState`, cloned into checkpoints like any node state), feeds it events
 * stamped with the node's clock, and sets engine timers for the wait in `open` and the max wait
 * in `half-open` [1]. The Circuit Breaker scenario's service and the Ambassador's outbound calls
 * share this one implementation.
 *
 * It follows Resilience4j's CircuitBreaker [2] (states, names, defaults in breakerConfig.ts):
 *  - `closed`: calls are permitted; each outcome goes into a sliding window (the last N calls, or
 *    the calls of the last N seconds in one-second buckets). Once the window holds the minimum
 *    number of calls (for a count window, at most its size) and the failure rate or the
 *    slow-call rate (calls slower than the threshold) reaches its threshold, the breaker opens.
 *  - `open`: calls are rejected at once (the caller fails fast or serves a fallback). After
 *    `waitInOpenUs` the owner's timer (or the first call after it) takes it half-open.
 *  - `half-open`: up to `permittedHalfOpenCalls` trial calls are let through; once the
 *    smaller of the minimum number of calls and the permitted trial calls have reported, the
 *    same thresholds decide: back to `closed` (window cleared) or `open` again. With a max wait
 *    in half-open, the owner's timer takes it back to `open` if no decision came in time.
 *  - `forced-open`, `disabled`, `metrics-only`: set and left only by the operator.
 *
 * Every permit carries the breaker's `generation`; a result that arrives after the breaker has
 * changed state is recorded in the state it finds (Resilience4j), or, by an earlier rule,
 * ignored. Each difference from DistSim's earlier breaker is a rule in `config.rules`.
 *
 * [1] xstate's `after` transitions need an actor's clock; engine timers keep time simulated and
 *     deterministic, and a checkpoint needs no actor state.
 * [2] resilience4j/resilience4j, CircuitBreakerStateMachine.java and CircuitBreakerMetrics.java;
 *     the notes in breakerSteps.ts say where each rule comes from.
 * [3] The machine is the definition; `stepBreaker` runs the same transition written out by hand
 *     (`transitionOf`: the same guards in the same order, the same context updates from
 *     breakerSteps.ts, which both share). Asking for a permit and reporting a result are the hot
 *     paths (every call), and xstate's `transition` builds an actor and a snapshot per event,
 *     about a millisecond until the JIT has seen it often, which a run of a few hundred state
 *     changes never does. A property test checks that `stepBreaker` and the machine agree on
 *     every step of random event sequences (every event type, stale results, live configuration
 *     changes); another that the breaker agrees with a reference written from Resilience4j's
 *     documentation (resilience4jReference.ts).
 */

/** The machine. Guards and context updates are pure functions of (context, event). */
export const breakerMachine = setup({
  types: {
    context: {} as BreakerContext,
    events: {} as BreakerEvent,
  },
  guards: {
    isAcceptedResult: ({ context, event }) => isAccepted(context, event),
    tripsAfterResult: ({ context, event }) =>
      isAccepted(context, event) &&
      tripReason(recorded(context, event).window, event.config) !== null,
    hasProbeLeft: ({ context, event }) => hasProbeLeft(context, event),
    trialsFail: ({ context, event }) =>
      isAccepted(context, event) && halfOpenDecision(context, event)?.target === 'open',
    trialsPass: ({ context, event }) =>
      isAccepted(context, event) && halfOpenDecision(context, event)?.target === 'closed',
    isWaitOverAtCall: ({ context, event }) => isWaitOverAtCall(context, event),
    isWaitOnTimer: ({ event }) => isWaitOnTimer(event),
    isRestartedWhileOpen: ({ event }) => isRestartedWhileOpen(event),
  },
  actions: {
    permit: assign({ lastPermitted: true }),
    reject: assign({ lastPermitted: false }),
    record: assign(({ context, event }) =>
      isAccepted(context, event) ? recorded(context, event) : context,
    ),
    recordWhileOpen: assign(({ context, event }) =>
      isAccepted(context, event) ? recordedWhileOpen(context, event) : context,
    ),
    trip: assign(({ context, event }) =>
      isAccepted(context, event)
        ? tripped(context, event, tripReason(recorded(context, event).window, event.config) ?? '')
        : context,
    ),
    forceOpen: assign(({ context, event }) => opened(context, event, forcedOpenReason)),
    decideTrials: assign(({ context, event }) => {
      const decision = isAccepted(context, event) ? halfOpenDecision(context, event) : null;
      if (decision === null) return context;
      const judged = { ...context, window: decision.window };
      return decision.target === 'open'
        ? opened(judged, event, decision.reason)
        : entered(context, decision.reason);
    }),
    expire: assign(({ context, event }) => opened(context, event, maxWaitReason)),
    halfOpen: assign(({ context }) => halfOpened(context)),
    halfOpenByCall: assign(({ context }) => halfOpenedByCall(context)),
    close: assign(({ context }) => entered(context, resetReason)),
    holdOpen: assign(({ context }) => forced(context, 'HOLD_OPEN')),
    disable: assign(({ context }) => forced(context, 'DISABLE')),
    metricsOnly: assign(({ context }) => forced(context, 'METRICS_ONLY')),
    startProbe: assign(({ context }) => startedProbe(context)),
    finishProbe: assign(({ context, event }) =>
      isAccepted(context, event) ? finishedProbe(context, event) : context,
    ),
  },
}).createMachine({
  id: 'breaker',
  initial: 'closed',
  context: initialContext,
  on: {
    RESET: { target: '.closed', actions: 'close' },
    HOLD_OPEN: { target: '.forced-open', actions: 'holdOpen' },
    DISABLE: { target: '.disabled', actions: 'disable' },
    METRICS_ONLY: { target: '.metrics-only', actions: 'metricsOnly' },
  },
  states: {
    closed: {
      on: {
        ACQUIRE: { actions: 'permit' },
        RESULT: [
          { guard: 'tripsAfterResult', target: 'open', actions: 'trip' },
          { guard: 'isAcceptedResult', actions: 'record' },
        ],
        FORCE_OPEN: { target: 'open', actions: 'forceOpen' },
      },
    },
    open: {
      on: {
        ACQUIRE: [
          { guard: 'isWaitOverAtCall', target: 'half-open', actions: 'halfOpenByCall' },
          { actions: 'reject' },
        ],
        WAIT_ELAPSED: { guard: 'isWaitOnTimer', target: 'half-open', actions: 'halfOpen' },
        RESULT: { guard: 'isAcceptedResult', actions: 'recordWhileOpen' },
        FORCE_OPEN: { guard: 'isRestartedWhileOpen', actions: 'forceOpen' },
      },
    },
    'half-open': {
      on: {
        ACQUIRE: [{ guard: 'hasProbeLeft', actions: 'startProbe' }, { actions: 'reject' }],
        RESULT: [
          { guard: 'trialsFail', target: 'open', actions: 'decideTrials' },
          { guard: 'trialsPass', target: 'closed', actions: 'decideTrials' },
          { guard: 'isAcceptedResult', actions: 'finishProbe' },
        ],
        FORCE_OPEN: { target: 'open', actions: 'forceOpen' },
        MAX_WAIT_ELAPSED: { target: 'open', actions: 'expire' },
      },
    },
    'forced-open': {
      on: {
        ACQUIRE: { actions: 'reject' },
        FORCE_OPEN: { target: 'open', actions: 'forceOpen' },
      },
    },
    disabled: {
      on: {
        ACQUIRE: { actions: 'permit' },
        FORCE_OPEN: { target: 'open', actions: 'forceOpen' },
      },
    },
    // Resilience4j has no transition from METRICS_ONLY to OPEN: "force open" does nothing here.
    'metrics-only': {
      on: {
        ACQUIRE: { actions: 'permit' },
        RESULT: { guard: 'isAcceptedResult', actions: 'record' },
      },
    },
  },
});

/** A closed breaker with an empty window. */
export function initialBreaker(): BreakerState {
  return { value: 'closed', context: initialContext };
}

/** The breaker after one event: the machine's transition, from and back to plain data [3]. */
export function stepBreaker(state: BreakerState, event: BreakerEvent): BreakerState {
  return transitionOf(state, event);
}

/**
 * The machine's transition written out [3]: for the state and event, the first transition
 * whose guard holds (in the machine's order), its target and its context update. No transition:
 * the breaker as it was.
 */
function transitionOf(state: BreakerState, event: BreakerEvent): BreakerState {
  const { context } = state;
  // The root's transitions, which no state overrides.
  if (event.type === 'RESET') return { value: 'closed', context: entered(context, resetReason) };
  if (event.type === 'HOLD_OPEN') {
    return { value: 'forced-open', context: forced(context, event.type) };
  }
  if (event.type === 'DISABLE') return { value: 'disabled', context: forced(context, event.type) };
  if (event.type === 'METRICS_ONLY') {
    return { value: 'metrics-only', context: forced(context, event.type) };
  }
  switch (state.value) {
    case 'closed':
      if (event.type === 'ACQUIRE') return permitted(state, true);
      if (event.type === 'RESULT') {
        if (!isAccepted(context, event)) return state;
        const next = recorded(context, event);
        const reason = tripReason(next.window, event.config);
        if (reason === null) return { value: 'closed', context: next };
        return { value: 'open', context: tripped(context, event, reason) };
      }
      if (event.type === 'FORCE_OPEN') return forcedOpen(context, event);
      return state;
    case 'open':
      if (event.type === 'ACQUIRE') {
        if (isWaitOverAtCall(context, event)) {
          return { value: 'half-open', context: halfOpenedByCall(context) };
        }
        return permitted(state, false);
      }
      if (event.type === 'WAIT_ELAPSED' && isWaitOnTimer(event)) {
        return { value: 'half-open', context: halfOpened(context) };
      }
      if (event.type === 'RESULT') {
        return isAccepted(context, event)
          ? { value: 'open', context: recordedWhileOpen(context, event) }
          : state;
      }
      if (event.type === 'FORCE_OPEN' && isRestartedWhileOpen(event)) {
        return forcedOpen(context, event);
      }
      return state;
    case 'half-open':
      if (event.type === 'ACQUIRE') {
        return hasProbeLeft(context, event)
          ? { value: 'half-open', context: startedProbe(context) }
          : permitted(state, false);
      }
      if (event.type === 'RESULT') {
        if (!isAccepted(context, event)) return state;
        const decision = halfOpenDecision(context, event);
        if (decision === null)
          return { value: 'half-open', context: finishedProbe(context, event) };
        if (decision.target === 'closed') {
          return { value: 'closed', context: entered(context, decision.reason) };
        }
        const judged = { ...context, window: decision.window };
        return { value: 'open', context: opened(judged, event, decision.reason) };
      }
      if (event.type === 'FORCE_OPEN') return forcedOpen(context, event);
      if (event.type === 'MAX_WAIT_ELAPSED') {
        return { value: 'open', context: opened(context, event, maxWaitReason) };
      }
      return state;
    case 'forced-open':
      if (event.type === 'ACQUIRE') return permitted(state, false);
      if (event.type === 'FORCE_OPEN') return forcedOpen(context, event);
      return state;
    case 'disabled':
      if (event.type === 'ACQUIRE') return permitted(state, true);
      if (event.type === 'FORCE_OPEN') return forcedOpen(context, event);
      return state;
    case 'metrics-only':
      if (event.type === 'ACQUIRE') return permitted(state, true);
      if (event.type === 'RESULT') {
        return isAccepted(context, event)
          ? { value: 'metrics-only', context: recorded(context, event) }
          : state;
      }
      return state;
    default: {
      const unknownState: never = state.value;
      return unknownState;
    }
  }
}

/** The breaker after an ACQUIRE that changes no state: permitted or not. */
function permitted(state: BreakerState, isPermitted: boolean): BreakerState {
  return { value: state.value, context: { ...state.context, lastPermitted: isPermitted } };
}

function forcedOpen(context: BreakerContext, event: BreakerEvent): BreakerState {
  return { value: 'open', context: opened(context, event, forcedOpenReason) };
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
  // When `lastPermitted` already agrees and no wait can be over, an ACQUIRE changes nothing:
  // the same breaker, not an equal copy, so the owner's state need not change either.
  const { value, context } = state;
  if (
    context.lastPermitted &&
    (value === 'closed' || value === 'disabled' || value === 'metrics-only')
  ) {
    return { breaker: state, permit: context.generation };
  }
  if (
    !context.lastPermitted &&
    (value === 'forced-open' || (value === 'open' && !isWaitOverAtCall(context, { nowUs, config })))
  ) {
    return { breaker: state, permit: null };
  }
  const breaker = transitionOf(state, { type: 'ACQUIRE', nowUs, config });
  return {
    breaker,
    permit: breaker.context.lastPermitted ? breaker.context.generation : null,
  };
}
