import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../consistency/check.ts';
import { entryAt } from './appendLog.ts';
import type { ClientState } from './client.ts';
import { cqrsHistory } from './history.ts';
import { cqrs } from './model.ts';
import type { CqrsMonitorMemory } from './monitor.ts';
import { markdownTable, type TableRow } from '../testing/consistencyTable.ts';
import { runStraightAndResumed } from '../testing/historyResume.ts';
import { runFor, start } from './testKit.ts';
import { writeLog } from './world.ts';

/*
 * The consistency table of the README ("Consistency"), computed from runs: the clients'
 * recorded reads and writes (history.ts) through the checkers, per setting and seed.
 */

const rows: readonly TableRow[] = [
  { label: 'pattern, defaults', seeds: [1, 2, 3], durationMs: 20_000 },
  {
    label: 'pattern, read-your-writes mode',
    params: { ryowMode: 1 },
    seeds: [1, 2, 3],
    durationMs: 20_000,
  },
  { label: 'pattern, chaos', isChaos: true, seeds: [1, 2, 3, 4, 5], durationMs: 20_000 },
  {
    label: 'pattern, read-your-writes mode, chaos',
    params: { ryowMode: 1 },
    isChaos: true,
    seeds: [1, 2, 3, 4, 5],
    durationMs: 20_000,
  },
  { label: 'baseline', variant: 'baseline', seeds: [1, 2, 3], durationMs: 20_000 },
  {
    label: 'baseline, chaos',
    variant: 'baseline',
    isChaos: true,
    seeds: [1, 2, 3, 4, 5],
    durationMs: 20_000,
  },
];

/** The README's table, as it is there. */
const readmeTable = `| Setting | Seeds | linearizable | sequential | read-your-writes | monotonic-reads | monotonic-writes | writes-follow-reads |
| --- | --- | --- | --- | --- | --- | --- | --- |
| pattern, defaults | 1, 2, 3 | violated | undecided (seeds 1, 2, 3) | violated | holds | holds | holds |
| pattern, read-your-writes mode | 1, 2, 3 | violated | undecided (seeds 1, 2, 3) | holds | holds | holds | holds |
| pattern, chaos | 1, 2, 3, 4, 5 | violated | undecided (seeds 1, 2, 3, 4, 5) | violated | violated (seed 3) | violated (seed 3) | violated (seed 3) |
| pattern, read-your-writes mode, chaos | 1, 2, 3, 4, 5 | violated | undecided (seeds 1, 2, 3, 4, 5) | holds | holds | holds | holds |
| baseline | 1, 2, 3 | holds | holds | holds | holds | holds | holds |
| baseline, chaos | 1, 2, 3, 4, 5 | holds | holds | holds | holds | holds | holds |`;

describe('CQRS client history', () => {
  it('keeps a write whose acks were lost, with the position it got, and explains every read', () => {
    // c1 hears nothing from the command service for 3 s: its writes commit but are not answered.
    const sim = start(1, {
      commands: [
        { atUs: 1_000_000, command: { type: 'net.cut', from: ['command'], to: ['c1'] } },
        { atUs: 4_000_000, command: { type: 'net.heal' } },
      ],
    });
    runFor(sim, 8_000);
    const ops = cqrsHistory((sim.monitorMemory as CqrsMonitorMemory).history);
    const unanswered = ops.filter((op) => op.completeUs === null);
    expect(unanswered.length).toBeGreaterThan(0);
    const log = writeLog(sim);
    for (const op of unanswered) {
      expect(op).toMatchObject({ client: 'c1', kind: 'write' });
      const entry = entryAt(log, (op.value as number) - 1);
      expect(entry).toEqual({ client: 'c1', key: Number(op.key.slice(1)) });
    }
    // Every answered read names a write in the history (or the initial 0): none is unexplained.
    const written = new Set(ops.filter((op) => op.kind === 'write').map((op) => op.value));
    for (const op of ops)
      if (op.kind === 'read' && op.result !== 0) expect(written.has(op.result)).toBe(true);
    expect(checkConsistency(ops, { model: 'register', initial: 0 })[0]?.status).toBe('violated');
  });

  it('is the same whether the run went straight through or resumed from a checkpoint', () => {
    const runs = runStraightAndResumed(cqrs, {
      seed: 2,
      run: {
        commands: [
          { atUs: 3_000_000, command: { type: 'net.cut', from: ['command'], to: ['c1'] } },
          { atUs: 6_000_000, command: { type: 'net.heal' } },
        ],
      },
      // While c2 waits for a read that will be answered after the checkpoint.
      fromMs: 4_000,
      untilMs: 8_000,
      isOpen: (sim) => (sim.node('c2').state as ClientState).reads.length > 0,
    });
    expect(runs.resumed.traceHash).toBe(runs.straight.traceHash);
    expect(runs.resumedHistory).toEqual(runs.straightHistory);
    expect(runs.straightHistory.length).toBeGreaterThan(100);
  });
});

describe('CQRS consistency table', () => {
  it('is what the README shows', () => {
    expect(markdownTable(cqrs, rows)).toBe(readmeTable);
  }, 120_000);
});
