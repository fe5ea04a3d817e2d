import { describe, expect, it } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import type { AmbassadorFlaws } from './ambassador.ts';
import { remoteFaultIds } from './remote.ts';
import {
  brokenModel,
  invariant,
  onEveryRemote,
  reproduction,
  runFor,
  safetyViolations,
  start,
} from './testKit.ts';

/*
 * Every safety invariant can fail: each test runs one deliberately broken ambassador next to the
 * real one, on the same seed, parameters and faults, and expects the broken one, and only it, to
 * be caught. Liveness is checked after faults heal.
 */

interface Case {
  readonly invariantId: string;
  readonly flaws: AmbassadorFlaws;
  readonly params: Readonly<Record<string, number>>;
  readonly commands: readonly RecordedCommand[];
  readonly message: RegExp;
}

const slowRemote1: RecordedCommand[] = [
  {
    atUs: 500_000,
    command: {
      type: 'scenario.fault',
      fault: remoteFaultIds.slow,
      node: 'remote-1',
      args: { factor: 5 },
    },
  },
];

const cases: readonly Case[] = [
  {
    // Hedging makes two answers for one request routine; the broken one forwards the loser's.
    invariantId: 'one-answer-per-request',
    flaws: { forwardsLateAnswers: true },
    params: { isHedgingOn: 1, wanLossPercent: 0 },
    commands: slowRemote1,
    message: /app-\d: request \d+ answered twice: amb-\d:\d+:\d+, then amb-\d:\d+:\d+/,
  },
  {
    // A very lossy WAN makes many requests use every attempt; the broken one makes one more.
    invariantId: 'attempts-within-max',
    flaws: { retriesPastMax: true },
    params: { wanLossPercent: 60, isRetryBudgetOn: 0 },
    commands: [],
    message: /amb-\d made 5 attempts for app-\d's request \d+ \(max 4\)/,
  },
  {
    // Overloaded remotes make retries pile up; the broken one ignores the budget it reports on.
    invariantId: 'retries-within-budget',
    flaws: { ignoresBudget: true },
    params: {},
    commands: onEveryRemote(1_000_000, remoteFaultIds.overload, { capacityPercent: 20 }),
    message: /amb-\d sent \d+ retries and hedges against \d+ requests in the window/,
  },
  {
    // A dead instance opens its breakers; the broken one keeps sending to it.
    invariantId: 'breaker-respected',
    flaws: { ignoresBreaker: true },
    params: { isBreakerOn: 1 },
    commands: [{ atUs: 1_000_000, command: { type: 'node.crash', node: 'remote-1' } }],
    message: /amb-\d sent to remote-1 while its breaker is open/,
  },
];

describe('safety invariants catch a broken ambassador', () => {
  for (const testCase of cases) {
    it(`${testCase.invariantId} fails for ${Object.keys(testCase.flaws).join(', ')}`, () => {
      const options = { params: testCase.params, commands: testCase.commands };
      const broken = start(5, { ...options, model: brokenModel(testCase.flaws) });
      const correct = start(5, options);
      broken.runUntil(20_000_000);
      correct.runUntil(20_000_000);
      const caught = invariant(broken, testCase.invariantId);
      expect(caught.violations, reproduction(broken)).toBeGreaterThan(0);
      expect(caught.firstViolation?.message).toMatch(testCase.message);
      expect(safetyViolations(correct), reproduction(correct)).toBe(0);
    });
  }

  it('lets the budget be exceeded when it is switched off (the invariant is not owed then)', () => {
    const commands = onEveryRemote(1_000_000, remoteFaultIds.overload, { capacityPercent: 20 });
    const sim = start(5, { params: { isRetryBudgetOn: 0 }, commands });
    sim.runUntil(20_000_000);
    expect(invariant(sim, 'retries-within-budget').violations).toBe(0);
    expect(sim.metricFinals().find((each) => each.name === 'budget-exhausted')?.count).toBe(0);
  });
});

describe('liveness after faults heal', () => {
  it('is owed from the start: absent links of the explicit topology are not faults', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = start(1, { variant });
      runFor(sim, 1000);
      expect(sim.hasActiveFaults).toBe(false);
    }
  });

  it('requests succeed again within the bound after the ambassadors are cut off', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const sim = start(seed);
      runFor(sim, 2000);
      sim.apply({ type: 'net.isolate', node: 'amb-1' });
      sim.apply({ type: 'node.crash', node: 'amb-2' });
      runFor(sim, 3000);
      const during = invariant(sim, 'requests-succeed');
      sim.apply({ type: 'net.heal' });
      sim.apply({ type: 'node.restart', node: 'amb-2' });
      runFor(sim, 8000);
      const after = invariant(sim, 'requests-succeed');
      expect(during.violations).toBe(0);
      expect(after.violations, reproduction(sim)).toBe(0);
      expect(after.status, reproduction(sim)).toBe('ok');
    }
  });

  it('requests succeed again after an overload with the budget off, once the remotes recover', () => {
    const commands = [
      ...onEveryRemote(1_000_000, remoteFaultIds.overload, { capacityPercent: 20 }),
      ...onEveryRemote(8_000_000, remoteFaultIds.recover),
    ];
    const sim = start(2, { params: { isRetryBudgetOn: 0 }, commands });
    sim.runUntil(20_000_000);
    expect(invariant(sim, 'requests-succeed').violations, reproduction(sim)).toBe(0);
    expect(invariant(sim, 'requests-succeed').status).toBe('ok');
  });

  it('is violated when the network does not let requests succeed (the check can fail)', () => {
    // A WAN that loses almost everything, in the baseline (no retries): faults are "healed"
    // (there are none), yet most requests fail.
    const sim = start(1, { variant: 'baseline', params: { wanLossPercent: 90 } });
    sim.runUntil(20_000_000);
    expect(invariant(sim, 'requests-succeed').violations).toBeGreaterThan(0);
  });
});
