import { describe, expect, it } from 'vitest';
import { defaultLinkConfig } from './network.ts';
import { Simulation } from './simulation.ts';
import { pingPongModel, pingPongRun } from './testing/pingPong.ts';
import type { RecordedCommand, ScenarioModel } from './types.ts';

const model = pingPongModel(defaultLinkConfig);
const crashAndBack: RecordedCommand[] = [
  { atUs: 100_000, command: { type: 'node.crash', node: 'p1' } },
  { atUs: 250_000, command: { type: 'node.restart', node: 'p1' } },
];

describe('moments', () => {
  it('records what the monitor reports, with time, position, sentence and nodes', () => {
    const sim = new Simulation(model, pingPongRun(3, {}, crashAndBack));
    sim.runUntil(400_000);
    expect(
      sim.moments.map(({ timeUs, kind, text, nodes }) => ({ timeUs, kind, text, nodes })),
    ).toEqual([
      { timeUs: 100_000, kind: 'node-down', text: 'p1 went down', nodes: ['p1'] },
      { timeUs: 250_000, kind: 'node-back', text: 'p1 is back', nodes: ['p1'] },
    ]);
    const [down] = sim.moments;
    // Running to the moment's time reaches it, and not a moment later.
    const replay = new Simulation(model, pingPongRun(3, {}, crashAndBack));
    replay.runUntil(down?.timeUs ?? 0);
    expect(replay.moments).toEqual([down]);
  });

  it('leaves the trace hash alone: the same run with and without moments hashes the same', () => {
    // The same monitor (its samples are traced) without the observer that reports moments.
    const full = model.monitor;
    if (full === undefined) throw new Error('the model has a monitor');
    const silent: ScenarioModel = {
      ...model,
      moments: [],
      monitor: {
        sampleIntervalUs: full.sampleIntervalUs,
        createMemory: () => full.createMemory(),
        sample: (world, memory, record, moment) => {
          full.sample(world, memory, record, moment);
        },
      },
    };
    const a = new Simulation(model, pingPongRun(3, {}, crashAndBack));
    const b = new Simulation(silent, pingPongRun(3, {}, crashAndBack));
    a.runUntil(400_000);
    b.runUntil(400_000);
    expect(a.moments).toHaveLength(2);
    expect(b.moments).toHaveLength(0);
    expect(a.traceHash).toBe(b.traceHash);
  });

  it('are kept by a checkpoint: a resumed run reports the same moments as one run through', () => {
    const through = new Simulation(model, pingPongRun(3, {}, crashAndBack));
    through.runUntil(400_000);
    const first = new Simulation(model, pingPongRun(3, {}, crashAndBack));
    first.runUntil(180_000);
    const checkpoint = first.checkpoint();
    first.runUntil(400_000);
    // Running on did not add to what the checkpoint holds.
    expect(checkpoint.moments).toHaveLength(1);
    const resumed = Simulation.fromCheckpoint(model, checkpoint);
    resumed.runUntil(400_000);
    expect(resumed.moments).toEqual(through.moments);
    expect(first.moments).toEqual(through.moments);
  });

  it('fails loudly on a moment kind the scenario does not declare', () => {
    const undeclared: ScenarioModel = { ...model, moments: [{ id: 'node-down', label: 'Down' }] };
    const sim = new Simulation(undeclared, pingPongRun(3, {}, crashAndBack));
    expect(() => sim.runUntil(400_000)).toThrow(
      /moment of kind "node-back", which it does not declare/,
    );
  });
});
