import { describe, expect, it } from 'vitest';
import { defaultLinkConfig } from '../engine/network.ts';
import { Simulation } from '../engine/simulation.ts';
import { throwingModel, throwingReason } from '../engine/testing/throwing.ts';
import type { Scenario } from '../scenarios/define.ts';
import { defaultHostOptions } from './host.ts';
import type { Frame, FromWorker, RunRequest } from './protocol.ts';
import type { ScenarioCatalogue } from './runs.ts';
import { ManualScheduler } from './scheduler.ts';
import { encodeShareLink } from './shareLink.ts';
import { createInProcessTransport } from './transport.ts';

/** p2's behaviour throws on the 400th message it receives (about 0.2 s into the run). */
const throwingScenario: Scenario = {
  ...throwingModel(defaultLinkConfig, { node: 'p2', messageNumber: 400 }),
  tour: [],
  instrument: null,
  defaultSpeed: 1,
  baselineSummary: 'The same model.',
  isHidden: false,
};

const catalogue: ScenarioCatalogue = {
  scenarios: [throwingScenario],
  get: (id) => (id === throwingScenario.id ? throwingScenario : undefined),
};

const request: RunRequest = {
  scenarioId: 'throwing',
  seed: 5,
  variant: 'pattern',
  params: {},
  commands: [],
};

type ErrorMessage = Extract<FromWorker, { type: 'error' }>;

function harness() {
  const scheduler = new ManualScheduler();
  const transport = createInProcessTransport(catalogue, scheduler, {
    isSynchronous: true,
    host: { ...defaultHostOptions, checkpointIntervalUs: 50_000 },
  });
  const messages: FromWorker[] = [];
  transport.subscribe((message) => messages.push(message));
  let nextId = 1;
  const frames = (): Frame[] =>
    messages.flatMap((message) => (message.type === 'frame' ? [message.frame] : []));
  const errors = (): ErrorMessage[] =>
    messages.filter((message): message is ErrorMessage => message.type === 'error');
  return { scheduler, transport, messages, frames, errors, id: () => nextId++ };
}

/** The event index a behaviour error names ("event #N"). */
function failingEventOf(error: ErrorMessage | undefined): number {
  const match = /\(event #(\d+)\)/.exec(error?.message ?? '');
  if (match?.[1] === undefined) throw new Error(`no event index in ${error?.message ?? 'nothing'}`);
  return Number(match[1]);
}

/** The trace hash of a straight run after exactly `eventCount` events. */
function hashAfter(eventCount: number): string {
  const sim = new Simulation(throwingScenario, { ...request, scenarioVersion: 1 });
  while (sim.eventCount < eventCount) sim.step();
  return sim.traceHash;
}

describe('SimHost when scenario code throws', () => {
  it('stops playing, sends the last good frame and the error, and still answers', () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({ type: 'play' });
    h.scheduler.advance(2000);
    const [error] = h.errors();
    expect(error?.code).toBe('behaviour-threw');
    expect(error?.requestId).toBeNull();
    expect(error?.message).toContain(
      'In throwing (seed 5), node p2 (role pinger) threw on message',
    );
    expect(error?.message).toContain(throwingReason);
    // The frame just before the error is the last good state: every event before the failing one.
    const failingEvent = failingEventOf(error);
    const errorAt = h.messages.indexOf(error as FromWorker);
    const last = h.messages[errorAt - 1];
    if (last?.type !== 'frame') throw new Error('no frame before the error');
    expect(last.frame.isPlaying).toBe(false);
    expect(last.frame.eventCount).toBe(failingEvent - 1);
    expect(last.frame.traceHash).toBe(hashAfter(failingEvent - 1));
    // Play has stopped: no more frames or errors come on their own.
    const messageCount = h.messages.length;
    h.scheduler.advance(2000);
    expect(h.messages).toHaveLength(messageCount);
    // The host still answers, and running on throws again at the same event.
    const exportId = h.id();
    h.transport.send({ type: 'export', requestId: exportId });
    expect(h.messages.at(-1)).toMatchObject({ type: 'reply', requestId: exportId });
    const stepId = h.id();
    h.transport.send({ type: 'step', requestId: stepId, mode: { kind: 'events', count: 5 } });
    const again = h.errors().at(-1);
    expect(again?.requestId).toBe(stepId);
    expect(again?.message).toBe(error?.message);
    expect(h.frames().at(-1)?.eventCount).toBe(failingEvent - 1);
  });

  it('opens a link past the failure just before it, then reports the error', () => {
    const h = harness();
    const run = { ...request, scenarioVersion: 1 };
    const link = `#/throwing?${encodeShareLink(run, 900_000)}`;
    const fallback = { ...request, seed: 6 };
    h.transport.send({ type: 'openLink', requestId: h.id(), link, fallback });
    const ready = h.messages.find((message) => message.type === 'ready');
    expect(ready?.type === 'ready' && ready.run.seed).toBe(5);
    const [error] = h.errors();
    expect(error?.code).toBe('behaviour-threw');
    const failingEvent = failingEventOf(error);
    const frame = h.frames().at(-1);
    expect(frame?.eventCount).toBe(failingEvent - 1);
    expect(frame?.traceHash).toBe(hashAfter(failingEvent - 1));
  });
});
