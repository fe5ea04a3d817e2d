import { describe, expect, it } from 'vitest';
import { BehaviourError } from './errors.ts';
import { defaultLinkConfig } from './network.ts';
import { Simulation } from './simulation.ts';
import { pingPongModel, pingPongRun } from './testing/pingPong.ts';
import { throwingModel, throwingReason } from './testing/throwing.ts';
import type { ScenarioModel } from './types.ts';

const model = throwingModel(defaultLinkConfig, { node: 'p2', messageNumber: 3 });
const run = { ...pingPongRun(9), scenarioId: 'throwing' };

/** Runs `sim` until it throws, returning the error (or null when it ran to `untilUs`). */
function failureOf(sim: Simulation, untilUs = 1_000_000): unknown {
  try {
    sim.runUntil(untilUs);
    return null;
  } catch (error) {
    return error;
  }
}

/** The n-th trace event of the given type at node `p2` (by index), for the expected message. */
function thirdDeliveryToP2(): { from: number; type: string; timeUs: number } {
  const sim = new Simulation(pingPongModel(defaultLinkConfig), pingPongRun(9));
  sim.runUntil(200_000);
  const deliveries = sim
    .traceEvents(0)
    .filter((event) => event.type === 'message.delivered' && event.node === 1);
  const third = deliveries[2];
  if (third === undefined) throw new Error('p2 received fewer than three messages');
  return { from: third.peer, type: third.label, timeUs: third.timeUs };
}

describe('scenario code that throws', () => {
  it('raises a BehaviourError naming the scenario, seed, node, event, time, index and cause', () => {
    const error = failureOf(new Simulation(model, run));
    expect(error).toBeInstanceOf(BehaviourError);
    const failure = error as BehaviourError;
    const expected = thirdDeliveryToP2();
    expect(failure.code).toBe('behaviour-threw');
    expect(failure.message).toContain('In throwing (seed 9), node p2 (role pinger) threw on');
    expect(failure.message).toContain(
      `message "${expected.type}" from p${expected.from + 1} at t = ${(expected.timeUs / 1_000_000).toFixed(6)} s`,
    );
    expect(failure.message).toContain(
      `(event #${(failure.eventsBefore ?? -2) + 1}): ${throwingReason}`,
    );
    expect(failure.message).toMatch(/This is a bug in the scenario; the link reproduces it\./);
    expect(failure.message).not.toContain('\n');
  });

  it('throws again at the same event when replayed to just before it', () => {
    const first = failureOf(new Simulation(model, run)) as BehaviourError;
    const replay = new Simulation(model, run);
    const eventsBefore = first.eventsBefore ?? 0;
    expect(eventsBefore).toBeGreaterThan(0);
    while (replay.eventCount < eventsBefore) replay.step();
    const hashBefore = replay.traceHash;
    const again = failureOf(replay);
    expect(again).toBeInstanceOf(BehaviourError);
    expect((again as BehaviourError).message).toBe(first.message);
    // The replay stopped at a good state: the same as a run that never reached the failure.
    const straight = new Simulation(model, run);
    while (straight.eventCount < eventsBefore) straight.step();
    expect(straight.traceHash).toBe(hashBefore);
  });

  it('names the monitor when it throws on its periodic check', () => {
    const base = pingPongModel(defaultLinkConfig);
    const broken: ScenarioModel = {
      ...base,
      monitor: {
        sampleIntervalUs: 50_000,
        createMemory: () => null,
        sample() {
          throw new TypeError('monitor fails');
        },
      },
    };
    const error = failureOf(new Simulation(broken, pingPongRun(2)));
    expect(error).toBeInstanceOf(BehaviourError);
    expect((error as BehaviourError).message).toContain(
      'In ping-pong (seed 2), the monitor or a liveness invariant threw on the periodic check at t = 0.050000 s',
    );
  });

  it('names the fault a behaviour failed on when a command delivered it', () => {
    const base = pingPongModel(defaultLinkConfig);
    const broken: ScenarioModel = {
      ...base,
      topology: (params, variant) => {
        const topology = base.topology(params, variant);
        return {
          ...topology,
          nodes: topology.nodes.map((node) => ({
            ...node,
            behaviour: {
              ...node.behaviour,
              receive: (state, event, ctx) => {
                if (event.kind === 'fault') throw new Error('fault handler fails');
                return node.behaviour.receive(state, event, ctx);
              },
            },
          })),
        };
      },
    };
    const sim = new Simulation(broken, pingPongRun(2));
    sim.runUntil(10_000);
    const events = sim.eventCount;
    expect(() => sim.apply({ type: 'scenario.fault', node: 'p3', fault: 'poke' })).toThrow(
      `node p3 (role pinger) threw on fault "poke" at t = 0.010000 s (after event #${events}, applying a command): fault handler fails`,
    );
    try {
      sim.apply({ type: 'scenario.fault', node: 'p3', fault: 'poke' });
    } catch (error) {
      expect((error as BehaviourError).eventsBefore).toBe(events);
    }
  });

  it('says when the run failed as it started, with nothing to rewind to', () => {
    const base = pingPongModel(defaultLinkConfig);
    const broken: ScenarioModel = {
      ...base,
      topology: (params, variant) => {
        const topology = base.topology(params, variant);
        return {
          ...topology,
          nodes: topology.nodes.map((node) => ({
            ...node,
            behaviour: {
              ...node.behaviour,
              init: () => {
                throw new Error('init fails');
              },
            },
          })),
        };
      },
    };
    let failure: unknown = null;
    try {
      new Simulation(broken, pingPongRun(2));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(BehaviourError);
    expect((failure as BehaviourError).eventsBefore).toBeNull();
    expect((failure as BehaviourError).message).toContain(
      'node p1 (role pinger) threw on its start at t = 0.000000 s (as the run started): init fails',
    );
  });

  it('has a double that runs exactly like ping-pong until it fails', () => {
    const sim = new Simulation(
      throwingModel(defaultLinkConfig, { node: 'p2', messageNumber: 1_000_000 }),
      run,
    );
    const plain = new Simulation({ ...pingPongModel(defaultLinkConfig), id: 'throwing' }, run);
    sim.runUntil(300_000);
    plain.runUntil(300_000);
    expect(sim.traceHash).toBe(plain.traceHash);
  });
});
