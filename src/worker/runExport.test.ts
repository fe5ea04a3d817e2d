import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { pingPongRun } from '../engine/testing/pingPong.ts';
import type { TraceEvent } from '../engine/trace.ts';
import { SimClient } from './client.ts';
import { defaultHostOptions } from './host.ts';
import type { FromWorker, ReplyValue, RunRequest, ToWorker } from './protocol.ts';
import {
  type TraceEndLine,
  type TraceEventLine,
  type TraceHeaderLine,
  traceJsonLines,
  traceLinesPerChunk,
} from './runExport.ts';
import { decodeRunFile, encodeRunFile } from './runFile.ts';
import { ManualScheduler } from './scheduler.ts';
import { pingPongScenario, testCatalogue } from './testing/testCatalogue.ts';
import { createInProcessTransport } from './transport.ts';

const request: RunRequest = {
  scenarioId: 'ping-pong',
  seed: 6,
  variant: 'pattern',
  params: {},
  commands: [],
};

/** A host over the synchronous in-process transport that answers each request in place. */
function harness() {
  const transport = createInProcessTransport(testCatalogue, new ManualScheduler(), {
    isSynchronous: true,
    host: { ...defaultHostOptions, checkpointIntervalUs: 100_000 },
  });
  const messages: FromWorker[] = [];
  transport.subscribe((message) => messages.push(message));
  let nextId = 1;
  /** Sends a request and returns its reply value (failing on an error). */
  const ask = (make: (requestId: number) => ToWorker): ReplyValue => {
    const requestId = nextId++;
    transport.send(make(requestId));
    const answer = messages.find(
      (message) =>
        (message.type === 'reply' || message.type === 'error') && message.requestId === requestId,
    );
    if (answer?.type !== 'reply') throw new Error(`no reply: ${JSON.stringify(answer)}`);
    return answer.value;
  };
  const lastFrame = () => {
    const frames = messages.filter((message) => message.type === 'frame');
    const last = frames[frames.length - 1];
    if (last?.type !== 'frame') throw new Error('no frame yet');
    return last.frame;
  };
  transport.send({ type: 'load', requestId: nextId++, run: request });
  return { ask, lastFrame, transport };
}

/** The same run played straight through to `untilUs`, with every trace event kept. */
function straight(untilUs: number, commands: RunRequest['commands'] = []): Simulation {
  const sim = new Simulation(pingPongScenario, pingPongRun(6, {}, commands), {
    traceWindowMax: 1_000_000,
    commandLogMax: 10_000,
    pendingEventsMax: 2_000_000,
  });
  sim.runUntil(untilUs);
  return sim;
}

/** How a trace event reads as a JSON line (node indexes become ping-pong's ids p1…p4). */
function asLine(event: TraceEvent): TraceEventLine {
  const id = (index: number) => (index < 0 ? null : `p${index + 1}`);
  return {
    index: event.index,
    timeUs: event.timeUs,
    type: event.type,
    node: id(event.node),
    peer: id(event.peer),
    messageId: event.messageId < 0 ? null : event.messageId,
    label: event.label,
    value: event.value,
  };
}

function parseLines(chunks: readonly string[]): unknown[] {
  const text = chunks.join('');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('run export', () => {
  it('replies to export with a run file that replays to the frame it was taken at', () => {
    const h = harness();
    h.ask((requestId) => ({ type: 'step', requestId, mode: { kind: 'until', timeUs: 200_000 } }));
    h.ask((requestId) => ({
      type: 'command',
      requestId,
      command: { type: 'node.crash', node: 'p2' },
    }));
    h.ask((requestId) => ({ type: 'step', requestId, mode: { kind: 'until', timeUs: 450_000 } }));
    const reply = h.ask((requestId) => ({ type: 'export', requestId }));
    if (reply.kind !== 'run' || reply.file === null) throw new Error('no run file');
    const { file } = reply;
    expect(file.untilUs).toBe(450_000);
    expect(file.run.commands).toHaveLength(1);
    expect(file.summary.traceHash).toBe(h.lastFrame().traceHash);
    expect(file.summary.eventCount).toBe(h.lastFrame().eventCount);
    expect(file.summary.invariants.map((result) => result.id)).toEqual(
      h.lastFrame().invariants.map((result) => result.id),
    );
    const decoded = decodeRunFile(encodeRunFile(file));
    if (!decoded.ok) throw new Error(decoded.problem.message);
    const replay = new Simulation(pingPongScenario, decoded.file.run);
    replay.runUntil(decoded.file.untilUs);
    expect(replay.traceHash).toBe(file.summary.traceHash);
    // Other requests that reply with the run carry no file.
    const commandReply = h.ask((requestId) => ({
      type: 'command',
      requestId,
      command: { type: 'node.restart', node: 'p2' },
    }));
    expect(commandReply.kind === 'run' && commandReply.file).toBeNull();
  });

  it('describes a run stepped into the middle of a microsecond as played to its end', () => {
    const h = harness();
    h.ask((requestId) => ({ type: 'step', requestId, mode: { kind: 'until', timeUs: 100_000 } }));
    // Step single events until the run stands between two events of the same microsecond.
    const isMidInstant = () => {
      const sim = h.transport.host.simulation;
      return sim !== null && sim.nextEventUs === sim.nowUs;
    };
    for (let i = 0; i < 20_000 && !isMidInstant(); i++) {
      h.ask((requestId) => ({ type: 'step', requestId, mode: { kind: 'events', count: 1 } }));
    }
    expect(isMidInstant()).toBe(true);
    const frame = h.lastFrame();
    const expected = straight(frame.timeUs);
    expect(frame.traceHash).not.toBe(expected.traceHash);
    const reply = h.ask((requestId) => ({ type: 'export', requestId }));
    expect(reply.kind === 'run' && reply.file?.summary.traceHash).toBe(expected.traceHash);
    expect(reply.kind === 'run' && reply.file?.summary.eventCount).toBe(expected.eventCount);
    // The live run itself is left where it stood.
    expect(h.lastFrame().traceHash).toBe(frame.traceHash);
  });

  it('exports the whole trace as JSON lines, past the live window, with the hash', () => {
    const h = harness();
    // Enough events to overflow the live run's 20,000-event window and fill several chunks.
    h.ask((requestId) => ({
      type: 'step',
      requestId,
      mode: { kind: 'until', timeUs: 3_000_000 },
    }));
    const reply = h.ask((requestId) => ({ type: 'exportTrace', requestId }));
    if (reply.kind !== 'trace') throw new Error('no trace');
    const expected = straight(3_000_000);
    expect(expected.traceCount).toBeGreaterThan(20_000);
    expect(reply.trace.chunks.length).toBeGreaterThan(1);
    const lines = parseLines(reply.trace.chunks);
    const [header, ...rest] = lines;
    const end = rest.pop() as TraceEndLine;
    expect((header as TraceHeaderLine).format).toBe('distsim-trace');
    expect((header as TraceHeaderLine).untilUs).toBe(3_000_000);
    expect(rest).toHaveLength(expected.traceCount);
    expect(rest[0]).toEqual(asLine(expected.traceEvents(0)[0] as TraceEvent));
    expect(rest[rest.length - 1]).toEqual(
      asLine(expected.traceEvents(expected.traceCount - 1)[0] as TraceEvent),
    );
    expect(end).toEqual({
      end: true,
      events: expected.traceCount,
      listed: expected.traceCount,
      isTruncated: false,
      traceHash: h.lastFrame().traceHash,
    });
    expect(reply.trace).toMatchObject({
      events: expected.traceCount,
      listed: expected.traceCount,
      traceHash: expected.traceHash,
    });
  });

  it('caps the listed events and says so in the last line, whose hash still covers all', () => {
    const run = pingPongRun(6);
    const lines = parseLines([...traceJsonLines(pingPongScenario, run, 300_000, 25)]);
    const end = lines.pop() as TraceEndLine;
    expect(lines).toHaveLength(1 + 25);
    const expected = straight(300_000);
    expect(end.events).toBe(expected.traceCount);
    expect(end.listed).toBe(25);
    expect(end.isTruncated).toBe(true);
    expect(end.traceHash).toBe(expected.traceHash);
    expect(end.note).toMatch(/Only the first 25 events are listed/);
  });

  it('chunks lines so that no chunk holds more than its share', () => {
    const chunks = [...traceJsonLines(pingPongScenario, pingPongRun(6), 3_000_000)];
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.split('\n').length - 1).toBe(traceLinesPerChunk);
    }
  });

  it('gives the run file and the trace to the page through SimClient', async () => {
    const transport = createInProcessTransport(testCatalogue, new ManualScheduler());
    const client = new SimClient(transport);
    await client.load(request, 250_000);
    const file = await client.exportRun();
    const trace = await client.exportTrace();
    expect(file.untilUs).toBe(250_000);
    expect(file.summary.traceHash).toBe(straight(250_000).traceHash);
    expect(trace.traceHash).toBe(file.summary.traceHash);
    expect(trace.events).toBe(straight(250_000).traceCount);
    client.close();
  });
});
