import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { runFor, startRun, walkTour } from '../testing/runKit.ts';
import { ambassador } from './model.ts';
import { ambassadorTour } from './tour.ts';
import { metric, safetyViolations, sliceUs } from './testKit.ts';
import { arrivalsTotal, issuedTotal } from './world.ts';

const readingMs = 500;
const seeds = [1, 7];

/** What the learner saw during a step: from the previous wait met to this one. */
interface StepSeen {
  startUs: number;
  metUs: number;
  moments: Moment[];
  /** Requests the apps issued and calls that reached the remotes, when the step started. */
  issued: number;
  arrivals: number;
}

/**
 * Walks the tour on the default run as the page starts it (pattern variant, default parameters,
 * so with the storyline's overload; the test kit's `start` turns it off), recording what each
 * step saw.
 */
function walkDefault(seed: number): { sim: Simulation; outcomes: string[]; seen: StepSeen[] } {
  const sim = startRun(ambassador, seed);
  const seen: StepSeen[] = [];
  let from = 0;
  let current: StepSeen | null = null;
  const steps: TourStep[] = ambassadorTour.map((step) => {
    const wait = step.waitFor;
    if (wait === undefined) return step;
    return {
      ...step,
      waitFor: {
        ...wait,
        isMet(world) {
          const met = wait.isMet(world);
          if (met && current !== null && current.metUs < 0) {
            current.metUs = sim.nowUs;
            current.moments = sim.moments.slice(from);
            from = sim.moments.length;
          }
          return met;
        },
      },
    };
  });
  const outcomes = walkTour(sim, steps, {
    readingMs,
    sliceUs,
    onStepStart(_step, world) {
      current = {
        startUs: world.nowUs,
        metUs: -1,
        moments: [],
        issued: issuedTotal(world),
        arrivals: arrivalsTotal(world),
      };
      seen.push(current);
    },
  });
  return { sim, outcomes, seen };
}

describe.each(seeds)('guided tour, default run, seed %i', (seed) => {
  const { sim, outcomes, seen } = walkDefault(seed);
  const stepOf = (id: string): StepSeen => {
    const found = seen[ambassadorTour.findIndex((step) => step.id === id)];
    if (found === undefined) throw new Error(`no step ${id}`);
    return found;
  };
  const kindsOf = (id: string): string[] => stepOf(id).moments.map((moment) => moment.kind);
  /** Calls at the remotes per request issued, from the start of `id` to the start of the next. */
  const amplificationFrom = (id: string): number => {
    const index = ambassadorTour.findIndex((step) => step.id === id);
    const a = seen[index];
    const b = seen[index + 1];
    if (a === undefined || b === undefined) throw new Error(`no step after ${id}`);
    return (b.arrivals - a.arrivals) / (b.issued - a.issued);
  };

  it('meets every wait in order', () => {
    expect(outcomes, outcomes.join(', ')).toEqual(
      ambassadorTour.flatMap((step) => (step.waitFor === undefined ? [] : [`${step.id}: met`])),
    );
    runFor(sim, readingMs);
    expect(safetyViolations(sim)).toBe(0);
    expect(metric(sim, 'hedges')).toBeGreaterThan(0);
    expect(metric(sim, 'breaker-trips')).toBeGreaterThan(0);
  });

  it('shows retries beating the lossy WAN before the storyline’s overload', () => {
    expect(kindsOf('lossy-wan')).toEqual([]);
    expect(stepOf('lossy-wan').metUs).toBeLessThan(5_000_000);
  });

  it('follows the storyline: budgets spent, then requests failing, unprompted', () => {
    const step = stepOf('overload');
    expect(kindsOf('overload')[0]).toBe('budget-exhausted');
    // "Requests failing" is judged over a second of answers: it follows the reveal closely.
    const failing = sim.moments.find((moment) => moment.kind === 'requests-failing');
    expect(failing?.timeUs ?? Infinity).toBeLessThan(step.metUs + 1_000_000);
    expect(failing?.timeUs ?? 0).toBeGreaterThan(step.moments[0]?.timeUs ?? Infinity);
    const firstCommand = sim.describe().commands[0];
    expect(firstCommand?.atUs ?? 0).toBeGreaterThan(stepOf('overload-ends').metUs);
  });

  it('follows the storyline: every remote’s queue fills', () => {
    const overloaded = stepOf('queues-fill').moments.filter(
      (moment) => moment.kind === 'remote-overloaded',
    );
    expect(new Set(overloaded.map((moment) => moment.nodes[0])).size).toBe(3);
  });

  it('follows the storyline: the queues drain and the requests recover after it', () => {
    const step = stepOf('overload-ends');
    const drained = step.moments.filter((moment) => moment.kind === 'remote-drained');
    expect(drained).toHaveLength(3);
    // "Requests recovered" is judged over a second of answers: it follows the reveal closely.
    const recovered = sim.moments.filter(
      (moment) =>
        moment.kind === 'requests-recovered' &&
        moment.timeUs > (drained.at(-1)?.timeUs ?? Infinity) &&
        moment.timeUs < step.metUs + 1_500_000,
    );
    expect(new Set(recovered.map((moment) => moment.nodes[0])).size).toBe(2);
  });

  it('compares with a baseline that fails later and fills its queues later, if at all', () => {
    const step = stepOf('overload-ends');
    const commands = sim
      .describe()
      .commands.filter((each) => each.atUs <= step.metUs)
      .map(({ atUs, command }) => ({ atUs, command }));
    expect(commands).toEqual([]);
    const baseline = startRun(ambassador, seed, { variant: 'baseline', commands });
    runFor(baseline, step.metUs / 1000 + 2000); // the compare page plays on
    const firstOf = (run: Simulation, kind: string): number =>
      run.moments.find((moment) => moment.kind === kind)?.timeUs ?? Infinity;
    expect(firstOf(baseline, 'requests-failing')).toBeGreaterThan(
      firstOf(sim, 'requests-failing') + 2_000_000,
    );
    expect(firstOf(baseline, 'remote-overloaded')).toBeGreaterThan(
      firstOf(sim, 'remote-overloaded') + 5_000_000,
    );
    expect(baseline.moments.filter((moment) => moment.kind === 'requests-recovered')).toHaveLength(
      2,
    );
  });

  it('shows a retry storm with the budget off: more calls per request, every queue full', () => {
    const kinds = kindsOf('storm');
    expect(kinds.filter((kind) => kind === 'remote-overloaded')).toHaveLength(3);
    expect(kinds).toContain('requests-failing');
    expect(amplificationFrom('storm')).toBeGreaterThan(1.5 * amplificationFrom('queues-fill'));
  });

  it('ejects the dead instance with the breakers on', () => {
    const moments = stepOf('breaker').moments;
    expect(moments.map((moment) => moment.kind)).toContain('instance-ejected');
    expect(moments.find((moment) => moment.kind === 'instance-ejected')?.text).toMatch(/remote-2/);
  });
});

describe('guided tour questions', () => {
  it('asks questions whose answers are among their choices', () => {
    const questions = ambassadorTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
