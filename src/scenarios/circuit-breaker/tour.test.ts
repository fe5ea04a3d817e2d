import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { TourStep } from '../define.ts';
import { walkTour } from '../testing/runKit.ts';
import { circuitBreakerTour } from './tour.ts';
import { invariant, metric, runFor, sliceUs, start } from './testKit.ts';
import { breakerValueOf } from './world.ts';

const readingMs = 500;
const seeds = [1, 7];

/** What a step's wait saw: when it was first met, and the moments since the previous one was. */
interface StepSeen {
  metUs: number;
  moments: { kind: string; text: string; timeUs: number }[];
}

/**
 * Walks the tour on the default run (pattern variant, default parameters), recording for each
 * step the moments that came between the previous step's wait being met and its own: what the
 * learner saw on the timeline while the step ran.
 */
function walkDefault(seed: number): {
  sim: Simulation;
  outcomes: string[];
  seen: Map<string, StepSeen>;
} {
  const sim = start(seed);
  const seen = new Map<string, StepSeen>();
  let from = 0;
  const steps: TourStep[] = circuitBreakerTour.map((step) => {
    const wait = step.waitFor;
    if (wait === undefined) return step;
    return {
      ...step,
      waitFor: {
        ...wait,
        isMet(world) {
          const met = wait.isMet(world);
          if (met && !seen.has(step.id)) {
            const moments = sim.moments.slice(from);
            from = sim.moments.length;
            seen.set(step.id, { metUs: sim.nowUs, moments: moments.map((each) => ({ ...each })) });
          }
          return met;
        },
      },
    };
  });
  const outcomes = walkTour(sim, steps, { readingMs, sliceUs });
  return { sim, outcomes, seen };
}

function kindsOf(seen: Map<string, StepSeen>, id: string): string[] {
  return (seen.get(id)?.moments ?? []).map((moment) => moment.kind);
}

describe.each(seeds)('guided tour, default run, seed %i', (seed) => {
  const { sim, outcomes, seen } = walkDefault(seed);

  it('meets every wait in order', () => {
    expect(outcomes, outcomes.join(', ')).toEqual(
      circuitBreakerTour.flatMap((step) => (step.waitFor === undefined ? [] : [`${step.id}: met`])),
    );
    expect(invariant(sim, 'no-calls-while-open').violations).toBe(0);
    expect(invariant(sim, 'closes-after-heal').violations).toBe(0);
  });

  it('starts quiet: no moment before the incident', () => {
    expect(kindsOf(seen, 'steady')).toEqual([]);
  });

  it('follows the storyline: saturated, then opened, on its own', () => {
    const kinds = kindsOf(seen, 'incident');
    expect(kinds).toEqual(['service-saturated', 'breaker-opened']);
    const opened = seen.get('incident')?.moments[1];
    expect(opened?.text).toMatch(/slow-call rate/);
    expect(sim.describe().commands.filter((each) => each.atUs < (opened?.timeUs ?? 0))).toEqual([]);
  });

  it('shows the service recover, then a failed trial round, while the incident lasts', () => {
    const kinds = kindsOf(seen, 'open');
    expect(kinds).toEqual(['service-recovered', 'breaker-half-open', 'breaker-opened']);
    expect(seen.get('open')?.moments[2]?.text).toMatch(/trial/);
    expect(seen.get('open')?.metUs ?? Infinity).toBeLessThan(25_000_000);
  });

  it('closes only after the incident, through a half-open round', () => {
    const kinds = kindsOf(seen, 'heal');
    expect(kinds.slice(-2)).toEqual(['breaker-half-open', 'breaker-closed']);
    expect(kinds.filter((kind) => kind === 'breaker-closed')).toHaveLength(1);
    expect(seen.get('heal')?.moments.at(-1)?.timeUs ?? 0).toBeGreaterThan(25_000_000);
  });

  it('opens on the failure rate when the dependency returns errors', () => {
    const moments = seen.get('errors')?.moments ?? [];
    expect(moments.map((moment) => moment.kind)).toEqual(['breaker-opened']);
    expect(moments[0]?.text).toMatch(/failure rate/);
  });

  it('ends closed, with fallbacks served on the way', () => {
    expect(kindsOf(seen, 'baseline').slice(-1)).toEqual(['breaker-closed']);
    expect(breakerValueOf(sim)).toBe('closed');
    expect(metric(sim, 'fallbacks')).toBeGreaterThan(0);
  });

  it('compares with a baseline saturated for the whole incident', () => {
    // The compare page replays the commands on the baseline by time, not by event count.
    const commands = sim.describe().commands.map(({ atUs, command }) => ({ atUs, command }));
    const baseline = start(seed, { variant: 'baseline', commands });
    runFor(baseline, sim.nowUs / 1000);
    const kinds = baseline.moments.map((moment) => moment.kind);
    expect(kinds.slice(0, 2)).toEqual(['service-saturated', 'service-recovered']);
    expect(baseline.moments[0]?.timeUs ?? Infinity).toBeLessThan(12_000_000);
    expect(baseline.moments[1]?.timeUs ?? 0).toBeGreaterThan(24_000_000);
    expect(kinds.some((kind) => kind.startsWith('breaker-'))).toBe(false);
    // This run was saturated for well under a second.
    const saturated = sim.moments.find((moment) => moment.kind === 'service-saturated');
    const recovered = sim.moments.find((moment) => moment.kind === 'service-recovered');
    expect((recovered?.timeUs ?? Infinity) - (saturated?.timeUs ?? 0)).toBeLessThan(1_000_000);
    expect(metric(baseline, 'client-success')).toBeLessThan(metric(sim, 'client-success'));
  });
});

describe('guided tour questions', () => {
  it('asks questions whose answers are among their choices', () => {
    const questions = circuitBreakerTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
