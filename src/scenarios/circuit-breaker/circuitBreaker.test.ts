import { describe, expect, it } from 'vitest';
import type { Command, RecordedCommand, Variant } from '../../engine/types.ts';
import { buildTopology, circuitBreaker } from './model.ts';
import { makeServiceBehaviour } from './service.ts';
import {
  at,
  boundMs,
  defaultsWith,
  dependencyFault,
  invariant,
  meanOf,
  metric,
  notesOf,
  percentileOf,
  reproduction,
  runFor,
  runUntil,
  samplesOf,
  serviceControl,
  start,
} from './testKit.ts';
import { breakerValueOf, dependencyId, dependencyStateOf, serviceId } from './world.ts';

/*
 * Scenario tests: each drives runs by seed and command log and asserts on what the run shows
 * (the world, the trace, the metrics, the invariants), comparing the pattern with the baseline
 * on the same seed and commands wherever there is a claim to compare.
 */

const defaults = defaultsWith();
const poolSize = defaults.poolSize ?? 0;
const clientTimeoutMs = defaults.clientTimeoutMs ?? 0;
const callTimeoutMs = defaults.callTimeoutMs ?? 0;

/** The incident is switched off: these runs break the dependency by command. */
const manual = { incidentStartS: 0 };

const faultAtMs = 3000;
const measureUntilMs = 23_000;

/** The three ways a dependency fails, each from `faultAtMs` on. */
const failures: Readonly<Record<string, Command>> = {
  crash: { type: 'node.crash', node: dependencyId },
  slow: dependencyFault('slow', { factor: 20 }),
  errors: dependencyFault('errors', { ratePercent: 80 }),
};

interface Figures {
  readonly success: number;
  readonly latencyP99Ms: number;
  /** Once the fault has lasted a few seconds (the breaker, if any, has opened by then). */
  readonly steadySuccess: number;
  readonly steadyLatencyP50Ms: number;
  readonly steadyLatencyP99Ms: number;
  readonly serviceP99Ms: number;
  readonly poolBusy: number;
  readonly queue: number;
  readonly rejected: number;
  readonly fallbacks: number;
  readonly dependencyCallsPerS: number;
  readonly trips: number;
  /** The service's health colour in the middle of the fault. */
  readonly midHealth: string;
}

const steadyFromMs = faultAtMs + 3000;

/** Runs one variant with the dependency failing from 3 s on; the figures at 23 s. */
function figuresOf(seed: number, variant: Variant, failure: Command): Figures {
  const commands = [at(faultAtMs, failure)];
  const sim = start(seed, { variant, params: manual, commands, traceWindowMax: 400_000 });
  runFor(sim, (faultAtMs + measureUntilMs) / 2);
  const midHealth = sim.node(serviceId).summary.health;
  sim.runUntil(measureUntilMs * 1000);
  expect(invariant(sim, 'no-calls-while-open').violations, reproduction(sim)).toBe(0);
  const steady = (name: string) => samplesOf(sim, name, steadyFromMs * 1000, measureUntilMs * 1000);
  return {
    success: metric(sim, 'client-success'),
    latencyP99Ms: metric(sim, 'client-latency-p99'),
    steadySuccess: meanOf(steady('client-success')),
    steadyLatencyP50Ms: percentileOf(steady('client-latency-p50'), 0.5),
    steadyLatencyP99Ms: percentileOf(steady('client-latency-p99'), 0.99),
    serviceP99Ms: metric(sim, 'service-latency-p99'),
    poolBusy: metric(sim, 'pool-busy'),
    queue: metric(sim, 'queue-length'),
    rejected: metric(sim, 'service-rejections'),
    fallbacks: metric(sim, 'fallbacks'),
    dependencyCallsPerS: metric(sim, 'dependency-calls'),
    trips: metric(sim, 'breaker-trips'),
    midHealth,
  };
}

describe('circuit breaker against the baseline, same seed and commands', () => {
  for (const name of ['crash', 'slow'] as const) {
    it(`keeps serving when the dependency is ${name === 'crash' ? 'down' : 'slow'}, where the baseline cascades`, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const failure = failures[name] as Command;
        const pattern = figuresOf(seed, 'pattern', failure);
        const baseline = figuresOf(seed, 'baseline', failure);
        const report = `seed ${seed}: ${JSON.stringify({ pattern, baseline })}`;
        // The breaker trips and the service serves fallbacks.
        expect(pattern.trips, report).toBeGreaterThanOrEqual(1);
        expect(pattern.fallbacks, report).toBeGreaterThan(0);
        // The cascade: the baseline's pool is saturated, its queue full, its clients failed.
        expect(baseline.midHealth, report).toBe('bad');
        expect(baseline.poolBusy, report).toBeGreaterThan(0.75 * poolSize);
        expect(baseline.rejected, report).toBeGreaterThan(0);
        expect(baseline.latencyP99Ms, report).toBeGreaterThanOrEqual(clientTimeoutMs);
        expect(baseline.serviceP99Ms, report).toBeGreaterThan(callTimeoutMs);
        // The pattern's service stays healthy: a free pool, no queue, clients served.
        expect(pattern.midHealth, report).not.toBe('bad');
        expect(pattern.poolBusy, report).toBeLessThan(0.25 * poolSize);
        expect(pattern.queue, report).toBeLessThan(baseline.queue / 5);
        expect(pattern.rejected, report).toBeLessThan(baseline.rejected / 5);
        expect(pattern.success, report).toBeGreaterThan(0.9);
        expect(pattern.success, report).toBeGreaterThan(baseline.success + 0.3);
        expect(pattern.serviceP99Ms, report).toBeLessThan(baseline.serviceP99Ms);
        // Once the breaker is open: nearly every request served, the tail well under the
        // client timeout (only the trial calls wait), while the baseline's tail is the timeout.
        expect(pattern.steadySuccess, report).toBeGreaterThan(0.98);
        expect(baseline.steadySuccess, report).toBeLessThan(0.1);
        expect(baseline.steadyLatencyP99Ms, report).toBeGreaterThanOrEqual(clientTimeoutMs);
        expect(pattern.steadyLatencyP99Ms, report).toBeLessThan(clientTimeoutMs);
        expect(pattern.steadyLatencyP50Ms, report).toBeLessThan(callTimeoutMs / 10);
        // A slow dependency gets fewer calls (a crashed one gets none in either variant).
        if (name === 'slow') {
          expect(pattern.dependencyCallsPerS, report).toBeLessThan(baseline.dependencyCallsPerS);
        }
      }
    });
  }

  it('opens on the failure rate when the dependency returns errors, and spares it the calls', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const pattern = figuresOf(seed, 'pattern', failures.errors as Command);
      const baseline = figuresOf(seed, 'baseline', failures.errors as Command);
      const report = `seed ${seed}: ${JSON.stringify({ pattern, baseline })}`;
      expect(pattern.trips, report).toBeGreaterThanOrEqual(1);
      expect(pattern.success, report).toBeGreaterThan(0.9);
      // Errors come back fast: no cascade in either, but the baseline's clients mostly fail.
      expect(baseline.midHealth, report).not.toBe('bad');
      expect(baseline.success, report).toBeLessThan(0.5);
      expect(pattern.dependencyCallsPerS, report).toBeLessThan(baseline.dependencyCallsPerS / 3);
    }
  });

  it('fails fast without a fallback: clients fail, but in milliseconds, and the pool stays free', () => {
    const sim = start(1, {
      params: { ...manual, fallback: 0 },
      commands: [at(faultAtMs, failures.slow as Command)],
    });
    runFor(sim, faultAtMs + 3000);
    expect(breakerValueOf(sim)).toBe('open');
    // Measure from here on: a fresh run over the same commands would include the transient.
    const failedBefore = metric(sim, 'fast-failures');
    runFor(sim, 4000);
    expect(metric(sim, 'fast-failures')).toBeGreaterThan(failedBefore);
    expect(metric(sim, 'fallbacks')).toBe(0);
    expect(sim.node(serviceId).summary.health).not.toBe('bad');
    expect(metric(sim, 'pool-busy')).toBeLessThan(0.25 * poolSize);
  });

  it('shows the difference on the default run, with its scheduled incident and no commands', () => {
    const pattern = start(1);
    const baseline = start(1, { variant: 'baseline' });
    pattern.runUntil(circuitBreaker.defaultDurationUs);
    baseline.runUntil(circuitBreaker.defaultDurationUs);
    const report = JSON.stringify({
      pattern: pattern.metricFinals(),
      baseline: baseline.metricFinals(),
    });
    expect(metric(pattern, 'breaker-trips'), report).toBeGreaterThanOrEqual(1);
    expect(metric(pattern, 'client-success'), report).toBeGreaterThan(
      metric(baseline, 'client-success') + 0.1,
    );
    expect(metric(pattern, 'service-rejections'), report).toBeLessThan(
      metric(baseline, 'service-rejections') / 5,
    );
    expect(metric(baseline, 'client-latency-p99'), report).toBeGreaterThanOrEqual(clientTimeoutMs);
    expect(metric(pattern, 'time-to-close'), report).toBeGreaterThan(0);
    expect(metric(pattern, 'time-to-close'), report).toBeLessThanOrEqual(boundMs());
    expect(breakerValueOf(pattern)).toBe('closed');
    expect(breakerValueOf(baseline)).toBe('none');
    expect(pattern.node(serviceId).summary.label).toBe('closed');
    expect(baseline.node(serviceId).summary.label).toBe('no breaker');
  });
});

describe('recovery', () => {
  const healAtMs = 13_000;

  for (const name of ['crash', 'slow', 'errors'] as const) {
    it(`closes within the liveness bound after the dependency heals (${name})`, () => {
      for (let seed = 1; seed <= 4; seed++) {
        const heal: Command =
          name === 'crash'
            ? { type: 'node.restart', node: dependencyId }
            : dependencyFault('recover');
        const commands: RecordedCommand[] = [
          at(faultAtMs, failures[name] as Command),
          at(healAtMs, heal),
        ];
        const sim = start(seed, { params: manual, commands, traceWindowMax: 400_000 });
        sim.runUntil(healAtMs * 1000);
        const context = `seed ${seed}; ${reproduction(sim)}`;
        expect(breakerValueOf(sim), context).not.toBe('closed');
        const isClosed = runUntil(sim, () => breakerValueOf(sim) === 'closed', boundMs());
        expect(isClosed, context).toBe(true);
        runFor(sim, 500); // the monitor's next sample reports the time to close
        const timeToCloseMs = metric(sim, 'time-to-close');
        expect(timeToCloseMs, context).toBeGreaterThan(0);
        expect(timeToCloseMs, context).toBeLessThanOrEqual(boundMs());
        // Trial calls decided it: the last transition is half-open → closed on their results.
        const transitions = notesOf(sim, serviceId, healAtMs * 1000).filter((note) =>
          note.startsWith('breaker '),
        );
        expect(transitions.at(-1), context).toMatch(/^breaker half-open → closed: all \d+ trial/);
        expect(invariant(sim, 'closes-after-heal').violations, context).toBe(0);
        expect(invariant(sim, 'no-calls-while-open').violations, context).toBe(0);
      }
    });
  }

  it('reports a breaker that never closes: slow-call duration below the healthy latency', () => {
    // Every healthy call now counts as slow, so after the dependency recovers each round of
    // trial calls still fails: the liveness invariant is owed (no fault in force, the dependency
    // healed) and must report the breaker that never closes.
    const params = { ...manual, slowCallDurationMs: 10 };
    const commands = [
      at(faultAtMs, failures.slow as Command),
      at(8000, dependencyFault('recover')),
    ];
    const sim = start(1, { params, commands });
    sim.runUntil((8000 + boundMs(params) + 1000) * 1000);
    expect(dependencyStateOf(sim)?.speedFactor).toBe(1);
    expect(metric(sim, 'breaker-trips')).toBeGreaterThanOrEqual(2);
    expect(invariant(sim, 'closes-after-heal').violations).toBeGreaterThan(0);
    expect(invariant(sim, 'closes-after-heal').firstViolation?.message).toMatch(
      /^The breaker closes after the dependency heals: not true/,
    );
  });
});

describe('operator controls', () => {
  it('force open stops every call until the wait elapses; reset closes at once', () => {
    const sim = start(1, { params: manual, traceWindowMax: 200_000 });
    runFor(sim, 2000);
    sim.apply(serviceControl('force-open'));
    expect(breakerValueOf(sim)).toBe('open');
    runFor(sim, 50); // calls already on the wire arrive
    const receivedAtOpen = dependencyStateOf(sim)?.received ?? -1;
    const waitMs = defaults.waitInOpenMs ?? 0;
    runFor(sim, waitMs - 100);
    expect(breakerValueOf(sim)).toBe('open');
    expect(dependencyStateOf(sim)?.received).toBe(receivedAtOpen);
    expect(runUntil(sim, () => breakerValueOf(sim) === 'closed', 1000)).toBe(true);
    sim.apply(serviceControl('force-open'));
    sim.apply(serviceControl('reset'));
    expect(breakerValueOf(sim)).toBe('closed');
    expect(notesOf(sim, serviceId)).toEqual(
      expect.arrayContaining([
        'breaker closed → open: forced open by the operator',
        'breaker open → closed: reset by the operator',
      ]),
    );
    expect(invariant(sim, 'no-calls-while-open').violations).toBe(0);
  });
});

describe('the safety invariant', () => {
  /** The scenario with a service that keeps the breaker's books but calls anyway. */
  const broken = {
    ...circuitBreaker,
    topology: (params: Readonly<Record<string, number>>, variant: Variant) =>
      buildTopology(params, variant, makeServiceBehaviour('ignores-breaker')),
  };

  it('catches a service that calls the dependency while its breaker is open or half-open', () => {
    const commands = [at(faultAtMs, failures.slow as Command)];
    const sim = start(1, { model: broken, params: manual, commands, traceWindowMax: 400_000 });
    const correct = start(1, { params: manual, commands });
    sim.runUntil(15_000_000);
    correct.runUntil(15_000_000);
    const safety = invariant(sim, 'no-calls-while-open');
    expect(safety.violations).toBeGreaterThan(0);
    expect(safety.firstViolation?.message).toMatch(/while its breaker was open/);
    expect(safety.firstViolation?.nodes).toEqual([serviceId]);
    const violations = sim
      .traceEvents(0)
      .filter((event) => event.type === 'invariant.violated')
      .map((event) => event.label);
    expect(violations.some((label) => /calls in one half-open period/.test(label))).toBe(true);
    expect(invariant(correct, 'no-calls-while-open').violations).toBe(0);
    expect(metric(correct, 'breaker-trips')).toBeGreaterThan(0);
  });
});
