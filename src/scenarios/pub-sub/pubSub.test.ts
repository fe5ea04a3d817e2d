import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { durableBacklogDrains } from './invariants.ts';
import { pubSub } from './model.ts';
import { storylineOff } from './storyline.ts';
import {
  defaultsWith,
  invariant,
  metric,
  metricTotals,
  newTap,
  ownCounts,
  percentile,
  quiesce,
  recount,
  reproduction,
  runFor,
  safetyViolations,
  samples,
  start,
  type Tap,
  totals,
} from './testKit.ts';

/*
 * Scenario tests: each drives runs by seed and command log and asserts on what the run shows
 * (the world, the trace, the metrics, the invariants), never on hand-written constants. Counts
 * are always cross-checked three ways: the independent recount (trace + publishers' acked sets),
 * the subscribers' own stores with the monitor's per-subscriber losses, and the metric totals.
 */

const at = (ms: number, command: RecordedCommand['command']): RecordedCommand => ({
  atUs: ms * 1000,
  command,
});
const crash = (ms: number, node: string) => at(ms, { type: 'node.crash', node });
const restart = (ms: number, node: string) => at(ms, { type: 'node.restart', node });

/** Quiesces the run and checks the three counts agree exactly; returns the recount. */
function settledCounts(sim: Simulation, tap: Tap) {
  const context = reproduction(sim);
  expect(quiesce(sim), `never quiet; ${context}`).toBe(true);
  const independent = recount(sim, tap);
  expect(independent.invented, context).toEqual([]);
  expect(ownCounts(sim), context).toEqual(independent.bySubscriber);
  expect(metricTotals(sim), context).toEqual(totals(independent.bySubscriber));
  return independent.bySubscriber;
}

describe('pub/sub fan-out', () => {
  it('delivers every acknowledged message to every subscriber once when nothing fails', () => {
    for (const seed of [1, 2, 3]) {
      const tap = newTap();
      const sim = start(seed, { tap });
      runFor(sim, 10_000);
      const counts = settledCounts(sim, tap);
      const published = metric(sim, 'published');
      expect(published).toBeGreaterThan(50);
      for (const each of Object.values(counts)) {
        expect(each).toEqual({ delivered: published, duplicates: 0, lost: 0 });
      }
      expect(safetyViolations(sim)).toEqual([]);
    }
  });
});

describe('durable, at-least-once, persistent broker', () => {
  const commands = [
    crash(3000, 'broker'),
    restart(4000, 'broker'),
    crash(5000, 's1'),
    crash(5500, 's4'),
    restart(8000, 's1'),
    crash(9000, 'broker'),
    crash(9100, 's2'),
    restart(9600, 'broker'),
    restart(11_000, 's4'),
    restart(12_000, 's2'),
  ];

  it('loses no acknowledged message across broker and subscriber crashes', () => {
    for (const seed of [1, 2, 3, 4]) {
      const tap = newTap();
      const sim = start(seed, { tap, commands });
      runFor(sim, 15_000);
      const counts = settledCounts(sim, tap);
      const context = `seed ${seed}; ${reproduction(sim)}`;
      for (const id of ['s1', 's2', 's4']) expect(counts[id]?.lost, context).toBe(0);
      // The crashes did make the protocol work: retries, and a duplicate or more.
      expect(metric(sim, 'publish-retries'), context).toBeGreaterThan(0);
      expect(safetyViolations(sim), context).toEqual([]);
      expect(invariant(sim, 'durable-backlog-drains').violations, context).toBe(0);
    }
  });
});

describe('messages lost when not durable, counted exactly', () => {
  it('loses to an in-memory subscriber while it is down, and to nobody durable', () => {
    const tap = newTap();
    const sim = start(5, {
      tap,
      commands: [crash(3000, 's3'), crash(3000, 's2'), restart(8000, 's3'), restart(8000, 's2')],
    });
    runFor(sim, 12_000);
    const counts = settledCounts(sim, tap);
    expect(counts.s3?.lost).toBeGreaterThan(10);
    expect(counts.s2?.lost).toBe(0);
    expect(counts.s1?.lost).toBe(0);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('loses what the queues held when a non-persistent broker crashes', () => {
    const commands = [
      at(2900, { type: 'scenario.fault', fault: 'burst', node: 'p1', args: { count: 60 } }),
      crash(3000, 'broker'),
      restart(4000, 'broker'),
    ];
    const durable = ['s1', 's2', 's4'];
    for (const seed of [1, 2]) {
      const tap = newTap();
      const volatile = start(seed, { tap, params: { brokerPersistence: 0 }, commands });
      runFor(volatile, 8000);
      const lost = settledCounts(volatile, tap);
      const persistentTap = newTap();
      const persistent = start(seed, { tap: persistentTap, commands });
      runFor(persistent, 8000);
      const kept = settledCounts(persistent, persistentTap);
      const context = reproduction(volatile);
      // Durable subscriptions lose their queues with a volatile broker, nothing with a persistent
      // one. The in-memory subscription dies with the broker's connections either way.
      expect(
        durable.map((id) => lost[id]?.lost ?? 0).every((n) => n > 0),
        context,
      ).toBe(true);
      expect(
        durable.map((id) => kept[id]?.lost),
        context,
      ).toEqual([0, 0, 0]);
      expect(lost.s3?.lost, context).toBeGreaterThan(0);
      expect(kept.s3?.lost, context).toBeGreaterThan(0);
    }
  });

  it('loses on the wire with at-most-once delivery, and not with at-least-once', () => {
    const commands = [
      at(1000, { type: 'link.set', from: 'broker', to: 's1', lossProbability: 0.2 }),
      at(6000, { type: 'net.heal' }),
    ];
    const tap = newTap();
    const atMostOnce = start(3, { tap, params: { deliveryMode: 0 }, commands });
    runFor(atMostOnce, 8000);
    const counts = settledCounts(atMostOnce, tap);
    expect(counts.s1?.lost).toBeGreaterThan(0);
    expect(counts.s2?.lost).toBe(0);
    expect(metric(atMostOnce, 'redeliveries')).toBe(0);

    const atLeastOnceTap = newTap();
    const atLeastOnce = start(3, { tap: atLeastOnceTap, commands });
    runFor(atLeastOnce, 8000);
    const safe = settledCounts(atLeastOnce, atLeastOnceTap);
    expect(safe.s1?.lost).toBe(0);
    expect(metric(atLeastOnce, 'redeliveries')).toBeGreaterThan(0);
  });

  it('drops the oldest from a full queue when told to, and blocks publishers otherwise', () => {
    const params = { queueCapacity: 20 };
    const commands = [
      at(1000, {
        type: 'scenario.fault',
        fault: 'slow-subscriber',
        node: 's4',
        args: { factor: 10, durationMs: 6000 },
      }),
    ];
    const tap = newTap();
    const dropping = start(2, { tap, params: { ...params, overflowPolicy: 0 }, commands });
    runFor(dropping, 10_000);
    const counts = settledCounts(dropping, tap);
    expect(counts.s4?.lost).toBeGreaterThan(0);
    expect(counts.s4?.lost).toBe(metric(dropping, 'overflow-drops'));
    expect(counts.s1?.lost).toBe(0);
    expect(metric(dropping, 'publish-refused')).toBe(0);

    const blockingTap = newTap();
    const blocking = start(2, { tap: blockingTap, params, commands });
    runFor(blocking, 10_000);
    const blocked = settledCounts(blocking, blockingTap);
    expect(totals(blocked).lost).toBe(0);
    expect(metric(blocking, 'publish-refused')).toBeGreaterThan(0);
    expect(metric(blocking, 'overflow-drops')).toBe(0);
  });
});

describe('duplicates under at-least-once', () => {
  it('redelivers after lost acks, and counts every duplicate exactly', () => {
    for (const seed of [1, 2, 3]) {
      const tap = newTap();
      const commands = [
        at(2000, {
          type: 'scenario.fault',
          fault: 'lose-acks',
          node: 's1',
          args: { durationMs: 3000 },
        }),
      ];
      const sim = start(seed, { tap, commands });
      runFor(sim, 8000);
      const counts = settledCounts(sim, tap);
      const context = `seed ${seed}; ${reproduction(sim)}`;
      expect(counts.s1?.duplicates, context).toBeGreaterThan(0);
      expect(counts.s1?.lost, context).toBe(0);
      expect(counts.s2?.duplicates, context).toBe(0);
      // Every duplicate was a redelivery (no other cause in this run).
      expect(metric(sim, 'redeliveries'), context).toBe(totals(counts).duplicates);
    }
  });
});

describe('decoupling', () => {
  const slowFault = [
    at(2000, {
      type: 'scenario.fault',
      fault: 'slow-subscriber',
      node: 's4',
      args: { factor: 5, durationMs: 8000 },
    }),
  ];
  const fastOnes = ['s1', 's2', 's3'];

  function latencies(sim: Simulation, id: string) {
    const values = samples(sim, `latency-${id}`);
    return { p50: percentile(values, 0.5), p99: percentile(values, 0.99) };
  }

  it('lets a slow subscriber build a backlog without slowing the others', () => {
    for (const seed of [1, 2, 3]) {
      const calm = start(seed, { params: storylineOff });
      const slowed = start(seed, { commands: slowFault, params: storylineOff });
      runFor(calm, 12_000);
      runFor(slowed, 12_000);
      const context = `seed ${seed}; ${reproduction(slowed)}`;
      const backlog = Math.max(...samples(slowed, 'backlog-s4'));
      expect(backlog, context).toBeGreaterThan(3 * Math.max(...samples(calm, 'backlog-s4')));
      expect(backlog, context).toBeGreaterThanOrEqual(20);
      for (const id of fastOnes) {
        expect(latencies(slowed, id), `${id}; ${context}`).toEqual(latencies(calm, id));
      }
      expect(metric(slowed, 'publish-refused'), context).toBe(0);
    }
  });

  it('in the baseline, a slow subscriber slows every other subscriber', () => {
    const calm = start(1, { variant: 'baseline', params: storylineOff });
    const slowed = start(1, {
      variant: 'baseline',
      commands: slowFault,
      params: storylineOff,
    });
    runFor(calm, 12_000);
    runFor(slowed, 12_000);
    for (const id of fastOnes) {
      expect(latencies(slowed, id).p99, id).toBeGreaterThan(2 * latencies(calm, id).p99);
    }
  });

  it('shows a crashed durable subscriber’s backlog grow, then drain after restart', () => {
    const commands = [crash(2000, 's2'), restart(7000, 's2')];
    const sim = start(4, { commands });
    runFor(sim, 7000);
    const grown = samples(sim, 'backlog-s2', 2_000_000);
    const publishedWhileDown = samples(sim, 'published', 2_000_000).length;
    expect(Math.max(...grown)).toBeGreaterThanOrEqual(publishedWhileDown - 2);
    expect(publishedWhileDown).toBeGreaterThan(20);
    const boundMs = durableBacklogDrains.boundUs(defaultsWith()) / 1000;
    runFor(sim, 3000);
    const after = samples(sim, 'backlog-s2', sim.nowUs - 500_000);
    expect(Math.max(...after)).toBeLessThanOrEqual(2);
    expect(3000).toBeLessThan(boundMs);
    expect(invariant(sim, 'durable-backlog-drains').violations).toBe(0);
    expect(metric(sim, 'lost')).toBe(0);
  });
});

describe('baseline: direct calls', () => {
  it('loses messages to a down subscriber, where a durable subscription does not', () => {
    const commands = [crash(2000, 's2'), restart(7000, 's2')];
    for (const seed of [1, 2]) {
      const tap = newTap();
      const direct = start(seed, { tap, variant: 'baseline', commands });
      runFor(direct, 10_000);
      const lost = settledCounts(direct, tap);
      const patternTap = newTap();
      const brokered = start(seed, { tap: patternTap, commands });
      runFor(brokered, 10_000);
      const kept = settledCounts(brokered, patternTap);
      const context = reproduction(direct);
      expect(lost.s2?.lost, context).toBeGreaterThan(0);
      expect(kept.s2?.lost, context).toBe(0);
      expect(invariant(direct, 'no-acked-message-lost').violations, context).toBe(lost.s2?.lost);
      expect(invariant(brokered, 'no-acked-message-lost').violations).toBe(0);
      // Coupling: every publish waited for the down subscriber's timeouts.
      expect(metric(direct, 'publish-latency'), context).toBeGreaterThan(
        5 * metric(brokered, 'publish-latency'),
      );
    }
  });
});

describe('a default run', () => {
  it('runs a default 60 s run fast and clean', () => {
    const sim = start(1);
    sim.runUntil(pubSub.defaultDurationUs);
    expect(safetyViolations(sim)).toEqual([]);
    expect(metric(sim, 'lost')).toBe(0);
    expect(metric(sim, 'throughput')).toBeGreaterThan(0);
  });
});
