import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acquire, type BreakerEvent, initialBreaker, stepBreaker } from './breaker.ts';
import { type BreakerConfig, resilience4jRules } from './breakerConfig.ts';
import {
  type ReferenceConfig,
  ReferenceBreaker,
  type ReferenceStateName,
} from './resilience4jReference.ts';

/**
 * The breaker, with its default (Resilience4j) rules, against a reference written from
 * Resilience4j's documentation and source (resilience4jReference.ts, which shares no code with
 * it): on random sequences of calls asked for, results (failures and successes, durations just
 * below, at and above the slow-call threshold, late ones from calls let through in an earlier
 * state), time passing (across second boundaries, so whole buckets leave a time window), the
 * waits in open and in half-open ending, thresholds changed live, and the operator's
 * transitions, both must be in the same state, answer every call alike and hold the same counts.
 */

const stateNames: Readonly<Record<ReferenceStateName, string>> = {
  CLOSED: 'closed',
  OPEN: 'open',
  HALF_OPEN: 'half-open',
  FORCED_OPEN: 'forced-open',
  DISABLED: 'disabled',
  METRICS_ONLY: 'metrics-only',
};

const shapeArb = fc.record({
  kind: fc.constantFrom('count' as const, 'time' as const),
  /** Calls, or seconds. */
  windowSize: fc.integer({ min: 1, max: 8 }),
  minimumCalls: fc.integer({ min: 1, max: 10 }),
  permitted: fc.integer({ min: 1, max: 4 }),
  automatic: fc.boolean(),
  maxWaitUs: fc.constantFrom(0, 0, 300_000, 1_500_000),
});

const thresholdsArb = fc.record({
  failurePercent: fc.constantFrom(25, 50, 100),
  slowPercent: fc.constantFrom(50, 100),
  slowUs: fc.constantFrom(100_000, 250_000),
  waitUs: fc.constantFrom(500_000, 2_000_000),
});

type Shape = typeof shapeArb extends fc.Arbitrary<infer T> ? T : never;
type Thresholds = typeof thresholdsArb extends fc.Arbitrary<infer T> ? T : never;

const stepArb = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('acquire' as const) }), weight: 5 },
  {
    arbitrary: fc.record({
      kind: fc.constant('result' as const),
      /** Which outstanding call reports (modulo their number): often not the newest. */
      pick: fc.nat(),
      isFailure: fc.boolean(),
      duration: fc.constantFrom('zero', 'below', 'at', 'above', 'long'),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('pass' as const),
      us: fc.constantFrom(0, 1, 90_000, 400_000, 999_999, 1_000_000, 2_500_000),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('thresholds' as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('operator' as const),
      type: fc.constantFrom(
        'FORCE_OPEN' as const,
        'RESET' as const,
        'HOLD_OPEN' as const,
        'DISABLE' as const,
        'METRICS_ONLY' as const,
      ),
    }),
    weight: 1,
  },
);

function referenceConfig(shape: Shape, thresholds: Thresholds): ReferenceConfig {
  return {
    slidingWindowType: shape.kind === 'count' ? 'COUNT_BASED' : 'TIME_BASED',
    slidingWindowSize: shape.windowSize,
    minimumNumberOfCalls: shape.minimumCalls,
    failureRateThreshold: thresholds.failurePercent,
    slowCallRateThreshold: thresholds.slowPercent,
    slowCallDurationThresholdUs: thresholds.slowUs,
    permittedNumberOfCallsInHalfOpenState: shape.permitted,
    waitDurationInOpenStateUs: thresholds.waitUs,
    maxWaitDurationInHalfOpenStateUs: shape.maxWaitUs,
    automaticTransitionFromOpenToHalfOpenEnabled: shape.automatic,
  };
}

function breakerConfig(shape: Shape, thresholds: Thresholds): BreakerConfig {
  return {
    windowKind: shape.kind,
    windowCalls: shape.kind === 'count' ? shape.windowSize : 100,
    windowUs: shape.kind === 'time' ? shape.windowSize * 1_000_000 : 60_000_000,
    failureRateThreshold: thresholds.failurePercent / 100,
    slowCallDurationUs: thresholds.slowUs,
    slowCallRateThreshold: thresholds.slowPercent / 100,
    minimumCalls: shape.minimumCalls,
    waitInOpenUs: thresholds.waitUs,
    permittedHalfOpenCalls: shape.permitted,
    maxWaitInHalfOpenUs: shape.maxWaitUs,
    rules: { ...resilience4jRules, openToHalfOpen: shape.automatic ? 'timer' : 'first-call' },
  };
}

const durationOf = {
  zero: () => 0,
  below: (slowUs: number) => slowUs - 1,
  at: (slowUs: number) => slowUs,
  above: (slowUs: number) => slowUs + 1,
  long: (slowUs: number) => slowUs * 3,
} as const;

describe('the breaker against a Resilience4j reference', () => {
  it('agrees on every step of random sequences of calls, results, time and operator actions', () => {
    fc.assert(
      fc.property(
        shapeArb,
        thresholdsArb,
        thresholdsArb,
        fc.nat({ max: 999_999 }),
        fc.array(stepArb, { maxLength: 150, size: 'max' }),
        (shape, first, second, startUs, steps) => {
          let nowUs = startUs;
          let thresholds = first;
          let config = breakerConfig(shape, thresholds);
          const reference = new ReferenceBreaker(referenceConfig(shape, thresholds), nowUs);
          let breaker = initialBreaker();
          /** Calls let through and not yet reported: the generation of each permit. */
          const outstanding: number[] = [];
          const send = (event: BreakerEvent) => {
            breaker = stepBreaker(breaker, event);
          };
          const compare = (label: string) => {
            expect(breaker.value, label).toBe(stateNames[reference.stateName]);
            const { calls, failures, slow } = breaker.context.window;
            expect({ calls, failed: failures, slow }, label).toEqual(reference.totals);
          };
          for (const [index, step] of steps.entries()) {
            const label = `step ${index}: ${JSON.stringify(step)}`;
            switch (step.kind) {
              case 'acquire': {
                const asked = acquire(breaker, nowUs, config);
                breaker = asked.breaker;
                expect(asked.permit !== null, label).toBe(reference.tryAcquirePermission(nowUs));
                if (asked.permit !== null) outstanding.push(asked.permit);
                break;
              }
              case 'result': {
                if (outstanding.length === 0) break;
                const [generation] = outstanding.splice(step.pick % outstanding.length, 1);
                const durationUs = durationOf[step.duration](thresholds.slowUs);
                reference.onResult(nowUs, durationUs, step.isFailure);
                send({
                  type: 'RESULT',
                  nowUs,
                  config,
                  generation: generation ?? -1,
                  isFailure: step.isFailure,
                  durationUs,
                });
                break;
              }
              case 'pass': {
                nowUs += step.us;
                // The owner's timers: whatever the reference's scheduler fires, in order.
                for (
                  let due = reference.nextDue(nowUs);
                  due !== null;
                  due = reference.nextDue(nowUs)
                ) {
                  reference.fireScheduled(due.atUs);
                  const type = due.kind === 'TO_HALF_OPEN' ? 'WAIT_ELAPSED' : 'MAX_WAIT_ELAPSED';
                  send({ type, nowUs: due.atUs, config });
                  compare(`${label}, ${type} at ${due.atUs}`);
                }
                break;
              }
              case 'thresholds':
                thresholds = thresholds === first ? second : first;
                config = breakerConfig(shape, thresholds);
                reference.config = referenceConfig(shape, thresholds);
                break;
              case 'operator':
                if (step.type === 'FORCE_OPEN') reference.transitionToOpenState(nowUs);
                else if (step.type === 'RESET') reference.reset(nowUs);
                else if (step.type === 'HOLD_OPEN') reference.transitionToForcedOpenState();
                else if (step.type === 'DISABLE') reference.transitionToDisabledState();
                else reference.transitionToMetricsOnlyState(nowUs);
                send({ type: step.type, nowUs, config });
                break;
            }
            compare(label);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
