import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, RecordedCommand, WorldView } from '../../engine/types.ts';
import { at, runFor } from '../testing/runKit.ts';
import { behindThreshold, heldUpThreshold } from './moments.ts';
import type { Workload } from './outbox.ts';
import { storylineOff } from './storyline.ts';
import { start } from './testKit.ts';
import { backlogOf } from './world.ts';

/**
 * Subscribers falling behind and catching up, publishers held up and catching up: each reported
 * once, at the event that crossed the line, and never twice in a row for the same node. These
 * runs turn the default storyline off, to cause each moment by command (storyline.test.ts covers
 * the storyline's own moments).
 */

type Variant = 'pattern' | 'baseline';

const slowS4 = at(2000, {
  type: 'scenario.fault',
  fault: 'slow-subscriber',
  node: 's4',
  args: { factor: 50, durationMs: 10_000 },
});
const burstP1 = at(2000, {
  type: 'scenario.fault',
  fault: 'burst',
  node: 'p1',
  args: { count: 200 },
});

function run(variant: Variant, commands: RecordedCommand[], ms: number): Simulation {
  const sim = start(5, { variant, commands, params: storylineOff });
  runFor(sim, ms);
  return sim;
}

/** The same run, stopped just before and at `timeUs`: what `measure` read then. */
function around(
  variant: Variant,
  commands: RecordedCommand[],
  timeUs: number,
  measure: (world: WorldView) => number,
): { before: number; at: number } {
  const sim = start(5, { variant, commands, params: storylineOff });
  sim.runUntil(timeUs - 1);
  const before = measure(sim);
  sim.runUntil(timeUs);
  return { before, at: measure(sim) };
}

const outboxOf = (id: string) => (world: WorldView) =>
  (world.node(id).state as Workload).outbox.length;

function only(moments: readonly Moment[], kind: string): Moment[] {
  return moments.filter((moment) => moment.kind === kind);
}

/** Per node, fell-behind and caught-up (held-up and caught-up) strictly take turns. */
function expectAlternating(moments: readonly Moment[]): void {
  const last = new Map<string, string>();
  for (const moment of moments) {
    const node = moment.nodes[0] ?? '';
    const isStart = moment.kind.endsWith('behind') || moment.kind.endsWith('held-up');
    const previous = last.get(node);
    expect(previous === undefined ? !isStart : previous === 'start', moment.text).toBe(!isStart);
    last.set(node, isStart ? 'start' : 'end');
  }
}

describe('pub/sub moments', () => {
  it('marks a slow subscriber falling behind and catching up, when its backlog crosses the lines', () => {
    const commands = [slowS4];
    const sim = run('pattern', commands, 30_000);
    const [behind, more] = only(sim.moments, 'subscriber-fell-behind');
    const [caughtUp] = only(sim.moments, 'subscriber-caught-up');
    expect(more).toBeUndefined();
    const threshold = behindThreshold(sim);
    expect(behind?.text).toBe(
      `s4 fell behind: ${threshold} messages wait for it at the broker ` +
        `(${threshold} is a quarter of the 100-message queue)`,
    );
    expect(behind?.nodes).toEqual(['s4']);
    const crossing = around('pattern', commands, behind?.timeUs ?? 0, (w) => backlogOf(w, 's4'));
    expect(crossing.before).toBeLessThan(threshold);
    expect(crossing.at).toBeGreaterThanOrEqual(threshold);
    expect(caughtUp?.nodes).toEqual(['s4']);
    expect(caughtUp?.text).toMatch(
      /^s4 caught up: nothing waits for it any more, after \d+\.\d s behind with at most \d+ messages waiting$/,
    );
    const drained = around('pattern', commands, caughtUp?.timeUs ?? 0, (w) => backlogOf(w, 's4'));
    expect(drained.before).toBeGreaterThan(0);
    expect(drained.at).toBe(0);
    expect(sim.moments).toHaveLength(2);
  });

  it('marks a publisher held up by a burst, and its outbox emptying, in both variants', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = run(variant, [burstP1], 60_000);
      const [heldUp] = only(sim.moments, 'publisher-held-up');
      const [caughtUp] = only(sim.moments, 'publisher-caught-up');
      const why =
        variant === 'pattern'
          ? 'the broker does not acknowledge them as fast as they are created'
          : 'each message waits until every subscriber has answered the one before';
      expect(heldUp, variant).toMatchObject({
        timeUs: 2_000_000,
        nodes: ['p1'],
        text: `p1 is held up: 200 messages wait in its outbox, because ${why}`,
      });
      expect(caughtUp?.nodes, variant).toEqual(['p1']);
      expect(caughtUp?.text, variant).toMatch(
        /^p1 caught up: its outbox is empty again, after \d+\.\d s with at most \d+ messages waiting$/,
      );
      const drained = around(variant, [burstP1], caughtUp?.timeUs ?? 0, outboxOf('p1'));
      expect(drained.before, variant).toBeGreaterThan(0);
      expect(drained.at, variant).toBe(0);
      expectAlternating(sim.moments);
    }
  });

  it('shows the baseline’s contrast: a slow subscriber holds up the publishers instead', () => {
    // Slow enough to fall behind, not so slow that the publishers' calls time out and give up.
    const slowerS4 = at(2000, {
      type: 'scenario.fault',
      fault: 'slow-subscriber',
      node: 's4',
      args: { factor: 10, durationMs: 30_000 },
    });
    const sim = run('baseline', [slowerS4], 40_000);
    expect(only(sim.moments, 'subscriber-fell-behind')).toEqual([]);
    const heldUp = only(sim.moments, 'publisher-held-up');
    expect(heldUp.map((moment) => moment.nodes[0])).toEqual(['p1', 'p2']);
    for (const moment of heldUp) {
      const id = moment.nodes[0] ?? '';
      const crossing = around('baseline', [slowerS4], moment.timeUs, outboxOf(id));
      expect(crossing.before).toBeLessThan(heldUpThreshold);
      expect(crossing.at).toBeGreaterThanOrEqual(heldUpThreshold);
    }
    expectAlternating(sim.moments);
  });

  it('reports nothing in a quiet run, and never repeats a moment without its opposite', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      expect(run(variant, [], 60_000).moments, variant).toEqual([]);
    }
    // A crash and a burst together: several nodes behind at once, each taking its own turns.
    const busy = run(
      'pattern',
      [
        burstP1,
        at(20_000, { type: 'node.crash', node: 's2' }),
        at(30_000, { type: 'node.restart', node: 's2' }),
      ],
      60_000,
    );
    expect(busy.moments.length).toBeGreaterThan(4);
    expectAlternating(busy.moments);
  });
});
