import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { lostQuestion } from './crudStore.ts';
import { eventSourcing } from './model.ts';
import { auditId, balancesId, crudStoreId, eventStoreId } from './protocol.ts';
import {
  acceptedBalances,
  at,
  fault,
  ledgerOf,
  metricCount,
  metricOrNull,
  quiesce,
  runFor,
  safetyViolations,
  sortedEntries,
  start,
} from './testKit.ts';
import { crudRowsOf, handlersOf } from './world.ts';

/*
 * The baseline (a CRUD store overwriting one row per account) against the pattern on the same
 * seed and workload, and the determinism of both: the same run description gives the same trace.
 */

const historyMetrics = [
  'log-events',
  'projection-lag',
  'replay-length',
  'snapshots',
  'projection-rebuilds',
];

describe('CRUD baseline', () => {
  it('serves the same workload without losing updates, but keeps no history', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const crud = start(seed, { variant: 'baseline', params: { hotAccountPercent: 80 } });
      runFor(crud, 15_000);
      expect(quiesce(crud)).toBe(true);
      // The row-version check keeps it safe against lost updates too…
      const rows = new Map<string, number>();
      for (const [account, row] of crudRowsOf(crud) ?? []) rows.set(account, row.balance);
      expect(sortedEntries(rows)).toEqual(sortedEntries(acceptedBalances(ledgerOf(crud))));
      expect(metricOrNull(crud, 'conflicts')).toBeGreaterThan(0);
      // …but every metric that needs a history reports nothing: there is none.
      for (const name of historyMetrics) expect(metricCount(crud, name), name).toBe(0);
      expect(crud.nodes.map((node) => node.id)).not.toContain(eventStoreId);
      expect(crud.nodes.map((node) => node.id)).not.toContain(balancesId);
      // The node summary says which question can no longer be answered.
      expect(crud.node(crudStoreId).summary.badge).toContain(lostQuestion);
      expect(safetyViolations(crud)).toEqual([]);
    }
  });

  it('cannot answer "as of", where the pattern answers from the log', () => {
    const asOf = fault('as-of', 'handler-1', { account: 1, version: 3 });
    const results = (['pattern', 'baseline'] as const).map((variant) => {
      const sim = start(1, { variant, commands: [at(5000, asOf)] });
      runFor(sim, 5500);
      return (
        handlersOf(sim).find((handler) => handler.node.id === 'handler-1')?.state?.asOf ?? null
      );
    });
    const [pattern, baseline] = results;
    expect(pattern?.version).toBe(3);
    expect(pattern?.balance).not.toBeNull();
    expect(pattern?.history).toHaveLength(3);
    expect(baseline?.version).toBeNull();
    expect(baseline?.balance).toBeNull();
    expect(baseline?.note).toMatch(/lost/);
  });

  it('has the history metrics in the pattern', () => {
    const sim = start(1, {
      params: { snapshotEvery: 10 },
      commands: [at(3000, fault('rebuild-projection', auditId))],
    });
    runFor(sim, 8000);
    for (const name of historyMetrics) expect(metricCount(sim, name), name).toBeGreaterThan(0);
  });
});

describe('determinism', () => {
  const shared: RecordedCommand[] = [
    at(2000, fault('race', 'client-1', { amount: 5 })),
    at(3000, { type: 'net.partition', groups: [['handler-2']] }),
    at(3800, { type: 'net.heal' }),
  ];
  const storeCrash = (store: string): RecordedCommand[] => [
    at(1000, { type: 'node.crash', node: store }),
    at(1300, { type: 'node.restart', node: store }),
  ];
  const commandsFor = (variant: 'pattern' | 'baseline'): RecordedCommand[] =>
    variant === 'pattern'
      ? [
          ...storeCrash(eventStoreId),
          ...shared,
          at(2500, fault('corrupt-projection', balancesId)),
        ].sort((a, b) => a.atUs - b.atUs)
      : [...storeCrash(crudStoreId), ...shared];
  const commands = commandsFor('pattern');

  it('replays the same run description to the same trace hash', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const relevant = commandsFor(variant);
      const first = start(42, { variant, commands: relevant });
      const second = start(42, { variant, commands: relevant });
      first.runUntil(6_000_000);
      second.runUntil(6_000_000);
      expect(second.eventCount).toBe(first.eventCount);
      expect(second.traceHash).toBe(first.traceHash);
      expect(second.metricFinals()).toEqual(first.metricFinals());
    }
  });

  it('gives different seeds different hashes', () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 5; seed++) {
      const sim = start(seed, { commands });
      sim.runUntil(3_000_000);
      hashes.add(sim.traceHash);
    }
    expect(hashes.size).toBe(5);
  });

  it('continues a checkpointed run to the same hash as a straight run', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const relevant = commandsFor(variant);
      const params = { snapshotEvery: 5, cacheSize: 3 };
      const straight = start(7, { variant, params, commands: relevant });
      straight.runUntil(6_000_000);
      const first = start(7, { variant, params, commands: relevant });
      first.runUntil(2_700_000);
      const resumed = Simulation.fromCheckpoint(eventSourcing, first.checkpoint());
      resumed.runUntil(6_000_000);
      expect(resumed.traceHash).toBe(straight.traceHash);
      expect(resumed.metricFinals()).toEqual(straight.metricFinals());
      expect(resumed.invariantResults()).toEqual(straight.invariantResults());
    }
  });
});
