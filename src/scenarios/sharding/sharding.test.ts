import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.ts';
import type { NodeId, RecordedCommand } from '../../engine/types.ts';
import { sharding } from './model.ts';
import { ownerOf, strategyConsistent, strategyModN, strategyRange } from './placement.ts';
import { hotKeyFault } from './protocol.ts';
import {
  boundMs,
  control,
  invariant,
  metric,
  type Outcome,
  reproduction,
  runFor,
  runUntilSettled,
  safetyViolations,
  start,
  storylineOff,
  withReplyLog,
} from './testKit.ts';
import { isPlacementSettled, routerTable, shardNodes } from './world.ts';

/*
 * Scenario tests: each drives runs by seed and command log and asserts on what the run shows
 * (the world, the trace, the metrics, the invariants), never on hand-written outcomes. The
 * theoretical figures they compare with are formulas of the parameters.
 */

// ---- Keys moved by adding a shard ------------------------------------------------------------

interface AddFigures {
  readonly moved: number;
  readonly transfers: number;
  readonly keyCount: number;
  readonly transferTargets: Set<string>;
  readonly joined: NodeId;
  readonly context: string;
}

/** Adds one shard to `initialShards` under `strategy`; what the run measured. */
function addOneShard(strategy: number, initialShards: number): AddFigures {
  const params = {
    strategy,
    initialShards,
    shardPoolSize: initialShards + 1,
    virtualNodes: 128,
    migrationRate: 1000,
  };
  const sim = start(11, { params, traceWindowMax: 200_000 });
  runFor(sim, 1000);
  sim.apply(control('add'));
  const isSettled = runUntilSettled(sim, boundMs(params));
  const context = `strategy ${strategy}, ${initialShards} shards; ${reproduction(sim)}`;
  expect(isSettled, context).toBe(true);
  expect(safetyViolations(sim), context).toEqual([]);
  const names = sim.nodes.map((node) => node.id);
  const transferTargets = new Set(
    sim.trace
      .since(0)
      .filter((event) => event.type === 'message.sent' && event.label === 'Transfer')
      .map((event) => names[event.peer] ?? '?'),
  );
  return {
    moved: metric(sim, 'moved-keys'),
    transfers: metric(sim, 'transfers'),
    keyCount: routerTable(sim).keyCount,
    transferTargets,
    joined: `s${initialShards + 1}`,
    context,
  };
}

describe('keys moved when a shard is added', () => {
  const shardCounts = [2, 3, 4, 5, 6];

  it('hash mod N moves about N/(N+1) of the keys, to every shard', () => {
    for (const n of shardCounts) {
      const figures = addOneShard(strategyModN, n);
      expect(figures.moved, figures.context).toBeGreaterThan(n / (n + 1) - 0.04);
      expect(figures.moved, figures.context).toBeLessThan(n / (n + 1) + 0.04);
      // Every planned move happened exactly once (duplicates are not counted as transfers).
      expect(figures.transfers, figures.context).toBe(Math.round(figures.moved * figures.keyCount));
      expect(figures.transferTargets.size, figures.context).toBe(n + 1);
    }
  });

  it('consistent hashing moves about 1/(N+1) of the keys, all to the new shard', () => {
    for (const n of shardCounts) {
      const figures = addOneShard(strategyConsistent, n);
      expect(Math.abs(figures.moved - 1 / (n + 1)), figures.context).toBeLessThan(0.05);
      expect(figures.transfers, figures.context).toBe(Math.round(figures.moved * figures.keyCount));
      expect([...figures.transferTargets], figures.context).toEqual([figures.joined]);
    }
  });

  it('range partitioning splits the largest range: half of one range, 1/(2N), moves', () => {
    for (const n of shardCounts) {
      const figures = addOneShard(strategyRange, n);
      // N equal ranges of ⌊K/N⌋ or ⌈K/N⌉ keys; the new shard takes the upper half of the first
      // largest one.
      const largest = Math.ceil(figures.keyCount / n);
      const expected = (largest - Math.floor(largest / 2)) / figures.keyCount;
      expect(Math.abs(figures.moved - expected), figures.context).toBeLessThanOrEqual(
        1 / figures.keyCount,
      );
      expect([...figures.transferTargets], figures.context).toEqual([figures.joined]);
    }
  });
});

// ---- Virtual nodes and load spread -----------------------------------------------------------

describe('virtual nodes', () => {
  it('shrink the key and load spread as they grow (1 vs 16 vs 128)', () => {
    const spreads = [1, 16, 128].map((virtualNodes) => {
      let keySpread = 0;
      let loadSpread = 0;
      const counts = [3, 4, 5, 6];
      for (const initialShards of counts) {
        const params = { virtualNodes, initialShards, requestRate: 120, readFraction: 1 };
        const sim = start(5, { params });
        runFor(sim, 20_000);
        keySpread += metric(sim, 'key-spread') / counts.length;
        loadSpread += metric(sim, 'load-spread') / counts.length;
      }
      return { virtualNodes, keySpread, loadSpread };
    });
    const report = JSON.stringify(spreads);
    const [one, sixteen, many] = spreads.map((each) => each);
    expect(one?.keySpread, report).toBeGreaterThan(sixteen?.keySpread ?? Infinity);
    expect(sixteen?.keySpread, report).toBeGreaterThan(many?.keySpread ?? Infinity);
    expect(one?.loadSpread, report).toBeGreaterThan(sixteen?.loadSpread ?? Infinity);
    expect(sixteen?.loadSpread, report).toBeGreaterThan(many?.loadSpread ?? Infinity);
  });
});

// ---- A hot key -------------------------------------------------------------------------------

describe('a hot key', () => {
  it('overloads the one shard that owns it while the others idle', () => {
    const sim = start(3);
    runFor(sim, 5000);
    const hotKey = sim.params.hotKey ?? 0;
    for (const client of ['c1', 'c2']) {
      sim.apply({
        type: 'scenario.fault',
        fault: hotKeyFault,
        node: client,
        args: { key: hotKey, sharePercent: 90 },
      });
    }
    const successBefore = metric(sim, 'success-rate');
    runFor(sim, 10_000);
    const owner = ownerOf(routerTable(sim), hotKey);
    const others = routerTable(sim).active.filter((id) => id !== owner);
    const capacity = 1000 / (sim.params.serviceTimeMs ?? 1);
    const figures = JSON.stringify({
      owner,
      load: routerTable(sim).active.map((id) => [id, metric(sim, `load-${id}`)]),
      latency: routerTable(sim).active.map((id) => [id, metric(sim, `latency-${id}`)]),
      rejected: metric(sim, 'rejected'),
    });
    expect(metric(sim, `load-${owner}`), figures).toBeGreaterThan(capacity);
    for (const other of others) {
      expect(metric(sim, `load-${owner}`), figures).toBeGreaterThan(
        5 * metric(sim, `load-${other}`),
      );
      expect(metric(sim, `latency-${owner}`), figures).toBeGreaterThan(
        5 * metric(sim, `latency-${other}`),
      );
    }
    expect(metric(sim, 'rejected'), figures).toBeGreaterThan(0);
    expect(sim.node(owner).summary.label).toBe('overloaded');
    expect(metric(sim, 'success-rate'), figures).toBeLessThan(successBefore);
    expect(safetyViolations(sim)).toEqual([]);
  });
});

// ---- A crashed shard -------------------------------------------------------------------------

/** Crashes s2 after 3 s, logs every reply; the replies after the router noticed, split by owner. */
function crashRun(params: Readonly<Record<string, number>>) {
  const log: Outcome[] = [];
  const crashedUs = 3_000_000;
  const commands: RecordedCommand[] = [
    { atUs: crashedUs, command: { type: 'node.crash', node: 's2' } },
  ];
  const sim = new Simulation(withReplyLog(log), {
    scenarioId: sharding.id,
    scenarioVersion: sharding.version,
    seed: 9,
    variant: 'pattern',
    params: { ...storylineOff, ...params },
    commands,
  });
  runFor(sim, 10_000);
  // The router needs three missed health checks (plus one round trip) to stop routing to s2.
  const noticedUs = crashedUs + 4 * (sim.params.healthCheckMs ?? 0) * 1000 + 50_000;
  const table = routerTable(sim);
  const after = log.filter((each) => each.atUs > noticedUs);
  return {
    sim,
    log,
    crashedKeys: after.filter((each) => ownerOf(table, each.key) === 's2'),
    otherKeys: after.filter((each) => ownerOf(table, each.key) !== 's2'),
  };
}

describe('a crashed shard', () => {
  it('makes exactly its own keys unavailable', () => {
    const { sim, crashedKeys, otherKeys } = crashRun({});
    const context = reproduction(sim);
    expect(crashedKeys.length, context).toBeGreaterThan(10);
    expect(
      crashedKeys.every((each) => each.status === 'unavailable'),
      context,
    ).toBe(true);
    expect(otherKeys.length, context).toBeGreaterThan(100);
    expect(
      otherKeys.every((each) => each.status === 'ok'),
      context,
    ).toBe(true);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('stays readable from its replica with replication factor 2; its writes fail', () => {
    const { sim, log, crashedKeys, otherKeys } = crashRun({ replicationFactor: 2 });
    const context = reproduction(sim);
    const replicaReads = crashedKeys.filter((each) => each.isFromReplica);
    expect(replicaReads.length, context).toBeGreaterThan(10);
    expect(
      replicaReads.every((each) => each.status === 'ok' && each.value > 0),
      context,
    ).toBe(true);
    const failed = crashedKeys.filter((each) => !each.isFromReplica);
    expect(failed.length, context).toBeGreaterThan(0); // its writes
    expect(
      failed.every((each) => each.status === 'unavailable'),
      context,
    ).toBe(true);
    expect(
      otherKeys.every((each) => each.status === 'ok'),
      context,
    ).toBe(true);
    const allReplicaReads = log.filter((each) => each.isFromReplica).length;
    expect(metric(sim, 'replica-reads'), context).toBe(allReplicaReads);
  });
});

// ---- Hand-off through faults -----------------------------------------------------------------

describe('hand-off under faults', () => {
  it('keeps one custodian per key through adds and removes with loss, duplicates and crashes', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const lossy = (from: NodeId, to: NodeId): RecordedCommand['command'] => ({
        type: 'link.set',
        from,
        to,
        isBothWays: true,
        lossProbability: 0.3,
        duplicateProbability: 0.3,
      });
      const commands: RecordedCommand[] = [
        { atUs: 500_000, command: lossy('s1', 's5') },
        { atUs: 500_000, command: lossy('s3', 's5') },
        { atUs: 500_000, command: lossy('router', 's2') },
        { atUs: 1_000_000, command: control('add') },
        { atUs: 1_400_000, command: { type: 'node.crash', node: 's5' } },
        { atUs: 1_900_000, command: { type: 'node.restart', node: 's5' } },
        { atUs: 2_200_000, command: { type: 'node.crash', node: 's1' } },
        { atUs: 2_300_000, command: { type: 'node.crash', node: 'router' } },
        { atUs: 2_600_000, command: { type: 'node.restart', node: 's1' } },
        { atUs: 2_800_000, command: { type: 'node.restart', node: 'router' } },
        { atUs: 3_000_000, command: control('remove') },
        { atUs: 3_000_000, command: control('remove') },
        { atUs: 3_500_000, command: { type: 'net.partition', groups: [['s4', 's5']] } },
        { atUs: 4_200_000, command: { type: 'node.crash', node: 's4' } },
        { atUs: 4_500_000, command: { type: 'net.heal' } },
        { atUs: 4_600_000, command: { type: 'node.restart', node: 's4' } },
      ];
      const sim = start(seed, { commands, params: { migrationRate: 200 } });
      runFor(sim, 5000);
      const context = `seed ${seed}; ${reproduction(sim)}`;
      expect(safetyViolations(sim), context).toEqual([]);
      expect(runUntilSettled(sim, boundMs({ migrationRate: 200 })), context).toBe(true);
      expect(routerTable(sim).version, context).toBe(4); // one add, two removes
      expect(invariant(sim, 'placement-converges').violations, context).toBe(0);
      expect(safetyViolations(sim), context).toEqual([]);
      expect(metric(sim, 'forwards'), context).toBeGreaterThan(0);
    }
  });

  it('sends requests that reach a non-owner on to the owner during a rebalance', () => {
    const sim = start(4, { params: { strategy: strategyModN } });
    runFor(sim, 1000);
    const before = metric(sim, 'success-rate');
    sim.apply(control('add'));
    expect(runUntilSettled(sim, boundMs()), reproduction(sim)).toBe(true);
    expect(metric(sim, 'forwards')).toBeGreaterThan(10);
    // Frozen keys are retried, not failed: the rebalance costs latency, not availability.
    expect(metric(sim, 'success-rate')).toBeGreaterThanOrEqual(Math.min(before, 0.99));
    expect(safetyViolations(sim)).toEqual([]);
  });
});

// ---- The baseline ----------------------------------------------------------------------------

describe('single-node baseline', () => {
  it('saturates at one node’s capacity while four shards keep latency flat', () => {
    const rows = [20, 40, 60, 100].map((requestRate) => {
      const figures = (variant: 'pattern' | 'baseline') => {
        const sim = start(2, { variant, params: { ...storylineOff, requestRate } });
        runFor(sim, 20_000);
        expect(safetyViolations(sim)).toEqual([]);
        return {
          p99: metric(sim, 'latency-p99'),
          success: metric(sim, 'success-rate'),
          throughput: metric(sim, 'throughput'),
        };
      };
      return { requestRate, pattern: figures('pattern'), baseline: figures('baseline') };
    });
    const report = JSON.stringify(rows);
    const capacity = 1000 / 25;
    for (const row of rows) {
      // Four shards have four times the capacity: no rate here saturates them.
      expect(row.pattern.success, report).toBeGreaterThan(0.99);
      if (row.requestRate > capacity) {
        expect(row.baseline.success, report).toBeLessThan(0.9);
        expect(row.baseline.p99, report).toBeGreaterThan(2 * row.pattern.p99);
        expect(row.baseline.throughput, report).toBeLessThan(capacity * 1.05);
      }
    }
    // Past capacity the single node's bounded queue stays full: latency sits at about queue
    // length × service time, and the rest is rejected. Well under capacity it is far lower.
    const fullQueueMs = 20 * 25;
    expect(rows.at(-1)?.baseline.p99, report).toBeGreaterThan(0.9 * fullQueueMs);
    expect(rows[0]?.baseline.p99, report).toBeLessThan(0.5 * fullQueueMs);
  });

  it('never moves a key: there are no spares to add', () => {
    const sim = start(1, {
      variant: 'baseline',
      commands: [{ atUs: 500_000, command: control('add') }],
    });
    runFor(sim, 2000);
    expect(shardNodes(sim).map((node) => node.id)).toEqual(['s1']);
    expect(routerTable(sim).version).toBe(1);
    expect(isPlacementSettled(sim)).toBe(true);
  });
});

// ---- Determinism -----------------------------------------------------------------------------

describe('determinism', () => {
  const patternCommands: RecordedCommand[] = [
    { atUs: 800_000, command: control('add') },
    { atUs: 1_200_000, command: { type: 'node.crash', node: 's2' } },
    { atUs: 1_900_000, command: { type: 'node.restart', node: 's2' } },
    { atUs: 2_500_000, command: control('remove') },
  ];

  it('gives the observed-replies model the same run as the plain one', () => {
    const plain = start(3, { commands: patternCommands });
    const observed = new Simulation(withReplyLog([]), plain.describe());
    plain.runUntil(3_000_000);
    observed.runUntil(3_000_000);
    expect(observed.traceHash).toBe(plain.traceHash);
  });
});
