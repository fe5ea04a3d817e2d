import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.ts';
import type { Variant } from '../../engine/types.ts';
import { leaderElection } from './model.ts';
import { storylineOff } from './storyline.ts';
import { invariant, labelsSince, runFor, start, termOf } from './testKit.ts';

/*
 * The default run's storyline: the leader of the moment freezes at 5 s for 4 s. The others elect
 * a new leader in a newer term; the old one wakes up still believing it leads and steps down at
 * the first reply of the newer term (Raft), or takes over again as the highest id (Bully).
 */

function storyRun(variant: Variant, seed = 1): Simulation {
  return start(seed, { variant, withStoryline: true });
}

function momentsOf(sim: Simulation): string[] {
  return sim.moments.map((moment) => `${(moment.timeUs / 1e6).toFixed(1)} ${moment.kind}`);
}

describe('storyline: the leader freezes', () => {
  it('Raft: a new leader in a new term while the old one is frozen; it steps down on waking', () => {
    for (const seed of [1, 2, 3, 7]) {
      const sim = storyRun('pattern', seed);
      runFor(sim, 4_900);
      const first = sim.moments.find((moment) => moment.kind === 'leader-elected');
      const oldLeader = first?.nodes[0] ?? '';
      expect(oldLeader, `seed ${seed}`).not.toBe('');
      const oldTerm = termOf(sim, oldLeader);
      runFor(sim, 1_000);
      // Frozen, it still shows as leader of its old term, marked frozen.
      expect(sim.node(oldLeader).summary.badge, `seed ${seed}`).toContain('frozen');
      const kinds = momentsOf(sim).map((line) => line.split(' ')[1]);
      expect(kinds, `seed ${seed}`).toContain('leader-lost');
      expect(kinds.filter((kind) => kind === 'leader-elected').length, `seed ${seed}`).toBe(2);
      runFor(sim, 4_000);
      expect(labelsSince(sim, oldLeader, 9_000_000)[0], `seed ${seed}`).toBe('follower');
      expect(termOf(sim, oldLeader), `seed ${seed}`).toBeGreaterThan(oldTerm);
      expect(invariant(sim, 'one-leader-per-term').violations, `seed ${seed}`).toBe(0);
      expect(invariant(sim, 'leader-elected').violations, `seed ${seed}`).toBe(0);
    }
  });

  it('Bully: the others elect the next highest id, and the frozen one takes over again', () => {
    const sim = storyRun('baseline');
    runFor(sim, 12_000);
    const elected = sim.moments.filter((moment) => moment.kind === 'leader-elected');
    expect(elected.map((moment) => moment.nodes[0])).toEqual(['n5', 'n4']);
    expect(elected[1]?.timeUs ?? 0).toBeGreaterThan(5_000_000);
    expect(sim.moments.some((moment) => moment.kind === 'leader-lost')).toBe(true);
  });

  it('turned off (freezeAtS = 0), the run is the one of version 1', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = new Simulation(leaderElection, {
        scenarioId: leaderElection.id,
        scenarioVersion: leaderElection.version,
        seed: 5,
        variant,
        params: { ...storylineOff },
        commands: [],
      });
      sim.runUntil(20_000_000);
      // The quiet default run of version 1, pinned before the storyline existed.
      const pinnedV1 = variant === 'pattern' ? '4591:e0e5c91f45ddcdb4' : '3043:2cc386e7f0820637';
      expect(`${sim.eventCount}:${sim.traceHash}`).toBe(pinnedV1);
    }
  });
});
