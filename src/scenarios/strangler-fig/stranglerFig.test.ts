import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { cohortOf, facadeId, legacyId, newServiceId, routeCount, usersMax } from './protocol.ts';
import {
  at,
  budgetRequests,
  buggyRelease,
  clientFailures,
  defaultsWith,
  fixRelease,
  invariant,
  messagesTo,
  metric,
  moveAll,
  moveRoute,
  notes,
  reproduction,
  runFor,
  runUntil,
  safetyViolations,
  setRoute,
  start,
  storylineOff,
} from './testKit.ts';
import {
  clientsOf,
  facadeDurable,
  facadeState,
  isLegacyRetired,
  legacyState,
  routeConfigs,
  serviceState,
} from './world.ts';

/*
 * Scenario tests: each drives runs by seed and command log and asserts on what the run shows
 * (the world, the trace, the metrics, the invariants), never on hand-written constants.
 */

const catalog = 0;
const orders = 1;

/** Every client's books balance: each request sent is good, bad, or still open, once. */
function expectBalancedBooks(sim: Simulation, context: string): void {
  for (const client of clientsOf(sim)) {
    const state = client.state;
    if (state === undefined) continue;
    expect(state.good + state.bad + state.outstanding.size, `${client.id}; ${context}`).toBe(
      state.sent,
    );
  }
}

// ---- One answer per request -----------------------------------------------------------------

describe('every request gets exactly one answer', () => {
  /** A migration in progress on every kind of route, then loss, crashes and a facade restart. */
  const turbulent: RecordedCommand[] = [
    at(500, setRoute(catalog, 0, 1)),
    at(500, setRoute(orders, 30, 1)),
    at(500, moveRoute(2)),
    at(3000, {
      type: 'link.set',
      from: 'client-1',
      to: facadeId,
      isBothWays: true,
      lossProbability: 0.2,
    }),
    at(3000, {
      type: 'link.set',
      from: facadeId,
      to: newServiceId(orders),
      isBothWays: true,
      lossProbability: 0.3,
    }),
    at(5000, { type: 'node.crash', node: newServiceId(2) }),
    at(7000, { type: 'node.crash', node: facadeId }),
    at(7500, { type: 'node.restart', node: facadeId }),
    at(8000, { type: 'node.pause', node: legacyId, durationMs: 400 }),
    at(10_000, { type: 'net.heal' }),
    at(10_000, { type: 'node.restart', node: newServiceId(2) }),
  ];

  it('under loss, crashes and a facade restart, as the clients count it', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const sim = start(seed, { commands: turbulent });
      sim.runUntil(16_000_000);
      const context = `seed ${seed}; ${reproduction(sim)}`;
      expectBalancedBooks(sim, context);
      for (const client of clientsOf(sim)) {
        const state = client.state;
        expect(state, context).toBeDefined();
        // No duplication on these links: at most one delivery per request sent.
        expect(state?.deliveries ?? 0, context).toBeLessThanOrEqual(state?.sent ?? 0);
        expect(state?.bad ?? 0, context).toBeGreaterThan(0); // the faults did hurt
      }
      expect(safetyViolations(sim), context).toEqual([]);
      expect(invariant(sim, 'requests-answered').violations, context).toBe(0);
      expect(metric(sim, 'wrong-answers'), context).toBe(0);
    }
  });

  it('tells a network duplicate of one answer from a second answer', () => {
    const duplicating: RecordedCommand[] = [
      at(500, setRoute(catalog, 0, 1)),
      at(500, setRoute(orders, 50)),
      at(1000, {
        type: 'link.set',
        from: 'client-2',
        to: facadeId,
        isBothWays: true,
        duplicateProbability: 0.5,
      }),
    ];
    for (let seed = 1; seed <= 3; seed++) {
      const sim = start(seed, { commands: duplicating });
      sim.runUntil(8_000_000);
      const context = `seed ${seed}; ${reproduction(sim)}`;
      const client = clientsOf(sim).find((each) => each.id === 'client-2')?.state;
      // Duplicated requests are dropped by the facade; duplicated answers arrive twice but are
      // the same answer.
      expect(client?.deliveries ?? 0, context).toBeGreaterThan(client?.sent ?? 0);
      expectBalancedBooks(sim, context);
      expect(invariant(sim, 'one-answer-per-request').violations, context).toBe(0);
      expect(safetyViolations(sim), context).toEqual([]);
    }
  });
});

// ---- Automatic rollback against the error budget ---------------------------------------------

interface RollbackFigures {
  readonly rolledBack: boolean;
  readonly rollbackMs: number;
  readonly errors: number;
}

/** Orders fully on new; at 8 s a release failing half its calls; run until rollback or 20 s. */
function buggyOrders(seed: number, variant: 'pattern' | 'baseline'): RollbackFigures {
  const sim = start(seed, { variant, commands: [at(1000, moveRoute(orders))] });
  sim.runUntil(8_000_000);
  const before = clientFailures(sim);
  sim.apply(buggyRelease(orders, 50));
  const deployedUs = sim.nowUs;
  const rolledBack = runUntil(sim, () => routeConfigs(sim)[orders]?.isRolledBack === true, 20_000);
  return {
    rolledBack,
    rollbackMs: (sim.nowUs - deployedUs) / 1000,
    errors: clientFailures(sim) - before,
  };
}

describe('automatic rollback', () => {
  it('takes a buggy route back to legacy before its error budget is spent', () => {
    const budget = budgetRequests();
    const windowMs = defaultsWith().rollbackWindowMs ?? 0;
    for (let seed = 1; seed <= 8; seed++) {
      const pattern = buggyOrders(seed, 'pattern');
      const baseline = buggyOrders(seed, 'baseline');
      const report = JSON.stringify({ seed, budget, pattern, baseline });
      expect(pattern.rolledBack, report).toBe(true);
      expect(pattern.rollbackMs, report).toBeLessThan(windowMs);
      expect(pattern.errors, report).toBeGreaterThan(0);
      expect(pattern.errors, report).toBeLessThan(budget);
      // The big bang has no way back: 20 s later the route is still broken, the budget gone.
      expect(baseline.rolledBack, report).toBe(false);
      expect(baseline.errors, report).toBeGreaterThan(budget);
    }
  });

  it('marks the rollback in the trace and lets the operator move the route again', () => {
    const sim = start(3, {
      commands: [at(1000, moveRoute(orders)), at(6000, buggyRelease(orders, 80))],
      traceWindowMax: 200_000,
    });
    sim.runUntil(15_000_000);
    const rollbacks = notes(sim, 'rolled back orders to legacy');
    expect(rollbacks).toHaveLength(1);
    expect(metric(sim, 'rollbacks')).toBe(1);
    const row = facadeState(sim)?.routes.find((each) => each.route === 'orders');
    expect(row?.mode).toBe('legacy');
    expect(row?.isRolledBack).toBe(true);
    expect(sim.node(facadeId).summary.label).toBe('rolled back');
    const servedAfter = serviceState(sim, orders)?.served ?? 0;
    runFor(sim, 3000);
    expect(serviceState(sim, orders)?.served).toBe(servedAfter); // nothing goes there now
    sim.apply(fixRelease(orders));
    sim.apply(moveRoute(orders));
    runFor(sim, 5000);
    expect(routeConfigs(sim)[orders]?.percentNew).toBe(100);
    expect(routeConfigs(sim)[orders]?.isRolledBack).toBe(false);
    expect(serviceState(sim, orders)?.served ?? 0).toBeGreaterThan(servedAfter);
    expect(safetyViolations(sim)).toEqual([]);
  });

  it('rolls back a route whose new service crashes, and not the healthy ones', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const sim = start(seed, {
        commands: [
          at(500, moveAll()),
          at(8000, { type: 'node.crash', node: newServiceId(orders) }),
          at(8300, { type: 'node.restart', node: newServiceId(orders) }),
        ],
        // Keep legacy around to roll back to; no planned buggy release of orders.
        params: { ...storylineOff, retireQuietS: 600 },
      });
      sim.runUntil(30_000_000);
      const context = `seed ${seed}; ${reproduction(sim)}`;
      // A 300 ms blip (about 4 timeouts) is far below 20 % of a full window (about 67 calls).
      const configs = routeConfigs(sim);
      expect(
        configs.every((config) => config.percentNew === 100),
        context,
      ).toBe(true);
      expect(safetyViolations(sim), context).toEqual([]);
      const long = start(seed, {
        commands: [
          at(500, moveAll()),
          at(2000, { type: 'node.crash', node: newServiceId(orders) }),
          at(12_000, { type: 'node.restart', node: newServiceId(orders) }),
        ],
        params: { retireQuietS: 600 },
      });
      long.runUntil(30_000_000);
      const longConfigs = routeConfigs(long);
      expect(longConfigs[orders]?.isRolledBack, reproduction(long)).toBe(true);
      for (let route = 0; route < routeCount; route++) {
        if (route !== orders) expect(longConfigs[route]?.percentNew, reproduction(long)).toBe(100);
      }
      expect(metric(long, 'rollbacks')).toBe(1);
      expect(safetyViolations(long), reproduction(long)).toEqual([]);
    }
  });
});

// ---- Shadow mode ------------------------------------------------------------------------------

describe('shadow mode', () => {
  it('catches a wrong-answer release with no wrong answer reaching a client', () => {
    const wrongPct = 40;
    for (let seed = 1; seed <= 5; seed++) {
      const shadow = start(seed, {
        commands: [at(1000, setRoute(orders, 0, 1)), at(3000, buggyRelease(orders, 0, wrongPct))],
      });
      shadow.runUntil(20_000_000);
      const canary = start(seed, {
        commands: [at(1000, setRoute(orders, 30)), at(3000, buggyRelease(orders, 0, wrongPct))],
      });
      canary.runUntil(20_000_000);
      const context = `seed ${seed}; ${reproduction(shadow)}`;
      const compared = metric(shadow, 'shadow-compared');
      const mismatches = metric(shadow, 'mismatches');
      const wrongShadows = serviceState(shadow, orders)?.wrongAnswers ?? 0;
      expect(compared, context).toBeGreaterThan(100);
      expect(mismatches, context).toBeGreaterThan(0);
      // Every wrong answer the release gave is caught, bar the few still in flight at the end.
      expect(mismatches, context).toBeLessThanOrEqual(wrongShadows);
      expect(mismatches, context).toBeGreaterThanOrEqual(wrongShadows - 2);
      expect(metric(shadow, 'wrong-answers'), context).toBe(0);
      expect(
        clientsOf(shadow).every((client) => client.state?.wrong === 0),
        context,
      ).toBe(true);
      // Shadow answers are never served: no client request was answered by a new service.
      expect(clientsOf(shadow).every((client) => client.state?.answeredBy.new === 0)).toBe(true);
      expect(routeConfigs(shadow)[orders]?.isShadow, context).toBe(true); // no errors, no rollback
      expect(safetyViolations(shadow), context).toEqual([]);
      // The same bug in a canary instead: the facade sees no errors, so users get wrong prices.
      expect(metric(canary, 'wrong-answers'), reproduction(canary)).toBeGreaterThan(0);
      expect(metric(canary, 'rollbacks'), reproduction(canary)).toBe(0);
    }
  });
});

// ---- Canary against big bang ------------------------------------------------------------------

describe('exposure: canary against big bang', () => {
  it('exposes every client to the bug in a big bang, only the canary cohort in the pattern', () => {
    const canaryPct = 25;
    const commands = [at(2000, setRoute(orders, canaryPct)), at(3000, buggyRelease(orders, 100))];
    for (let seed = 1; seed <= 5; seed++) {
      const pattern = start(seed, { commands });
      const baseline = start(seed, { variant: 'baseline', commands });
      pattern.runUntil(20_000_000);
      baseline.runUntil(20_000_000);
      const users = defaultsWith().usersPerClient ?? 0;
      const total = clientsOf(pattern).length * users;
      const exposedIn = (sim: Simulation): number =>
        clientsOf(sim).reduce((sum, client) => sum + (client.state?.exposedUsers.length ?? 0), 0);
      const report = JSON.stringify({
        seed,
        total,
        pattern: { exposed: exposedIn(pattern), failures: clientFailures(pattern) },
        baseline: { exposed: exposedIn(baseline), failures: clientFailures(baseline) },
      });
      // Big bang: every client sees failures, and nearly every user does.
      for (const client of clientsOf(baseline))
        expect(client.state?.bad, report).toBeGreaterThan(0);
      expect(exposedIn(baseline) / total, report).toBeGreaterThan(0.9);
      // Pattern: only users in the canary cohort ever see a failure, then the route rolls back.
      clientsOf(pattern).forEach((client, index) => {
        for (const user of client.state?.exposedUsers ?? []) {
          expect(cohortOf(index * usersMax + user), report).toBeLessThan(canaryPct);
        }
      });
      expect(exposedIn(pattern) / total, report).toBeLessThanOrEqual(canaryPct / 100 + 0.1);
      expect(routeConfigs(pattern)[orders]?.isRolledBack, report).toBe(true);
      expect(clientFailures(pattern) * 10, report).toBeLessThan(clientFailures(baseline));
      expect(metric(pattern, 'users-exposed'), report).toBeLessThan(
        metric(baseline, 'users-exposed'),
      );
    }
  });
});

// ---- Finishing the migration ------------------------------------------------------------------

describe('migrating every route and retiring legacy', () => {
  it('takes legacy’s share to zero, retires it, and routes nothing to it afterwards', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const commands = Array.from({ length: routeCount }, (_, route) =>
        at(2000 + 2000 * route, moveRoute(route)),
      );
      const sim = start(seed, { commands, params: storylineOff, traceWindowMax: 400_000 });
      const context = `seed ${seed}; ${reproduction(sim)}`;
      expect(
        runUntil(sim, () => isLegacyRetired(sim), 30_000),
        context,
      ).toBe(true);
      const retiredUs = notes(sim, 'retiring it')[0]?.timeUs ?? Infinity;
      runFor(sim, 10_000);
      expect(sim.node(legacyId).summary.label, context).toBe('retired');
      expect(facadeDurable(sim).legacy, context).toBe('retired');
      expect(sim.node(facadeId).summary.label, context).toBe('migrated');
      // Legacy's share of answers falls to 0 and stays there; new services answer everything.
      const shares = sim.trace
        .since(0)
        .filter((event) => event.type === 'metric.sampled' && event.label === 'share-legacy');
      expect(
        shares.some((event) => event.value > 0.5),
        context,
      ).toBe(true); // where it started
      const afterRetire = shares.filter((event) => event.timeUs > retiredUs);
      expect(afterRetire.length, context).toBeGreaterThan(10);
      expect(
        afterRetire.every((event) => event.value === 0),
        context,
      ).toBe(true);
      expect(metric(sim, 'share-new'), context).toBe(1);
      // Nothing routes to legacy: no call since the decision, none reached it.
      expect(messagesTo(sim, legacyId, 'Call', retiredUs), context).toBe(0);
      expect(messagesTo(sim, legacyId, 'ShadowCall', retiredUs), context).toBe(0);
      expect(legacyState(sim)?.callsAfterRetire, context).toBe(0);
      expect(invariant(sim, 'legacy-retired-when-idle').violations, context).toBe(0);
      expect(safetyViolations(sim), context).toEqual([]);
    }
  });

  it('refuses to route back to a retired legacy: no rollback, no canary', () => {
    const sim = start(2, { commands: [at(1000, moveAll())], traceWindowMax: 200_000 });
    expect(runUntil(sim, () => isLegacyRetired(sim), 20_000)).toBe(true);
    sim.apply(setRoute(orders, 20, 1));
    sim.apply(buggyRelease(orders, 80));
    runFor(sim, 8000);
    expect(notes(sim, 'refused, legacy is retired')).toHaveLength(1);
    expect(notes(sim, 'no rollback possible')).toHaveLength(1);
    expect(routeConfigs(sim)[orders]?.percentNew).toBe(100);
    expect(metric(sim, 'rollbacks')).toBe(0);
    expect(messagesTo(sim, legacyId, 'Call', 0)).toBeGreaterThan(0); // before it retired
    expect(legacyState(sim)?.callsAfterRetire).toBe(0);
    expect(safetyViolations(sim)).toEqual([]);
  });
});
