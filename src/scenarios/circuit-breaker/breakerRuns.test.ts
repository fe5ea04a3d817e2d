import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Variant } from '../../engine/types.ts';
import { momentKinds } from '../testing/momentKit.ts';
import { buildTopology, circuitBreaker } from './model.ts';
import { makeServiceBehaviour } from './service.ts';
import {
  at,
  defaultsWith,
  invariant,
  metric,
  notesOf,
  runFor,
  samplesOf,
  serviceControl,
  start,
  type RunOptions,
} from './testKit.ts';
import { breakerValueOf, dependencyStateOf, serviceId, serviceStateOf } from './world.ts';

/**
 * The breaker's rules and the operator's forced states in whole runs of the scenario (the
 * default run's incident slows the dependency 20× from 10 s to 25 s): what the service does, what
 * the trace says, and that the invariants hold.
 */

const defaults = defaultsWith();
const waitInOpenUs = (defaults.waitInOpenMs ?? 0) * 1000;

function runOf(options: RunOptions, ms = 60_000): Simulation {
  const sim = start(1, { traceWindowMax: 400_000, ...options });
  runFor(sim, ms);
  return sim;
}

function expectNoViolations(sim: Simulation): void {
  expect(invariant(sim, 'no-calls-while-open').violations).toBe(0);
  expect(invariant(sim, 'closes-after-heal').violations).toBe(0);
}

describe('a count window smaller than the minimum number of calls', () => {
  // `npm run sim -- run circuit-breaker --param windowCalls=5 --param minimumCalls=10`
  const small = { windowCalls: 5, minimumCalls: 10 };

  it('opens in the incident: a full window is judged (Resilience4j)', () => {
    const sim = runOf({ params: small });
    expect(metric(sim, 'breaker-trips')).toBeGreaterThan(0);
    expect(momentKinds(sim)).toContain('breaker-opened');
    const opening = notesOf(sim, serviceId).find((note) =>
      note.startsWith('breaker closed → open'),
    );
    expect(opening).toMatch(/: (slow-call|failure) rate \d+% over 5 calls$/);
    expectNoViolations(sim);
  });

  it('never opened by the earlier rule, as version 1 played it', () => {
    const sim = runOf({ params: { ...small, minimumCallsRule: 1 } });
    expect(metric(sim, 'breaker-trips')).toBe(0);
    expect(momentKinds(sim)).not.toContain('breaker-opened');
  });
});

describe('the max wait in half-open', () => {
  it('sends the breaker back to open when slow trial calls have not decided in time', () => {
    // Trial calls in the incident take about 400 ms; half-open waits at most 200 ms for them.
    const sim = runOf({ params: { maxWaitInHalfOpenMs: 200 } });
    const notes = notesOf(sim, serviceId);
    expect(notes).toContain('breaker half-open → open: max wait in half-open elapsed');
    // After the incident the trials come back in time and the breaker closes.
    expect(breakerValueOf(sim)).toBe('closed');
    expectNoViolations(sim);
  });

  it('never ends half-open when it is 0 (wait for ever)', () => {
    const notes = notesOf(runOf({}), serviceId);
    expect(notes.some((note) => note.includes('max wait'))).toBe(false);
  });
});

describe('the wait in open ending at the next call (Resilience4j’s default)', () => {
  it('goes half-open only when a call asks after the wait, and still closes after the incident', () => {
    const sim = runOf({ params: { openToHalfOpen: 1 } });
    const events = sim.traceEvents(0);
    const index = sim.node(serviceId).index;
    const notes = events.filter((event) => event.type === 'note.added' && event.node === index);
    const opened = notes.find((event) => event.label.startsWith('breaker closed → open'));
    const halfOpen = notes.find((event) => event.label.startsWith('breaker open → half-open'));
    expect(opened).toBeDefined();
    expect(halfOpen).toBeDefined();
    if (opened === undefined || halfOpen === undefined) return;
    // Strictly after the wait, and at the event of a call the service makes.
    expect(halfOpen.timeUs).toBeGreaterThan(opened.timeUs + waitInOpenUs);
    // No timer ends the wait (a run with the timer has one per opening).
    const waitTimers = (run: Simulation) =>
      run
        .traceEvents(0)
        .filter((event) => event.type === 'timer.fired' && event.label === 'breaker-wait');
    expect(waitTimers(sim)).toEqual([]);
    expect(waitTimers(runOf({})).length).toBeGreaterThan(0);
    expect(breakerValueOf(sim)).toBe('closed');
    expectNoViolations(sim);
  });
});

describe('the operator’s forced states', () => {
  it('hold open: no call reaches the dependency until the operator resets the breaker', () => {
    const sim = start(1, { params: { incidentStartS: 0 }, traceWindowMax: 200_000 });
    runFor(sim, 2000);
    sim.apply(serviceControl('hold-open'));
    expect(breakerValueOf(sim)).toBe('forced-open');
    expect(sim.node(serviceId).summary.label).toBe('forced-open');
    runFor(sim, 50); // calls already on the wire arrive
    const received = dependencyStateOf(sim)?.received ?? -1;
    // Far past the wait in open: no trial calls either.
    runFor(sim, 3 * (defaults.waitInOpenMs ?? 0));
    expect(breakerValueOf(sim)).toBe('forced-open');
    expect(dependencyStateOf(sim)?.received).toBe(received);
    expect((serviceStateOf(sim)?.fallbacks ?? 0) > 0).toBe(true);
    sim.apply(serviceControl('reset'));
    expect(breakerValueOf(sim)).toBe('closed');
    runFor(sim, 1000);
    expect(dependencyStateOf(sim)?.received).toBeGreaterThan(received);
    expect(notesOf(sim, serviceId)).toEqual([
      'breaker closed → forced-open: held open by the operator',
      'breaker forced-open → closed: reset by the operator',
    ]);
    // Marked as an opening and a closing, and charted as open while held.
    expect(sim.moments.map((moment) => [moment.kind, moment.text])).toEqual([
      [
        'breaker-opened',
        "service's breaker is held open by the operator: no calls reach the dependency until it is reset",
      ],
      [
        'breaker-closed',
        "service's breaker closed (reset by the operator): every call goes through again",
      ],
    ]);
    expect(new Set(samplesOf(sim, 'breaker-state', 2_500_000, 17_000_000))).toEqual(new Set([2]));
    expectNoViolations(sim);
  });

  it('hold open: a service that calls anyway is caught by the safety invariant', () => {
    const broken = {
      ...circuitBreaker,
      topology: (params: Readonly<Record<string, number>>, variant: Variant) =>
        buildTopology(params, variant, makeServiceBehaviour('ignores-breaker')),
    };
    const commands = [at(2000, serviceControl('hold-open'))];
    const sim = runOf({ model: broken, params: { incidentStartS: 0 }, commands }, 4000);
    const safety = invariant(sim, 'no-calls-while-open');
    expect(safety.violations).toBeGreaterThan(0);
    expect(safety.firstViolation?.message).toMatch(/while its breaker was forced-open/);
  });

  it('disabled: every call goes through the incident, and no closing is owed meanwhile', () => {
    const sim = runOf({ commands: [at(5000, serviceControl('disable'))] });
    expect(breakerValueOf(sim)).toBe('disabled');
    expect(metric(sim, 'breaker-trips')).toBe(0);
    expect(serviceStateOf(sim)?.breaker?.context.window.calls).toBe(0);
    expect(momentKinds(sim)).toContain('service-saturated');
    expectNoViolations(sim);
  });

  it('metrics only: the window records the incident, and the breaker never opens', () => {
    const sim = start(1, { commands: [at(5000, serviceControl('metrics-only'))] });
    runFor(sim, 20_000);
    const window = serviceStateOf(sim)?.breaker?.context.window;
    expect(breakerValueOf(sim)).toBe('metrics-only');
    expect(window?.calls).toBe(defaults.windowCalls);
    // Slow calls well past the threshold that would have opened it.
    expect((window?.slow ?? 0) / (window?.calls ?? 1)).toBeGreaterThanOrEqual(0.5);
    expect(metric(sim, 'breaker-trips')).toBe(0);
  });
});
