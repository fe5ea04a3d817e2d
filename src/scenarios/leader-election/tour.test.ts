import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, RecordedCommand } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { walkTour } from '../testing/runKit.ts';
import { leaderElectionTour } from './tour.ts';
import { invariant, metric, runFor, sliceUs, start } from './testKit.ts';
import { leadersOf, usableLeader } from './world.ts';

const readingMs = 500;
const seeds = [1, 7];

/**
 * Walks the tour on the default run (pattern variant, default parameters), recording for each
 * step with a wait the moments that came between the previous wait being met and its own: what
 * the learner saw on the timeline while the step ran.
 */
function walkDefault(seed: number): {
  sim: Simulation;
  outcomes: string[];
  seen: Map<string, Moment[]>;
} {
  // The default run: the storyline (the leader's freeze) included.
  const sim = start(seed, { withStoryline: true });
  const seen = new Map<string, Moment[]>();
  let from = 0;
  const steps: TourStep[] = leaderElectionTour.map((step) => {
    const wait = step.waitFor;
    if (wait === undefined) return step;
    return {
      ...step,
      waitFor: {
        ...wait,
        isMet(world) {
          const met = wait.isMet(world);
          if (met && !seen.has(step.id)) {
            // Candidacies ("n3's election timer fired…") come before each outcome; the steps
            // are about the outcomes, and the moments tests pin the candidacies.
            seen.set(
              step.id,
              sim.moments.slice(from).filter((moment) => moment.kind !== 'election-started'),
            );
            from = sim.moments.length;
          }
          return met;
        },
      },
    };
  });
  const outcomes = walkTour(sim, steps, { readingMs, sliceUs });
  return { sim, outcomes, seen };
}

/** The commands as the compare page replays them on the baseline: by time, not event count. */
function byTime(commands: readonly RecordedCommand[]): RecordedCommand[] {
  return commands.map(({ atUs, command }) => ({ atUs, command }));
}

describe.each(seeds)('guided tour, default run, seed %i', (seed) => {
  const { sim, outcomes, seen } = walkDefault(seed);
  const kindsOf = (id: string): string[] => (seen.get(id) ?? []).map((moment) => moment.kind);
  const commands = sim.describe().commands;

  it('meets every wait in order', () => {
    expect(outcomes, outcomes.join(', ')).toEqual(
      leaderElectionTour.flatMap((step) => (step.waitFor === undefined ? [] : [`${step.id}: met`])),
    );
    runFor(sim, readingMs);
    expect(invariant(sim, 'one-leader-per-term').violations).toBe(0);
    expect(usableLeader(sim)).not.toBeNull();
  });

  it('follows the storyline: the first election, unprompted, by a majority', () => {
    const moments = seen.get('first-election') ?? [];
    expect(moments.map((moment) => moment.kind)).toEqual(['leader-elected']);
    expect(moments[0]?.text).toMatch(/won the election for term 1 with 3 of 5 votes/);
    expect(commands[0]?.atUs ?? Infinity).toBeGreaterThan(moments[0]?.timeUs ?? Infinity);
  });

  it('follows the storyline: the leader freezes and is lost, a successor is elected', () => {
    const moments = seen.get('leader-freezes') ?? [];
    const lost = moments.find((moment) => moment.kind === 'leader-lost');
    expect(lost?.timeUs ?? 0).toBeGreaterThanOrEqual(5_000_000);
    expect(moments.at(-1)?.kind).toBe('leader-elected');
    // Nothing was done by hand: the freeze is the storyline's.
    expect(commands.every((each) => each.atUs > (moments.at(-1)?.timeUs ?? 0))).toBe(true);
    expect(kindsOf('leader-wakes')).toEqual([]);
  });

  it('elects only on the majority side of the partition', () => {
    const partition = commands.find((each) => each.command.type === 'net.partition');
    const pair = partition?.command.type === 'net.partition' ? partition.command.groups[0] : [];
    expect(pair).toHaveLength(2);
    const moments = seen.get('partition-leader') ?? [];
    expect(moments[0]?.kind).toBe('leader-lost');
    expect(moments.at(-1)?.kind).toBe('leader-elected');
    for (const moment of moments.filter((each) => each.kind === 'leader-elected')) {
      expect(pair).not.toContain(moment.nodes[0]);
    }
    expect(leadersOf(sim).length).toBeGreaterThanOrEqual(1);
  });

  it('splits the vote with identical timeouts, and elects again once they are random', () => {
    const kinds = kindsOf('kill-without-randomness');
    expect(kinds[0]).toBe('leader-lost');
    expect(kinds).toContain('split-vote');
    expect(kinds).not.toContain('leader-elected');
    expect(kindsOf('compare-bully')).toContain('leader-elected');
    expect(metric(sim, 'split-votes')).toBeGreaterThan(0);
  });

  it('compares with a Bully run whose cut-off pair elects a leader of its own', () => {
    const partition = commands.find((each) => each.command.type === 'net.partition');
    const pair = partition?.command.type === 'net.partition' ? partition.command.groups[0] : [];
    const heal = commands.find((each) => each.command.type === 'net.heal');
    const bully = start(seed, {
      variant: 'baseline',
      commands: byTime(commands),
      withStoryline: true,
    });
    runFor(bully, sim.nowUs / 1000);
    const electedInPair = bully.moments.filter(
      (moment) =>
        moment.kind === 'leader-elected' &&
        moment.timeUs > (partition?.atUs ?? Infinity) &&
        moment.timeUs < (heal?.atUs ?? 0) &&
        pair?.includes(moment.nodes[0] ?? '') === true,
    );
    expect(electedInPair.length, JSON.stringify(bully.moments)).toBeGreaterThanOrEqual(1);
    expect(electedInPair[0]?.text).toMatch(/no higher-numbered node answered/);
  });
});

describe('guided tour questions', () => {
  it('asks questions whose answers are among their choices', () => {
    const questions = leaderElectionTour.flatMap((step) => step.question ?? []);
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const question of questions) {
      expect(question.choices[question.answerIndex]).toBeDefined();
    }
  });
});
