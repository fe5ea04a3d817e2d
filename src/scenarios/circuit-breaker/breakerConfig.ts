/**
 * The breaker's configuration: Resilience4j's CircuitBreakerConfig in engine units (µs,
 * fractions), plus the rules on which DistSim's breaker once differed from Resilience4j's, each
 * a switch so an earlier run can be played exactly as it was [1].
 *
 * Resilience4j's own defaults (CircuitBreakerConfig, checked against its source [2]), for
 * comparison; the scenarios choose smaller values so the story shows in seconds (their params.ts
 * say which):
 *   failureRateThreshold 50 %, slowCallRateThreshold 100 %, slowCallDurationThreshold 60 s,
 *   slidingWindowType COUNT_BASED, slidingWindowSize 100, minimumNumberOfCalls 100,
 *   waitDurationInOpenState 60 s, permittedNumberOfCallsInHalfOpenState 10,
 *   maxWaitDurationInHalfOpenState 0 (wait for ever), automaticTransitionFromOpenToHalfOpen
 *   false (the breaker goes half-open when a call asks after the wait, not by a timer).
 *
 * [1] Runs, links and run files carry parameters and a scenario version; a version whose
 *     breaker behaved differently maps to the switches below (../earlierVersions.ts).
 * [2] resilience4j/resilience4j on GitHub, read at commit af9e7c9 (May 2026):
 *     CircuitBreakerConfig.java (the defaults), CircuitBreakerStateMachine.java (the states),
 *     CircuitBreakerMetrics.java (the verdict), SlidingTimeWindowMetrics.java and
 *     FixedSizeSlidingWindowMetrics.java (the windows).
 */

/**
 * Where the breaker follows Resilience4j (the first choice of each) or an earlier DistSim
 * breaker (the second).
 */
export interface BreakerRules {
  /**
   * The calls a count window needs before it is judged: Resilience4j takes the smaller of
   * minimumNumberOfCalls and the window size (`capped`); DistSim 1 took the minimum as set, so
   * a window smaller than the minimum never opened (`as-set`).
   */
  readonly countMinimum: 'capped' | 'as-set';
  /** A slow call: Resilience4j, longer than the threshold; DistSim 1, at least as long. */
  readonly slowCall: 'above' | 'at-least';
  /**
   * The time window: Resilience4j's ring of one-second buckets (a call counts in the bucket of
   * the second it finished in; whole buckets leave), or DistSim 1's exact window (each call
   * leaves exactly the window's length after it finished).
   */
  readonly timeWindow: 'buckets' | 'exact';
  /**
   * The result of a call let through before the breaker last changed state: Resilience4j
   * records it in the current state (it may decide half-open; while open it changes nothing);
   * DistSim 1 ignored it.
   */
  readonly lateResults: 'recorded' | 'ignored';
  /**
   * When half-open decides: Resilience4j, once its window of trial results holds the smaller of
   * minimumNumberOfCalls and the permitted trial calls (`capped`); DistSim 1, once it holds
   * every permitted trial call (`all-trials`).
   */
  readonly halfOpenMinimum: 'capped' | 'all-trials';
  /**
   * An operator's "force open" while open: Resilience4j's transitionToOpenState starts the wait
   * again (`restarts`); DistSim 1 ignored it (`ignored`).
   */
  readonly forceOpenWhileOpen: 'restarts' | 'ignored';
  /**
   * Open to half-open: by a timer when the wait ends (`timer`, Resilience4j with
   * automaticTransitionFromOpenToHalfOpenEnabled, and DistSim 1), or when the first call asks
   * after the wait (`first-call`, Resilience4j's default).
   */
  readonly openToHalfOpen: 'timer' | 'first-call';
}

/** Thresholds and sizes; passed with every event, so live parameter changes apply at once. */
export interface BreakerConfig {
  readonly windowKind: 'count' | 'time';
  /** Count window: the last this many calls (slidingWindowSize). */
  readonly windowCalls: number;
  /** Time window: the calls of the last this many µs (slidingWindowSize, in whole seconds). */
  readonly windowUs: number;
  /** Failure rate (0–1) at or above which the breaker opens. */
  readonly failureRateThreshold: number;
  /** A call that took longer than this counts as slow (see `rules.slowCall`). */
  readonly slowCallDurationUs: number;
  /** Slow-call rate (0–1) at or above which the breaker opens; above 1 disables it. */
  readonly slowCallRateThreshold: number;
  /** Calls the window must hold before the rates are judged (see `rules.countMinimum`). */
  readonly minimumCalls: number;
  /** Time in `open` before trial calls are let through. */
  readonly waitInOpenUs: number;
  /** Trial calls in `half-open`. */
  readonly permittedHalfOpenCalls: number;
  /** Time in `half-open` after which it goes back to open undecided; 0 waits for ever. */
  readonly maxWaitInHalfOpenUs: number;
  readonly rules: BreakerRules;
}

/** Resilience4j's rules: the default. */
export const resilience4jRules: BreakerRules = {
  countMinimum: 'capped',
  slowCall: 'above',
  timeWindow: 'buckets',
  lateResults: 'recorded',
  halfOpenMinimum: 'capped',
  forceOpenWhileOpen: 'restarts',
  openToHalfOpen: 'timer',
};

/** The rules of the breaker DistSim had before it followed Resilience4j. */
export const distSim1Rules: BreakerRules = {
  countMinimum: 'as-set',
  slowCall: 'at-least',
  timeWindow: 'exact',
  lateResults: 'ignored',
  halfOpenMinimum: 'all-trials',
  forceOpenWhileOpen: 'ignored',
  openToHalfOpen: 'timer',
};

/** The calls a closed (or metrics-only) window must hold before it is judged. */
export function minimumCallsOf(config: BreakerConfig): number {
  const minimum = Math.max(1, config.minimumCalls);
  if (config.windowKind === 'time' || config.rules.countMinimum === 'as-set') return minimum;
  return Math.min(minimum, Math.max(1, config.windowCalls));
}

/** The trial results half-open needs before it decides. */
export function halfOpenMinimumOf(config: BreakerConfig): number {
  const permitted = Math.max(1, config.permittedHalfOpenCalls);
  if (config.rules.halfOpenMinimum === 'all-trials') return permitted;
  return Math.min(Math.max(1, config.minimumCalls), permitted);
}

/** Whether a call of `durationUs` counts as slow. */
export function isSlowCall(durationUs: number, config: BreakerConfig): boolean {
  return config.rules.slowCall === 'above'
    ? durationUs > config.slowCallDurationUs
    : durationUs >= config.slowCallDurationUs;
}

/** The time window's length in whole seconds: the number of one-second buckets. */
export function bucketCountOf(config: BreakerConfig): number {
  return Math.max(1, Math.round(config.windowUs / 1_000_000));
}

/** The second a time (µs on the owner's clock) falls in: its bucket. */
export function secondOf(timeUs: number): number {
  return Math.floor(timeUs / 1_000_000);
}
