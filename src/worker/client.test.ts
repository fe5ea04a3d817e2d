import { describe, expect, it } from 'vitest';
import { type HostError, SimClient } from './client.ts';
import type { FromWorker, RunRequest, ToWorker } from './protocol.ts';
import { ManualScheduler } from './scheduler.ts';
import { testCatalogue } from './testing/testCatalogue.ts';
import { type Transport, createInProcessTransport } from './transport.ts';

/** A transport to a host that says only what the test makes it say, and can die. */
class FakeTransport implements Transport {
  readonly sent: ToWorker[] = [];
  isClosed = false;
  private readonly listeners = new Set<(message: FromWorker) => void>();

  send(message: ToWorker): void {
    this.sent.push(message);
  }
  subscribe(listener: (message: FromWorker) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  close(): void {
    this.isClosed = true;
  }
  say(message: FromWorker): void {
    for (const listener of this.listeners) listener(message);
  }
  /** What a worker transport reports when its worker throws at top level. */
  crash(reason: string): void {
    this.say({ type: 'error', requestId: null, code: 'worker-crashed', message: reason });
  }
  /** Answers the latest request that has an id with an empty reply. */
  answerLatest(): void {
    const request = this.sent.findLast((message) => 'requestId' in message);
    if (request !== undefined && 'requestId' in request)
      this.say({ type: 'reply', requestId: request.requestId, value: { kind: 'none' } });
  }
}

const request: RunRequest = {
  scenarioId: 'leader-election',
  seed: 3,
  variant: 'pattern',
  params: {},
  commands: [],
};

function harness() {
  const scheduler = new ManualScheduler();
  const transports: FakeTransport[] = [];
  const client = new SimClient(
    () => {
      const transport = new FakeTransport();
      transports.push(transport);
      return transport;
    },
    { scheduler },
  );
  const restarts: string[] = [];
  const errors: HostError[] = [];
  client.onRestart((reason) => restarts.push(reason));
  client.onError((error) => errors.push(error));
  const current = (): FakeTransport => {
    const transport = transports.at(-1);
    if (transport === undefined) throw new Error('no transport made');
    return transport;
  };
  return { scheduler, transports, client, restarts, errors, current };
}

/** Settles a promise into its error (or null when it resolved). */
async function failureOf(promise: Promise<unknown>): Promise<HostError | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return error as HostError;
  }
}

describe('SimClient recovery', () => {
  it('fails pending requests, replaces a crashed worker and lets the page reopen its run', async () => {
    const h = harness();
    const first = h.current();
    const pending = failureOf(h.client.step({ kind: 'events', count: 1 }));
    first.crash('it threw "Uncaught Error: boom"');
    const failure = await pending;
    expect(failure?.code).toBe('worker-restarted');
    expect(failure?.message).toMatch(/stopped \(it threw "Uncaught Error: boom"\)/);
    expect(first.isClosed).toBe(true);
    expect(h.transports).toHaveLength(2);
    expect(h.restarts).toEqual(['it threw "Uncaught Error: boom"']);
    expect(h.errors).toEqual([]);
    // Requests now go to the new worker, and its replies settle them.
    const link = '#/leader-election?run=abc';
    const reopening = h.client.openLink(link, request);
    expect(h.current().sent.at(-1)).toMatchObject({ type: 'openLink', link });
    expect(first.sent.some((message) => message.type === 'openLink')).toBe(false);
    h.current().crash('again');
    expect((await failureOf(reopening))?.code).toBe('worker-crashed');
  });

  it('stops restarting after three crashes within 30 s and fails later requests at once', async () => {
    const h = harness();
    const ready = (): void => {
      // A reopened run: the client is no longer reopening.
      h.current().say({
        type: 'ready',
        requestId: 999,
        protocolVersion: 1,
        meta: {} as never,
        topology: { nodes: [], links: [] },
        run: { ...request, scenarioVersion: 1 },
        notices: [],
        positionUs: 0,
      });
    };
    h.current().crash('one');
    ready();
    h.scheduler.advance(10_000);
    h.current().crash('two');
    ready();
    h.scheduler.advance(10_000);
    h.current().crash('three');
    expect(h.transports).toHaveLength(3);
    expect(h.restarts).toEqual(['one', 'two']);
    expect(h.errors.map((error) => error.code)).toEqual(['worker-crashed']);
    expect(h.errors[0]?.message).toMatch(
      /stopped \(three\)\. It stopped 3 times within 30 s, so DistSim stopped restarting it\. Reload/,
    );
    expect(h.current().isClosed).toBe(true);
    expect((await failureOf(h.client.seek(0)))?.code).toBe('worker-crashed');
  });

  it('keeps restarting when crashes are more than 30 s apart', () => {
    const h = harness();
    for (const reason of ['one', 'two', 'three', 'four']) {
      h.current().crash(reason);
      h.current().say({ type: 'reply', requestId: 1, value: { kind: 'none' } });
      h.current().say({
        type: 'ready',
        requestId: 1,
        protocolVersion: 1,
        meta: {} as never,
        topology: { nodes: [], links: [] },
        run: { ...request, scenarioVersion: 1 },
        notices: [],
        positionUs: 0,
      });
      h.scheduler.advance(16_000);
    }
    expect(h.restarts).toEqual(['one', 'two', 'three', 'four']);
    expect(h.errors).toEqual([]);
  });

  it('gives up when the worker dies again while the run is being reopened', () => {
    const h = harness();
    h.current().crash('one');
    h.current().crash('two');
    expect(h.restarts).toEqual(['one']);
    expect(h.errors[0]?.message).toMatch(/again while DistSim was reopening your run/);
  });

  it('without a factory, reports the crash and does not restart', async () => {
    const transport = new FakeTransport();
    const client = new SimClient(transport, { scheduler: new ManualScheduler() });
    const errors: HostError[] = [];
    client.onError((error) => errors.push(error));
    const pending = failureOf(client.catalogue());
    transport.crash('it threw');
    expect((await pending)?.code).toBe('worker-crashed');
    expect(errors[0]?.message).toMatch(/^The simulation worker stopped \(it threw\)\. Reload/);
  });
});

describe('SimClient liveness check', () => {
  it('pings a silent host while playing and restarts it when the ping goes unanswered', () => {
    const h = harness();
    h.client.play();
    h.scheduler.advance(4_999);
    expect(h.current().sent.map((message) => message.type)).toEqual(['play']);
    h.scheduler.advance(1);
    expect(h.current().sent.at(-1)?.type).toBe('catalogue');
    h.scheduler.advance(2_999);
    expect(h.restarts).toEqual([]);
    h.scheduler.advance(1);
    expect(h.restarts).toEqual(['it stopped answering for 8 s']);
    expect(h.transports).toHaveLength(2);
  });

  it('keeps a host that answers its pings in time', () => {
    const h = harness();
    h.client.play();
    for (let i = 0; i < 12; i++) {
      h.scheduler.advance(5_000 + 2_000);
      h.current().answerLatest();
    }
    // Still playing and otherwise silent: pinged after every 5 s of silence, answered each time.
    expect(h.current().sent.filter((message) => message.type === 'catalogue')).toHaveLength(12);
    expect(h.restarts).toEqual([]);
    h.scheduler.advance(8_000);
    expect(h.restarts).toEqual(['it stopped answering for 8 s']);
  });

  it('does not watch a host that owes nothing', () => {
    const h = harness();
    h.scheduler.advance(120_000);
    h.client.play();
    h.client.pause();
    h.scheduler.advance(120_000);
    expect(h.current().sent.map((message) => message.type)).toEqual(['play', 'pause']);
    expect(h.restarts).toEqual([]);
  });

  it('gives a host replaying a run for a load 30 s to answer the ping', async () => {
    const h = harness();
    const loading = failureOf(h.client.load(request, 3_600_000_000));
    h.scheduler.advance(5_000 + 3_000);
    expect(h.restarts).toEqual([]);
    h.scheduler.advance(27_000);
    expect(h.restarts).toEqual(['it stopped answering for 35 s']);
    expect((await loading)?.code).toBe('worker-restarted');
  });
});

describe('SimClient frame acknowledgement', () => {
  it('acknowledges a frame only when the page has shown it, which paces the host', async () => {
    const scheduler = new ManualScheduler();
    const transport = createInProcessTransport(testCatalogue, scheduler, { isSynchronous: true });
    const shown: (() => void)[] = [];
    const client = new SimClient(transport, {
      scheduler,
      afterFrameShown: (acknowledge) => shown.push(acknowledge),
    });
    let frames = 0;
    client.onFrame(() => frames++);
    await client.load({
      scenarioId: 'ping-pong',
      seed: 1,
      variant: 'pattern',
      params: {},
      commands: [],
    });
    // Frames from the load, not yet shown: none acknowledged, so the host holds playing frames.
    for (const acknowledge of shown.splice(0)) acknowledge();
    client.play();
    scheduler.advance(16 * 20);
    const whileUnshown = frames;
    // Twenty slices, but the host sends only as many frames as it may have unacknowledged.
    expect(whileUnshown).toBeLessThanOrEqual(1 + 2);
    expect(shown.length).toBeGreaterThan(0);
    // Once the page shows them, the host sends the next frame at its next slice.
    for (const acknowledge of shown.splice(0)) acknowledge();
    scheduler.advance(16);
    expect(frames).toBe(whileUnshown + 1);
  });
});
