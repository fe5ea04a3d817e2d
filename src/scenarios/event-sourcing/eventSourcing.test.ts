import { describe, expect, it } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import { aggregateAsOf } from './account.ts';
import { auditId, balancesId, eventStoreId, hotAccount } from './protocol.ts';
import type { StoredEvent } from './storeProtocol.ts';
import {
  acceptedBalances,
  at,
  fault,
  foldedBalances,
  invariant,
  ledgerOf,
  ledgerProblems,
  logOf,
  meanOf,
  metric,
  notesOf,
  quiesce,
  replayAsOf,
  reproduction,
  runFor,
  safetyViolations,
  samplesOf,
  sortedEntries,
  start,
  streamEventsOf,
  streamsOf,
} from './testKit.ts';
import { viewDefinitions, foldView } from './views.ts';
import { handlersOf, projectionsOf, storeDurableOf } from './world.ts';

/*
 * Scenario tests: each drives runs by seed and command log and asserts on what the run shows
 * (the log on the store's disk, the clients' ledgers, the handlers' and projections' states, the
 * metrics, the invariants, the trace), never on hand-written constants.
 */

const crash = (node: string) => ({ type: 'node.crash', node }) as const;
const restart = (node: string) => ({ type: 'node.restart', node }) as const;

/** Crashes and restarts every kind of node at least once, the store twice. */
const crashesEverywhere: RecordedCommand[] = [
  at(1500, crash(eventStoreId)),
  at(1900, restart(eventStoreId)),
  at(2500, crash('handler-1')),
  at(3100, restart('handler-1')),
  at(3500, crash(balancesId)),
  at(4200, restart(balancesId)),
  at(4700, crash(eventStoreId)),
  at(4750, restart(eventStoreId)),
  at(5200, crash('handler-2')),
  at(5300, crash(auditId)),
  at(5800, restart('handler-2')),
  at(6000, restart(auditId)),
  at(6500, crash('client-2')),
  at(6900, restart('client-2')),
];

/** Every stream's versions 1…n, the log's positions 1…N, each log entry the event its stream holds. */
function layoutProblems(
  log: readonly StoredEvent[],
  streams: ReadonlyMap<string, readonly StoredEvent[]>,
): string[] {
  const problems: string[] = [];
  for (const [stream, events] of streams) {
    events.forEach((event, index) => {
      if (event.version !== index + 1 || event.stream !== stream)
        problems.push(`${stream}[${index}] is v${event.version}`);
    });
  }
  log.forEach((event, index) => {
    if (event.position !== index + 1) problems.push(`log[${index}] has position ${event.position}`);
    if (streams.get(event.stream)?.[event.version - 1] !== event)
      problems.push(`log[${index}] is not in its stream`);
  });
  const streamTotal = [...streams.values()].reduce((sum, events) => sum + events.length, 0);
  if (streamTotal !== log.length)
    problems.push(`streams hold ${streamTotal} events, the log ${log.length}`);
  return problems;
}

describe('the event store', () => {
  it('keeps every stream contiguous and every event unchanged through crashes of every node', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const sim = start(seed, { commands: crashesEverywhere });
      runFor(sim, 1400);
      const beforeCrash = logOf(sim).slice();
      runFor(sim, 6600);
      expect(quiesce(sim), reproduction(sim)).toBe(true);
      const durable = storeDurableOf(sim);
      const context = `seed ${seed}: ${reproduction(sim)}`;
      expect(durable, context).not.toBeNull();
      expect(layoutProblems(logOf(sim), streamsOf(sim)), context).toEqual([]);
      // The store crashed twice; what it had acknowledged before is still there, unchanged.
      expect(beforeCrash.length, context).toBeGreaterThan(5);
      expect(logOf(sim).slice(0, beforeCrash.length), context).toEqual(beforeCrash);
      expect(logOf(sim).length, context).toBeGreaterThan(beforeCrash.length * 3);
      expect(ledgerProblems(sim), context).toEqual([]);
      expect(safetyViolations(sim), context).toEqual([]);
      expect(invariant(sim, 'projections-catch-up').violations, context).toBe(0);
    }
  });
});

describe('aggregates', () => {
  it('equal the replay of their stream, cached or freshly loaded, with snapshots on', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const params = { cacheSize: 4, snapshotEvery: 5, hotAccountPercent: 60 };
      const sim = start(seed, { params, commands: crashesEverywhere });
      let checked = 0;
      for (let step = 0; step < 40; step++) {
        runFor(sim, 250);
        // Every aggregate a handler holds at version v is the fold of the stream's first v events.
        for (const handler of handlersOf(sim)) {
          const held = [...(handler.state?.cache ?? []), ...(handler.state?.known ?? [])];
          for (const job of handler.state?.jobs ?? []) held.push(...job.aggregates);
          for (const [stream, aggregate] of held) {
            expect(
              replayAsOf(sim, stream, aggregate.version),
              `${handler.node.id} ${stream}`,
            ).toEqual(aggregate.state);
            checked++;
          }
        }
      }
      // And every snapshot is the fold of its stream up to its version.
      for (const snapshot of storeDurableOf(sim)?.snapshots.values() ?? []) {
        expect(replayAsOf(sim, snapshot.stream, snapshot.version)).toEqual(snapshot.state);
      }
      expect(checked).toBeGreaterThan(20);
      expect(metric(sim, 'snapshots')).toBeGreaterThan(0);
      expect(invariant(sim, 'replay-equals-live').violations, reproduction(sim)).toBe(0);
    }
  });

  it('answer "as of" any version with the fold of the stream up to it', () => {
    const sim = start(2);
    runFor(sim, 8000);
    const length = streamEventsOf(sim, hotAccount).length;
    expect(length).toBeGreaterThan(20);
    for (const version of [1, Math.floor(length / 3), length - 1]) {
      sim.apply(fault('as-of', 'handler-2', { account: 1, version }));
      runFor(sim, 100);
      const asOf = handlersOf(sim).find((handler) => handler.node.id === 'handler-2')?.state?.asOf;
      expect(asOf?.version).toBe(version);
      expect(asOf?.balance).toBe(
        aggregateAsOf(streamEventsOf(sim, hotAccount), version).state.balance,
      );
      expect(asOf?.history.at(-1)).toMatch(
        new RegExp(`^v${version} \\w+ \\d+.* by client-\\d via handler-\\d at `),
      );
    }
  });
});

describe('concurrency', () => {
  const hot = { hotAccountPercent: 80, commandRatePerSecond: 15 };

  it('detects races between two handlers as conflicts, retries them, and loses no update', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const sim = start(seed, { params: hot });
      runFor(sim, 20_000);
      expect(quiesce(sim)).toBe(true);
      const context = `seed ${seed}: ${reproduction(sim)}`;
      expect(metric(sim, 'conflicts'), context).toBeGreaterThan(10);
      expect(metric(sim, 'retries'), context).toBeGreaterThan(10);
      // No fault, so every outcome is known (some commands may have run out of retries): the
      // balances are exactly the accepted commands.
      const ledger = ledgerOf(sim);
      const known = ['accepted', 'rejected', 'conflict-exhausted'];
      expect(
        ledger.every((entry) => known.includes(entry.outcome ?? 'none')),
        context,
      ).toBe(true);
      expect(sortedEntries(foldedBalances(sim)), context).toEqual(
        sortedEntries(acceptedBalances(ledger)),
      );
      expect(ledgerProblems(sim), context).toEqual([]);
      expect(safetyViolations(sim), context).toEqual([]);
    }
  });

  it('never conflicts with a single handler, which serializes commands per account', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const sim = start(seed, { params: { ...hot, handlerCount: 1 } });
      runFor(sim, 20_000);
      expect(quiesce(sim)).toBe(true);
      expect(metric(sim, 'conflicts'), reproduction(sim)).toBe(0);
      expect(ledgerOf(sim).filter((entry) => entry.outcome === 'accepted').length).toBeGreaterThan(
        200,
      );
      expect(ledgerProblems(sim)).toEqual([]);
    }
  });

  it('gives up after the retry limit, and writes nothing for a command that gave up', () => {
    const sim = start(4, { params: { ...hot, retryMax: 0, cacheSize: 6 } });
    runFor(sim, 10_000);
    expect(quiesce(sim)).toBe(true);
    expect(metric(sim, 'conflicts-exhausted')).toBeGreaterThan(0);
    expect(ledgerOf(sim).some((entry) => entry.outcome === 'conflict-exhausted')).toBe(true);
    expect(ledgerProblems(sim)).toEqual([]);
  });

  it('applies a command once even when the network duplicates its messages', () => {
    let alreadyInLog = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const duplicating: RecordedCommand[] = ['handler-1', 'handler-2'].flatMap((handler) => [
        at(0, {
          type: 'link.set',
          from: handler,
          to: eventStoreId,
          isBothWays: true,
          duplicateProbability: 0.5,
        }),
        at(0, {
          type: 'link.set',
          from: 'client-1',
          to: handler,
          isBothWays: true,
          duplicateProbability: 0.5,
        }),
      ]);
      const sim = start(seed, { params: hot, commands: duplicating });
      runFor(sim, 10_000);
      expect(quiesce(sim)).toBe(true);
      expect(ledgerProblems(sim), reproduction(sim)).toEqual([]);
      expect(sortedEntries(foldedBalances(sim))).toEqual(
        sortedEntries(acceptedBalances(ledgerOf(sim))),
      );
      expect(safetyViolations(sim)).toEqual([]);
      alreadyInLog += ['handler-1', 'handler-2']
        .flatMap((id) => notesOf(sim, id))
        .filter((note) => note.includes('already in the log')).length;
    }
    expect(alreadyInLog).toBeGreaterThan(0);
  });
});

describe('projections', () => {
  const interrupted: RecordedCommand[] = [
    at(4000, crash(balancesId)),
    at(6000, restart(balancesId)),
    at(8000, fault('rebuild-projection', auditId)),
    at(9000, fault('corrupt-projection', balancesId)),
  ];

  it('rebuild after a crash, a rebuild or a corruption to what a projection that never stopped holds', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const rebuilt = start(seed, { commands: interrupted });
      const steady = start(seed);
      for (const sim of [rebuilt, steady]) {
        runFor(sim, 12_000);
        expect(quiesce(sim)).toBe(true);
      }
      const context = `seed ${seed}: ${reproduction(rebuilt)}`;
      // The projections' trouble did not touch the write side: the same log in both runs.
      expect(logOf(rebuilt), context).toEqual(logOf(steady));
      expect(metric(rebuilt, 'projection-rebuilds'), context).toBe(3);
      expect(metric(steady, 'projection-rebuilds'), context).toBe(0);
      for (const id of [balancesId, auditId]) {
        const mine = projectionsOf(rebuilt).find((each) => each.node.id === id)?.state;
        const theirs = projectionsOf(steady).find((each) => each.node.id === id)?.state;
        const definition = viewDefinitions.get(mine?.view ?? '');
        expect(definition, context).toBeDefined();
        expect(mine?.position, context).toBe(logOf(rebuilt).length);
        expect(definition?.equals(mine?.model, theirs?.model), `${id}; ${context}`).toBe(true);
        expect(
          definition?.equals(mine?.model, foldView(definition, logOf(rebuilt))),
          `${id}; ${context}`,
        ).toBe(true);
      }
      expect(notesOf(rebuilt, balancesId).filter((note) => note.includes('rebuilt,'))).toHaveLength(
        2,
      );
      expect(safetyViolations(rebuilt), context).toEqual([]);
      expect(invariant(rebuilt, 'projections-catch-up').violations, context).toBe(0);
    }
  });

  it('resume from a durable checkpoint instead of position 0 when checkpoints are on', () => {
    const commands = [at(6000, crash(balancesId)), at(6500, restart(balancesId))];
    const sim = start(1, { params: { projectionCheckpointEvery: 25 }, commands });
    runFor(sim, 10_000);
    expect(quiesce(sim)).toBe(true);
    const resumed = notesOf(sim, balancesId).find((note) =>
      note.includes('resuming from checkpoint'),
    );
    const from = Number(/position (\d+)/.exec(resumed ?? '')?.[1] ?? -1);
    expect(from).toBeGreaterThan(25);
    expect(from % 25).toBe(0);
    expect(metric(sim, 'projection-rebuilds')).toBe(0);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('fall behind while down and catch up within the bound after the restart', () => {
    const commands = [at(3000, crash(balancesId)), at(6000, restart(balancesId))];
    const sim = start(3, { commands, traceWindowMax: 200_000 });
    runFor(sim, 9000);
    const lag = samplesOf(sim, 'projection-lag', 3_500_000, 6_000_000);
    expect(Math.min(...lag)).toBeGreaterThan(10);
    expect(samplesOf(sim, 'projection-lag', 6_500_000, 9_000_000).every((each) => each <= 3)).toBe(
      true,
    );
    expect(invariant(sim, 'projections-catch-up').violations).toBe(0);
  });
});

describe('snapshots', () => {
  it('cut the events read per load, and the store time they cost', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const without = start(seed, { traceWindowMax: 400_000 });
      const withSnapshots = start(seed, { params: { snapshotEvery: 10 }, traceWindowMax: 400_000 });
      for (const sim of [without, withSnapshots]) runFor(sim, 30_000);
      const report = JSON.stringify({
        without: [metric(without, 'replay-length'), metric(without, 'command-latency-p99')],
        with: [
          metric(withSnapshots, 'replay-length'),
          metric(withSnapshots, 'command-latency-p99'),
        ],
      });
      expect(metric(without, 'snapshots'), report).toBe(0);
      expect(metric(withSnapshots, 'snapshots'), report).toBeGreaterThan(20);
      expect(metric(withSnapshots, 'replay-length'), report).toBeLessThan(
        metric(without, 'replay-length') / 5,
      );
      // Late in the run, loads without snapshots read whole streams; with them, under 2 × N.
      const late = (sim: typeof without) => samplesOf(sim, 'replay-length', 20_000_000, 30_000_000);
      expect(Math.max(...late(withSnapshots)), report).toBeLessThan(20);
      expect(meanOf(late(without)), report).toBeGreaterThan(50);
      expect(metric(withSnapshots, 'command-latency-p99'), report).toBeLessThan(
        metric(without, 'command-latency-p99'),
      );
      expect(safetyViolations(withSnapshots)).toEqual([]);
    }
  });
});

describe('faults', () => {
  it('a slow store slows commands and queues requests, and both recover', () => {
    const commands = [
      at(5000, fault('slow-store', eventStoreId, { factor: 20 })),
      at(10_000, fault('recover-store', eventStoreId)),
    ];
    const sim = start(1, { commands, traceWindowMax: 400_000 });
    runFor(sim, 16_000);
    const latency = (fromMs: number, toMs: number) =>
      meanOf(samplesOf(sim, 'command-latency-p50', fromMs * 1000, toMs * 1000));
    const queue = (fromMs: number, toMs: number) =>
      meanOf(samplesOf(sim, 'store-queue', fromMs * 1000, toMs * 1000));
    expect(latency(6000, 10_000)).toBeGreaterThan(3 * latency(1000, 5000));
    expect(queue(6000, 10_000)).toBeGreaterThan(1);
    expect(latency(12_000, 16_000)).toBeLessThan(2 * latency(1000, 5000));
    expect(safetyViolations(sim)).toEqual([]);
    expect(invariant(sim, 'projections-catch-up').violations).toBe(0);
  });
});
