import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { historyOf } from '../scenarios/histories.ts';
import { getScenario } from '../scenarios/registry.ts';
import { scenarioCatalogue } from './catalogue.ts';
import { defaultHostOptions } from './host.ts';
import type { FromWorker, RunHistory, RunRequest } from './protocol.ts';
import { ManualScheduler } from './scheduler.ts';
import { testCatalogue } from './testing/testCatalogue.ts';
import { createInProcessTransport } from './transport.ts';
import { describeRun, type ScenarioCatalogue } from './runs.ts';

/** Drives a host synchronously over `catalogue` and returns the reply to a `history` request. */
function historyAfter(catalogue: ScenarioCatalogue, run: RunRequest, untilUs: number) {
  const transport = createInProcessTransport(catalogue, new ManualScheduler(), {
    isSynchronous: true,
    host: defaultHostOptions,
  });
  const messages: FromWorker[] = [];
  transport.subscribe((message) => messages.push(message));
  transport.send({ type: 'load', requestId: 1, run });
  transport.send({ type: 'step', requestId: 2, mode: { kind: 'until', timeUs: untilUs } });
  transport.send({ type: 'history', requestId: 3 });
  const reply = messages.find((message) => message.type === 'reply' && message.requestId === 3);
  if (reply?.type !== 'reply' || reply.value.kind !== 'history') throw new Error('no history');
  return reply.value.history;
}

const cqrsRun: RunRequest = {
  scenarioId: 'cqrs',
  seed: 1,
  variant: 'pattern',
  params: {},
  commands: [],
};

describe('SimHost: the run’s history', () => {
  it('returns the operations the run recorded so far, as historyOf reads them', () => {
    const history = historyAfter(scenarioCatalogue, cqrsRun, 3_000_000);
    const scenario = getScenario('cqrs');
    if (scenario === undefined) throw new Error('no cqrs');
    const sim = new Simulation(scenario, describeRun(scenario, cqrsRun));
    sim.runUntil(3_000_000);
    expect(history?.ops.length).toBeGreaterThan(10);
    expect(history?.ops).toEqual(historyOf(sim));
    expect(history?.check).toEqual({ model: 'register', initial: 0 });
    // The pattern with its defaults promises no model; read-your-writes mode promises one.
    expect(history?.promises).toEqual([]);
  });

  it('says which models the settings promise', () => {
    const ryow = historyAfter(
      scenarioCatalogue,
      { ...cqrsRun, params: { ryowMode: 1 } },
      1_000_000,
    );
    expect(ryow?.promises).toEqual(['read-your-writes']);
    const baseline: RunHistory | null = historyAfter(
      scenarioCatalogue,
      { ...cqrsRun, variant: 'baseline' },
      1_000_000,
    );
    expect(baseline?.promises).toContain('linearizable');
  });

  it('is null for a scenario that records no history', () => {
    const history = historyAfter(
      testCatalogue,
      { scenarioId: 'ping-pong', seed: 4, variant: 'pattern', params: {}, commands: [] },
      100_000,
    );
    expect(history).toBeNull();
  });
});
