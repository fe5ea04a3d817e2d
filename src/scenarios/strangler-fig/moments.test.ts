import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.ts';
import type { Moment } from '../../engine/types.ts';
import { stranglerFig } from './model.ts';
import {
  at,
  buggyRelease,
  fixRelease,
  moveAll,
  moveRoute,
  notes,
  runFor,
  setRoute,
  start,
  storylineOff,
} from './testKit.ts';

/**
 * The migration's moments appear once, when the facade decides, with the sentence a newcomer
 * reads; a run without operator actions has none.
 */

const catalog = 0;
const orders = 1;

/** A whole migration: shadow, canary, move, a buggy release rolled back, then everything. */
const migration = [
  at(1000, setRoute(catalog, 0, 1)),
  at(2000, setRoute(orders, 25)),
  at(3000, moveRoute(catalog)),
  at(4000, buggyRelease(orders, 100)),
  at(6000, fixRelease(orders)),
  at(7000, moveAll()),
];

const brief = (moments: readonly Moment[]) =>
  moments.map(({ timeUs, kind, text, nodes }) => ({ timeUs, kind, text, nodes }));

/** When the facade annotated something containing `text` (the decision the moment reports). */
function noteTime(sim: Simulation, text: string): number {
  const [note] = notes(sim, text);
  expect(note, `a note containing "${text}"`).toBeDefined();
  return note?.timeUs ?? -1;
}

describe('strangler fig moments', () => {
  it('marks every step of a migration, when the facade takes it', () => {
    const sim = start(5, { commands: migration });
    runFor(sim, 20_000);
    const rolledBackUs = noteTime(sim, 'rolled back orders to legacy');
    const retiredUs = noteTime(sim, 'legacy confirmed retired');
    expect(brief(sim.moments)).toEqual([
      {
        timeUs: 1_000_000,
        kind: 'route-shadowed',
        text:
          'catalog is shadowed: new-catalog gets a copy of every catalog request legacy serves, ' +
          'and the facade compares the answers without serving them',
        nodes: ['facade', 'new-catalog'],
      },
      {
        timeUs: 2_000_000,
        kind: 'route-canaried',
        text: 'orders is in canary: new-orders serves 25 % of its users, legacy the rest',
        nodes: ['facade', 'new-orders'],
      },
      {
        timeUs: 3_000_000,
        kind: 'route-moved',
        text: 'catalog moved: new-catalog now serves all of its users',
        nodes: ['facade', 'new-catalog'],
      },
      {
        timeUs: rolledBackUs,
        kind: 'route-rolled-back',
        text:
          'The facade rolled orders back to legacy on its own: at least 20 % of the calls to ' +
          'new-orders in the last 5000 ms failed (rollback 1 of orders)',
        nodes: ['facade', 'new-orders'],
      },
      ...['orders', 'payments', 'accounts'].map((name) => ({
        timeUs: 7_000_000,
        kind: 'route-moved',
        text: `${name} moved: new-${name} now serves all of its users`,
        nodes: ['facade', `new-${name}`],
      })),
      {
        timeUs: retiredUs,
        kind: 'legacy-retired',
        text: 'legacy is retired: every route runs on its new service and legacy is switched off for good',
        nodes: ['facade', 'legacy'],
      },
    ]);
    expect(rolledBackUs).toBeGreaterThan(4_000_000);
    expect(retiredUs).toBeGreaterThan(7_000_000);
  });

  it('marks the baseline’s one cutover and legacy’s retirement, and nothing for later controls', () => {
    const sim = start(5, { variant: 'baseline', commands: migration });
    runFor(sim, 20_000);
    expect(brief(sim.moments)).toEqual([
      {
        timeUs: 1_000_000,
        kind: 'big-bang-cutover',
        text: 'Big-bang cutover: all 4 routes switched from legacy to their new services at once',
        nodes: ['facade', 'new-catalog', 'new-orders', 'new-payments', 'new-accounts'],
      },
      {
        timeUs: noteTime(sim, 'legacy confirmed retired'),
        kind: 'legacy-retired',
        text: 'legacy is retired: every route runs on its new service and legacy is switched off for good',
        nodes: ['facade', 'legacy'],
      },
    ]);
  });

  it('reports nothing while nobody migrates, in either variant', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = start(5, { variant, params: storylineOff });
      runFor(sim, 30_000);
      expect(sim.moments, variant).toEqual([]);
    }
  });

  it('does not report a step again after resuming from a checkpoint', () => {
    const through = start(5, { commands: migration });
    runFor(through, 20_000);
    const first = start(5, { commands: migration });
    runFor(first, 5000);
    const resumed = Simulation.fromCheckpoint(stranglerFig, first.checkpoint());
    resumed.runUntil(20_000_000);
    expect(resumed.moments).toEqual(through.moments);
  });
});
