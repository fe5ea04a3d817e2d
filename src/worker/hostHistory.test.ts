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

  it('gives each operation its messages: sent by its client at its invocation, answered to it', () => {
    const history = historyAfter(scenarioCatalogue, cqrsRun, 3_000_000);
    if (history === null) throw new Error('no history');
    const scenario = getScenario('cqrs');
    if (scenario === undefined) throw new Error('no cqrs');
    const sim = new Simulation(scenario, describeRun(scenario, cqrsRun));
    sim.runUntil(3_000_000);
    const events = sim.traceEvents();
    const answered = history.ops.flatMap((op, index) => {
      const trail = history.trails[index];
      return op.completeUs === null || trail === null || trail === undefined ? [] : [{ op, trail }];
    });
    expect(history.trails).toHaveLength(history.ops.length);
    expect(answered.length).toBeGreaterThan(10);
    for (const { op, trail } of answered) {
      const client = sim.nodeList.findIndex((node) => node.id === op.client.split('.')[0]);
      const ofTrail = events.filter((event) => trail.messages.includes(event.messageId));
      const first = ofTrail.find((event) => event.type === 'message.sent');
      expect(first?.node, `op ${String(op.id)}`).toBe(client);
      expect(first?.timeUs).toBe(op.invokeUs);
      // The answer is among them: a message delivered to the client when the op completed.
      const answer = ofTrail.find(
        (event) =>
          event.type === 'message.delivered' &&
          event.node === client &&
          event.timeUs === op.completeUs,
      );
      expect(answer, `op ${String(op.id)}`).toBeDefined();
      expect(trail.nodes).toContain(client);
      expect(trail.lastUs).toBe(op.completeUs);
    }
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
