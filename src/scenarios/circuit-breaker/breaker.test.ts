import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acquire,
  initialBreaker,
  machineStep,
  stepBreaker,
  type BreakerConfig,
  type BreakerEvent,
  type BreakerState,
} from './breaker.ts';
import { distSim1Rules, resilience4jRules } from './breakerConfig.ts';
import { outcomesOf, timesOf } from './outcomeWindow.ts';

const config: BreakerConfig = {
  windowKind: 'count',
  windowCalls: 10,
  windowUs: 10_000_000,
  failureRateThreshold: 0.5,
  slowCallDurationUs: 1_000_000,
  slowCallRateThreshold: 1.01,
  minimumCalls: 5,
  waitInOpenUs: 2_000_000,
  permittedHalfOpenCalls: 2,
  maxWaitInHalfOpenUs: 0,
  rules: resilience4jRules,
};

/** Makes one call at `nowUs` and reports its outcome right away; the breaker after it. */
function call(
  breaker: BreakerState,
  nowUs: number,
  isFailure: boolean,
  options: { durationUs?: number; settings?: BreakerConfig } = {},
): { breaker: BreakerState; permitted: boolean } {
  const settings = options.settings ?? config;
  const asked = acquire(breaker, nowUs, settings);
  if (asked.permit === null) return { breaker: asked.breaker, permitted: false };
  const next = stepBreaker(asked.breaker, {
    type: 'RESULT',
    nowUs,
    config: settings,
    generation: asked.permit,
    isFailure,
    durationUs: options.durationUs ?? 1000,
  });
  return { breaker: next, permitted: true };
}

function calls(breaker: BreakerState, outcomes: readonly boolean[], settings = config) {
  let state = breaker;
  outcomes.forEach((isFailure, index) => {
    state = call(state, index * 1000, isFailure, { settings }).breaker;
  });
  return state;
}

describe('circuit breaker machine', () => {
  it('stays closed below the minimum number of calls, however many fail', () => {
    const breaker = calls(initialBreaker(), [true, true, true, true]);
    expect(breaker.value).toBe('closed');
    expect(outcomesOf(breaker.context.window)).toHaveLength(4);
  });

  it('opens when the failure rate reaches the threshold over the window', () => {
    const breaker = calls(initialBreaker(), [false, true, false, true, true]);
    expect(breaker.value).toBe('open');
    expect(breaker.context.trips).toBe(1);
    expect(breaker.context.reason).toBe('failure rate 60% over 5 calls');
    expect(acquire(breaker, 10_000, config).permit).toBeNull();
  });

  it('judges only the last N calls of a count window', () => {
    // Ten successes then four failures: 4 of the last 10 fail (40%), below 50%.
    const outcomes = [...Array<boolean>(10).fill(false), true, true, true, true];
    const breaker = calls(initialBreaker(), outcomes);
    expect(breaker.value).toBe('closed');
    expect(outcomesOf(breaker.context.window)).toHaveLength(10);
    // One more failure makes 5 of 10.
    expect(call(breaker, 20_000, true).breaker.value).toBe('open');
  });

  it('forgets calls older than a time window', () => {
    for (const rules of [resilience4jRules, distSim1Rules]) {
      const timed: BreakerConfig = { ...config, windowKind: 'time', windowUs: 5_000_000, rules };
      let breaker = initialBreaker();
      // Four failures early, then successes well after the window has moved past them.
      for (let index = 0; index < 4; index++)
        breaker = call(breaker, index * 100, true, { settings: timed }).breaker;
      for (let index = 0; index < 6; index++) {
        breaker = call(breaker, 20_000_000 + index * 100, false, { settings: timed }).breaker;
      }
      expect(breaker.value).toBe('closed');
      expect(outcomesOf(breaker.context.window)).toHaveLength(6);
    }
  });

  it('judges a time window only on timed calls after a live switch from a count window', () => {
    // Four failures in a count window (no finish times kept), then the window kind is switched
    // live to a 5 ms time window: only calls finished in the last 5 ms may be judged.
    let breaker = calls(initialBreaker(), [true, true, true, true]);
    const timed: BreakerConfig = {
      ...config,
      windowKind: 'time',
      windowUs: 5_000,
      minimumCalls: 1,
    };
    breaker = call(breaker, 100_000, false, { settings: timed }).breaker;
    expect(breaker.value).toBe('closed');
    expect(outcomesOf(breaker.context.window)).toHaveLength(1);
    expect(timesOf(breaker.context.window)).toEqual([100_000]);
  });

  it('counts slow calls against their own threshold', () => {
    const slowAware: BreakerConfig = { ...config, slowCallRateThreshold: 0.8 };
    let breaker = initialBreaker();
    for (let index = 0; index < 5; index++) {
      breaker = call(breaker, index, false, { durationUs: 1_500_000, settings: slowAware }).breaker;
    }
    expect(breaker.value).toBe('open');
    expect(breaker.context.reason).toBe('slow-call rate 100% over 5 calls');
  });

  it('goes half-open after the wait, lets through only the permitted probes, then closes', () => {
    let breaker = calls(initialBreaker(), [true, true, true, true, true]);
    breaker = stepBreaker(breaker, { type: 'WAIT_ELAPSED', nowUs: 3_000_000, config });
    expect(breaker.value).toBe('half-open');
    const first = acquire(breaker, 3_000_001, config);
    const second = acquire(first.breaker, 3_000_002, config);
    const third = acquire(second.breaker, 3_000_003, config);
    expect(first.permit).not.toBeNull();
    expect(second.permit).not.toBeNull();
    expect(third.permit).toBeNull();
    const result = (state: BreakerState, generation: number | null, isFailure: boolean) =>
      stepBreaker(state, {
        type: 'RESULT',
        nowUs: 3_100_000,
        config,
        generation: generation ?? -1,
        isFailure,
        durationUs: 1000,
      });
    const afterOne = result(third.breaker, first.permit, false);
    expect(afterOne.value).toBe('half-open');
    const afterTwo = result(afterOne, second.permit, false);
    expect(afterTwo.value).toBe('closed');
    expect(afterTwo.context.reason).toBe('all 2 trial call(s) passed');
    expect(outcomesOf(afterTwo.context.window)).toEqual([]);
  });

  it('reopens when the trial calls fail', () => {
    let breaker = calls(initialBreaker(), [true, true, true, true, true]);
    breaker = stepBreaker(breaker, { type: 'WAIT_ELAPSED', nowUs: 3_000_000, config });
    breaker = call(breaker, 3_000_001, true).breaker;
    breaker = call(breaker, 3_000_002, true).breaker;
    expect(breaker.value).toBe('open');
    expect(breaker.context.trips).toBe(2);
    expect(breaker.context.openedAtUs).toBe(3_000_002);
  });

  it('ignores a result from a call permitted before the breaker changed state, by the earlier rule', () => {
    const earlier: BreakerConfig = { ...config, rules: distSim1Rules };
    const early = acquire(initialBreaker(), 0, earlier);
    let breaker = calls(early.breaker, [true, true, true, true, true], earlier);
    breaker = stepBreaker(breaker, { type: 'WAIT_ELAPSED', nowUs: 3_000_000, config: earlier });
    const probe = acquire(breaker, 3_000_001, earlier);
    // The old call's success arrives now: it must not count as a trial call.
    const late = stepBreaker(probe.breaker, {
      type: 'RESULT',
      nowUs: 3_000_002,
      config: { ...earlier, permittedHalfOpenCalls: 1 },
      generation: early.permit ?? -1,
      isFailure: false,
      durationUs: 1000,
    });
    expect(late.value).toBe('half-open');
    expect(late.context.probesFinished).toBe(0);
  });

  it("answers permits on its fast path exactly as the machine's own transition does", () => {
    const closed = initialBreaker();
    const open = calls(initialBreaker(), [true, true, true, true, true]);
    const lazy: BreakerConfig = {
      ...config,
      rules: { ...resilience4jRules, openToHalfOpen: 'first-call' },
    };
    const at = { nowUs: 5, config };
    const forcedStates = [
      stepBreaker(closed, { type: 'HOLD_OPEN', ...at }),
      stepBreaker(closed, { type: 'DISABLE', ...at }),
      stepBreaker(closed, { type: 'METRICS_ONLY', ...at }),
    ];
    for (const breaker of [closed, open, ...forcedStates]) {
      for (const [nowUs, settings] of [
        [9, config],
        [9, lazy],
        [5_000_000, lazy],
      ] as const) {
        const first = stepBreaker(breaker, { type: 'ACQUIRE', nowUs, config: settings });
        for (const before of [breaker, first]) {
          const fast = acquire(before, nowUs, settings);
          const slow = stepBreaker(before, { type: 'ACQUIRE', nowUs, config: settings });
          expect(fast.breaker).toEqual(slow);
          expect(fast.permit).toBe(slow.context.lastPermitted ? slow.context.generation : null);
        }
      }
    }
  });

  it('agrees with the xstate machine on every step of random event sequences', () => {
    const configArb = fc.record({
      windowKind: fc.constantFrom('count' as const, 'time' as const),
      windowCalls: fc.integer({ min: 1, max: 12 }),
      windowUs: fc.integer({ min: 1_000, max: 3_000_000 }),
      failureRateThreshold: fc.constantFrom(0.25, 0.5, 1),
      slowCallDurationUs: fc.integer({ min: 100, max: 5_000 }),
      slowCallRateThreshold: fc.constantFrom(0.5, 1.01),
      minimumCalls: fc.integer({ min: 1, max: 6 }),
      waitInOpenUs: fc.integer({ min: 1_000, max: 2_000_000 }),
      permittedHalfOpenCalls: fc.integer({ min: 1, max: 3 }),
      maxWaitInHalfOpenUs: fc.constantFrom(0, 5_000),
      // Every combination of rules, earlier and current.
      rules: fc.record({
        countMinimum: fc.constantFrom('capped' as const, 'as-set' as const),
        slowCall: fc.constantFrom('above' as const, 'at-least' as const),
        timeWindow: fc.constantFrom('buckets' as const, 'exact' as const),
        lateResults: fc.constantFrom('recorded' as const, 'ignored' as const),
        halfOpenMinimum: fc.constantFrom('capped' as const, 'all-trials' as const),
        forceOpenWhileOpen: fc.constantFrom('restarts' as const, 'ignored' as const),
        openToHalfOpen: fc.constantFrom('timer' as const, 'first-call' as const),
      }),
    });
    // Each event picks one of two configurations: live parameter changes, a window kind switch.
    const eventArb = fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant('acquire' as const), alt: fc.boolean() }),
        weight: 4,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant('result' as const),
          alt: fc.boolean(),
          isFailure: fc.boolean(),
          durationUs: fc.integer({ min: 0, max: 8_000 }),
          staleBy: fc.constantFrom(0, 0, 0, 1, 3),
        }),
        weight: 4,
      },
      {
        arbitrary: fc.record({ kind: fc.constant('wait' as const), alt: fc.boolean() }),
        weight: 2,
      },
      {
        arbitrary: fc.record({ kind: fc.constant('force' as const), alt: fc.boolean() }),
        weight: 1,
      },
      {
        arbitrary: fc.record({ kind: fc.constant('reset' as const), alt: fc.boolean() }),
        weight: 1,
      },
      {
        arbitrary: fc.record({
          kind: fc.constantFrom(
            'max-wait' as const,
            'hold-open' as const,
            'disable' as const,
            'metrics-only' as const,
          ),
          alt: fc.boolean(),
        }),
        weight: 2,
      },
    );
    const typeOf = {
      wait: 'WAIT_ELAPSED',
      'max-wait': 'MAX_WAIT_ELAPSED',
      force: 'FORCE_OPEN',
      reset: 'RESET',
      'hold-open': 'HOLD_OPEN',
      disable: 'DISABLE',
      'metrics-only': 'METRICS_ONLY',
    } as const;
    fc.assert(
      fc.property(
        configArb,
        configArb,
        fc.array(eventArb, { maxLength: 80, size: 'max' }),
        (settings, other, events) => {
          let fast = initialBreaker();
          let slow = initialBreaker();
          events.forEach((step, index) => {
            // Steps of 0.35 s: across second boundaries, and past the wait in open.
            const nowUs = index * 350_001;
            const at = { nowUs, config: step.alt ? other : settings };
            let event: BreakerEvent;
            if (step.kind === 'acquire') event = { type: 'ACQUIRE', ...at };
            else if (step.kind !== 'result') event = { type: typeOf[step.kind], ...at };
            else {
              const generation = slow.context.generation - step.staleBy;
              event = {
                type: 'RESULT',
                ...at,
                generation,
                isFailure: step.isFailure,
                durationUs: step.durationUs,
              };
            }
            if (event.type === 'ACQUIRE') {
              const asked = acquire(fast, nowUs, at.config);
              fast = asked.breaker;
              slow = machineStep(slow, event);
              const permit = slow.context.lastPermitted ? slow.context.generation : null;
              expect(asked.permit).toBe(permit);
            } else {
              fast = stepBreaker(fast, event);
              slow = machineStep(slow, event);
            }
            expect(fast).toEqual(slow);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is plain data, so a node can keep it and a checkpoint can copy it', () => {
    const breaker = calls(initialBreaker(), [true, false, true]);
    expect(JSON.parse(JSON.stringify(breaker))).toEqual(breaker);
  });

  it('can be forced open and reset by the operator', () => {
    const forced = stepBreaker(initialBreaker(), { type: 'FORCE_OPEN', nowUs: 5, config });
    expect(forced.value).toBe('open');
    expect(forced.context.reason).toBe('forced open by the operator');
    const reset = stepBreaker(forced, { type: 'RESET', nowUs: 6, config });
    expect(reset.value).toBe('closed');
    expect(reset.context.reason).toBe('reset by the operator');
  });
});
