import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { pingPongRun } from '../engine/testing/pingPong.ts';
import type { RunDescription } from '../engine/types.ts';
import { ambassador } from '../scenarios/ambassador/model.ts';
import { buildFrame } from './frames.ts';
import { pingPongScenario } from './testing/testCatalogue.ts';

const extras = { tour: null, violationStop: null, frontierUs: 0, moments: null, instrument: null };

function frameOf(sim: Simulation) {
  return buildFrame(sim, { seq: 0, traceSent: 0 }, false, 1, extras).frame;
}

describe('a frame’s link settings', () => {
  it('lists nothing apart while every link is the usual one', () => {
    const sim = new Simulation(pingPongScenario, pingPongRun(4));
    sim.runUntil(200_000);
    const frame = frameOf(sim);
    expect(frame.usualLink).toEqual(sim.setup.topology.linkConfig);
    expect(frame.linkSettings).toEqual([]);
  });

  it('lists a changed link with what it was, until the network heals', () => {
    const sim = new Simulation(pingPongScenario, pingPongRun(4));
    sim.runUntil(100_000);
    const usual = sim.setup.topology.linkConfig;
    const latency = { kind: 'constant', us: 40_000 } as const;
    sim.apply({ type: 'link.set', from: 'p1', to: 'p2', latency, lossProbability: 0.25 });
    const changed = frameOf(sim).linkSettings;
    expect(changed).toEqual([
      {
        from: 0,
        to: 1,
        config: { ...usual, latency, lossProbability: 0.25 },
        changedFrom: usual,
      },
    ]);
    sim.apply({ type: 'net.heal' });
    expect(frameOf(sim).linkSettings).toEqual([]);
  });

  it('lists the links a topology configures apart, as not changed', () => {
    const run: RunDescription = {
      scenarioId: ambassador.id,
      scenarioVersion: ambassador.version,
      seed: 1,
      variant: 'pattern',
      params: {},
      commands: [],
    };
    const sim = new Simulation(ambassador, run);
    const frame = frameOf(sim);
    const overrides = sim.setup.topology.linkOverrides ?? [];
    expect(overrides.length).toBeGreaterThan(0);
    // Each override is a pair, both ways.
    expect(frame.linkSettings).toHaveLength(overrides.length * 2);
    for (const setting of frame.linkSettings) {
      expect(setting.changedFrom).toBeNull();
      expect(setting.config).not.toBe(frame.usualLink);
      expect(setting.config).toBe(
        sim.setup.baseLinkConfig(setting.from * sim.nodeList.length + setting.to),
      );
    }
  });

  it('reads the links without changing the run', () => {
    const watched = new Simulation(pingPongScenario, pingPongRun(4));
    const alone = new Simulation(pingPongScenario, pingPongRun(4));
    watched.apply({ type: 'link.set', from: 'p1', to: 'p2', lossProbability: 0.5 });
    alone.apply({ type: 'link.set', from: 'p1', to: 'p2', lossProbability: 0.5 });
    for (let t = 100_000; t <= 1_000_000; t += 100_000) {
      watched.runUntil(t);
      frameOf(watched);
    }
    alone.runUntil(1_000_000);
    expect(watched.traceHash).toBe(alone.traceHash);
  });
});
