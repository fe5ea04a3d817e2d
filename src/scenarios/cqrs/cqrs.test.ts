import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { boundedCount, projectorId } from './protocol.ts';
import type { ReplicaDurable } from './queryReplica.ts';
import { storylineOff } from './storyline.ts';
import {
  boundMs,
  control,
  invariant,
  mean,
  metric,
  newTap,
  recountReads,
  reproduction,
  runFor,
  runUntil,
  samples,
  start,
} from './testKit.ts';
import { isConverged, isServing, maxLag, replicaDurable, storeAt, writeLog } from './world.ts';

/*
 * Scenario tests: each drives runs by seed and command log and asserts on what the run shows
 * (the world, the trace, the metrics, the invariants), never on hand-written constants.
 */

/** About 256 reads/s: more than one replica serves (2 workers at 20 ms ≈ 100/s). */
const heavyReads = { opsPerSecond: 80 };

function safetyOk(sim: Simulation): void {
  expect(invariant(sim, 'read-model-is-prefix').violations, reproduction(sim)).toBe(0);
}

describe('reads scale with query replicas', () => {
  it('three replicas serve more reads, faster, than one, with the write side unchanged', () => {
    const figures = [1, 3].map((initialReplicas) => {
      const sim = start(3, { params: { ...heavyReads, initialReplicas } });
      sim.runUntil(20_000_000);
      safetyOk(sim);
      return {
        reads: mean(samples(sim, 'read-throughput', 2_000_000)),
        p99: metric(sim, 'read-latency-p99'),
        success: metric(sim, 'read-success'),
        writeP99: metric(sim, 'write-latency'),
        writes: mean(samples(sim, 'write-throughput', 2_000_000)),
      };
    });
    const [one, three] = figures as [(typeof figures)[0], (typeof figures)[0]];
    const report = JSON.stringify({ one, three });
    expect(three.reads, report).toBeGreaterThan(one.reads * 1.8);
    expect(three.p99, report).toBeLessThan(one.p99);
    expect(three.success, report).toBeGreaterThan(one.success);
    // The write side does the same work either way.
    expect(Math.abs(three.writes - one.writes), report).toBeLessThan(one.writes * 0.1);
    expect(three.writeP99, report).toBeLessThan(one.writeP99 * 1.5);
  });

  it('adds replicas while running: each replays from position 1, then raises throughput', () => {
    const commands: RecordedCommand[] = [
      { atUs: 8_000_000, command: control('add-replica') },
      { atUs: 8_000_000, command: control('add-replica') },
    ];
    const sim = start(4, { params: { ...heavyReads, initialReplicas: 1 }, commands });
    sim.runUntil(8_000_000);
    const logAtJoin = writeLog(sim).length;
    expect(replicaDurable(sim, 'q2').isActive).toBe(false);
    runFor(sim, 50);
    // Joined but not yet serving: they start from an empty store.
    expect(replicaDurable(sim, 'q2').applied).toBeLessThan(logAtJoin);
    expect(isServing(sim, 'q2')).toBe(false);
    expect(runUntil(sim, (world) => isServing(world, 'q2') && isServing(world, 'q3'), 5000)).toBe(
      true,
    );
    sim.runUntil(20_000_000);
    const before = mean(samples(sim, 'read-throughput', 2_000_000).slice(0, 20));
    const after = mean(samples(sim, 'read-throughput', 12_000_000));
    expect(after, JSON.stringify({ before, after })).toBeGreaterThan(before * 1.8);
    const q2 = sim.node('q2').index;
    const labels = sim
      .traceEvents(0)
      .filter((event) => event.type === 'node.state' && event.node === q2)
      .map((event) => event.label.split('|')[0]);
    expect(labels.indexOf('catching up')).toBeGreaterThanOrEqual(0);
    expect(labels.indexOf('catching up')).toBeLessThan(labels.indexOf('serving'));
    safetyOk(sim);
  });

  it('removes a replica: it leaves the rotation and its share goes to the others', () => {
    const sim = start(5, {
      params: { initialReplicas: 3 },
      commands: [{ atUs: 5_000_000, command: control('remove-replica') }],
    });
    sim.runUntil(12_000_000);
    expect(replicaDurable(sim, 'q3').isActive).toBe(false);
    expect(metric(sim, 'serving-replicas')).toBe(2);
    const q3Queries = sim
      .traceEvents(0)
      .filter((e) => e.type === 'message.delivered' && e.label === 'Query' && e.timeUs > 6_000_000)
      .filter((e) => e.node === sim.node('q3').index);
    expect(q3Queries).toEqual([]);
    expect(metric(sim, 'read-success')).toBeGreaterThan(0.99);
    safetyOk(sim);
  });
});

describe('eventual consistency, measured', () => {
  /** A slow projector makes the lag (and so stale reads) common. */
  const slowProjector: RecordedCommand[] = [
    {
      atUs: 3_000_000,
      command: {
        type: 'scenario.fault',
        fault: 'slow-projector',
        node: projectorId,
        args: { factor: 20, durationMs: 6000 },
      },
    },
  ];

  it('counts stale reads and read-your-own-writes violations exactly (independent recount)', () => {
    for (const seed of [1, 2, 3]) {
      const tap = newTap();
      const sim = start(seed, { tap, commands: slowProjector });
      sim.runUntil(15_000_000);
      runFor(sim, 1500); // let pending reads finish and the monitor sample
      const recount = recountReads(tap);
      const context = `seed ${seed}: ${JSON.stringify(recount)}; ${reproduction(sim)}`;
      expect(recount.stale, context).toBeGreaterThan(0);
      expect(recount.ryow, context).toBeGreaterThan(0);
      expect(metric(sim, 'stale-reads'), context).toBe(recount.stale);
      expect(metric(sim, 'ryow-violations'), context).toBe(recount.ryow);
      const okReads = sim.metricFinals().find((each) => each.name === 'read-latency')?.count;
      expect(okReads, context).toBe(recount.ok);
      safetyOk(sim);
    }
  });

  it('read-your-writes mode removes the violations, at a latency cost', () => {
    const run = (ryowMode: number) => {
      const sim = start(2, { params: { ryowMode }, commands: slowProjector });
      sim.runUntil(15_000_000);
      safetyOk(sim);
      return {
        ryow: metric(sim, 'ryow-violations'),
        waits: metric(sim, 'ryow-waits'),
        p99: metric(sim, 'read-latency-p99'),
        stale: metric(sim, 'stale-reads'),
      };
    };
    const off = run(0);
    const on = run(1);
    const report = JSON.stringify({ off, on });
    expect(off.ryow, report).toBeGreaterThan(0);
    expect(on.ryow, report).toBe(0);
    expect(on.waits, report).toBeGreaterThan(0);
    expect(on.p99, report).toBeGreaterThan(off.p99);
    expect(on.stale, report).toBeGreaterThan(0); // other clients' writes can still be missed
  });

  it('a crashed projector makes the lag grow, and it drains after restart with nothing lost', () => {
    const commands: RecordedCommand[] = [
      { atUs: 5_000_000, command: { type: 'node.crash', node: projectorId } },
      { atUs: 10_000_000, command: { type: 'node.restart', node: projectorId } },
    ];
    const sim = start(6, { commands });
    sim.runUntil(20_000_000);
    const lag = (from: number, to: number) =>
      sim
        .traceEvents(0)
        .filter((e) => e.type === 'metric.sampled' && e.label === 'lag-max')
        .filter((e) => e.timeUs >= from && e.timeUs < to)
        .map((e) => e.value);
    const beforeCrash = Math.max(...lag(2_000_000, 5_000_000));
    const whileDown = lag(5_000_000, 10_000_000);
    const afterwards = lag(15_000_000, 20_000_000);
    const report = JSON.stringify({ beforeCrash, whileDown, afterwards });
    expect(whileDown.at(-1), report).toBeGreaterThan(whileDown[2] ?? 0); // grows
    expect(whileDown.at(-1), report).toBeGreaterThan(5 * Math.max(1, beforeCrash));
    expect(Math.min(...afterwards), report).toBeLessThanOrEqual(beforeCrash);
    expect(metric(sim, 'stale-reads'), report).toBeGreaterThan(0);
    // Nothing lost: every change the command service wrote reached the projector, in order.
    sim.apply({ type: 'param.set', key: 'writePercent', value: 0 });
    expect(runUntil(sim, isConverged, boundMs()), reproduction(sim)).toBe(true);
    safetyOk(sim);
  });

  it('a crashed replica falls behind and catches up from the projector after restart', () => {
    const commands: RecordedCommand[] = [
      { atUs: 4_000_000, command: { type: 'node.crash', node: 'q1' } },
      { atUs: 9_000_000, command: { type: 'node.restart', node: 'q1' } },
    ];
    // The storyline off: its projector slowdown would hold q1's catch-up back.
    const sim = start(7, { commands, params: storylineOff });
    sim.runUntil(9_000_000);
    const lagDown = replicaDurable(sim, 'q1');
    const lagWhileDown = writeLog(sim).length - lagDown.applied;
    expect(lagWhileDown).toBeGreaterThan(30);
    expect(metric(sim, 'lag-q1')).toBeGreaterThan(30);
    expect(runUntil(sim, (world) => isServing(world, 'q1'), 3000)).toBe(true);
    runFor(sim, 1000);
    expect(metric(sim, 'lag-q1')).toBeLessThan(5);
    expect(metric(sim, 'read-success')).toBeGreaterThan(0.9); // the balancer routes around it
    safetyOk(sim);
  });
});

describe('convergence', () => {
  it('after faults heal and writes stop, every read model equals the write store', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const commands: RecordedCommand[] = [
        { atUs: 2_000_000, command: { type: 'net.isolate', node: 'projector' } },
        { atUs: 3_000_000, command: { type: 'node.crash', node: 'q2' } },
        { atUs: 4_000_000, command: { type: 'node.crash', node: 'broker' } },
        { atUs: 5_000_000, command: control('add-replica') },
        { atUs: 6_000_000, command: { type: 'node.restart', node: 'broker' } },
        { atUs: 7_000_000, command: { type: 'net.heal' } },
        { atUs: 7_000_000, command: { type: 'node.restart', node: 'q2' } },
        { atUs: 8_000_000, command: { type: 'param.set', key: 'writePercent', value: 0 } },
      ];
      const sim = start(seed, { commands });
      sim.runUntil(8_000_000);
      const context = `seed ${seed}: ${reproduction(sim)}`;
      expect(runUntil(sim, isConverged, boundMs()), context).toBe(true);
      const log = writeLog(sim);
      const keyCount = boundedCount(sim, 'keyCount');
      for (const id of ['q1', 'q2', 'q3']) {
        const replica = sim.node(id).durable as ReplicaDurable;
        expect(replica.applied, context).toBe(log.length);
        expect(replica.model, context).toEqual(storeAt(log, log.length, keyCount));
      }
      expect(maxLag(sim)).toBe(0);
      expect(invariant(sim, 'read-models-converge').violations, context).toBe(0);
      safetyOk(sim);
    }
  });
});

describe('baseline: one service for reads and writes', () => {
  it('is never stale and has no lag', () => {
    const sim = start(1, { variant: 'baseline' });
    sim.runUntil(20_000_000);
    expect(metric(sim, 'stale-reads')).toBe(0);
    expect(metric(sim, 'ryow-violations')).toBe(0);
    expect(metric(sim, 'lag-max')).toBe(0);
    expect(metric(sim, 'read-success')).toBe(1);
  });

  it('makes writes queue behind reads under read load, where CQRS keeps them apart', () => {
    const run = (variant: 'pattern' | 'baseline') => {
      const sim = start(8, { variant, params: { ...heavyReads, initialReplicas: 3 } });
      sim.runUntil(20_000_000);
      return {
        writeP99: metric(sim, 'write-latency'),
        writeSuccess: metric(sim, 'write-success'),
        reads: mean(samples(sim, 'read-throughput', 2_000_000)),
      };
    };
    const pattern = run('pattern');
    const baseline = run('baseline');
    const report = JSON.stringify({ pattern, baseline });
    expect(baseline.writeP99, report).toBeGreaterThan(3 * pattern.writeP99);
    expect(pattern.reads, report).toBeGreaterThan(baseline.reads * 1.3);
  });
});
