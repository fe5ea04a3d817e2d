import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, Variant } from '../../engine/types.ts';
import { firstMomentOf } from '../testing/momentKit.ts';
import { type ElectionInstrumentData, leaderElectionInstrument } from './instrument.ts';
import { type RunOptions, runFor, start } from './testKit.ts';

/**
 * The election instrument on the default run (seed 1): everyone follows before the first timeout,
 * one candidate collects votes, then leads with a majority (Raft: n1 at about 0.18 s; Bully: n5);
 * crashing the leader shows it down and a successor elected in a new term.
 */

function readingAt(sim: Simulation) {
  const reading = leaderElectionInstrument.read(sim, sim.monitorMemory);
  return { ...reading, data: reading.data as ElectionInstrumentData };
}

function firstElected(options: RunOptions): Moment {
  const sim = start(1, options);
  runFor(sim, 2_000);
  return firstMomentOf(sim, 'leader-elected');
}

function replayTo(options: RunOptions, moment: Moment, before = false): Simulation {
  const sim = start(1, options);
  sim.runUntil(moment.timeUs, moment.eventCount - (before ? 1 : 0));
  return sim;
}

describe('leader election instrument', () => {
  it('reads everyone following and no leader before the first timeout', () => {
    const sim = start(1);
    runFor(sim, 100);
    const { data, description } = readingAt(sim);
    expect(data.algorithm).toBe('raft');
    expect(data.clusterSize).toBe(5);
    expect(data.majority).toBe(3);
    expect(data.nodes.map((node) => node.role)).toEqual(Array(5).fill('follower'));
    expect(data.usableLeader).toBeNull();
    // Every timer was drawn from 150–300 ms at the start: 50–200 ms are left at 100 ms.
    for (const node of data.nodes) {
      expect(node.timerLeftUs).toBeGreaterThanOrEqual(50_000);
      expect(node.timerLeftUs).toBeLessThanOrEqual(200_000);
    }
    const next = data.nextTimeout;
    expect(next?.leftUs).toBe(Math.min(...data.nodes.map((node) => node.timerLeftUs ?? Infinity)));
    expect(description).toBe(
      `Election: no leader; followers wait 150–300 ms without a heartbeat before one stands. ${next?.id ?? ''}'s timer runs out first, in ${Math.round((next?.leftUs ?? 0) / 1000)} ms.`,
    );
    // The timer that runs out first makes its node the first candidate, right then.
    runFor(sim, (next?.leftUs ?? 0) / 1000 + 0.001);
    const stood = readingAt(sim).data.nodes.find((node) => node.id === next?.id);
    expect(stood?.role).toBe('candidate');
  });

  it('reads the candidate short of a majority, then the leader with its votes (Raft)', () => {
    const elected = firstElected({});
    const leaderId = elected.nodes[0] ?? '';
    const before = readingAt(replayTo({}, elected, true));
    const candidate = before.data.nodes.find((node) => node.id === leaderId);
    expect(candidate?.role).toBe('candidate');
    expect(candidate?.votedFor).toBe(leaderId);
    expect(candidate?.votes.length).toBe(before.data.majority - 1);
    expect(before.description).toBe(
      `Election: no leader; ${leaderId} is a candidate in term 1 with 2 of 5 votes (3 needed).`,
    );

    const after = readingAt(replayTo({}, elected));
    expect(after.data.usableLeader).toBe(leaderId);
    const leader = after.data.nodes.find((node) => node.id === leaderId);
    expect(leader?.role).toBe('leader');
    expect(leader?.votes).toHaveLength(3);
    expect(leader?.timerLeftUs).toBeNull();
    expect(after.description).toMatch(
      new RegExp(
        `^Election: ${leaderId} leads term 1 with 3 of 5 votes; .+ follow; its heartbeats keep resetting their timers\\.$`,
      ),
    );
    // The voters voted for it in term 1.
    for (const voter of leader?.votes ?? []) {
      expect(after.data.nodes.find((node) => node.id === voter)?.votedFor).toBe(leaderId);
    }
  });

  it.each<Variant>(['pattern', 'baseline'])(
    '%s: shows the crashed leader down and a successor in a newer term',
    (variant) => {
      const elected = firstElected({ variant });
      const leaderId = elected.nodes[0] ?? '';
      const options: RunOptions = {
        variant,
        commands: [{ atUs: 1_000_000, command: { type: 'node.crash', node: leaderId } }],
      };
      const sim = start(1, options);
      runFor(sim, 1_001);
      const lost = readingAt(sim);
      expect(lost.data.usableLeader).toBeNull();
      expect(lost.data.nodes.find((node) => node.id === leaderId)?.role).toBe('down');
      expect(lost.description).toMatch(
        new RegExp(`^Election: no leader; .*${leaderId} is down\\.$`),
      );
      runFor(sim, 1_000);
      const next = readingAt(sim);
      expect(next.data.usableLeader).not.toBeNull();
      expect(next.data.usableLeader).not.toBe(leaderId);
      const successor = next.data.nodes.find((node) => node.id === next.data.usableLeader);
      expect(successor?.term).toBeGreaterThan(1);
      expect(next.description).toMatch(
        new RegExp(`^Election: ${successor?.id ?? ''} leads term \\d+ .*${leaderId} is down\\.$`),
      );
    },
  );

  it('says Bully elects the highest id alive, with no votes', () => {
    const elected = firstElected({ variant: 'baseline' });
    const { data, description } = readingAt(replayTo({ variant: 'baseline' }, elected));
    expect(data.algorithm).toBe('bully');
    expect(data.usableLeader).toBe('n5');
    expect(data.nodes.every((node) => node.votes.length === 0 && node.votedFor === null)).toBe(
      true,
    );
    expect(description).toMatch(
      /^Election: n5 leads term 1 \(highest id alive\); n1, n2, n3 and n4 follow; its heartbeats keep resetting their timers\.$/,
    );
  });
});
