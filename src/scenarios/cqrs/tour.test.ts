import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, RecordedCommand, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { meanOf, samplesOf, walkTour } from '../testing/runKit.ts';
import { clientIds } from './protocol.ts';
import { cqrsTour } from './tour.ts';
import { invariant, metric, runFor, sliceUs, start } from './testKit.ts';
import { clientDurable } from './world.ts';

const readingMs = 1000;
const seeds = [1, 7];

/** What the learner saw during a step: from the previous wait met to this one. */
interface StepSeen {
  startUs: number;
  metUs: number;
  moments: Moment[];
  /** Read-your-own-writes violations counted by the clients when the step started. */
  ryowViolations: number;
}

const ryowViolations = (world: WorldView): number =>
  clientIds(world.params).reduce((sum, id) => sum + clientDurable(world, id).ryowViolations, 0);

/**
 * Walks the tour on the default run (pattern variant, default parameters, storyline on),
 * recording what each step saw.
 */
function walkDefault(seed: number): { sim: Simulation; outcomes: string[]; seen: StepSeen[] } {
  const sim = start(seed);
  const seen: StepSeen[] = [];
  let from = 0;
  let current: StepSeen | null = null;
  const steps: TourStep[] = cqrsTour.map((step) => {
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
        ryowViolations: ryowViolations(world),
      };
      seen.push(current);
    },
  });
  return { sim, outcomes, seen };
}

/** What the compare page replays on the baseline: commands by time, for nodes it has. */
function forBaseline(commands: readonly RecordedCommand[]): RecordedCommand[] {
  return commands
    .filter(({ command }) => command.type === 'param.set')
    .map(({ atUs, command }) => ({ atUs, command }));
}

describe.each(seeds)('guided tour, default run, seed %i', (seed) => {
  const { sim, outcomes, seen } = walkDefault(seed);
  const stepOf = (id: string): StepSeen => {
    const found = seen[cqrsTour.findIndex((step) => step.id === id)];
    if (found === undefined) throw new Error(`no step ${id}`);
    return found;
  };
  const kindsOf = (id: string): string[] => stepOf(id).moments.map((moment) => moment.kind);
  const commands = sim.describe().commands;

  it('meets every wait in order', () => {
    expect(outcomes, outcomes.join(', ')).toEqual(
      cqrsTour.flatMap((step) => (step.waitFor === undefined ? [] : [`${step.id}: met`])),
    );
    expect(invariant(sim, 'read-model-is-prefix').violations).toBe(0);
    expect(metric(sim, 'ryow-violations')).toBeGreaterThan(0);
    expect(metric(sim, 'ryow-waits')).toBeGreaterThan(0);
  });

  it('follows the storyline: the slow projector makes the read side lag, unprompted', () => {
    expect(kindsOf('two-paths')).toEqual([]);
    const moments = stepOf('own-write-missing').moments;
    expect(moments.map((moment) => moment.kind)).toEqual(['projection-lagging']);
    expect(moments[0]?.text).toMatch(/the projector is \d+ changes behind/);
    expect(commands[0]?.atUs ?? 0).toBeGreaterThan(moments[0]?.timeUs ?? Infinity);
    expect(ryowViolations(sim)).toBeGreaterThan(0);
  });

  it('holds reads in read-your-writes mode until the storyline’s lag drains', () => {
    const step = stepOf('ryow-mode');
    const caughtUp = sim.moments.find(
      (moment) => moment.kind === 'projection-caught-up' && moment.timeUs > step.startUs,
    );
    expect(caughtUp?.timeUs ?? Infinity).toBeLessThan(step.metUs + 1_000_000);
    // No violations while the mode is on, once the reads issued before it are answered: from
    // half a second into this step to the step that turns it off (each violation is a sample).
    const offUs = stepOf('crash-projector').startUs;
    expect(samplesOf(sim, 'ryow-violations', step.startUs + 500_000, offUs)).toEqual([]);
    expect(samplesOf(sim, 'ryow-violations', 0, step.startUs).length).toBeGreaterThan(0);
  });

  it('follows the storyline: q3 joins, and writes do not slow down', () => {
    const moments = stepOf('replica-joins').moments.filter(
      (moment) => moment.kind === 'replica-joined',
    );
    expect(moments.map((moment) => moment.nodes[0])).toEqual(['q3']);
    const joinedUs = moments[0]?.timeUs ?? 0;
    // Nobody added it: the storyline's planned scale-out did.
    expect(
      commands.filter((each) => each.atUs < joinedUs && each.command.type !== 'param.set'),
    ).toEqual([]);
    const before = meanOf(samplesOf(sim, 'write-latency', joinedUs - 2_000_000, joinedUs));
    const after = meanOf(samplesOf(sim, 'write-latency', joinedUs, joinedUs + 1_000_000));
    expect(after).toBeLessThan(1.5 * before);
  });

  it('lags while the projector is down and catches up after its restart', () => {
    expect(kindsOf('crash-projector')).toEqual(['projection-lagging']);
    const step = stepOf('restart-projector');
    const caughtUp = sim.moments.find(
      (moment) => moment.kind === 'projection-caught-up' && moment.timeUs > step.startUs,
    );
    expect(caughtUp?.timeUs ?? Infinity).toBeLessThan(step.metUs + 1_000_000);
  });

  it('adds a fourth replica under the read load', () => {
    const kinds = kindsOf('read-load');
    expect(kinds.filter((kind) => kind === 'replica-joined')).toHaveLength(1);
  });

  it('compares with a baseline whose writes suffer under the read load and that never lags', () => {
    const loadUs =
      commands.find(
        (each) => each.command.type === 'param.set' && each.command.key === 'opsPerSecond',
      )?.atUs ?? Infinity;
    const baseline = start(seed, { variant: 'baseline', commands: forBaseline(commands) });
    runFor(baseline, sim.nowUs / 1000);
    expect(baseline.moments).toEqual([]);
    const mean = (run: Simulation, name: string): number => meanOf(samplesOf(run, name, loadUs));
    expect(mean(baseline, 'write-latency')).toBeGreaterThan(2 * mean(sim, 'write-latency'));
    expect(mean(baseline, 'write-success')).toBeLessThan(mean(sim, 'write-success'));
  });
});

describe('guided tour questions', () => {
  it('asks questions whose answers are among their choices', () => {
    const questions = cqrsTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
