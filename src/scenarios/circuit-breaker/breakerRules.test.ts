import { describe, expect, it } from 'vitest';
import {
  acquire,
  type BreakerConfig,
  type BreakerEvent,
  type BreakerState,
  initialBreaker,
  stepBreaker,
} from './breaker.ts';
import { distSim1Rules, resilience4jRules } from './breakerConfig.ts';

/**
 * Resilience4j's rules, one by one, each against the earlier rule it replaced (which a switch
 * still chooses): the minimum of a count window, slow calls, the time window's buckets, late
 * results, half-open's decision and its max wait, the wait in open ending at a call, and the
 * operator's transitions.
 */

const base: BreakerConfig = {
  windowKind: 'count',
  windowCalls: 10,
  windowUs: 2_000_000,
  failureRateThreshold: 0.5,
  slowCallDurationUs: 100_000,
  slowCallRateThreshold: 1.01,
  minimumCalls: 5,
  waitInOpenUs: 1_000_000,
  permittedHalfOpenCalls: 2,
  maxWaitInHalfOpenUs: 0,
  rules: resilience4jRules,
};

/** `settings` under the earlier rules. */
function earlier(settings: BreakerConfig): BreakerConfig {
  return { ...settings, rules: distSim1Rules };
}

/** A little owner: asks for permits, reports results, and keeps the permits it holds. */
class Owner {
  breaker: BreakerState = initialBreaker();
  constructor(private readonly config: BreakerConfig) {}

  /** Asks for a permit at `nowUs`: its generation, or null. */
  ask(nowUs: number): number | null {
    const asked = acquire(this.breaker, nowUs, this.config);
    this.breaker = asked.breaker;
    return asked.permit;
  }

  report(permit: number | null, nowUs: number, isFailure: boolean, durationUs = 1000): void {
    if (permit === null) throw new Error('reporting a call that was not permitted');
    const { config } = this;
    const result = { nowUs, config, generation: permit, isFailure, durationUs };
    this.breaker = stepBreaker(this.breaker, { type: 'RESULT', ...result });
  }

  /** Makes a call at `nowUs` that reports at once. */
  call(nowUs: number, isFailure: boolean, durationUs = 1000): boolean {
    const permit = this.ask(nowUs);
    if (permit !== null) this.report(permit, nowUs, isFailure, durationUs);
    return permit !== null;
  }

  /** Sends an event that is neither a call nor a result (a timer, the operator). */
  send(type: Exclude<BreakerEvent['type'], 'RESULT' | 'ACQUIRE'>, nowUs: number): void {
    this.breaker = stepBreaker(this.breaker, { type, nowUs, config: this.config });
  }

  get value(): string {
    return this.breaker.value;
  }

  get window() {
    const { calls, failures, slow } = this.breaker.context.window;
    return { calls, failures, slow };
  }
}

/** An owner whose breaker tripped on five failures and has just gone half-open at 2 s. */
function halfOpenOwner(config: BreakerConfig, early: number[] = []): Owner {
  const owner = new Owner(config);
  for (let i = 0; i < early.length; i++) early[i] = owner.ask(0) ?? -1;
  for (let i = 0; i < 5; i++) owner.call(10 + i, true);
  expect(owner.value).toBe('open');
  owner.send('WAIT_ELAPSED', 2_000_000);
  expect(owner.value).toBe('half-open');
  return owner;
}

describe('the minimum number of calls of a count window', () => {
  const small = { ...base, windowCalls: 5, minimumCalls: 10 };

  it('is at most the window size: a full window smaller than the minimum is judged', () => {
    const owner = new Owner(small);
    for (let i = 0; i < 5; i++) owner.call(i, true);
    expect(owner.value).toBe('open');
    expect(owner.breaker.context.reason).toBe('failure rate 100% over 5 calls');
  });

  it('was the minimum as set by the earlier rule, so that window never opened', () => {
    const owner = new Owner(earlier(small));
    for (let i = 0; i < 50; i++) owner.call(i, true);
    expect(owner.value).toBe('closed');
  });
});

describe('a slow call', () => {
  const slowAware = { ...base, slowCallRateThreshold: 0.5 };

  it('took longer than the threshold; one that took exactly as long is not slow', () => {
    const owner = new Owner(slowAware);
    for (let i = 0; i < 5; i++) owner.call(i, false, slowAware.slowCallDurationUs);
    expect(owner.value).toBe('closed');
    expect(owner.window.slow).toBe(0);
    owner.call(5, false, slowAware.slowCallDurationUs + 1);
    expect(owner.window.slow).toBe(1);
  });

  it('took at least the threshold by the earlier rule', () => {
    const owner = new Owner(earlier(slowAware));
    for (let i = 0; i < 5; i++) owner.call(i, false, slowAware.slowCallDurationUs);
    expect(owner.value).toBe('open');
  });
});

describe('a time window of two seconds', () => {
  const timed: BreakerConfig = { ...base, windowKind: 'time', windowUs: 2_000_000 };

  /** Successes at 1.7 s and 1.8 s (second 1), then one more at `atUs`. */
  function run(config: BreakerConfig, atUs: number): Owner {
    const owner = new Owner(config);
    for (let i = 0; i < 5; i++) owner.call(1_700_000 + i, false);
    for (let i = 0; i < 4; i++) owner.call(1_800_000 + i, false);
    owner.call(atUs, false);
    return owner;
  }

  it('drops a whole second at once: at 3.0 s the calls of second 1 have all left', () => {
    // Calls of second 1 (1.7 s, 1.8 s) leave together when second 3 begins.
    const atEnd = run(timed, 2_999_999);
    expect(atEnd.window.calls).toBe(10);
    const next = run(timed, 3_000_000);
    expect(next.window).toEqual({ calls: 1, failures: 0, slow: 0 });
  });

  it('let each call leave exactly two seconds after it finished by the earlier rule', () => {
    const next = run(earlier(timed), 3_000_000);
    expect(next.window.calls).toBe(10);
    const later = run(earlier(timed), 3_750_000);
    expect(later.window.calls).toBe(5); // the successes of 1.8 s, and this one
  });
});

describe('a late result (a call let through before the breaker changed state)', () => {
  it('is recorded in half-open and counts toward the decision', () => {
    const early = [0];
    const owner = halfOpenOwner(base, early);
    const probe = owner.ask(2_000_001);
    // The call let through while closed fails now: half-open has one of its two results.
    owner.report(early[0] ?? -1, 2_000_002, true);
    expect(owner.value).toBe('half-open');
    expect(owner.window).toEqual({ calls: 1, failures: 1, slow: 0 });
    owner.report(probe, 2_000_003, true);
    expect(owner.value).toBe('open');
    expect(owner.breaker.context.reason).toBe('failure rate 100% over 2 calls of 2 trial call(s)');
  });

  it('was ignored by the earlier rule: half-open waited for its own trial calls', () => {
    const early = [0];
    const owner = halfOpenOwner(earlier(base), early);
    const probe = owner.ask(2_000_001);
    owner.report(early[0] ?? -1, 2_000_002, true);
    expect(owner.window.calls).toBe(0);
    owner.report(probe, 2_000_003, true);
    expect(owner.value).toBe('half-open');
  });

  it('is recorded while open, and changes nothing else', () => {
    const owner = new Owner(base);
    const early = owner.ask(0);
    for (let i = 0; i < 5; i++) owner.call(10 + i, true);
    const opened = owner.breaker;
    expect(opened.value).toBe('open');
    // The window that tripped it is kept in open, and the late success joins it.
    expect(owner.window.calls).toBe(5);
    owner.report(early, 500, false);
    expect(owner.value).toBe('open');
    expect(owner.window).toEqual({ calls: 6, failures: 5, slow: 0 });
    expect({ ...owner.breaker.context, window: null }).toEqual({ ...opened.context, window: null });
  });

  it('is recorded in closed when half-open has already decided', () => {
    // A minimum of 1 call: the first trial success closes, and the second trial's failure
    // arrives in the new closed window, where one failure of one call opens it again.
    const owner = halfOpenOwner({ ...base, minimumCalls: 1, permittedHalfOpenCalls: 3 });
    const first = owner.ask(2_000_001);
    const second = owner.ask(2_000_002);
    owner.report(first, 2_000_003, false);
    expect(owner.value).toBe('closed');
    expect(owner.window.calls).toBe(0);
    owner.report(second, 2_000_004, true);
    expect(owner.value).toBe('open');
    expect(owner.breaker.context.reason).toBe('failure rate 100% over 1 calls');
  });
});

describe('half-open', () => {
  const config = { ...base, minimumCalls: 2, permittedHalfOpenCalls: 4 };

  it('decides once it holds the minimum number of calls, when that is below the trial calls', () => {
    const owner = halfOpenOwner(config);
    const probes = [1, 2, 3, 4].map((i) => owner.ask(2_000_000 + i));
    expect(probes.every((permit) => permit !== null)).toBe(true);
    owner.report(probes[0] ?? null, 2_000_010, false);
    expect(owner.value).toBe('half-open');
    owner.report(probes[1] ?? null, 2_000_011, false);
    expect(owner.value).toBe('closed');
    expect(owner.breaker.context.reason).toBe('all 2 trial call(s) passed');
  });

  it('waited for every trial call by the earlier rule', () => {
    const owner = halfOpenOwner(earlier(config));
    const probes = [1, 2, 3, 4].map((i) => owner.ask(2_000_000 + i));
    probes.slice(0, 3).forEach((permit, i) => {
      owner.report(permit, 2_000_010 + i, false);
    });
    expect(owner.value).toBe('half-open');
    owner.report(probes[3] ?? null, 2_000_020, false);
    expect(owner.value).toBe('closed');
  });

  it('goes back to open when its max wait ends undecided, and only then', () => {
    const owner = halfOpenOwner({ ...base, maxWaitInHalfOpenUs: 300_000 });
    owner.ask(2_000_001);
    const trips = owner.breaker.context.trips;
    owner.send('MAX_WAIT_ELAPSED', 2_300_000);
    expect(owner.value).toBe('open');
    expect(owner.breaker.context.reason).toBe('max wait in half-open elapsed');
    expect(owner.breaker.context.trips).toBe(trips + 1);
    expect(owner.breaker.context.retryAfterUs).toBe(2_300_000 + base.waitInOpenUs);
    // In any other state the end of a max wait is stale and changes nothing.
    const closed = new Owner(base);
    closed.send('MAX_WAIT_ELAPSED', 1);
    expect(closed.breaker).toEqual(initialBreaker());
  });
});

describe('the wait in open ending at a call (Resilience4j’s default)', () => {
  const lazy: BreakerConfig = {
    ...base,
    rules: { ...resilience4jRules, openToHalfOpen: 'first-call' },
  };

  it('lets the first call after the wait through as the first trial call; no timer is needed', () => {
    const owner = new Owner(lazy);
    for (let i = 0; i < 5; i++) owner.call(i, true);
    const waitEndsUs = 4 + lazy.waitInOpenUs;
    expect(owner.breaker.context.retryAfterUs).toBe(waitEndsUs);
    owner.send('WAIT_ELAPSED', waitEndsUs);
    expect(owner.value).toBe('open');
    expect(owner.ask(waitEndsUs)).toBeNull();
    const permit = owner.ask(waitEndsUs + 1);
    expect(permit).not.toBeNull();
    expect(owner.value).toBe('half-open');
    expect(owner.breaker.context.probesStarted).toBe(1);
  });
});

describe('the operator', () => {
  it('forcing open an open breaker starts its wait again; the earlier rule ignored it', () => {
    for (const [config, isRestarted] of [
      [base, true],
      [earlier(base), false],
    ] as const) {
      const owner = new Owner(config);
      for (let i = 0; i < 5; i++) owner.call(i, true);
      const opened = owner.breaker;
      owner.send('FORCE_OPEN', 700_000);
      expect(owner.value).toBe('open');
      expect(owner.breaker.context.openedAtUs).toBe(isRestarted ? 700_000 : 4);
      expect(owner.breaker.context.trips).toBe(isRestarted ? 2 : 1);
      if (!isRestarted) expect(owner.breaker).toBe(opened);
    }
  });

  it('holds it open: every call refused, no wait, no trials, until it resets it', () => {
    const owner = new Owner(base);
    owner.send('HOLD_OPEN', 1);
    expect(owner.value).toBe('forced-open');
    expect(owner.ask(2)).toBeNull();
    owner.send('WAIT_ELAPSED', 5_000_000);
    expect(owner.ask(5_000_001)).toBeNull();
    expect(owner.value).toBe('forced-open');
    owner.send('RESET', 5_000_002);
    expect(owner.value).toBe('closed');
    expect(owner.ask(5_000_003)).not.toBeNull();
  });

  it('disables it: every call goes through, nothing is recorded, it never opens', () => {
    const owner = new Owner(base);
    owner.send('DISABLE', 1);
    for (let i = 0; i < 20; i++) expect(owner.call(2 + i, true)).toBe(true);
    expect(owner.value).toBe('disabled');
    expect(owner.window.calls).toBe(0);
  });

  it('sets metrics only: every call goes through and is recorded, it never opens', () => {
    const owner = new Owner(base);
    owner.send('METRICS_ONLY', 1);
    for (let i = 0; i < 20; i++) expect(owner.call(2 + i, true)).toBe(true);
    expect(owner.value).toBe('metrics-only');
    expect(owner.window).toEqual({ calls: 10, failures: 10, slow: 0 });
    // Resilience4j has no transition from metrics only to open.
    owner.send('FORCE_OPEN', 30);
    expect(owner.value).toBe('metrics-only');
    owner.send('RESET', 31);
    expect(owner.value).toBe('closed');
    expect(owner.window.calls).toBe(0);
  });

  it('can force open from a forced state, which then waits and probes as usual', () => {
    const owner = new Owner(base);
    owner.send('DISABLE', 1);
    owner.send('FORCE_OPEN', 2);
    expect(owner.value).toBe('open');
    owner.send('WAIT_ELAPSED', 1_000_002);
    expect(owner.value).toBe('half-open');
  });
});
