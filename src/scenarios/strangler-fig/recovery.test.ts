import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import { requestsAnswered } from './invariants.ts';
import { stranglerFig } from './model.ts';
import { facadeId, legacyId, newServiceId } from './protocol.ts';
import {
  at,
  buggyRelease,
  defaultsWith,
  invariant,
  metric,
  moveAll,
  moveRoute,
  reproduction,
  runFor,
  runUntil,
  setRoute,
  start,
  storylineOff,
} from './testKit.ts';
import { routeConfigs } from './world.ts';

/*
 * Recovery and reproducibility: routes on healthy new services stay there through faults
 * elsewhere, requests are answered again within the liveness bound after a heal, and a run is a
 * pure function of its description (same hash, checkpoints resume exactly).
 */

const catalog = 0;
const orders = 1;

// ---- Liveness -----------------------------------------------------------------------------------

describe('liveness', () => {
  it('keeps routes on healthy new services through faults elsewhere', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const commands: RecordedCommand[] = [
        at(500, moveRoute(catalog)),
        at(500, setRoute(orders, 50, 1)),
        at(3000, { type: 'node.crash', node: 'client-1' }),
        at(4000, { type: 'net.isolate', node: 'client-2' }),
        at(5000, { type: 'node.pause', node: legacyId, durationMs: 2000 }),
        at(6000, { type: 'node.restart', node: 'client-1' }),
        at(9000, { type: 'net.heal' }),
      ];
      const sim = start(seed, { commands, params: { ...storylineOff, retireQuietS: 600 } });
      sim.runUntil(40_000_000);
      const context = `seed ${seed}; ${reproduction(sim)}`;
      expect(routeConfigs(sim)[catalog]?.percentNew, context).toBe(100);
      expect(routeConfigs(sim)[orders]?.percentNew, context).toBe(50);
      expect(metric(sim, 'rollbacks'), context).toBe(0);
      expect(invariant(sim, 'rollback-needs-cause').violations, context).toBe(0);
      expect(invariant(sim, 'requests-answered').status, context).toBe('ok');
    }
  });

  it('answers requests again within the bound once a crashed facade is back', () => {
    const boundMs = requestsAnswered.boundUs(defaultsWith()) / 1000;
    for (let seed = 1; seed <= 5; seed++) {
      const sim = start(seed, {
        commands: [
          at(500, setRoute(orders, 50)),
          at(2000, { type: 'node.crash', node: facadeId }),
          at(4000, { type: 'node.restart', node: facadeId }),
        ],
      });
      sim.runUntil(4_000_001);
      const healedUs = sim.nowUs;
      const recovered = runUntil(sim, () => requestsAnswered.holds(sim), boundMs);
      const context = `seed ${seed}; ${reproduction(sim)}`;
      expect(recovered, context).toBe(true);
      expect((sim.nowUs - healedUs) / 1000, context).toBeLessThan(boundMs);
      runFor(sim, 2000);
      expect(invariant(sim, 'requests-answered').violations, context).toBe(0);
    }
  });
});

// ---- Determinism ------------------------------------------------------------------------------

describe('determinism', () => {
  const commands = [
    at(500, setRoute(catalog, 0, 1)),
    at(1000, setRoute(orders, 40)),
    at(2000, buggyRelease(orders, 60, 10)),
    at(2500, { type: 'node.crash', node: newServiceId(2) }),
    at(3500, { type: 'node.restart', node: newServiceId(2) }),
    at(4000, moveAll()),
  ];

  it('replays the same run description to the same trace hash', () => {
    const first = start(42, { commands });
    const second = start(42, { commands });
    first.runUntil(12_000_000);
    second.runUntil(12_000_000);
    expect(second.eventCount).toBe(first.eventCount);
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.metricFinals()).toEqual(first.metricFinals());
  });

  it('gives different seeds different hashes', () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 5; seed++) {
      const sim = start(seed, { commands });
      sim.runUntil(3_000_000);
      hashes.add(sim.traceHash);
    }
    expect(hashes.size).toBe(5);
  });

  it('continues a checkpointed run to the same hash as a straight run', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const straight = start(7, { variant, commands });
      straight.runUntil(12_000_000);
      const first = start(7, { variant, commands });
      first.runUntil(5_300_000);
      const resumed = Simulation.fromCheckpoint(stranglerFig, first.checkpoint());
      resumed.runUntil(12_000_000);
      expect(resumed.traceHash).toBe(straight.traceHash);
      expect(resumed.metricFinals()).toEqual(straight.metricFinals());
      expect(resumed.invariantResults()).toEqual(straight.invariantResults());
    }
  });
});
