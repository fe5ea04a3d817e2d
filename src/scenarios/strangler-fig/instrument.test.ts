import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import { firstMomentOf } from '../testing/momentKit.ts';
import { type RoutesInstrumentData, recentMax, stranglerFigInstrument } from './instrument.ts';
import { runFor, start } from './testKit.ts';

/**
 * The routes instrument reads the facade's table as the default run's migration plan (seed 5)
 * carries it out: catalog shadowed, then in canary, then on new; orders in canary on a buggy
 * release, failing in its window until the facade rolls it back; every route on new; legacy
 * retired. The baseline switches everything at once.
 */

const seed = 5;

function readingAt(sim: Simulation) {
  const reading = stranglerFigInstrument.read(sim, sim.monitorMemory);
  return { ...reading, data: reading.data as RoutesInstrumentData };
}

/** A fresh default run stopped exactly at the first moment of `kind`. */
function atMoment(kind: string, variant: 'pattern' | 'baseline' = 'pattern'): Simulation {
  const probe = start(seed, { variant });
  runFor(probe, 25_000);
  const moment = firstMomentOf(probe, kind);
  const sim = start(seed, { variant });
  sim.runUntil(moment.timeUs, moment.eventCount);
  return sim;
}

function route(data: RoutesInstrumentData, name: string) {
  const found = data.routes.find((each) => each.name === name);
  if (found === undefined) throw new Error(`no route ${name}`);
  return found;
}

describe('strangler fig instrument', () => {
  it('reads every route on legacy before the plan starts', () => {
    const sim = start(seed);
    runFor(sim, 1_000);
    const { data, description } = readingAt(sim);
    expect(data.routes.map((each) => each.stage)).toEqual(['legacy', 'legacy', 'legacy', 'legacy']);
    expect(data.legacy).toBe('serving');
    expect(description).toBe('Routes: /catalog, /orders, /payments, /accounts on legacy.');
  });

  it('reads catalog shadowed, comparing answers, then in canary, then on new', () => {
    const shadowed = atMoment('route-shadowed');
    runFor(shadowed, 1_000);
    const shadow = readingAt(shadowed);
    expect(route(shadow.data, 'catalog')).toMatchObject({ stage: 'shadow', isShadow: true });
    expect(route(shadow.data, 'catalog').compared).toBeGreaterThan(0);
    expect(shadow.description).toMatch(/^Routes: \/catalog shadowed on legacy, \d+ compared;/);

    const canary = readingAt(atMoment('route-canaried'));
    expect(route(canary.data, 'catalog')).toMatchObject({ stage: 'canary', percentNew: 25 });
    expect(canary.description).toMatch(/^Routes: \/catalog canary 25% to new;/);

    const moved = readingAt(atMoment('route-moved'));
    expect(route(moved.data, 'catalog')).toMatchObject({ stage: 'new', percentNew: 100 });
    expect(moved.description).toMatch(
      /^Routes: \/catalog on new; \/orders, \/payments, \/accounts on legacy\.$/,
    );
  });

  it('reads the buggy orders canary failing in its window, then rolled back by the facade', () => {
    const rolledBack = firstMomentOf(
      (() => {
        const probe = start(seed);
        runFor(probe, 25_000);
        return probe;
      })(),
      'route-rolled-back',
    );
    const sim = start(seed);
    sim.runUntil(rolledBack.timeUs - 200_000);
    const failing = readingAt(sim);
    const orders = route(failing.data, 'orders');
    expect(orders.stage).toBe('canary');
    expect(orders.releaseErrorPct).toBeGreaterThan(0);
    expect(orders.windowFailures).toBeGreaterThan(0);
    expect(orders.recent.length).toBe(Math.min(recentMax, orders.windowCalls));
    expect(orders.recent.filter((bit) => bit === 1).length).toBeGreaterThan(0);
    expect(failing.description).toMatch(
      /\/orders canary 25% to new and shadowed.*new calls failed/,
    );

    sim.runUntil(rolledBack.timeUs, rolledBack.eventCount);
    const back = readingAt(sim);
    expect(route(back.data, 'orders')).toMatchObject({
      stage: 'rolled back',
      percentNew: 0,
      rollbacks: 1,
    });
    expect(back.description).toContain('/orders rolled back to legacy');
  });

  it('reads every route on new and legacy retired at the end of the plan', () => {
    const { data, description } = readingAt(atMoment('legacy-retired'));
    expect(data.routes.every((each) => each.stage === 'new')).toBe(true);
    expect(data.legacy).toBe('retired');
    expect(description).toBe(
      'Routes: /catalog, /orders, /payments, /accounts on new. Legacy is retired: no way back.',
    );
  });

  it('reads the baseline’s big-bang cutover: every route on new at once', () => {
    const { data } = readingAt(atMoment('big-bang-cutover', 'baseline'));
    expect(data.routes.map((each) => each.percentNew)).toEqual([100, 100, 100, 100]);
  });

  it('reads without changing the run', () => {
    const plain = start(seed);
    runFor(plain, 13_000);
    const watched = start(seed);
    for (let ms = 0; ms < 13_000; ms += 100) {
      runFor(watched, 100);
      readingAt(watched);
    }
    expect(watched.traceHash).toBe(plain.traceHash);
  });
});
