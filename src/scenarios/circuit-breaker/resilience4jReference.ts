/**
 * Test-only: Resilience4j's CircuitBreaker as its source and Javadoc describe it, written
 * independently of breaker.ts (nothing is shared) so that a property test can hold the breaker
 * to it. Plain mutable code on purpose, shaped like the library rather than like the breaker: a
 * state object per state, each with its own metrics, a ring of outcomes for a count window, a
 * ring of one-second buckets for a time window, and a scheduler for the automatic transitions.
 *
 * Sources: resilience4j/resilience4j on GitHub (read at commit af9e7c9, May 2026), the Javadoc
 * and code of CircuitBreakerStateMachine.java, CircuitBreakerMetrics.java,
 * CircuitBreakerConfig.java, FixedSizeSlidingWindowMetrics.java and
 * SlidingTimeWindowMetrics.java; the library's guide is resilience4j.readme.io/docs/circuitbreaker.
 * What it leaves out: exceptions ignored or recorded by predicate, results recorded as failures
 * by predicate, transitions on result, wait intervals that grow, and the newer option to go to
 * CLOSED (not OPEN) when the max wait in half-open ends. Time is µs on the owner's clock; an
 * epoch second is a whole million of it.
 *
 * Where DistSim makes the configuration live (every threshold read when it is used) this model
 * does too, by reading `config` at each call; sizes are read when a state's metrics are made,
 * as in the library.
 */

export interface ReferenceConfig {
  readonly slidingWindowType: 'COUNT_BASED' | 'TIME_BASED';
  /** Calls (count based) or seconds (time based). */
  readonly slidingWindowSize: number;
  readonly minimumNumberOfCalls: number;
  /** Percent. */
  readonly failureRateThreshold: number;
  /** Percent. */
  readonly slowCallRateThreshold: number;
  readonly slowCallDurationThresholdUs: number;
  readonly permittedNumberOfCallsInHalfOpenState: number;
  readonly waitDurationInOpenStateUs: number;
  /** 0: stay half-open until the trial calls decide. */
  readonly maxWaitDurationInHalfOpenStateUs: number;
  readonly automaticTransitionFromOpenToHalfOpenEnabled: boolean;
}

export type ReferenceStateName =
  'CLOSED' | 'OPEN' | 'HALF_OPEN' | 'FORCED_OPEN' | 'DISABLED' | 'METRICS_ONLY';

interface Totals {
  calls: number;
  failed: number;
  slow: number;
}

interface Outcome {
  readonly isFailure: boolean;
  readonly isSlow: boolean;
}

/** The recorded outcomes of one state; `record` answers whether the thresholds are exceeded. */
interface Metrics {
  readonly totals: Totals;
  record(outcome: Outcome, nowUs: number): void;
}

/** FixedSizeSlidingWindowMetrics: a ring of the last `size` outcomes. */
function countWindow(size: number): Metrics {
  const ring: (Outcome | null)[] = new Array<Outcome | null>(size).fill(null);
  let head = 0;
  const totals: Totals = { calls: 0, failed: 0, slow: 0 };
  return {
    totals,
    record(outcome) {
      if (size === 0) return;
      head = (head + 1) % size;
      const leaving = ring[head] ?? null;
      if (leaving !== null) subtract(totals, leaving);
      ring[head] = outcome;
      add(totals, outcome);
    },
  };
}

interface Bucket {
  epochSecond: number;
  calls: number;
  failed: number;
  slow: number;
}

/** SlidingTimeWindowMetrics: a ring of `seconds` buckets, one per epoch second. */
function timeWindow(seconds: number, nowUs: number): Metrics {
  const start = Math.floor(nowUs / 1_000_000);
  const buckets: Bucket[] = [];
  for (let i = 0; i < seconds; i++) {
    buckets.push({ epochSecond: start + i, calls: 0, failed: 0, slow: 0 });
  }
  let head = 0;
  const totals: Totals = { calls: 0, failed: 0, slow: 0 };
  return {
    totals,
    record(outcome, now) {
      const second = Math.floor(now / 1_000_000);
      let latest = buckets[head] as Bucket;
      const behind = second - latest.epochSecond;
      if (behind > 0) {
        // Move the window to this second: each bucket passed over leaves the totals and starts
        // again empty for its new second.
        let moves = Math.min(behind, seconds);
        while (moves > 0) {
          moves--;
          head = (head + 1) % seconds;
          latest = buckets[head] as Bucket;
          totals.calls -= latest.calls;
          totals.failed -= latest.failed;
          totals.slow -= latest.slow;
          latest.epochSecond = second - moves;
          latest.calls = 0;
          latest.failed = 0;
          latest.slow = 0;
        }
      }
      latest.calls++;
      latest.failed += outcome.isFailure ? 1 : 0;
      latest.slow += outcome.isSlow ? 1 : 0;
      add(totals, outcome);
    },
  };
}

function add(totals: Totals, outcome: Outcome): void {
  totals.calls++;
  totals.failed += outcome.isFailure ? 1 : 0;
  totals.slow += outcome.isSlow ? 1 : 0;
}

function subtract(totals: Totals, outcome: Outcome): void {
  totals.calls--;
  totals.failed -= outcome.isFailure ? 1 : 0;
  totals.slow -= outcome.isSlow ? 1 : 0;
}

type Verdict = 'BELOW_MINIMUM_CALLS' | 'BELOW_THRESHOLDS' | 'ABOVE_THRESHOLDS';

interface State {
  readonly name: ReferenceStateName;
  readonly metrics: Metrics;
  /** CircuitBreakerMetrics' minimum for these metrics. */
  readonly minimumNumberOfCalls: number;
  /** OPEN: the first instant a call may go half-open after. */
  readonly retryAfterUs: number;
  /** OPEN with the automatic transition, HALF_OPEN with a max wait: when the scheduler fires. */
  readonly scheduledAtUs: number | null;
  /** HALF_OPEN: trial calls still to hand out. */
  permits: number;
}

export class ReferenceBreaker {
  config: ReferenceConfig;
  private state: State;

  constructor(config: ReferenceConfig, nowUs: number) {
    this.config = config;
    this.state = this.closedState(nowUs);
  }

  get stateName(): ReferenceStateName {
    return this.state.name;
  }

  /** The current state's recorded outcomes (as of the last record). */
  get totals(): Readonly<Totals> {
    return this.state.metrics.totals;
  }

  /** The scheduler's next transition, if one is due at or before `nowUs`: its kind and time. */
  nextDue(nowUs: number): { kind: 'TO_HALF_OPEN' | 'TO_OPEN'; atUs: number } | null {
    const at = this.state.scheduledAtUs;
    if (at === null || at > nowUs) return null;
    return { kind: this.state.name === 'OPEN' ? 'TO_HALF_OPEN' : 'TO_OPEN', atUs: at };
  }

  /** Runs the scheduled transition that `nextDue` announced. */
  fireScheduled(atUs: number): void {
    if (this.state.name === 'OPEN') this.state = this.halfOpenState(atUs);
    else if (this.state.name === 'HALF_OPEN') this.transitionToOpenState(atUs);
  }

  tryAcquirePermission(nowUs: number): boolean {
    const state = this.state;
    switch (state.name) {
      case 'CLOSED':
      case 'DISABLED':
      case 'METRICS_ONLY':
        return true;
      case 'FORCED_OPEN':
        return false;
      case 'OPEN':
        // Without the automatic transition, the first call after the wait goes half-open.
        if (nowUs > state.retryAfterUs) {
          this.state = this.halfOpenState(nowUs);
          return this.tryAcquirePermission(nowUs);
        }
        return false;
      case 'HALF_OPEN':
        if (state.permits > 0) {
          state.permits--;
          return true;
        }
        return false;
    }
  }

  /** A call's outcome, recorded in whatever state the breaker is in now. */
  onResult(nowUs: number, durationUs: number, isFailure: boolean): void {
    const state = this.state;
    if (state.name === 'DISABLED' || state.name === 'FORCED_OPEN') return;
    const isSlow = durationUs > this.config.slowCallDurationThresholdUs;
    state.metrics.record({ isFailure, isSlow }, nowUs);
    if (state.name === 'OPEN' || state.name === 'METRICS_ONLY') return;
    const verdict = this.verdict(state);
    if (state.name === 'CLOSED') {
      if (verdict === 'ABOVE_THRESHOLDS') this.transitionToOpenState(nowUs);
      return;
    }
    if (verdict === 'ABOVE_THRESHOLDS') this.transitionToOpenState(nowUs);
    else if (verdict === 'BELOW_THRESHOLDS') this.state = this.closedState(nowUs);
  }

  /** The operator's transitions. OPEN keeps the metrics of the state it leaves. */
  transitionToOpenState(nowUs: number): boolean {
    if (this.state.name === 'METRICS_ONLY') return false; // no such transition
    const wait = this.config.waitDurationInOpenStateUs;
    this.state = {
      name: 'OPEN',
      metrics: this.state.metrics,
      minimumNumberOfCalls: this.state.minimumNumberOfCalls,
      retryAfterUs: nowUs + wait,
      scheduledAtUs: this.config.automaticTransitionFromOpenToHalfOpenEnabled ? nowUs + wait : null,
      permits: 0,
    };
    return true;
  }

  reset(nowUs: number): void {
    this.state = this.closedState(nowUs);
  }

  transitionToForcedOpenState(): void {
    this.state = this.recordingNothing('FORCED_OPEN');
  }

  transitionToDisabledState(): void {
    this.state = this.recordingNothing('DISABLED');
  }

  transitionToMetricsOnlyState(nowUs: number): void {
    this.state = { ...this.closedState(nowUs), name: 'METRICS_ONLY' };
  }

  private verdict(state: State): Verdict {
    const { calls, failed, slow } = state.metrics.totals;
    if (calls === 0 || calls < state.minimumNumberOfCalls) return 'BELOW_MINIMUM_CALLS';
    // Rates in percent, compared without rounding: failed / calls ≥ threshold / 100.
    if (failed * 100 >= this.config.failureRateThreshold * calls) return 'ABOVE_THRESHOLDS';
    if (slow * 100 >= this.config.slowCallRateThreshold * calls) return 'ABOVE_THRESHOLDS';
    return 'BELOW_THRESHOLDS';
  }

  private closedState(nowUs: number): State {
    const { slidingWindowType, slidingWindowSize, minimumNumberOfCalls } = this.config;
    const isCount = slidingWindowType === 'COUNT_BASED';
    return {
      name: 'CLOSED',
      metrics: isCount ? countWindow(slidingWindowSize) : timeWindow(slidingWindowSize, nowUs),
      // A count window smaller than the minimum is judged once it is full.
      minimumNumberOfCalls: isCount
        ? Math.min(minimumNumberOfCalls, slidingWindowSize)
        : minimumNumberOfCalls,
      retryAfterUs: 0,
      scheduledAtUs: null,
      permits: 0,
    };
  }

  private halfOpenState(nowUs: number): State {
    const permitted = this.config.permittedNumberOfCallsInHalfOpenState;
    const maxWait = this.config.maxWaitDurationInHalfOpenStateUs;
    return {
      name: 'HALF_OPEN',
      metrics: countWindow(permitted),
      minimumNumberOfCalls: Math.min(this.config.minimumNumberOfCalls, permitted),
      retryAfterUs: 0,
      scheduledAtUs: maxWait > 0 ? nowUs + maxWait : null,
      permits: permitted,
    };
  }

  private recordingNothing(name: 'FORCED_OPEN' | 'DISABLED'): State {
    return {
      name,
      metrics: countWindow(0),
      minimumNumberOfCalls: 0,
      retryAfterUs: 0,
      scheduledAtUs: null,
      permits: 0,
    };
  }
}
