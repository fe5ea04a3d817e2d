import { describe, expect, it } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import { eventStoreBehaviour } from './eventStore.ts';
import { handlerBehaviour } from './handler.ts';
import { eventSourcingProjectionConfig, eventSourcingStoreConfig } from './model.ts';
import { projectionBehaviour } from './projection.ts';
import { balancesId, eventStoreId } from './protocol.ts';
import {
  acceptedBalances,
  at,
  foldedBalances,
  invariant,
  ledgerOf,
  ledgerProblems,
  quiesce,
  reproduction,
  runFor,
  safetyViolations,
  sortedEntries,
  start,
  withBehaviours,
} from './testKit.ts';
import { balancesView } from './views.ts';

/*
 * Each safety invariant must be able to fail: these runs swap in a deliberately broken behaviour
 * (a store that overwrites history, a handler that retries without reloading, a projection that
 * ignores positions) and check that the invariant names the fault, where the real behaviour on
 * the same seed and commands keeps it.
 */

const hot = { hotAccountPercent: 80, commandRatePerSecond: 15 };

describe('safety invariants catch violations', () => {
  it('stream-versions-contiguous: a last-writer-wins store rewrites history and loses updates', () => {
    const broken = withBehaviours({
      store: eventStoreBehaviour(eventSourcingStoreConfig('overwrites')),
    });
    for (let seed = 1; seed <= 3; seed++) {
      const sim = start(seed, { model: broken, params: hot });
      const real = start(seed, { params: hot });
      for (const each of [sim, real]) {
        runFor(each, 10_000);
        expect(quiesce(each)).toBe(true);
      }
      const violation = invariant(sim, 'stream-versions-contiguous').firstViolation;
      expect(violation, reproduction(sim)).not.toBeNull();
      expect(violation?.message).toMatch(/^acct-\d+: version \d+ rewritten: was /);
      expect(violation?.nodes).toEqual([eventStoreId]);
      // The overwritten events were accepted commands: those updates are lost.
      expect(ledgerProblems(sim).some((problem) => /accepted with 0 events/.test(problem))).toBe(
        true,
      );
      expect(sortedEntries(foldedBalances(sim))).not.toEqual(
        sortedEntries(acceptedBalances(ledgerOf(sim))),
      );
      // The real store on the same seed: no violation, no lost update.
      expect(safetyViolations(real), reproduction(real)).toEqual([]);
      expect(ledgerProblems(real)).toEqual([]);
    }
  });

  it('replay-equals-live: a handler that retries a conflict without reloading holds a state the log does not give', () => {
    const broken = withBehaviours({ handler: handlerBehaviour('skips-reload') });
    for (let seed = 1; seed <= 3; seed++) {
      const sim = start(seed, { model: broken, params: hot });
      const real = start(seed, { params: hot });
      runFor(sim, 10_000);
      runFor(real, 10_000);
      const violation = invariant(sim, 'replay-equals-live').firstViolation;
      expect(violation, reproduction(sim)).not.toBeNull();
      expect(violation?.message).toMatch(
        /^handler-\d holds acct-\d+ at v\d+ with balance -?\d+, but replay gives -?\d+$/,
      );
      expect(invariant(real, 'replay-equals-live').violations, reproduction(real)).toBe(0);
      expect(invariant(real, 'replay-equals-live').violations).toBe(0);
    }
  });

  it('projection-equals-fold: a projection that ignores positions double-counts duplicated batches', () => {
    const broken = withBehaviours({
      projection: projectionBehaviour(
        eventSourcingProjectionConfig(balancesView, 'ignores-positions'),
      ),
    });
    const duplicating: RecordedCommand[] = [
      at(0, { type: 'link.set', from: eventStoreId, to: balancesId, duplicateProbability: 0.2 }),
    ];
    for (let seed = 1; seed <= 3; seed++) {
      const sim = start(seed, { model: broken, commands: duplicating });
      const real = start(seed, { commands: duplicating });
      runFor(sim, 10_000);
      runFor(real, 10_000);
      const violation = invariant(sim, 'projection-equals-fold').firstViolation;
      expect(violation, reproduction(sim)).not.toBeNull();
      expect(violation?.message).toMatch(
        /^balances \(balances\) at position \d+ holds .*; the log folds to /,
      );
      expect(violation?.nodes).toEqual([balancesId]);
      expect(safetyViolations(real), reproduction(real)).toEqual([]);
    }
  });
});
