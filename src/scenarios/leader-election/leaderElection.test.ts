import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../engine/rng.ts';
import { Simulation } from '../../engine/simulation.ts';
import type { Command, NodeId, RecordedCommand } from '../../engine/types.ts';
import { leaderElection } from './model.ts';
import {
  boundMs,
  invariant,
  labelsSince,
  members,
  metric,
  reproduction,
  runFor,
  runUntilLeader,
  start,
  termOf,
} from './testKit.ts';
import { leadersOf, membersOf, usableLeader } from './world.ts';

/*
 * Scenario tests: each drives runs by seed and command log and asserts on what the run shows
 * (the world, the trace, the metrics, the invariants), never on hand-written constants.
 */

// ---- Tests -----------------------------------------------------------------------------------

describe('leader election (Raft)', () => {
  it('elects a new leader within the liveness bound after the leader is killed', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const sim = start(seed);
      const first = runUntilLeader(sim, boundMs());
      expect(first, `no first leader; ${reproduction(sim)}`).not.toBeNull();
      runFor(sim, 300);
      const killedAtUs = sim.nowUs;
      sim.apply({ type: 'node.crash', node: first ?? '' });
      const next = runUntilLeader(sim, boundMs());
      const context = `seed ${seed}; ${reproduction(sim)}`;
      expect(next, context).not.toBeNull();
      expect(next, context).not.toBe(first);
      expect(termOf(sim, next ?? ''), context).toBeGreaterThan(termOf(sim, first ?? ''));
      expect((sim.nowUs - killedAtUs) / 1000, context).toBeLessThanOrEqual(boundMs());
      runFor(sim, 100); // let the monitor's next sample report the downtime
      expect(metric(sim, 'downtime'), context).toBeGreaterThan(0);
      expect(metric(sim, 'downtime'), context).toBeLessThanOrEqual(boundMs());
      expect(invariant(sim, 'leader-elected').violations, context).toBe(0);
      expect(invariant(sim, 'one-leader-per-term').violations, context).toBe(0);
    }
  });

  /** Elects, then cuts off the leader and one follower, each alone; returns what happened. */
  function partitionOldLeader(seed: number) {
    const sim = start(seed);
    const oldLeader = runUntilLeader(sim, boundMs()) ?? '';
    runFor(sim, 200);
    const loner = membersOf(sim).find((member) => member.id !== oldLeader)?.id ?? '';
    const majority = membersOf(sim)
      .map((member) => member.id)
      .filter((id) => id !== oldLeader && id !== loner);
    const oldTerm = termOf(sim, oldLeader);
    const lonerTerm = termOf(sim, loner);
    const partitionedAtUs = sim.nowUs;
    sim.apply({ type: 'net.partition', groups: [[oldLeader], [loner]] });
    runFor(sim, 2 * boundMs());
    return { sim, oldLeader, loner, majority, oldTerm, lonerTerm, partitionedAtUs };
  }

  it('elects on the majority side of a partition and never on a minority side', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const run = partitionOldLeader(seed);
      const { sim, oldLeader, loner } = run;
      const context = `seed ${seed}; ${reproduction(sim)}`;
      // The loner keeps timing out and standing in new terms, but wins none of them.
      expect(termOf(sim, loner), context).toBeGreaterThan(run.lonerTerm + 1);
      expect(labelsSince(sim, loner, run.partitionedAtUs), context).not.toContain('leader');
      expect(labelsSince(sim, oldLeader, run.partitionedAtUs), context).toEqual([]);
      const newLeader = usableLeader(sim);
      expect(run.majority, context).toContain(newLeader);
      expect(termOf(sim, newLeader ?? ''), context).toBeGreaterThan(run.oldTerm);
      // The cut-off leader still believes it leads, in its old term.
      expect(sim.node(oldLeader).summary.label, context).toBe('leader');
      expect(termOf(sim, oldLeader), context).toBe(run.oldTerm);
      expect(invariant(sim, 'one-leader-per-term').violations, context).toBe(0);
      expect(invariant(sim, 'leader-elected').violations, context).toBe(0);
    }
  });

  it('never elects on a minority of two followers, however high their terms climb', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const sim = start(seed);
      const leader = runUntilLeader(sim, boundMs()) ?? '';
      runFor(sim, 200);
      // The largest minority of five that leaves the leader on the majority side.
      const minority = membersOf(sim)
        .map((member) => member.id)
        .filter((id) => id !== leader)
        .slice(0, 2);
      const termsBefore = minority.map((id) => termOf(sim, id));
      const partitionedAtUs = sim.nowUs;
      sim.apply({ type: 'net.partition', groups: [minority] });
      runFor(sim, 2 * boundMs());
      const context = `seed ${seed}; ${reproduction(sim)}`;
      minority.forEach((id, index) => {
        expect(labelsSince(sim, id, partitionedAtUs), context).not.toContain('leader');
        expect(termOf(sim, id), context).toBeGreaterThan(termsBefore[index] ?? 0);
      });
      expect(usableLeader(sim), context).toBe(leader);
      expect(invariant(sim, 'one-leader-per-term').violations, context).toBe(0);
    }
  });

  it('makes the stale leader step down when the partition heals', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { sim, oldLeader, oldTerm } = partitionOldLeader(seed);
      const healedAtUs = sim.nowUs;
      sim.apply({ type: 'net.heal' });
      runFor(sim, boundMs());
      const context = `seed ${seed}; ${reproduction(sim)}`;
      expect(labelsSince(sim, oldLeader, healedAtUs)[0], context).toBe('follower');
      expect(termOf(sim, oldLeader), context).toBeGreaterThan(oldTerm);
      expect(leadersOf(sim), context).toHaveLength(1);
      expect(usableLeader(sim), context).not.toBeNull();
      expect(invariant(sim, 'leader-elected').violations, context).toBe(0);
      expect(invariant(sim, 'one-leader-per-term').violations, context).toBe(0);
    }
  });
});

// ---- Chaos -----------------------------------------------------------------------------------

const chaosFaultsUntilMs = 3000;

/**
 * A random fault schedule drawn from the engine's seeded streams: crashes, restarts, partitions,
 * heals, lossy links and pauses every 50–400 ms, then everything healed and restarted.
 */
function chaosSchedule(seed: number, members: readonly NodeId[]): RecordedCommand[] {
  const rng = new RngStreams(seed).get('chaos');
  const commands: RecordedCommand[] = [];
  const pickOther = (id: NodeId): NodeId => rng.pick(members.filter((other) => other !== id));
  for (let atMs = 300 + rng.intBetween(50, 400); atMs < chaosFaultsUntilMs;) {
    const node = rng.pick(members);
    const shuffled = members.slice();
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as NodeId, shuffled[i] as NodeId];
    }
    const faults: Command[] = [
      { type: 'node.crash', node },
      { type: 'node.restart', node },
      { type: 'net.partition', groups: [shuffled.slice(0, rng.intBetween(1, members.length - 1))] },
      { type: 'net.heal' },
      {
        type: 'link.set',
        from: node,
        to: pickOther(node),
        isBothWays: true,
        lossProbability: rng.intBetween(1, 6) / 10,
      },
      { type: 'node.pause', node, durationMs: rng.intBetween(20, 400) },
    ];
    commands.push({ atUs: atMs * 1000, command: rng.pick(faults) });
    atMs += rng.intBetween(50, 400);
  }
  const healUs = chaosFaultsUntilMs * 1000;
  commands.push({ atUs: healUs, command: { type: 'net.heal' } });
  for (const node of members)
    commands.push({ atUs: healUs, command: { type: 'node.restart', node } });
  return commands;
}

const chaosSeeds = 250;

describe('leader election under chaos', () => {
  it(`never has two leaders in one term over ${chaosSeeds} seeds of random faults`, () => {
    const failures: string[] = [];
    let faultCount = 0;
    for (let seed = 1; seed <= chaosSeeds; seed++) {
      const commands = chaosSchedule(seed, members);
      faultCount += commands.length;
      const sim = start(seed, { commands });
      sim.runUntil(chaosFaultsUntilMs * 1000 + (boundMs() + 200) * 1000);
      const safety = invariant(sim, 'one-leader-per-term');
      const liveness = invariant(sim, 'leader-elected');
      if (safety.violations > 0) {
        failures.push(`${safety.firstViolation?.message ?? ''} — replay: ${reproduction(sim)}`);
      } else if (usableLeader(sim) === null || liveness.violations > 0) {
        failures.push(`no leader after healing — replay: ${reproduction(sim)}`);
      }
    }
    expect(failures, failures.slice(0, 3).join('\n')).toEqual([]);
    expect(faultCount).toBeGreaterThan(chaosSeeds * 5); // the schedules really did inject faults
  });
});

// ---- Randomized timeouts against fixed ones --------------------------------------------------

interface FailoverFigures {
  splitVotes: number;
  leaderlessMs: number;
  downtimeMsTotal: number;
  recoveries: number;
}

/** Elects with the defaults, optionally fixes the timeout (max = min), then kills leaders. */
function failovers(seed: number, isFixed: boolean, killCount: number): FailoverFigures {
  const sim = start(seed);
  runUntilLeader(sim, boundMs());
  runFor(sim, 200);
  if (isFixed) {
    const min = sim.params.electionTimeoutMinMs ?? 0;
    sim.apply({ type: 'param.set', key: 'electionTimeoutMaxMs', value: min });
  }
  for (let kill = 0; kill < killCount; kill++) {
    const leader = usableLeader(sim) ?? leadersOf(sim)[0]?.id;
    if (leader !== undefined) sim.apply({ type: 'node.crash', node: leader });
    runFor(sim, 1500);
    for (const member of membersOf(sim)) {
      if (!member.isUp) sim.apply({ type: 'node.restart', node: member.id });
    }
    runFor(sim, 300);
  }
  const downtime = sim.metricFinals().find((each) => each.name === 'downtime');
  return {
    splitVotes: metric(sim, 'split-votes'),
    leaderlessMs: metric(sim, 'leaderless-ms'),
    downtimeMsTotal: (downtime?.value ?? 0) * (downtime?.count ?? 0),
    recoveries: downtime?.count ?? 0,
  };
}

function totalFailovers(isFixed: boolean): FailoverFigures {
  const total: FailoverFigures = {
    splitVotes: 0,
    leaderlessMs: 0,
    downtimeMsTotal: 0,
    recoveries: 0,
  };
  for (let seed = 1; seed <= 8; seed++) {
    const figures = failovers(seed, isFixed, 2);
    total.splitVotes += figures.splitVotes;
    total.leaderlessMs += figures.leaderlessMs;
    total.downtimeMsTotal += figures.downtimeMsTotal;
    total.recoveries += figures.recoveries;
  }
  return total;
}

describe('randomized election timeouts', () => {
  it('split fewer votes and recover faster than identical timeouts', () => {
    const randomized = totalFailovers(false);
    const fixed = totalFailovers(true);
    const report = JSON.stringify({ randomized, fixed });
    expect(fixed.splitVotes, report).toBeGreaterThan(randomized.splitVotes);
    expect(fixed.leaderlessMs, report).toBeGreaterThan(randomized.leaderlessMs);
    // Mean downtime over the failovers that did recover (fixed timeouts recover from fewer).
    const meanMs = (figures: FailoverFigures): number =>
      figures.downtimeMsTotal / Math.max(1, figures.recoveries);
    expect(meanMs(fixed), report).toBeGreaterThan(meanMs(randomized));
    expect(randomized.recoveries, report).toBeGreaterThanOrEqual(fixed.recoveries);
  });
});

// ---- The baseline: Bully ---------------------------------------------------------------------

describe('Bully baseline', () => {
  // The leader alone, and the other four split in two pairs: every side is a minority.
  const threeWaySplit: RecordedCommand[] = [
    {
      atUs: 1_000_000,
      command: { type: 'net.partition', groups: [['n5'], ['n1', 'n2'], ['n3', 'n4']] },
    },
  ];

  it('elects a leader on each side of a partition, two in one term, where Raft elects none', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const bully = start(seed, { variant: 'baseline', commands: threeWaySplit });
      const raft = start(seed, { variant: 'pattern', commands: threeWaySplit });
      bully.runUntil(3_000_000);
      raft.runUntil(3_000_000);
      const violation = invariant(bully, 'one-leader-per-term').firstViolation;
      expect(violation, `seed ${seed}; ${reproduction(bully)}`).not.toBeNull();
      expect(violation?.nodes).toHaveLength(2);
      expect(violation?.message).toMatch(/two leaders in term \d+: n\d and n\d/);
      expect(labelsSince(bully, 'n2', 1_000_000)).toContain('leader');
      expect(labelsSince(bully, 'n4', 1_000_000)).toContain('leader');
      expect(invariant(raft, 'one-leader-per-term').violations, reproduction(raft)).toBe(0);
      for (const id of members) expect(labelsSince(raft, id, 1_000_000)).not.toContain('leader');
    }
  });

  it('lets a minority side elect its own leader, which Raft never does', () => {
    const minority: RecordedCommand[] = [
      { atUs: 1_000_000, command: { type: 'net.partition', groups: [['n1', 'n2']] } },
    ];
    for (let seed = 1; seed <= 5; seed++) {
      const bully = start(seed, { variant: 'baseline', commands: minority });
      const raft = start(seed, { variant: 'pattern', commands: minority });
      bully.runUntil(3_000_000);
      raft.runUntil(3_000_000);
      expect(leadersOf(bully).map((member) => member.id)).toEqual(['n2', 'n5']);
      expect(labelsSince(raft, 'n1', 1_000_000)).not.toContain('leader');
      expect(labelsSince(raft, 'n2', 1_000_000)).not.toContain('leader');
      expect(['n3', 'n4', 'n5']).toContain(usableLeader(raft));
    }
  });
});

// ---- Determinism -----------------------------------------------------------------------------

// ---- Scaled copies -----------------------------------------------------------------------------

describe('a scaled copy of the model', () => {
  it('runs the cluster size it admits, past the nine the page offers, and elects a leader', () => {
    const nodeCount = 21;
    const spec = leaderElection.params.nodeCount;
    if (spec === undefined) throw new Error('leader election has no nodeCount parameter');
    const scaled = {
      ...leaderElection,
      params: { ...leaderElection.params, nodeCount: { ...spec, max: nodeCount } },
    };
    const sim = new Simulation(scaled, {
      scenarioId: scaled.id,
      scenarioVersion: scaled.version,
      seed: 3,
      variant: 'pattern',
      params: { nodeCount },
      commands: [],
    });
    sim.runUntil(3_000_000);
    expect(membersOf(sim)).toHaveLength(nodeCount);
    expect(usableLeader(sim)).not.toBeNull();
    expect(sim.invariantResults().every((result) => result.violations === 0)).toBe(true);
  });
});
