import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { pingPongRun } from '../engine/testing/pingPong.ts';
import { unpackTrace } from '../engine/trace.ts';
import { defaultHostOptions } from './host.ts';
import { type Frame, type FromWorker, type RunRequest, inFlightStride } from './protocol.ts';
import { ManualScheduler } from './scheduler.ts';
import { encodeShareLink } from './shareLink.ts';
import { pingPongScenario, testCatalogue } from './testing/testCatalogue.ts';
import { createInProcessTransport } from './transport.ts';

const request: RunRequest = {
  scenarioId: 'ping-pong',
  seed: 4,
  variant: 'pattern',
  params: {},
  commands: [],
};

/** Drives a host synchronously and keeps everything it said. */
function harness() {
  const scheduler = new ManualScheduler();
  const transport = createInProcessTransport(testCatalogue, scheduler, {
    isSynchronous: true,
    host: { ...defaultHostOptions, checkpointIntervalUs: 100_000, seekHistoryUs: 40_000 },
  });
  const messages: FromWorker[] = [];
  transport.subscribe((message) => messages.push(message));
  let nextId = 1;
  const lastFrame = (): Frame => {
    const frames = messages.filter((message) => message.type === 'frame');
    const frame = frames[frames.length - 1];
    if (frame?.type !== 'frame') throw new Error('no frame yet');
    return frame.frame;
  };
  const errors = (): Extract<FromWorker, { type: 'error' }>[] =>
    messages.filter(
      (message): message is Extract<FromWorker, { type: 'error' }> => message.type === 'error',
    );
  return { scheduler, transport, messages, lastFrame, errors, id: () => nextId++ };
}

function straightHash(untilUs: number, commands: RunRequest['commands'] = []): string {
  const sim = new Simulation(pingPongScenario, pingPongRun(4, {}, commands));
  sim.runUntil(untilUs);
  return sim.traceHash;
}

describe('SimHost over the in-process transport', () => {
  it('loads a run, says ready with the topology, and sends a first frame', () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    const ready = h.messages.find((message) => message.type === 'ready');
    expect(ready?.type === 'ready' && ready.topology.nodes.map((node) => node.id)).toEqual([
      'p1',
      'p2',
      'p3',
      'p4',
    ]);
    expect(ready?.type === 'ready' && ready.meta.id).toBe('ping-pong');
    expect(h.lastFrame().nodes).toHaveLength(4);
    expect(h.errors()).toEqual([]);
  });

  it('plays at the chosen speed on the wall clock, one frame per slice', () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({ type: 'speed', speed: 10 });
    h.transport.send({ type: 'play' });
    const framesBefore = h.messages.filter((message) => message.type === 'frame').length;
    h.scheduler.advance(160);
    const frames = h.messages.filter((message) => message.type === 'frame').length - framesBefore;
    expect(frames).toBe(10);
    // 160 ms of wall time at 10× is 1.6 s of simulated time.
    expect(h.lastFrame().timeUs).toBe(1_600_000);
    expect(h.lastFrame().traceHash).toBe(straightHash(1_600_000));
    h.transport.send({ type: 'pause' });
    h.scheduler.advance(1000);
    expect(h.lastFrame().timeUs).toBe(1_600_000);
    expect(h.lastFrame().isPlaying).toBe(false);
  });

  it('steps one event, to a time, and to the next interesting event', () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'events', count: 1 } });
    expect(h.lastFrame().eventCount).toBe(1);
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 250_000 } });
    expect(h.lastFrame().timeUs).toBe(250_000);
    expect(h.lastFrame().traceHash).toBe(straightHash(250_000));
  });

  it('steps to the next moment, and sends the moments only when they change', () => {
    const h = harness();
    const commands = [
      { atUs: 300_000, command: { type: 'node.crash' as const, node: 'p1' } },
      { atUs: 520_000, command: { type: 'node.restart' as const, node: 'p1' } },
    ];
    h.transport.send({ type: 'load', requestId: h.id(), run: { ...request, commands } });
    expect(h.lastFrame().moments).toEqual([]);
    const interesting = (): void => {
      h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'interesting' } });
    };
    interesting();
    // A command's moment is at the command's time; the step that applied it also handled the
    // event after it.
    expect(h.lastFrame().moments).toMatchObject([{ timeUs: 300_000, text: 'p1 went down' }]);
    expect(h.lastFrame().timeUs).toBeGreaterThanOrEqual(300_000);
    expect(h.lastFrame().timeUs).toBeLessThan(301_000);
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'events', count: 1 } });
    // Unchanged: not sent again.
    expect(h.lastFrame().moments).toBeNull();
    interesting();
    expect(h.lastFrame().timeUs).toBeLessThan(521_000);
    expect(h.lastFrame().moments?.map((moment) => moment.text)).toEqual([
      'p1 went down',
      'p1 is back',
    ]);
    // Back before both: the timeline still knows every moment up to the frontier.
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 100_000 });
    const afterSeek = h.messages.filter((message) => message.type === 'frame').at(-1);
    expect(afterSeek?.type === 'frame' && afterSeek.frame.moments).toBeNull();
    // A command starts a new future: the moments after it are gone.
    h.transport.send({
      type: 'command',
      requestId: h.id(),
      command: { type: 'node.crash', node: 'p2' },
    });
    expect(h.lastFrame().moments?.map((moment) => moment.text)).toEqual(['p2 went down']);
  });

  it('steps to the next interesting event type when the scenario declares no moments', () => {
    // The ping-pong model's monitor without its observer: it reports no moments.
    const monitor = {
      sampleIntervalUs: 50_000,
      createMemory: () => null,
      sample: () => undefined,
    };
    const quiet = {
      ...pingPongScenario,
      id: 'quiet',
      moments: [],
      monitor,
    };
    const transport = createInProcessTransport(
      { scenarios: [quiet], get: (id) => (id === 'quiet' ? quiet : undefined) },
      new ManualScheduler(),
      { isSynchronous: true },
    );
    const frames: Frame[] = [];
    transport.subscribe((message) => {
      if (message.type === 'frame') frames.push(message.frame);
    });
    transport.send({ type: 'load', requestId: 1, run: { ...request, scenarioId: 'quiet' } });
    transport.send({ type: 'step', requestId: 2, mode: { kind: 'until', timeUs: 250_000 } });
    transport.send({ type: 'command', requestId: 3, command: { type: 'node.crash', node: 'p1' } });
    transport.send({ type: 'step', requestId: 4, mode: { kind: 'interesting' } });
    const last = frames.at(-1);
    if (last === undefined) throw new Error('no frame');
    const events = unpackTrace(last.trace);
    expect(
      events.some((event) => event.type === 'message.dropped' || event.type === 'node.state'),
    ).toBe(true);
  });

  it('seeks backwards through checkpoints to the same state as a straight run', () => {
    const h = harness();
    const commands = [{ atUs: 150_000, command: { type: 'node.crash' as const, node: 'p2' } }];
    h.transport.send({ type: 'load', requestId: h.id(), run: { ...request, commands } });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 900_000 } });
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 333_333 });
    expect(h.lastFrame().timeUs).toBe(333_333);
    expect(h.lastFrame().traceHash).toBe(straightHash(333_333, commands));
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 120_000 });
    expect(h.lastFrame().traceHash).toBe(straightHash(120_000, commands));
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 900_000 });
    expect(h.lastFrame().traceHash).toBe(straightHash(900_000, commands));
  });

  it('keeps the frontier through seeks, jumps forward by checkpoint, and a command resets it', () => {
    const h = harness();
    const commands = [{ atUs: 150_000, command: { type: 'node.crash' as const, node: 'p2' } }];
    h.transport.send({ type: 'load', requestId: h.id(), run: { ...request, commands } });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 900_000 } });
    expect(h.lastFrame().frontierUs).toBe(900_000);
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 50_000 });
    expect(h.lastFrame().frontierUs).toBe(900_000);
    // Forward within the run: restored from the checkpoint at 800 ms (the latest 40 ms or more
    // before 850 ms), not replayed from 50 ms.
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 850_000 });
    const jump = h.lastFrame();
    expect(jump.traceHash).toBe(straightHash(850_000, commands));
    const replayed = unpackTrace(jump.trace);
    expect(replayed[0]?.timeUs).toBeGreaterThanOrEqual(800_000);
    expect(jump.frontierUs).toBe(900_000);
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 300_000 });
    h.transport.send({
      type: 'command',
      requestId: h.id(),
      command: { type: 'node.crash', node: 'p4' },
    });
    expect(h.lastFrame().frontierUs).toBe(300_000);
    // The old future is gone: a seek past the new frontier runs the new run.
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 850_000 });
    expect(h.lastFrame().traceHash).not.toBe(straightHash(850_000, commands));
    expect(h.lastFrame().nodes.map((node) => node.status)).toEqual([
      'up',
      'crashed',
      'up',
      'crashed',
    ]);
  });

  it('records commands, exports a run that replays to the same hash, and removes a command', () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 100_000 } });
    h.transport.send({
      type: 'command',
      requestId: h.id(),
      command: { type: 'net.isolate', node: 'p3' },
    });
    // Isolating p3 cuts its 3 links both ways: 6 directed pairs, each naming p3 (index 2).
    const cut = Array.from(h.lastFrame().cutLinks);
    expect(cut).toHaveLength(12);
    for (let i = 0; i < cut.length; i += 2) expect([cut[i], cut[i + 1]]).toContain(2);
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 300_000 } });
    h.transport.send({ type: 'export', requestId: h.id() });
    const reply = h.messages.filter((message) => message.type === 'reply').pop();
    if (reply?.type !== 'reply' || reply.value.kind !== 'run') throw new Error('no run exported');
    expect(reply.value.run.commands).toHaveLength(1);
    const replay = new Simulation(pingPongScenario, reply.value.run);
    replay.runUntil(300_000);
    expect(replay.traceHash).toBe(h.lastFrame().traceHash);
    h.transport.send({ type: 'removeCommand', requestId: h.id(), index: 0 });
    expect(h.lastFrame().commandCount).toBe(0);
    expect(h.lastFrame().timeUs).toBe(300_000);
    expect(h.lastFrame().traceHash).toBe(straightHash(300_000));
  });

  it('seeks into the past, then forks the run when a command is applied there', () => {
    const h = harness();
    h.transport.send({
      type: 'load',
      requestId: h.id(),
      run: {
        ...request,
        commands: [{ atUs: 400_000, command: { type: 'node.crash', node: 'p1' } }],
      },
    });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 600_000 } });
    expect(h.lastFrame().commandsApplied).toBe(1);
    h.transport.send({ type: 'seek', requestId: h.id(), timeUs: 200_000 });
    // Back before the crash at 400 ms: it is in the log but waits to replay.
    expect(h.lastFrame().commandCount).toBe(1);
    expect(h.lastFrame().commandsApplied).toBe(0);
    h.transport.send({
      type: 'command',
      requestId: h.id(),
      command: { type: 'node.crash', node: 'p4' },
    });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 600_000 } });
    expect(h.lastFrame().nodes.map((node) => node.status)).toEqual(['up', 'up', 'up', 'crashed']);
    expect(h.lastFrame().commandCount).toBe(1);
    expect(h.lastFrame().commandsApplied).toBe(1);
  });

  it('packs messages in flight and trace events into transferable typed arrays', () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 10_500 } });
    const frame = h.lastFrame();
    expect(frame.inFlight).toBeInstanceOf(Float64Array);
    const count = frame.inFlight.length / inFlightStride;
    expect(count).toBe(frame.inFlightTypes.length);
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const sent = frame.inFlight[i * inFlightStride + 3] ?? NaN;
      const due = frame.inFlight[i * inFlightStride + 4] ?? NaN;
      expect(sent).toBeLessThanOrEqual(frame.timeUs);
      expect(due).toBeGreaterThan(frame.timeUs);
    }
    const events = unpackTrace(frame.trace);
    expect(events.length).toBeGreaterThan(0);
    expect(events[events.length - 1]?.index).toBe(frame.traceTotal - 1);
  });

  it('answers bad requests with coded errors and keeps working', () => {
    const h = harness();
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'events', count: 1 } });
    h.transport.send({ type: 'load', requestId: h.id(), run: { ...request, scenarioId: 'nope' } });
    h.transport.send({
      type: 'load',
      requestId: h.id(),
      run: { ...request, params: { nodeCount: 1000 } },
    });
    h.transport.send({
      type: 'load',
      requestId: h.id(),
      run: { seed: 'x' } as unknown as RunRequest,
    });
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({
      type: 'command',
      requestId: h.id(),
      command: { type: 'node.crash', node: 'ghost' },
    });
    h.transport.send({
      type: 'command',
      requestId: h.id(),
      command: { type: 'explode' } as unknown as { type: 'net.heal' },
    });
    expect(h.errors().map((error) => error.code)).toEqual([
      'bad-command',
      'unknown-scenario',
      'param-out-of-range',
      'bad-command',
      'unknown-node',
      'bad-command',
    ]);
    expect(h.errors().every((error) => error.message.length > 20 && error.requestId !== null)).toBe(
      true,
    );
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 50_000 } });
    expect(h.lastFrame().timeUs).toBe(50_000);
  });
});

describe('SimHost: links, tours, inspection and pausing on violations', () => {
  it('lists the catalogue', () => {
    const h = harness();
    h.transport.send({ type: 'catalogue', requestId: h.id() });
    const reply = h.messages.find((message) => message.type === 'reply');
    expect(
      reply?.type === 'reply' &&
        reply.value.kind === 'catalogue' &&
        reply.value.entries.map((entry) => entry.id),
    ).toEqual(['ping-pong', 'fragile']);
  });

  it('opens a share link at its position, and a bad one as the fallback with a notice', () => {
    const sim = new Simulation(pingPongScenario, pingPongRun(4, { nodeCount: 5 }));
    sim.runUntil(200_000);
    sim.apply({ type: 'node.crash', node: 'p5' });
    sim.runUntil(300_000);
    const link = `https://x.example/#${encodeShareLink(sim.describe(), 300_000)}`;
    const h = harness();
    h.transport.send({ type: 'openLink', requestId: h.id(), link, fallback: request });
    const ready = h.messages.find((message) => message.type === 'ready');
    expect(ready?.type === 'ready' && ready.notices).toEqual([]);
    expect(ready?.type === 'ready' && ready.positionUs).toBe(300_000);
    expect(h.lastFrame().traceHash).toBe(sim.traceHash);
    h.transport.send({
      type: 'openLink',
      requestId: h.id(),
      link: link.slice(0, -12),
      fallback: request,
    });
    const second = h.messages.filter((message) => message.type === 'ready').pop();
    expect(second?.type === 'ready' && second.notices.join(' ')).toMatch(
      /damaged or cut short.*Opened Ping pong with its defaults instead/,
    );
    expect(h.lastFrame().timeUs).toBe(0);
    expect(h.errors()).toEqual([]);
  });

  it("applies a tour step's actions as recorded commands and reports its wait condition", () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({ type: 'tour', requestId: h.id(), stepIndex: 1, isApplyingActions: true });
    expect(h.lastFrame().nodes[0]?.status).toBe('crashed');
    expect(h.lastFrame().commandCount).toBe(1);
    expect(h.lastFrame().tour).toEqual({ stepIndex: 1, isWaitMet: false, waitedUs: 0 });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 400_000 } });
    expect(h.lastFrame().tour?.isWaitMet).toBe(true);
    h.transport.send({
      type: 'tour',
      requestId: h.id(),
      stepIndex: null,
      isApplyingActions: false,
    });
    expect(h.lastFrame().tour).toBeNull();
  });

  it("returns a node's full state for the inspector", () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({ type: 'step', requestId: h.id(), mode: { kind: 'until', timeUs: 100_000 } });
    h.transport.send({ type: 'inspect', requestId: h.id(), node: 1 });
    const reply = h.messages.filter((message) => message.type === 'reply').pop();
    if (reply?.type !== 'reply' || reply.value.kind !== 'inspect') throw new Error('no inspection');
    expect(reply.value.node).toMatchObject({
      id: 'p2',
      role: 'pinger',
      status: 'up',
      durable: { restarts: 0 },
    });
    expect((reply.value.node.state as { sent: number }).sent).toBeGreaterThan(10);
  });

  it('stops playback on the event that violated an invariant when asked to', () => {
    const h = harness();
    h.transport.send({
      type: 'load',
      requestId: h.id(),
      run: {
        ...request,
        scenarioId: 'fragile',
        commands: [{ atUs: 123_456, command: { type: 'node.crash', node: 'p3' } }],
      },
    });
    h.transport.send({ type: 'options', pauseOnViolation: true });
    h.transport.send({ type: 'speed', speed: 100 });
    h.transport.send({ type: 'play' });
    h.scheduler.advance(500);
    const frame = h.lastFrame();
    expect(frame.isPlaying).toBe(false);
    expect(frame.timeUs).toBe(123_456);
    expect(frame.violationStop).toMatchObject({
      invariantId: 'nobody-crashes',
      nodes: ['p3'],
      timeUs: 123_456,
    });
  });
});

describe('SimHost flow control', () => {
  it('stops sending playing frames to a page that acknowledges but falls behind, and resumes on acks', () => {
    const h = harness();
    h.transport.send({ type: 'load', requestId: h.id(), run: request });
    h.transport.send({ type: 'recycle', buffers: [] });
    h.transport.send({ type: 'recycle', buffers: [] });
    const frames = (): number => h.messages.filter((message) => message.type === 'frame').length;
    h.transport.send({ type: 'play' });
    const before = frames();
    h.scheduler.advance(320);
    // Twenty slices ran, but only two frames went out unacknowledged.
    expect(frames() - before).toBe(2);
    const stalledAt = h.lastFrame().timeUs;
    h.transport.send({ type: 'recycle', buffers: [] });
    h.scheduler.advance(16);
    expect(frames() - before).toBe(3);
    // Simulation kept going meanwhile: the new frame is well past the stalled one.
    expect(h.lastFrame().timeUs).toBeGreaterThan(stalledAt + 200_000);
    // Replies to the person's own actions are never held back.
    h.transport.send({ type: 'pause' });
    expect(frames() - before).toBe(4);
    expect(h.lastFrame().isPlaying).toBe(false);
  });
});
