import { assign, setup, transition } from 'xstate';

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
 * [4] Asking for a permit and reporting a result in `closed` are the hot paths (every call).
 *     Where the machine's answer is a no-op (a permit) or only records the outcome (a result
 *     that does not trip), it is given without resolving a snapshot; a property test checks
 *     that fast paths and machine agree on random event sequences.
 */

/** One recorded outcome: bit 0 set for a failure, bit 1 for a slow call. */
type OutcomeBits = number;
const failureBit = 1;
const slowBit = 2;

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
  /** Outcomes in the sliding window, oldest first (count window). */
  readonly outcomes: readonly OutcomeBits[];
  /** Finish times, parallel to `outcomes` (time window; empty for a count window). */
  readonly outcomeTimesUs: readonly number[];
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

/** Rates over a list of outcomes. */
export interface WindowRates {
  readonly calls: number;
  readonly failureRate: number;
  readonly slowRate: number;
}

export function ratesOf(outcomes: readonly OutcomeBits[]): WindowRates {
  let failures = 0;
  let slow = 0;
  for (const bits of outcomes) {
    if ((bits & failureBit) !== 0) failures++;
    if ((bits & slowBit) !== 0) slow++;
  }
  const calls = outcomes.length;
  return {
    calls,
    failureRate: calls === 0 ? 0 : failures / calls,
    slowRate: calls === 0 ? 0 : slow / calls,
  };
}

function bitsOf(event: ResultEvent): OutcomeBits {
  const slow = event.durationUs >= event.config.slowCallDurationUs ? slowBit : 0;
  return (event.isFailure ? failureBit : 0) | slow;
}

/** The window after recording one more outcome, trimmed to its size. */
function recorded(context: BreakerContext, event: ResultEvent): BreakerContext {
  const { config } = event;
  const outcomes = [...context.outcomes, bitsOf(event)];
  if (config.windowKind === 'count') {
    const excess = Math.max(0, outcomes.length - Math.max(1, config.windowCalls));
    return { ...context, outcomes: outcomes.slice(excess), outcomeTimesUs: [] };
  }
  const times = [...context.outcomeTimesUs, event.nowUs];
  // Outcomes recorded by a count window (before a live switch) have no finish time, so a time
  // window cannot place them: keep only the timed ones, which are the newest.
  const timed = outcomes.slice(outcomes.length - times.length);
  const oldestUs = event.nowUs - config.windowUs;
  let first = 0;
  while (first < times.length && (times[first] ?? 0) <= oldestUs) first++;
  return { ...context, outcomes: timed.slice(first), outcomeTimesUs: times.slice(first) };
}

/** Whether these outcomes, judged by `config`, call for opening; the reason if so. */
export function tripReason(outcomes: readonly OutcomeBits[], config: BreakerConfig): string | null {
  const rates = ratesOf(outcomes);
  if (rates.calls < Math.max(1, config.minimumCalls)) return null;
  const percent = (rate: number): string => `${Math.round(rate * 100)}%`;
  if (rates.failureRate >= config.failureRateThreshold) {
    return `failure rate ${percent(rates.failureRate)} over ${rates.calls} calls`;
  }
  if (rates.slowRate >= config.slowCallRateThreshold) {
    return `slow-call rate ${percent(rates.slowRate)} over ${rates.calls} calls`;
  }
  return null;
}

const emptyWindow = { outcomes: [], outcomeTimesUs: [] } as const;

const initialContext: BreakerContext = {
  ...emptyWindow,
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
  const outcomes = [...context.outcomes, bitsOf(event)];
  const reason = tripReason(outcomes, { ...event.config, minimumCalls: 1 });
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
    ...emptyWindow,
    generation: context.generation + 1,
    probesStarted: 0,
    probesFinished: 0,
    reason,
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
      tripReason(recorded(context, event).outcomes, event.config) !== null,
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
    trip: assign(({ context, event }) => ({
      ...entered(
        context,
        isCurrent(context, event)
          ? (tripReason(recorded(context, event).outcomes, event.config) ?? 'tripped')
          : 'forced open by the operator',
      ),
      openedAtUs: event.nowUs,
      lastPermitted: false,
      trips: context.trips + 1,
    })),
    reopen: assign(({ context, event }) => ({
      ...entered(
        context,
        isCurrent(context, event) ? (probeVerdict(context, event) ?? 'trial failed') : 'reopened',
      ),
      openedAtUs: event.nowUs,
      lastPermitted: false,
      trips: context.trips + 1,
    })),
    halfOpen: assign(({ context }) => entered(context, 'wait in open elapsed')),
    close: assign(({ context, event }) =>
      entered(
        context,
        event.type === 'RESET'
          ? 'reset by the operator'
          : `all ${context.probesFinished + 1} trial call(s) passed`,
      ),
    ),
    startProbe: assign(({ context }) => ({
      probesStarted: context.probesStarted + 1,
      lastPermitted: true,
    })),
    finishProbe: assign(({ context, event }) =>
      isCurrent(context, event)
        ? {
            outcomes: [...context.outcomes, bitsOf(event)],
            probesFinished: context.probesFinished + 1,
          }
        : {},
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

/** The breaker after one event: xstate's pure `transition`, from and back to plain data. */
export function stepBreaker(state: BreakerState, event: BreakerEvent): BreakerState {
  // Fast path [4]: a current result in `closed` that does not trip only records the outcome.
  if (
    state.value === 'closed' &&
    event.type === 'RESULT' &&
    event.generation === state.context.generation
  ) {
    const context = recorded(state.context, event);
    if (tripReason(context.outcomes, event.config) === null) return { value: 'closed', context };
  }
  return machineStep(state, event);
}

/** One event through the machine itself (what the fast paths must agree with). */
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
  // Fast path [4]: in `closed` and `open` an ACQUIRE changes nothing once `lastPermitted` agrees.
  if (state.value === 'closed' && state.context.lastPermitted) {
    return { breaker: state, permit: state.context.generation };
  }
  if (state.value === 'open' && !state.context.lastPermitted) {
    return { breaker: state, permit: null };
  }
  const breaker = machineStep(state, { type: 'ACQUIRE', nowUs, config });
  return {
    breaker,
    permit: breaker.context.lastPermitted ? breaker.context.generation : null,
  };
}
