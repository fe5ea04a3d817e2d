import type { Command } from '../engine/types.ts';
import type {
  CatalogueEntry,
  NodeInspection,
  Frame,
  FromWorker,
  ReplyValue,
  RunRequest,
  ScenarioMeta,
  StepMode,
  TopologyMeta,
  ToWorker,
} from './protocol.ts';
import type { Transport } from './transport.ts';

/** What `load` resolves to. */
export interface Loaded {
  readonly meta: ScenarioMeta;
  readonly topology: TopologyMeta;
  readonly run: Extract<FromWorker, { type: 'ready' }>['run'];
  readonly notices: readonly string[];
  readonly positionUs: number;
}

/** A failed request, with the host's error code. */
export class HostError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'HostError';
    this.code = code;
  }
}

type Pending = { resolve: (message: FromWorker) => void; reject: (error: HostError) => void };

/**
 * The page's side of the protocol: requests become promises, frames go to listeners. It works the
 * same over a worker or an in-process transport.
 */
export class SimClient {
  private readonly transport: Transport;
  private readonly pending = new Map<number, Pending>();
  private readonly frameListeners = new Set<(frame: Frame) => void>();
  private readonly readyListeners = new Set<() => void>();
  private readonly errorListeners = new Set<(error: HostError) => void>();
  private nextRequestId = 1;
  private latest: Frame | null = null;
  private readonly unsubscribe: () => void;

  constructor(transport: Transport) {
    this.transport = transport;
    this.unsubscribe = transport.subscribe((message) => {
      this.receive(message);
    });
  }

  /** The most recent frame, if any. */
  get latestFrame(): Frame | null {
    return this.latest;
  }

  onFrame(listener: (frame: Frame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /**
   * Called when a new run is ready, before its first frame: the moment to drop what the page
   * kept of the previous run (a request's promise settles later, after that frame arrived).
   */
  onRunReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** Errors not tied to a request (a failure while playing, a crashed worker). */
  onError(listener: (error: HostError) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  async load(run: RunRequest, positionUs = 0): Promise<Loaded> {
    return this.loaded(
      await this.request((requestId) => ({ type: 'load', requestId, run, positionUs })),
    );
  }

  /** Opens a share link; a bad link loads `fallback` and says why in `notices`. */
  async openLink(link: string, fallback: RunRequest): Promise<Loaded> {
    return this.loaded(
      await this.request((requestId) => ({ type: 'openLink', requestId, link, fallback })),
    );
  }

  async catalogue(): Promise<readonly CatalogueEntry[]> {
    const value = await this.replyValue((requestId) => ({ type: 'catalogue', requestId }));
    return value.kind === 'catalogue' ? value.entries : [];
  }

  /** Enters a tour step (null leaves the tour), applying its actions when asked. */
  async tour(stepIndex: number | null, isApplyingActions: boolean): Promise<ReplyValue> {
    return this.replyValue((requestId) => ({
      type: 'tour',
      requestId,
      stepIndex,
      isApplyingActions,
    }));
  }

  setPauseOnViolation(pauseOnViolation: boolean): void {
    this.transport.send({ type: 'options', pauseOnViolation });
  }

  async inspect(node: number): Promise<NodeInspection | null> {
    const value = await this.replyValue((requestId) => ({ type: 'inspect', requestId, node }));
    return value.kind === 'inspect' ? value.node : null;
  }

  private loaded(message: FromWorker): Loaded {
    if (message.type !== 'ready')
      throw new HostError('protocol', `Expected ready, got ${message.type}.`);
    return {
      meta: message.meta,
      topology: message.topology,
      run: message.run,
      notices: message.notices,
      positionUs: message.positionUs,
    };
  }

  play(): void {
    this.transport.send({ type: 'play' });
  }
  pause(): void {
    this.transport.send({ type: 'pause' });
  }
  setSpeed(speed: number): void {
    this.transport.send({ type: 'speed', speed });
  }

  async step(mode: StepMode): Promise<number> {
    const value = await this.replyValue((requestId) => ({ type: 'step', requestId, mode }));
    return value.kind === 'stepped' ? value.events : 0;
  }

  async seek(timeUs: number): Promise<void> {
    await this.replyValue((requestId) => ({ type: 'seek', requestId, timeUs }));
  }

  async command(command: Command): Promise<ReplyValue> {
    return this.replyValue((requestId) => ({ type: 'command', requestId, command }));
  }

  async removeCommand(index: number): Promise<ReplyValue> {
    return this.replyValue((requestId) => ({ type: 'removeCommand', requestId, index }));
  }

  async exportRun(): Promise<ReplyValue> {
    return this.replyValue((requestId) => ({ type: 'export', requestId }));
  }

  close(): void {
    this.unsubscribe();
    this.transport.close();
    for (const entry of this.pending.values())
      entry.reject(new HostError('closed', 'The simulation was closed.'));
    this.pending.clear();
  }

  /** Fails every open request; used when the worker dies. */
  failAll(error: HostError): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    for (const listener of this.errorListeners) listener(error);
  }

  private async replyValue(make: (requestId: number) => ToWorker): Promise<ReplyValue> {
    const message = await this.request(make);
    if (message.type !== 'reply')
      throw new HostError('protocol', `Expected reply, got ${message.type}.`);
    return message.value;
  }

  private request(make: (requestId: number) => ToWorker): Promise<FromWorker> {
    const requestId = this.nextRequestId++;
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.transport.send(make(requestId));
    });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'frame':
        this.latest = message.frame;
        for (const listener of this.frameListeners) listener(message.frame);
        // Acknowledge: the host sends the next playing frame only once this one is handled.
        this.transport.send({ type: 'recycle', buffers: [] });
        return;
      case 'ready':
        for (const listener of this.readyListeners) listener();
        this.settle(message.requestId, message);
        return;
      case 'reply':
        this.settle(message.requestId, message);
        return;
      case 'error': {
        const error = new HostError(message.code, message.message);
        if (message.code === 'worker-crashed') {
          this.failAll(error);
          return;
        }
        if (message.requestId !== null && this.pending.has(message.requestId)) {
          this.pending.get(message.requestId)?.reject(error);
          this.pending.delete(message.requestId);
          return;
        }
        for (const listener of this.errorListeners) listener(error);
        return;
      }
      default: {
        const unknownMessage: never = message;
        throw new HostError('protocol', `Unknown message ${JSON.stringify(unknownMessage)}.`);
      }
    }
  }

  private settle(requestId: number, message: FromWorker): void {
    const entry = this.pending.get(requestId);
    if (entry === undefined) return;
    this.pending.delete(requestId);
    entry.resolve(message);
  }
}
