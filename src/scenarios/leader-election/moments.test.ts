import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, Variant } from '../../engine/types.ts';
import { leaderElectionMoments } from './moments.ts';
import { runFor, start, termOf, type RunOptions } from './testKit.ts';
import { roleOf, usableLeader } from './world.ts';

/**
 * The moments the monitor reports (moments.ts): each kind appears where the protocol makes it
 * happen, at the very event that made it happen (a replay stopped one event earlier does not
 * show it yet), with its sentence, and only once per transition.
 */

const seed = 1;
const variants: readonly Variant[] = ['pattern', 'baseline'];

function runOf(options: RunOptions, ms: number): Simulation {
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

/** The leader of the run's first election, when it is elected. */
function firstElection(variant: Variant): { leader: string; atUs: number } {
  const sim = runOf({ variant }, 2_000);
  const [elected] = pivotal(sim);
  return { leader: elected?.nodes[0] ?? '', atUs: elected?.timeUs ?? 0 };
}

/** The moments other than candidacies (those have a test of their own below). */
function pivotal(sim: Simulation): Moment[] {
  return sim.moments.filter((moment) => moment.kind !== 'election-started');
}

const kindsOf = (moments: readonly Moment[]): string[] => moments.map((moment) => moment.kind);

describe('moments', () => {
  it('declares the kinds the issue names', () => {
    expect(leaderElectionMoments.map((spec) => spec.id)).toEqual([
      'election-started',
      'leader-elected',
      'leader-lost',
      'split-vote',
    ]);
  });

  describe.each(variants)('%s: the default run', (variant) => {
    const options: RunOptions = { variant };
    const sim = runOf(options, 60_000);

    it('reports one election, at the event that made the leader, and then nothing', () => {
      expect(kindsOf(pivotal(sim))).toEqual(['leader-elected']);
      const [elected] = pivotal(sim) as [Moment];
      const [leader] = elected.nodes as [string];
      expect(roleOf(replayTo(options, elected, true).node(leader))).not.toBe('leader');
      const after = replayTo(options, elected);
      expect(roleOf(after.node(leader))).toBe('leader');
      const term = termOf(after, leader);
      expect(elected.text).toBe(
        variant === 'pattern'
          ? `${leader} won the election for term ${term} with ${votesOf(after, leader)} of 5 votes`
          : `${leader} became leader for term ${term}: no higher-numbered node answered its election`,
      );
    });
  });

  describe.each(variants)('%s: the leader crashes', (variant) => {
    const { leader, atUs } = firstElection(variant);
    const crashUs = atUs + 1_000_000;
    const options: RunOptions = {
      variant,
      commands: [{ atUs: crashUs, command: { type: 'node.crash', node: leader } }],
    };
    const sim = runOf(options, 5_000);

    it('reports the leader lost at the crash, then a new leader in a newer term', () => {
      expect(kindsOf(pivotal(sim))).toEqual(['leader-elected', 'leader-lost', 'leader-elected']);
      const [, lost, elected] = pivotal(sim) as [Moment, Moment, Moment];
      expect(lost).toMatchObject({
        timeUs: crashUs,
        nodes: [leader],
        text: `${leader} is no longer a usable leader: it crashed; clients have no leader until the next election`,
      });
      const [successor] = elected.nodes as [string];
      expect(successor).not.toBe(leader);
      const after = replayTo(options, elected);
      expect(usableLeader(after)).toBe(successor);
      expect(elected.text).toContain(`${successor} `);
      expect(elected.text).toContain(`for term ${termOf(after, successor)}`);
    });
  });

  it('says a leader cut off on a minority side can no longer reach a majority', () => {
    const { leader, atUs } = firstElection('pattern');
    const cutUs = atUs + 1_000_000;
    const options: RunOptions = {
      commands: [{ atUs: cutUs, command: { type: 'net.isolate', node: leader } }],
    };
    const sim = runOf(options, 3_000);
    expect(kindsOf(pivotal(sim))).toEqual(['leader-elected', 'leader-lost', 'leader-elected']);
    expect(pivotal(sim)[1]).toMatchObject({
      timeUs: cutUs,
      text: `${leader} is no longer a usable leader: it can no longer reach a majority, or a node of a newer term can reach it; clients have no leader until the next election`,
    });
  });

  it('marks a stretch of split votes once, until a leader is elected', () => {
    // Identical timeouts from the start: every node stands at once, term after term, until the
    // timeouts are randomized again.
    const options: RunOptions = {
      params: { electionTimeoutMaxMs: 150 },
      commands: [
        {
          atUs: 2_000_000,
          command: { type: 'param.set', key: 'electionTimeoutMaxMs', value: 300 },
        },
      ],
    };
    const sim = runOf(options, 5_000);
    expect(kindsOf(pivotal(sim))).toEqual(['split-vote', 'leader-elected']);
    const [split] = pivotal(sim) as [Moment];
    expect(split.nodes).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(split.text).toBe(
      'Term 1 ended in a split vote: n1, n2, n3, n4 and n5 stood at once and none won a majority',
    );
    // Reported when the term's last candidate moved on, at that very event.
    const before = replayTo(options, split, true);
    expect(
      before.nodes.some((node) => roleOf(node) === 'candidate' && termOf(before, node.id) === 1),
    ).toBe(true);
    const after = replayTo(options, split);
    expect(
      after.nodes.some((node) => roleOf(node) === 'candidate' && termOf(after, node.id) === 1),
    ).toBe(false);
  });

  it('tells each Raft candidacy: whose timer fired, whom it asks, for which term', () => {
    const options: RunOptions = { variant: 'pattern' };
    const sim = runOf(options, 3_000);
    const [started, elected] = sim.moments as [Moment, Moment];
    expect(kindsOf(sim.moments)).toEqual(['election-started', 'leader-elected']);
    const [candidate] = started.nodes as [string];
    expect(elected.nodes).toEqual([candidate]);
    const others = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((id) => id !== candidate);
    expect(started.text).toBe(
      `${candidate}'s election timer fired: it asks ${others.slice(0, -1).join(', ')} and ${others.at(-1) ?? ''} to vote for it in term 1`,
    );
    // At the very event: the node is a candidate after it, not before.
    expect(roleOf(replayTo(options, started, true).node(candidate))).not.toBe('candidate');
    expect(roleOf(replayTo(options, started).node(candidate))).toBe('candidate');
  });

  it('has no candidacy moment for Bully, whose elections are told by their outcome', () => {
    const sim = runOf({ variant: 'baseline' }, 3_000);
    expect(kindsOf(sim.moments)).not.toContain('election-started');
  });
});

function votesOf(sim: Simulation, id: string): number {
  return (sim.node(id).state as { votesGranted: readonly string[] }).votesGranted.length;
}
