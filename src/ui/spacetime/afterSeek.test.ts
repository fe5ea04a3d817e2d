import { describe, expect, it } from 'vitest';
import { defaultSimulationOptions, Simulation } from '../../engine/simulation.ts';
import type { TraceEvent } from '../../engine/trace.ts';
import { scenarios } from '../../scenarios/registry.ts';
import { SimClient } from '../../worker/client.ts';
import { scenarioCatalogue } from '../../worker/catalogue.ts';
import type { RunRequest } from '../../worker/protocol.ts';
import { ManualScheduler } from '../../worker/scheduler.ts';
import { createInProcessTransport } from '../../worker/transport.ts';
import { type PageEnv, SimController } from '../state/controller.ts';
import { eventsAfterFrame, useSimStore } from '../state/store.ts';
import { contentInWindow } from './content.ts';
import { buildChronicle, type MessageTrip } from './messages.ts';

/*
 * The diagram draws exactly the messages of its window after any seek: what the page kept from
 * its frames, drawn for the default window (the last 3 s), equals what the whole trace of the
 * same run says, message by message. Seeks go back, jump forward past checkpoints and come back,
 * the moves that once left the page with a sliver of history or a gap in it.
 */

const windowUs = 3_000_000;

const pageEnv: PageEnv = {
  baseUrl: () => 'https://distsim.example/',
  currentFragment: () => '',
  replaceFragment: () => undefined,
  pushFragment: () => undefined,
  load: () => null,
  save: () => undefined,
  nowMs: () => 0,
};

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** The trips drawn in the window ending at `nowUs`, as comparable lines. */
function drawn(
  events: readonly TraceEvent[],
  nowUs: number,
  nodeCount: number,
  inFlight?: Float64Array,
): string[] {
  const chronicle = buildChronicle({
    events,
    nowUs,
    nodeCount,
    ...(inFlight === undefined ? {} : { inFlight }),
  });
  const content = contentInWindow(chronicle, { startUs: nowUs - windowUs, endUs: nowUs }, 1e9);
  return content.trips.map(
    (trip: MessageTrip) =>
      `${String(trip.id)} ${String(trip.sentUs)}→${String(trip.endUs)} ${trip.outcome}`,
  );
}

/** The same trips from a run that keeps its whole trace. */
function truth(request: RunRequest, nowUs: number): string[] {
  const scenario = scenarios.find((each) => each.id === request.scenarioId);
  if (scenario === undefined) throw new Error(request.scenarioId);
  const sim = new Simulation(
    scenario,
    { ...request, scenarioVersion: scenario.version },
    { ...defaultSimulationOptions, traceWindowMax: 2_000_000 },
  );
  sim.runUntil(nowUs);
  return drawn(sim.trace.since(0), nowUs, sim.nodeList.length);
}

describe.each([
  ['circuit-breaker', 12_000],
  ['leader-election', 18_500],
  ['cqrs', 12_000],
])('%s: seeks to %i ms', (scenarioId, targetMs) => {
  it('draws the messages of the window exactly as the trace has them', async () => {
    const request: RunRequest = {
      scenarioId,
      seed: 1,
      variant: 'pattern',
      params: {},
      commands: [],
    };
    const controller = new SimController(
      new SimClient(createInProcessTransport(scenarioCatalogue, new ManualScheduler())),
      pageEnv,
    );
    await controller.start(`#/${scenarioId}`);
    await controller.load(request, 40_000_000);
    await settle();
    const nodeCount = useSimStore.getState().view?.topology.nodes.length ?? 0;
    for (const toMs of [targetMs + 7000, 3000, targetMs - 2000, targetMs]) {
      await controller.seek(toMs * 1000);
      await settle();
      const { events, frame } = useSimStore.getState();
      expect(frame?.timeUs).toBe(toMs * 1000);
      const page = drawn(events, toMs * 1000, nodeCount, frame?.inFlight);
      const expected = truth(request, toMs * 1000);
      expect(page.length, `at ${String(toMs)} ms`).toBeGreaterThan(0);
      expect(page, `at ${String(toMs)} ms`).toEqual(expected);
    }
    controller.dispose();
  });
});

describe('eventsAfterFrame', () => {
  const event = (index: number): TraceEvent =>
    ({ index, timeUs: index * 10, type: 'message.sent' }) as unknown as TraceEvent;

  it('keeps the events that run up to the incoming ones, and drops those a gap cuts off', () => {
    const kept = [event(1), event(2), event(3)];
    expect(eventsAfterFrame(kept, [event(4), event(5)], 6).events.map((e) => e.index)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(eventsAfterFrame(kept, [event(3), event(4)], 5).events.map((e) => e.index)).toEqual([
      1, 2, 3, 4,
    ]);
    const gap = eventsAfterFrame(kept, [event(9), event(10)], 11);
    expect(gap.events.map((e) => e.index)).toEqual([9, 10]);
    expect(gap.eventsDropped).toBe(9);
    expect(eventsAfterFrame(kept, [], 4).events).toHaveLength(3);
  });
});
