import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import { firstMomentOf } from '../testing/momentKit.ts';
import {
  ambassadorInstrument,
  answeredMax,
  inFlightMax,
  type RequestsInstrumentData,
} from './instrument.ts';
import { ambassadorParams } from './params.ts';
import { runFor, type RunOptions, start } from './testKit.ts';

/**
 * The requests instrument reads the ambassadors of the default run (seed 1): retries within the
 * budget over the lossy WAN before the storyline's overload at 5 s; then requests retrying with
 * backoff until the budget is spent and refuses (the budget-exhausted moment); hedges when they
 * are on; and no ambassador at all in the baseline.
 */

const seed = 1;

/** The default run: the test kit turns the storyline off unless asked for it. */
const defaultRun: RunOptions = {
  params: { overloadStartS: ambassadorParams.overloadStartS.default },
};

function readingAt(sim: Simulation) {
  const reading = ambassadorInstrument.read(sim, sim.monitorMemory);
  return { ...reading, data: reading.data as RequestsInstrumentData };
}

describe('ambassador instrument', () => {
  it('reads requests answered within the budget before the overload', () => {
    const sim = start(seed, defaultRun);
    runFor(sim, 3_000);
    const { data, description } = readingAt(sim);
    expect(data.hasAmbassador).toBe(true);
    expect(data.focus).toBe('amb-1');
    expect(data.budgets.map((each) => each.ambassador)).toEqual(['amb-1', 'amb-2']);
    for (const budget of data.budgets) {
      expect(budget.isRefusing).toBe(false);
      expect(budget.retries).toBeLessThanOrEqual(budget.allowance);
      expect(budget.requests).toBeGreaterThan(0);
    }
    expect(data.answered).toHaveLength(answeredMax);
    expect(data.answered.some((each) => each.outcome === 'ok')).toBe(true);
    expect(data.inFlight.length).toBeLessThanOrEqual(inFlightMax);
    expect(description).toMatch(
      /^Requests: amb-1's retry budget \d+ of \d+ left; last request took \d+ attempts?/,
    );
  });

  it('reads requests retrying with backoff in the overload, then the budget spent and refusing', () => {
    const probe = start(seed, defaultRun);
    runFor(probe, 10_000);
    const spent = firstMomentOf(probe, 'budget-exhausted');
    const sim = start(seed, defaultRun);
    sim.runUntil(spent.timeUs - 100_000);
    const retrying = readingAt(sim).data;
    expect(retrying.retryingCount).toBeGreaterThan(0);
    const request = retrying.inFlight.find((each) => each.failed > 0 || each.isBackingOff);
    expect(request).toBeDefined();
    expect(request?.attempts).toBeGreaterThan(1);
    for (const each of retrying.inFlight) {
      expect(each.failed + each.live.length).toBe(each.attempts);
      for (const attempt of each.live)
        expect(attempt.sentAfterUs).toBeLessThanOrEqual(each.elapsedUs);
    }

    sim.runUntil(spent.timeUs, spent.eventCount);
    const { data } = readingAt(sim);
    const refusing = data.budgets.find((each) => each.ambassador === spent.nodes[0]);
    expect(refusing?.isRefusing).toBe(true);
    expect(refusing?.refusals).toBe(1);
    expect((refusing?.retries ?? 0) + 1).toBeGreaterThan(refusing?.allowance ?? 0);
    runFor(sim, 1_000);
    const later = readingAt(sim);
    expect(later.data.answered.some((each) => each.outcome === 'budget spent')).toBe(true);
    expect(later.description).toMatch(/amb-1's retry budget 0 of \d+ left, refusing retries/);
  });

  it('shows hedges as their own attempts when hedging is on', () => {
    const sim = start(seed, { params: { isHedgingOn: 1 } });
    let hedged = false;
    for (let ms = 0; ms < 4_000 && !hedged; ms += 10) {
      runFor(sim, 10);
      hedged = readingAt(sim).data.inFlight.some((each) =>
        each.live.some((attempt) => attempt.kind === 'hedge'),
      );
    }
    expect(hedged).toBe(true);
    expect(readingAt(sim).description).toMatch(/; \d+ hedges? sent\.$/);
  });

  it('says the baseline has no ambassador', () => {
    const sim = start(seed, { ...defaultRun, variant: 'baseline' });
    runFor(sim, 2_000);
    const { data, description } = readingAt(sim);
    expect(data.hasAmbassador).toBe(false);
    expect(data.budgets).toEqual([]);
    expect(description).toMatch(/^Requests: no ambassador in the baseline/);
  });

  it('reads without changing the run', () => {
    const plain = start(seed, defaultRun);
    runFor(plain, 8_000);
    const watched = start(seed, defaultRun);
    for (let ms = 0; ms < 8_000; ms += 50) {
      runFor(watched, 50);
      readingAt(watched);
    }
    expect(watched.traceHash).toBe(plain.traceHash);
  });
});
