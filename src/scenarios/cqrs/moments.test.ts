import { describe, expect, it } from 'vitest';
import type { Moment, RecordedCommand, WorldView } from '../../engine/types.ts';
import { at, runFor } from '../testing/runKit.ts';
import { laggingThreshold } from './moments.ts';
import { balancerId, projectorId, replicaIds } from './protocol.ts';
import { storylineOff } from './storyline.ts';
import { start } from './testKit.ts';
import { isServing, projectorApplied, replicaDurable, writeLog } from './world.ts';

/**
 * The read side's moments: lagging and caught up (each once, at the event that crossed the
 * line, taking turns), a replica joining once it has replayed the log, and one leaving. These
 * runs turn the default storyline off, to cause each moment by command (storyline.test.ts covers
 * the storyline's own moments).
 */

const slowProjector = at(5000, {
  type: 'scenario.fault',
  fault: 'slow-projector',
  node: projectorId,
  args: { factor: 40, durationMs: 6000 },
});
const crashProjector = at(20_000, { type: 'node.crash', node: projectorId });
const restartProjector = at(25_000, { type: 'node.restart', node: projectorId });
const addReplica = at(30_000, { type: 'scenario.fault', fault: 'add-replica', node: balancerId });
const removeReplica = at(40_000, {
  type: 'scenario.fault',
  fault: 'remove-replica',
  node: balancerId,
});
const operations = [
  slowProjector,
  crashProjector,
  restartProjector,
  addReplica,
  removeReplica,
  at(42_000, { type: 'node.crash', node: 'q1' }),
  at(47_000, { type: 'node.restart', node: 'q1' }),
];

/** The read side's lag, recomputed here: the projector's or a serving replica's. */
function lagOf(world: WorldView): number {
  const head = writeLog(world).length;
  const lags = replicaIds(world.params)
    .filter((id) => isServing(world, id))
    .map((id) => head - replicaDurable(world, id).applied);
  return Math.max(head - projectorApplied(world), ...lags);
}

/** The same run, stopped just before and at `timeUs`: what `measure` read then. */
function around<T>(
  commands: RecordedCommand[],
  timeUs: number,
  measure: (world: WorldView) => T,
): { before: T; at: T } {
  const sim = start(5, { commands, params: storylineOff });
  sim.runUntil(timeUs - 1);
  const before = measure(sim);
  sim.runUntil(timeUs);
  return { before, at: measure(sim) };
}

const of = (moments: readonly Moment[], kind: string) =>
  moments.filter((moment) => moment.kind === kind);

describe('cqrs moments', () => {
  const sim = start(5, { commands: operations, params: storylineOff });
  runFor(sim, 60_000);
  const threshold = laggingThreshold(sim);

  it('marks the read side lagging when a slow or crashed projector falls a second behind', () => {
    const lagging = of(sim.moments, 'projection-lagging');
    expect(lagging).toHaveLength(2);
    const [slow, crashed] = lagging;
    expect(slow?.timeUs).toBeGreaterThan(slowProjector.atUs);
    expect(crashed?.timeUs).toBeGreaterThan(crashProjector.atUs);
    expect(crashed?.timeUs).toBeLessThan(restartProjector.atUs);
    for (const moment of lagging) {
      const lag = around(operations, moment.timeUs, lagOf);
      expect(lag.before).toBeLessThan(threshold);
      expect(lag.at).toBeGreaterThanOrEqual(threshold);
      expect(moment.text).toBe(
        `The read side is lagging: the projector is ${lag.at} changes behind the write log ` +
          `(${threshold} is about a second of writes), so reads miss recent writes`,
      );
      expect(moment.nodes).toEqual([projectorId]);
    }
  });

  it('marks it caught up when the projector and every serving replica have the whole log', () => {
    const caughtUp = of(sim.moments, 'projection-caught-up');
    expect(caughtUp).toHaveLength(2);
    expect(caughtUp[1]?.timeUs).toBeGreaterThan(restartProjector.atUs);
    for (const moment of caughtUp) {
      const lag = around(operations, moment.timeUs, lagOf);
      expect(lag.before).toBeGreaterThan(0);
      expect(lag.at).toBe(0);
      const head = around(operations, moment.timeUs, (world) => writeLog(world).length).at;
      expect(moment.text).toMatch(
        new RegExp(
          `^The read side caught up: the projector and every serving replica have applied all ` +
            `${head} changes, after \\d+\\.\\d s lagging by up to \\d+ changes$`,
        ),
      );
      expect(moment.nodes).toEqual([projectorId, 'q1', 'q2']);
    }
    // Lagging and caught up take turns.
    const turns = sim.moments
      .filter((moment) => moment.kind.startsWith('projection'))
      .map((moment) => moment.kind);
    expect(turns).toEqual([
      'projection-lagging',
      'projection-caught-up',
      'projection-lagging',
      'projection-caught-up',
    ]);
  });

  it('marks an added replica joining once it serves, and a removed one leaving at once', () => {
    const [joined, again] = of(sim.moments, 'replica-joined');
    expect(again).toBeUndefined();
    expect(joined?.timeUs).toBeGreaterThan(addReplica.atUs);
    const serving = around(operations, joined?.timeUs ?? 0, (world) => isServing(world, 'q3'));
    expect(serving).toEqual({ before: false, at: true });
    const applied = around(operations, joined?.timeUs ?? 0, (w) => replicaDurable(w, 'q3').applied);
    expect(joined?.text).toMatch(
      new RegExp(
        `^q3 joined the rotation: it replayed ${applied.at} changes from the projection log ` +
          `in \\d+\\.\\d s and now serves reads$`,
      ),
    );
    expect(joined?.nodes).toEqual(['q3', balancerId]);
    expect(of(sim.moments, 'replica-left')).toEqual([
      {
        timeUs: removeReplica.atUs,
        eventCount: expect.any(Number) as number,
        kind: 'replica-left',
        text: 'q3 left the rotation: the operator removed it and it dropped its read store (2 active replicas remain)',
        nodes: ['q3', balancerId],
      },
    ]);
    // A replica crashing and coming back is not a join: nothing after the removal.
    expect(sim.moments.filter((moment) => moment.timeUs > removeReplica.atUs)).toEqual([]);
  });

  it('reports nothing in a quiet run, in either variant (the baseline has no read side)', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const quiet = start(5, { variant, params: storylineOff });
      runFor(quiet, 60_000);
      expect(quiet.moments, variant).toEqual([]);
    }
  });
});
