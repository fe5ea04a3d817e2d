import { describe, expect, it } from 'vitest';
import { defaultLinkConfig } from './network.ts';
import { Simulation } from './simulation.ts';
import { pingPongModel, pingPongRun } from './testing/pingPong.ts';

const model = pingPongModel(defaultLinkConfig);

/**
 * `timerDueUs` reads when a node's pending timer fires, from the event queue itself: the time
 * the timer event is popped at, none for a crashed node, and the same after a checkpoint.
 */
describe('timerDueUs', () => {
  it('is the time the pending timer fires at', () => {
    const sim = new Simulation(model, pingPongRun(3));
    sim.runUntil(5_000);
    const dueUs = sim.timerDueUs('p1', 'ping');
    expect(dueUs).not.toBeNull();
    expect(dueUs).toBeGreaterThan(5_000);
    expect(sim.timerDueUs('p1', 'no-such-timer')).toBeNull();
    // The next firing of p1's ping is at that time: the timer is pending until then, then re-set.
    sim.runUntil((dueUs ?? 0) - 1);
    expect(sim.timerDueUs('p1', 'ping')).toBe(dueUs);
    sim.runUntil(dueUs ?? 0);
    expect(sim.timerDueUs('p1', 'ping')).toBeGreaterThan(dueUs ?? 0);
  });

  it('is null while the node is down, and the same in a run restored from a checkpoint', () => {
    const sim = new Simulation(
      model,
      pingPongRun(3, {}, [{ atUs: 10_000, command: { type: 'node.crash', node: 'p2' } }]),
    );
    sim.runUntil(20_000);
    expect(sim.timerDueUs('p2', 'ping')).toBeNull();
    const restored = Simulation.fromCheckpoint(model, sim.checkpoint());
    expect(restored.timerDueUs('p1', 'ping')).toBe(sim.timerDueUs('p1', 'ping'));
  });
});
