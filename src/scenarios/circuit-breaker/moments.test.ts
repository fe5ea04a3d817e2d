import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment } from '../../engine/types.ts';
import { circuitBreakerMoments } from './moments.ts';
import { at, defaultsWith, runFor, serviceControl, start, type RunOptions } from './testKit.ts';
import { breakerValueOf, serviceId, serviceStateOf } from './world.ts';
import { firstMomentOf, momentKinds } from '../testing/momentKit.ts';

/**
 * The moments the monitor reports (moments.ts): each kind appears where the protocol makes it
 * happen, at the very event that made it happen (a replay stopped one event earlier does not
 * show it yet), with its sentence, and only once per transition.
 */

const seed = 1;
const defaults = defaultsWith();
const waitS = (defaults.waitInOpenMs ?? 0) / 1000;

function runOf(options: RunOptions, ms = 60_000): Simulation {
  const sim = start(seed, options);
  runFor(sim, ms);
  return sim;
}

/** The same run replayed to just after `moment`'s event (`before`: to just before it). */
function replayTo(options: RunOptions, moment: Moment, before = false): Simulation {
  const sim = start(seed, options);
  sim.runUntil(moment.timeUs, moment.eventCount - (before ? 1 : 0));
  return sim;
}

function isSaturated(sim: Simulation): boolean {
  const service = serviceStateOf(sim);
  return service !== null && service.queue.length >= service.queueMax;
}

/** Kinds that may follow each kind: a transition is never reported twice in a row. */
const mayFollow: Readonly<Record<string, readonly string[]>> = {
  'breaker-opened': ['breaker-half-open', 'breaker-closed'],
  'breaker-half-open': ['breaker-opened', 'breaker-closed'],
  'breaker-closed': ['breaker-opened'],
  'service-saturated': ['service-recovered'],
  'service-recovered': ['service-saturated'],
};

/** Each moment's next one of the same family (breaker or service) is one that may follow it. */
function expectAlternating(moments: readonly Moment[]): void {
  const last = new Map<string, string>();
  for (const moment of moments) {
    const family = moment.kind.split('-')[0] ?? '';
    const previous = last.get(family);
    if (previous !== undefined) {
      expect(mayFollow[previous], `${previous} then ${moment.kind}`).toContain(moment.kind);
    }
    last.set(family, moment.kind);
  }
}

describe('moments', () => {
  describe('the default run (scheduled incident)', () => {
    const options: RunOptions = {};
    const sim = runOf(options);

    it('reports every declared kind, in an order the protocol allows', () => {
      expect(new Set(momentKinds(sim))).toEqual(
        new Set(circuitBreakerMoments.map((spec) => spec.id)),
      );
      expectAlternating(sim.moments);
      for (const moment of sim.moments) expect(moment.nodes).toEqual([serviceId]);
    });

    it('reports the breaker opening at the event that opened it, with the reason', () => {
      const opened = firstMomentOf(sim, 'breaker-opened');
      expect(breakerValueOf(replayTo(options, opened, true))).toBe('closed');
      const after = replayTo(options, opened);
      expect(breakerValueOf(after)).toBe('open');
      expect(after.nowUs).toBe(opened.timeUs);
      const reason = serviceStateOf(after)?.breaker?.context.reason ?? '';
      expect(reason).toMatch(/rate \d+% over \d+ calls/);
      expect(opened.text).toBe(
        `service's breaker opened (${reason}): no calls reach the dependency for ` + `${waitS} s`,
      );
    });

    it('reports half-open after the wait, and closed when the trial calls pass', () => {
      const halfOpen = firstMomentOf(sim, 'breaker-half-open');
      expect(breakerValueOf(replayTo(options, halfOpen, true))).toBe('open');
      expect(breakerValueOf(replayTo(options, halfOpen))).toBe('half-open');
      expect(halfOpen.text).toBe(
        `service's breaker is half-open after its wait in open: up to ` +
          `${defaults.permittedHalfOpenCalls} trial calls go to the dependency`,
      );
      const closed = firstMomentOf(sim, 'breaker-closed');
      expect(breakerValueOf(replayTo(options, closed, true))).toBe('half-open');
      expect(breakerValueOf(replayTo(options, closed))).toBe('closed');
      expect(closed.text).toBe(
        `service's breaker closed (all ${defaults.permittedHalfOpenCalls} trial call(s) passed): ` +
          'every call goes through again',
      );
    });

    it('reports the pool saturating before the breaker opens, and recovering after', () => {
      const saturated = firstMomentOf(sim, 'service-saturated');
      expect(isSaturated(replayTo(options, saturated, true))).toBe(false);
      expect(isSaturated(replayTo(options, saturated))).toBe(true);
      expect(saturated.text).toBe(
        `service is saturated: all ${defaults.poolSize} workers are busy and its queue of ` +
          `${defaults.queueMax} is full, so new requests are turned away`,
      );
      const recovered = firstMomentOf(sim, 'service-recovered');
      expect(recovered.timeUs).toBeGreaterThan(firstMomentOf(sim, 'breaker-opened').timeUs);
      const service = serviceStateOf(replayTo(options, recovered));
      expect(service?.queue.length).toBe(0);
      expect(recovered.text).toMatch(
        new RegExp(`^service recovered: its queue is empty and \\d of its ${defaults.poolSize} `),
      );
    });

    it('reports nothing once the breaker has closed for good', () => {
      const closedAt = sim.moments.at(-1)?.timeUs ?? 0;
      expect(sim.moments.at(-1)?.kind).toBe('breaker-closed');
      expect(breakerValueOf(sim)).toBe('closed');
      expect(sim.nowUs).toBeGreaterThan(closedAt);
    });
  });

  it('reports nothing in a run without an incident, in either variant', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      expect(momentKinds(runOf({ variant, params: { incidentStartS: 0 } }))).toEqual([]);
    }
  });

  it('reports only the pool in the baseline: saturated through the incident, then recovered', () => {
    const options: RunOptions = { variant: 'baseline' };
    const sim = runOf(options);
    expect(momentKinds(sim)).toEqual(['service-saturated', 'service-recovered']);
    const [saturated, recovered] = sim.moments as [Moment, Moment];
    expect(isSaturated(replayTo(options, saturated))).toBe(true);
    expect(isSaturated(replayTo(options, saturated, true))).toBe(false);
    expect(serviceStateOf(replayTo(options, recovered))?.queue.length).toBe(0);
  });

  it('names the operator and a restart as the reasons a breaker opened or closed', () => {
    const options: RunOptions = {
      params: { incidentStartS: 0 },
      commands: [
        at(2_000, serviceControl('force-open')),
        at(3_000, serviceControl('reset')),
        at(4_000, serviceControl('force-open')),
        at(5_000, { type: 'node.crash', node: serviceId }),
        at(5_500, { type: 'node.restart', node: serviceId }),
      ],
    };
    const sim = runOf(options, 6_000);
    expect(sim.moments.map(({ kind, text }) => ({ kind, text }))).toEqual([
      {
        kind: 'breaker-opened',
        text: `service's breaker opened (forced open by the operator): no calls reach the dependency for ${waitS} s`,
      },
      {
        kind: 'breaker-closed',
        text: "service's breaker closed (reset by the operator): every call goes through again",
      },
      {
        kind: 'breaker-opened',
        text: `service's breaker opened (forced open by the operator): no calls reach the dependency for ${waitS} s`,
      },
      {
        kind: 'breaker-closed',
        text: 'service restarted with a new breaker, closed: every call goes through again',
      },
    ]);
    // Controls and crashes act at once, so each moment carries its command's time.
    expect(sim.moments.map((moment) => moment.timeUs / 1000)).toEqual([2_000, 3_000, 4_000, 5_500]);
  });
});
