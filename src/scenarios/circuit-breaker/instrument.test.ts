import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import { firstMomentOf } from '../testing/momentKit.ts';
import {
  type BreakerInstrumentData,
  circuitBreakerInstrument,
  describeBreaker,
  newestOutcomes,
} from './instrument.ts';
import { appended, emptyWindow, failureBit, slowBit } from './outcomeWindow.ts';
import { runFor, serviceControl, start } from './testKit.ts';

/**
 * The breaker instrument reads the service's breaker as it is at each instant of the default run:
 * closed and filling its window before the incident, open with a countdown right after the first
 * trip, half-open with trial calls after the wait, and "none" in the baseline.
 */

function readingAt(sim: Simulation) {
  const reading = circuitBreakerInstrument.read(sim, sim.monitorMemory);
  return { ...reading, data: reading.data as BreakerInstrumentData };
}

describe('circuit breaker instrument', () => {
  it('reads closed with a filling window before the incident', () => {
    const sim = start(1);
    runFor(sim, 5_000);
    const { data, description } = readingAt(sim);
    expect(data.state).toBe('closed');
    expect(data.calls).toBeGreaterThanOrEqual(data.minimumCalls);
    expect(data.outcomes.length).toBe(Math.min(data.calls, 40));
    expect(description).toMatch(/^Circuit breaker: closed, \d+ of \d+ recent calls failed/);
  });

  it('reads open with the time left until half-open right after the trip, then half-open', () => {
    const opened = firstMomentOf(
      (() => {
        const sim = start(1);
        runFor(sim, 20_000);
        return sim;
      })(),
      'breaker-opened',
    );
    const sim = start(1);
    sim.runUntil(opened.timeUs, opened.eventCount);
    const open = readingAt(sim);
    expect(open.data.state).toBe('open');
    expect(open.data.openRemainingUs).toBeGreaterThan(0);
    expect(open.data.openRemainingUs).toBeLessThanOrEqual(open.data.waitInOpenUs);
    expect(open.description).toMatch(
      /^Circuit breaker: open, calls are cut off, half-open in \d+\.\d s\.$/,
    );
    const halfOpen = firstMomentOf(
      (() => {
        runFor(sim, 20_000);
        return sim;
      })(),
      'breaker-half-open',
    );
    const again = start(1);
    again.runUntil(halfOpen.timeUs, halfOpen.eventCount);
    const trial = readingAt(again);
    expect(trial.data.state).toBe('half-open');
    expect(trial.description).toMatch(/^Circuit breaker: half-open, \d+ of \d+ trial calls/);
  });

  it('shows the minimum a count window is judged at: at most the window size', () => {
    const sim = start(1, { params: { windowCalls: 5, minimumCalls: 10 } });
    runFor(sim, 2_000);
    expect(readingAt(sim).data.minimumCalls).toBe(5);
    expect(readingAt(sim).description).toMatch(/opens at 50% failed\.$/);
  });

  it('says when the next call takes an open breaker half-open', () => {
    const sim = start(1, { params: { openToHalfOpen: 1 } });
    runFor(sim, 20_000);
    const open = readingAt(sim);
    expect(open.data.state).toBe('open');
    expect(describeBreaker({ ...open.data, openRemainingUs: 0 })).toBe(
      'Circuit breaker: open, calls are cut off, half-open at the next call.',
    );
  });

  it('names the operator’s forced states', () => {
    const readings = (['hold-open', 'disable', 'metrics-only'] as const).map((control) => {
      const sim = start(1, {
        commands: [{ atUs: 1_000_000, command: serviceControl(control) }],
      });
      runFor(sim, 3_000);
      return readingAt(sim);
    });
    expect(readings.map(({ data }) => data.state)).toEqual([
      'forced-open',
      'disabled',
      'metrics-only',
    ]);
    expect(readings.map(({ description }) => description)).toEqual([
      'Circuit breaker: held open by the operator, every call is cut off until it is reset.',
      'Circuit breaker: disabled by the operator, every call goes through and none is recorded.',
      expect.stringMatching(
        /^Circuit breaker: metrics only, set by the operator: \d+ of 20 recent calls failed, \d+ slow; it never opens\.$/,
      ),
    ]);
  });

  it('says the baseline has no breaker', () => {
    const sim = start(1, { variant: 'baseline' });
    runFor(sim, 2_000);
    expect(readingAt(sim).data.state).toBe('none');
    expect(readingAt(sim).description).toMatch(/none in the baseline/);
  });

  it('says when the service is down', () => {
    const sim = start(1, {
      commands: [{ atUs: 1_000_000, command: { type: 'node.crash', node: 'service' } }],
    });
    runFor(sim, 2_000);
    expect(readingAt(sim).data.state).toBe('down');
  });

  it('takes the newest outcomes from the window without walking all of it', () => {
    let window = emptyWindow;
    for (let i = 0; i < 50; i++)
      window = appended(window, i % 5 === 0 ? failureBit : i % 7 === 0 ? slowBit : 0, i, true);
    const all: number[] = [];
    for (let i = 0; i < 50; i++) all.push(i % 5 === 0 ? failureBit : i % 7 === 0 ? slowBit : 0);
    expect(newestOutcomes(window, 20)).toEqual(all.slice(30));
    expect(newestOutcomes(window, 100)).toEqual(all);
    expect(newestOutcomes(emptyWindow, 5)).toEqual([]);
  });
});
