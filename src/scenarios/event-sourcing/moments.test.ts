import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, RecordedCommand } from '../../engine/types.ts';
import { at, runFor } from '../testing/runKit.ts';
import { auditId, balancesId, eventStoreId } from './protocol.ts';
import { fault, start } from './testKit.ts';
import { storeDurableOf } from './world.ts';

/**
 * Conflicts retried (or given up), first snapshots, projections rebuilding and rebuilt: each
 * reported once, at the event where it happened, with its sentence.
 */

type Variant = 'pattern' | 'baseline';

function run(
  variant: Variant,
  ms: number,
  params: Record<string, number> = {},
  commands: RecordedCommand[] = [],
): Simulation {
  const sim = start(5, { variant, params, commands });
  runFor(sim, ms);
  return sim;
}

const of = (moments: readonly Moment[], kind: string) =>
  moments.filter((moment) => moment.kind === kind);

/** When the trace recorded `label` (a note's text part, or a metric's name). */
function traceTimes(sim: Simulation, type: string, label: (text: string) => boolean): number[] {
  return sim.trace
    .since(0)
    .filter((event) => event.type === type && label(event.label))
    .map((event) => event.timeUs);
}

describe('event sourcing moments', () => {
  it('marks every conflict the handlers retry, when they retry it, in both variants', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = run(variant, 30_000);
      const retried = of(sim.moments, 'conflict-retried');
      expect(retried.length, variant).toBeGreaterThan(0);
      expect(retried.map((moment) => moment.timeUs)).toEqual(
        traceTimes(sim, 'metric.sampled', (name) => name === 'retries'),
      );
      for (const moment of retried) {
        const handler = moment.nodes[0] ?? '';
        expect(moment.nodes, variant).toEqual([expect.stringMatching(/^handler-\d$/)]);
        expect(moment.text, variant).toMatch(
          new RegExp(
            `^${handler}'s append to acct-\\d( and acct-\\d)? was refused: another command had ` +
              `changed (it|one of them) since ${handler} loaded it, so ${handler} reloads and ` +
              `retries \\(retry [123] of 3\\)$`,
          ),
        );
      }
      // Nothing but conflicts happens in a default run.
      expect(sim.moments.filter((moment) => moment.kind !== 'conflict-retried')).toEqual([]);
    }
  });

  it('marks a command giving up when retries are off', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = run(variant, 30_000, { retryMax: 0 });
      const exhausted = of(sim.moments, 'conflict-exhausted');
      expect(exhausted.length, variant).toBeGreaterThan(0);
      expect(of(sim.moments, 'conflict-retried'), variant).toEqual([]);
      expect(exhausted.map((moment) => moment.timeUs)).toEqual(
        traceTimes(sim, 'metric.sampled', (name) => name === 'conflicts-exhausted'),
      );
      const [first] = exhausted;
      const handler = first?.nodes[0] ?? '';
      expect(first?.text).toBe(
        `${handler} gave up on a command: it lost the race for its account once, with retries ` +
          `off, so its client hears that it failed`,
      );
    }
  });

  it('marks the first snapshot of each account, when the store saves it', () => {
    const params = { snapshotEvery: 10 };
    const sim = run('pattern', 20_000, params);
    const taken = of(sim.moments, 'snapshot-taken');
    const accounts = taken.map((moment) => /of (acct-\d+)/.exec(moment.text)?.[1] ?? '');
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(accounts.length).toBe(storeDurableOf(sim)?.snapshots.size);
    for (const [index, moment] of taken.entries()) {
      const account = accounts[index] ?? '';
      expect(moment.text).toBe(
        `The store saved the first snapshot of ${account}, at version 10: from now on loading ` +
          `it reads the snapshot and only the events after it, not the whole stream`,
      );
      expect(moment.nodes).toEqual([eventStoreId]);
      const replay = start(5, { params });
      replay.runUntil(moment.timeUs - 1);
      expect(storeDurableOf(replay)?.snapshots.has(account)).toBe(false);
      replay.runUntil(moment.timeUs);
      expect(storeDurableOf(replay)?.snapshots.has(account)).toBe(true);
    }
    expect(of(run('baseline', 20_000, params).moments, 'snapshot-taken')).toEqual([]);
  });

  it('marks a projection rebuilding from position 0 and rebuilt, for a rebuild and a restart', () => {
    const commands = [
      at(10_000, fault('rebuild-projection', balancesId)),
      at(20_000, { type: 'node.crash', node: auditId }),
      at(22_000, { type: 'node.restart', node: auditId }),
    ];
    const sim = run('pattern', 30_000, {}, commands);
    const projection = sim.moments.filter((moment) => moment.kind.startsWith('projection'));
    const rebuiltAt = traceTimes(sim, 'note.added', (text) => text.includes(': rebuilt,'));
    const logAt = (timeUs: number) => {
      const replay = start(5, { commands });
      replay.runUntil(timeUs);
      return storeDurableOf(replay)?.log.length ?? -1;
    };
    expect(projection.map(({ timeUs, kind, nodes }) => ({ timeUs, kind, nodes }))).toEqual([
      { timeUs: 10_000_000, kind: 'projection-rebuilding', nodes: [balancesId] },
      { timeUs: rebuiltAt[0], kind: 'projection-rebuilt', nodes: [balancesId] },
      { timeUs: 22_000_000, kind: 'projection-rebuilding', nodes: [auditId] },
      { timeUs: rebuiltAt[1], kind: 'projection-rebuilt', nodes: [auditId] },
    ]);
    expect(projection[0]?.text).toBe(
      `balances lost its view and replays the log from position 0 to rebuild it ` +
        `(${logAt(10_000_000)} events)`,
    );
    const head = logAt(rebuiltAt[0] ?? 0);
    expect(projection[1]?.text).toMatch(
      new RegExp(
        `^balances is rebuilt: it replayed ${head} events in \\d+ ms and is at position ${head}, the log's head$`,
      ),
    );
  });
});
