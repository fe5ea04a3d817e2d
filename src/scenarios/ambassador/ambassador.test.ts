import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { ambassador } from './model.ts';
import { perDirectionLoss } from './protocol.ts';
import { remoteFaultIds } from './remote.ts';
import {
  ambassadorState,
  defaultsWith,
  invariant,
  loadCounters,
  metric,
  onEveryRemote,
  reproduction,
  runFor,
  safetyViolations,
  start,
} from './testKit.ts';

/*
 * The scenario's claims, each measured on runs driven by seed and command log and read from the
 * metrics and the world (never from constants typed here: expectations derive from parameters).
 * Each test logs its figures, so the numbers behind a claim are visible in the test output.
 */

const seeds = [1, 2, 3];

function figures(label: string, values: Record<string, number>): string {
  const text = Object.entries(values)
    .map(([key, value]) => `${key}=${Math.round(value * 1000) / 1000}`)
    .join(' ');
  return `${label}: ${text}`;
}

describe('ambassador over a lossy WAN', () => {
  it('lifts app success from about 1 − loss (baseline) to 99% or more, at a higher p99', () => {
    const params = defaultsWith();
    const expectedBaseline = 1 - (params.wanLossPercent ?? 0) / 100;
    for (const seed of seeds) {
      const direct = start(seed, { variant: 'baseline' });
      const pattern = start(seed, { variant: 'pattern' });
      direct.runUntil(ambassador.defaultDurationUs);
      pattern.runUntil(ambassador.defaultDurationUs);
      const measured = {
        baselineSuccess: metric(direct, 'app-success'),
        patternSuccess: metric(pattern, 'app-success'),
        baselineP99: metric(direct, 'app-latency-p99'),
        patternP99: metric(pattern, 'app-latency-p99'),
        baselineP50: metric(direct, 'app-latency'),
        patternP50: metric(pattern, 'app-latency'),
        attemptsPerRequest: metric(pattern, 'attempts-per-request'),
      };
      const context = figures(`seed ${seed}`, measured);
      console.log(context);
      expect(Math.abs(measured.baselineSuccess - expectedBaseline), context).toBeLessThan(0.03);
      expect(measured.patternSuccess, context).toBeGreaterThanOrEqual(0.99);
      expect(measured.patternP99, context).toBeGreaterThan(2 * measured.baselineP99);
      // The typical request is not slower: only the ones that needed a retry are.
      expect(measured.patternP50, context).toBeLessThan(1.1 * measured.baselineP50);
      // Same seed, same workload: both variants issued the same requests.
      expect(metric(pattern, 'app-rps'), context).toBe(metric(direct, 'app-rps'));
      expect(safetyViolations(pattern), reproduction(pattern)).toBe(0);
    }
  });
});

describe('retry budget against overloaded remotes', () => {
  const overloadAtUs = 2_000_000;
  const runMs = 30_000;
  const overload = onEveryRemote(overloadAtUs, remoteFaultIds.overload, { capacityPercent: 20 });

  function overloaded(seed: number, isBudgetOn: boolean) {
    const sim = start(seed, {
      params: { isRetryBudgetOn: isBudgetOn ? 1 : 0 },
      commands: overload,
    });
    sim.runUntil(overloadAtUs);
    const before = loadCounters(sim);
    const succeededBefore = sim.metricFinals().find((each) => each.name === 'app-success');
    runFor(sim, runMs);
    const after = loadCounters(sim);
    const success = sim.metricFinals().find((each) => each.name === 'app-success');
    const okBefore = (succeededBefore?.value ?? 0) * (succeededBefore?.count ?? 0);
    const ok = (success?.value ?? 0) * (success?.count ?? 0) - okBefore;
    const completed = (success?.count ?? 0) - (succeededBefore?.count ?? 0);
    return {
      sim,
      amplification: (after.arrivals - before.arrivals) / (after.issued - before.issued),
      success: ok / Math.max(1, completed),
      refusals: metric(sim, 'budget-exhausted'),
    };
  }

  it('keeps amplification near 1 + budget where unbudgeted retries approach max attempts', () => {
    const params = defaultsWith();
    const share = (params.retryBudgetPercent ?? 0) / 100;
    const minimumShare = (params.retryBudgetMinPerSec ?? 0) / (params.requestRatePerSec ?? 1);
    const maxAttempts = params.maxAttempts ?? 1;
    // A call lost on its way never reaches a remote: at most max attempts × (1 − one-way loss).
    const reachable = maxAttempts * (1 - perDirectionLoss((params.wanLossPercent ?? 0) / 100));
    for (const seed of seeds) {
      const budgeted = overloaded(seed, true);
      const storm = overloaded(seed, false);
      const context = figures(`seed ${seed}`, {
        budgetedAmplification: budgeted.amplification,
        stormAmplification: storm.amplification,
        budgetedSuccess: budgeted.success,
        stormSuccess: storm.success,
        refusals: budgeted.refusals,
        reachable,
      });
      console.log(context);
      expect(budgeted.amplification, context).toBeLessThanOrEqual(1 + share + minimumShare);
      expect(budgeted.refusals, context).toBeGreaterThan(0); // the budget was what held it
      expect(storm.amplification, context).toBeGreaterThan(0.8 * reachable);
      expect(storm.success, context).toBeLessThan(budgeted.success / 2);
      expect(invariant(budgeted.sim, 'retries-within-budget').violations).toBe(0);
    }
  });
});

describe('hedged requests', () => {
  const slow: RecordedCommand[] = [
    {
      atUs: 1_000_000,
      command: {
        type: 'scenario.fault',
        fault: remoteFaultIds.slow,
        node: 'remote-1',
        args: { factor: 5 },
      },
    },
  ];

  it('cut p99 latency when one instance is slow, for extra calls', () => {
    // A loss-free WAN, so that the tail comes from the slow instance alone.
    for (const seed of seeds) {
      const runs = [0, 1].map((isHedgingOn) => {
        const sim = start(seed, { params: { isHedgingOn, wanLossPercent: 0 }, commands: slow });
        sim.runUntil(30_000_000);
        return sim;
      });
      const [plain, hedged] = runs as [Simulation, Simulation];
      const measured = {
        plainP99: metric(plain, 'app-latency-p99'),
        hedgedP99: metric(hedged, 'app-latency-p99'),
        hedges: metric(hedged, 'hedges'),
        plainAmplification: metric(plain, 'amplification'),
        hedgedAmplification: metric(hedged, 'amplification'),
        hedgedSuccess: metric(hedged, 'app-success'),
      };
      const context = figures(`seed ${seed}`, measured);
      console.log(context);
      expect(measured.hedgedP99, context).toBeLessThan(0.8 * measured.plainP99);
      expect(measured.hedges, context).toBeGreaterThan(0);
      expect(measured.hedgedAmplification, context).toBeGreaterThan(measured.plainAmplification);
      expect(measured.hedgedSuccess, context).toBeGreaterThanOrEqual(metric(plain, 'app-success'));
      expect(invariant(hedged, 'one-answer-per-request').violations).toBe(0);
    }
  });
});

describe('circuit breaker per instance', () => {
  const crashAtUs = 2_000_000;
  const settledAtUs = 8_000_000;
  const endUs = 30_000_000;
  const crash: RecordedCommand[] = [
    { atUs: crashAtUs, command: { type: 'node.crash', node: 'remote-1' } },
  ];

  function attemptsToDead(seed: number, isBreakerOn: number) {
    const sim = start(seed, { params: { isBreakerOn }, commands: crash });
    sim.runUntil(settledAtUs);
    const sentBefore = ['amb-1', 'amb-2'].map(
      (id) => ambassadorState(sim, id).instances.sent[0] ?? 0,
    );
    sim.runUntil(endUs);
    const sentAfter = ['amb-1', 'amb-2'].map(
      (id) => ambassadorState(sim, id).instances.sent[0] ?? 0,
    );
    const attempts = sentAfter.reduce(
      (total, sent, index) => total + sent - (sentBefore[index] ?? 0),
      0,
    );
    return { sim, attempts };
  }

  it('stops attempts to a dead instance except the trial calls', () => {
    const params = defaultsWith();
    const waitMs = params.breakerWaitMs ?? 1;
    // Per ambassador: at most two trial calls per wait in open (the wait restarts on each reopen).
    const trialsMax = 2 * 2 * Math.ceil((endUs - settledAtUs) / 1000 / waitMs);
    for (const seed of seeds) {
      const without = attemptsToDead(seed, 0);
      const withBreaker = attemptsToDead(seed, 1);
      const context = figures(`seed ${seed}`, {
        attemptsWithout: without.attempts,
        attemptsWithBreaker: withBreaker.attempts,
        trialsMax,
        trips: metric(withBreaker.sim, 'breaker-trips'),
        successWithout: metric(without.sim, 'app-success'),
        successWith: metric(withBreaker.sim, 'app-success'),
      });
      console.log(context);
      expect(withBreaker.attempts, context).toBeLessThanOrEqual(trialsMax);
      expect(withBreaker.attempts, context).toBeGreaterThan(0); // it keeps probing
      expect(without.attempts, context).toBeGreaterThan(5 * trialsMax);
      expect(metric(withBreaker.sim, 'breaker-trips'), context).toBeGreaterThan(0);
      expect(invariant(withBreaker.sim, 'breaker-respected').violations).toBe(0);
    }
  });

  it('closes again once the instance is back', () => {
    const restart: RecordedCommand[] = [
      ...crash,
      { atUs: 10_000_000, command: { type: 'node.restart', node: 'remote-1' } },
    ];
    const sim = start(1, { params: { isBreakerOn: 1 }, commands: restart });
    sim.runUntil(10_000_000);
    const opened = ['amb-1', 'amb-2'].map(
      (id) => ambassadorState(sim, id).instances.breakers[0]?.value,
    );
    expect(opened).toContain('open');
    runFor(sim, 3 * (defaultsWith().breakerWaitMs ?? 0));
    const closed = ['amb-1', 'amb-2'].map(
      (id) => ambassadorState(sim, id).instances.breakers[0]?.value,
    );
    expect(closed, reproduction(sim)).toEqual(['closed', 'closed']);
    expect(invariant(sim, 'requests-succeed').violations).toBe(0);
  });
});
