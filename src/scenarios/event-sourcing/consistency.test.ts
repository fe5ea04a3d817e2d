import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../consistency/check.ts';
import type { Operation } from '../../consistency/history.ts';
import type { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { markdownTable, type TableRow } from '../testing/consistencyTable.ts';
import { runStraightAndResumed } from '../testing/historyResume.ts';
import type { ClientState } from './client.ts';
import { eventSourcingHistory } from './history.ts';
import { eventSourcing } from './model.ts';
import type { EventSourcingMonitorMemory } from './monitor.ts';
import {
  acceptedBalances,
  at,
  fault,
  ledgerOf,
  logOf,
  runFor,
  safetyViolations,
  start,
} from './testKit.ts';
import { crudRowsOf } from './world.ts';

/*
 * The consistency table of the README ("Consistency"), computed from runs: the clients'
 * recorded commands (history.ts) as account operations through the checkers, per setting and
 * seed. "Contention": four clients at 12 commands/s each, 80% of them on acct-1, 45%
 * withdrawals, so withdrawals often meet the overdraft rule and appends often conflict.
 */

const contention = {
  clientCount: 4,
  commandRatePerSecond: 12,
  hotAccountPercent: 80,
  withdrawPercent: 45,
  transferPercent: 10,
};

/** The race control on client-1 every half second: two deposits on acct-1, one per handler. */
const races: readonly RecordedCommand[] = Array.from({ length: 39 }, (_, index) =>
  at(500 * (index + 1), fault('race', 'client-1', { amount: 10 })),
);

/** Every message between the handlers and the store is delivered twice, half the time. */
function duplicated(store: string): RecordedCommand[] {
  return ['handler-1', 'handler-2'].map((handler) =>
    at(100, {
      type: 'link.set',
      from: handler,
      to: store,
      isBothWays: true,
      duplicateProbability: 0.5,
    }),
  );
}

const rows: readonly TableRow[] = [
  { label: 'pattern, defaults', seeds: [1, 2, 3], durationMs: 20_000 },
  { label: 'pattern, contention', params: contention, seeds: [1, 2, 3], durationMs: 20_000 },
  { label: 'pattern, races', commands: races, seeds: [1, 2, 3], durationMs: 20_000 },
  { label: 'pattern, chaos', isChaos: true, seeds: [1, 2, 3, 4, 5], durationMs: 20_000 },
  {
    label: 'pattern, contention, duplicated store messages',
    params: contention,
    commands: duplicated('event-store'),
    seeds: [1, 2, 3],
    durationMs: 20_000,
  },
  { label: 'baseline', variant: 'baseline', seeds: [1, 2, 3], durationMs: 20_000 },
  {
    label: 'baseline, contention',
    variant: 'baseline',
    params: contention,
    seeds: [1, 2, 3],
    durationMs: 20_000,
  },
  {
    label: 'baseline, races',
    variant: 'baseline',
    commands: races,
    seeds: [1, 2, 3],
    durationMs: 20_000,
  },
  {
    label: 'baseline, chaos',
    variant: 'baseline',
    isChaos: true,
    seeds: [1, 2, 3, 4, 5],
    durationMs: 20_000,
  },
  {
    label: 'baseline, duplicated store messages',
    variant: 'baseline',
    commands: duplicated('crud-store'),
    seeds: [1, 2, 3],
    durationMs: 20_000,
  },
];

/** The README's table, as it is there. */
const readmeTable = `| Setting | Seeds | linearizable | sequential | read-your-writes | monotonic-reads | monotonic-writes | writes-follow-reads |
| --- | --- | --- | --- | --- | --- | --- | --- |
| pattern, defaults | 1, 2, 3 | holds | holds | n/a | n/a | n/a | n/a |
| pattern, contention | 1, 2, 3 | holds | holds | n/a | n/a | n/a | n/a |
| pattern, races | 1, 2, 3 | holds | holds | n/a | n/a | n/a | n/a |
| pattern, chaos | 1, 2, 3, 4, 5 | holds, undecided (seed 1) | holds | n/a | n/a | n/a | n/a |
| pattern, contention, duplicated store messages | 1, 2, 3 | violated (seeds 1, 3) | holds, undecided (seed 3) | n/a | n/a | n/a | n/a |
| baseline | 1, 2, 3 | holds | holds | n/a | n/a | n/a | n/a |
| baseline, contention | 1, 2, 3 | holds | holds | n/a | n/a | n/a | n/a |
| baseline, races | 1, 2, 3 | holds | holds | n/a | n/a | n/a | n/a |
| baseline, chaos | 1, 2, 3, 4, 5 | holds | holds | n/a | n/a | n/a | n/a |
| baseline, duplicated store messages | 1, 2, 3 | violated (seeds 2, 3) | holds, undecided (seed 3) | n/a | n/a | n/a | n/a |`;

const historyOf = (sim: Simulation): Operation[] =>
  eventSourcingHistory((sim.monitorMemory as EventSourcingMonitorMemory).history);

const account = { model: 'account', initial: 0 } as const;

describe('Event Sourcing client history', () => {
  it('records each command as account operations, a transfer as two, with its outcome', () => {
    const sim = start(1);
    runFor(sim, 10_000);
    const ops = historyOf(sim);
    const ledger = ledgerOf(sim);
    const settled = ledger.filter((entry) => entry.outcome !== 'conflict-exhausted');
    const transfers = settled.filter(
      (entry) => entry.command.kind === 'transfer' && entry.outcome !== 'rejected',
    );
    // One op per command, and a second for each transfer that was not refused.
    expect(ops).toHaveLength(settled.length + transfers.length);
    expect(transfers.length).toBeGreaterThan(0);
    expect(new Set(ops.map((op) => op.kind))).toEqual(new Set(['deposit', 'withdraw']));
    for (const op of ops) {
      expect(op.result === undefined).toBe(op.completeUs === null);
      if (op.kind === 'deposit' && op.result !== undefined) expect(op.result).toBe('accepted');
    }
    // The withdrawals the clients heard refused are exactly the rejected commands.
    const rejected = ledger.filter((entry) => entry.outcome === 'rejected');
    expect(ops.filter((op) => op.result === 'rejected')).toHaveLength(rejected.length);
    expect(rejected.length).toBeGreaterThan(0);
  });

  it('leaves a command the clients never heard back about with an unknown outcome', () => {
    // The store is cut off from the handlers for 3 s: commands time out or are unavailable,
    // and some of those sent before the cut may have landed.
    const sim = start(2, {
      commands: [
        at(3_000, { type: 'net.isolate', node: 'event-store' }),
        at(6_000, { type: 'net.heal' }),
      ],
    });
    runFor(sim, 10_000);
    const ops = historyOf(sim);
    const unknown = ops.filter((op) => op.completeUs === null);
    expect(unknown.length).toBeGreaterThan(5);
    for (const op of unknown) {
      expect(op.invokeUs).toBeGreaterThan(2_000_000);
      expect(op.invokeUs).toBeLessThan(6_100_000);
    }
    expect(checkConsistency(ops, account)[0]?.status).toBe('ok');
  });

  it('is the same whether the run went straight through or resumed from a checkpoint', () => {
    const runs = runStraightAndResumed(eventSourcing, {
      seed: 2,
      run: {
        commands: [
          at(3_000, { type: 'node.crash', node: 'client-1' }),
          at(4_000, { type: 'node.restart', node: 'client-1' }),
        ],
      },
      // While client-2 waits for an answer that arrives after the checkpoint.
      fromMs: 4_500,
      untilMs: 8_000,
      isOpen: (sim) => (sim.node('client-2').state as ClientState).outstanding.size > 0,
    });
    expect(runs.resumed.traceHash).toBe(runs.straight.traceHash);
    expect(runs.resumedHistory).toEqual(runs.straightHistory);
    expect(runs.straightHistory.length).toBeGreaterThan(100);
  });

  it('catches a command answered conflict-exhausted though its events are in the log', () => {
    // Contention with duplicated store messages, seed 3 (the README's example): the invariants
    // hold, the client's answer was false, and the checker says so.
    const sim = start(3, { params: contention, commands: duplicated('event-store') });
    runFor(sim, 20_000);
    const inLog = new Set(logOf(sim).map((event) => event.meta.commandId));
    const falseAnswers = ledgerOf(sim).filter(
      (entry) => entry.outcome === 'conflict-exhausted' && inLog.has(entry.commandId),
    );
    expect(falseAnswers.map((entry) => entry.commandId)).toContain('client-2#1.63');
    expect(safetyViolations(sim)).toEqual([]);
    const [linearizable] = checkConsistency(historyOf(sim), account);
    expect(linearizable?.status).toBe('violated');
    expect(linearizable?.violations[0]?.key).toBe('acct-1');
  }, 30_000);
});

describe('the baseline under duplicated store messages', () => {
  it('writes a command twice, unseen by the invariants, and the checker says so', () => {
    // Seed 2 (the README's example): a conflict answer to a write's second copy overtook the
    // answer to its first, and the handler wrote the command again.
    const sim = start(2, { variant: 'baseline', commands: duplicated('crud-store') });
    runFor(sim, 20_000);
    const expected = acceptedBalances(ledgerOf(sim));
    const rows: ReadonlyMap<string, { readonly balance: number }> = crudRowsOf(sim) ?? new Map();
    const apart = [...expected].filter(([id, balance]) => rows.get(id)?.balance !== balance);
    expect(apart.length).toBeGreaterThan(0);
    expect(safetyViolations(sim)).toEqual([]);
    expect(checkConsistency(historyOf(sim), account)[0]?.status).toBe('violated');
  });
});

describe('Event Sourcing consistency table', () => {
  it('is what the README shows', () => {
    expect(markdownTable(eventSourcing, rows)).toBe(readmeTable);
  }, 180_000);
});
