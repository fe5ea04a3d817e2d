import type { Command } from '../engine/types.ts';
import type {
  CatalogueEntry,
  NodeInspection,
  Frame,
  FromWorker,
  ReplyValue,
  RunHistory,
  RunRequest,
  ScenarioMeta,
  StepMode,
  TopologyMeta,
  ToWorker,
  TraceExport,
} from './protocol.ts';
import type { RunFile } from './runFile.ts';
import { isFaultInjectable } from './faultInjection.ts';
import { LivenessCheck, type LivenessTiming } from './liveness.ts';
import { realScheduler, type Scheduler } from './scheduler.ts';
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

interface Pending {
  readonly resolve: (message: FromWorker) => void;
  readonly reject: (error: HostError) => void;
  /** Whether the host may legitimately work on it for long (it replays a run). */
  readonly isSlow: boolean;
}

/** Makes a transport to a new host; with one, the client can replace a worker that died. */
export type TransportFactory = () => Transport;

/** How the client watches the host (see `LivenessCheck`) and how often it restarts it. */
export interface ClientOptions extends LivenessTiming {
  /** Crashes within `crashWindowMs` after which the client stops restarting the worker. */
  readonly crashLimit: number;
  readonly crashWindowMs: number;
  /** The wall clock and timers of the liveness check. */
  readonly scheduler: Scheduler;
  /**
   * Runs `acknowledge` once the page has shown the frame it just handled. The host sends the next
   * playing frame only after an acknowledgement (and merges what it simulated meanwhile into it),
   * so a page that acknowledges after its next paint renders at most one frame per paint and
   * keeps time for input; at once (the default) suits hosts with no display, such as tests.
   */
  readonly afterFrameShown: (acknowledge: () => void) => void;
}

/** Five seconds of silence, then a ping; three crashes within 30 s end the restarts. */
export const defaultClientOptions: ClientOptions = {
  silenceMs: 5_000,
  pingAnswerMs: 3_000,
  busyAnswerMs: 30_000,
  crashLimit: 3,
  crashWindowMs: 30_000,
  scheduler: realScheduler,
  afterFrameShown: (acknowledge) => {
    acknowledge();
  },
};

/** For a page: acknowledges a frame at the next animation frame, after the browser painted it. */
export function afterNextPaint(acknowledge: () => void): void {
  requestAnimationFrame(() => {
    acknowledge();
  });
}

/** Requests whose answer may take a host many seconds: they replay a run. */
const slowRequestTypes: ReadonlySet<ToWorker['type']> = new Set([
  'load',
  'openLink',
  'step',
  'seek',
  'removeCommand',
  'tour',
]);

/**
 * The page's side of the protocol: requests become promises, frames go to listeners. It works the
 * same over a worker or an in-process transport. Made with a transport factory, it also watches
 * the host and replaces a worker that crashed, was killed or hangs (see `onRestart`).
 */
export class SimClient {
  private transport: Transport;
  private readonly factory: TransportFactory | null;
  private readonly options: ClientOptions;
  private readonly pending = new Map<number, Pending>();
  private readonly frameListeners = new Set<(frame: Frame) => void>();
  private readonly readyListeners = new Set<() => void>();
  private readonly errorListeners = new Set<(error: HostError) => void>();
  private readonly restartListeners = new Set<(reason: string) => void>();
  private nextRequestId = 1;
  private latest: Frame | null = null;
  private unsubscribe: () => void;
  /** Whether the host owes frames (it was told to play and has not said it stopped). */
  private isExpectingFrames = false;
  private readonly liveness: LivenessCheck;
  /** Recent crash times, for the crash-loop cutoff. */
  private crashTimesMs: number[] = [];
  /** Set from a restart until the new host has opened a run. */
  private isReopening = false;
  /** Set once the client has given up on the worker: every request then fails at once. */
  private deathError: HostError | null = null;

  /**
   * `source` is a transport, or a factory of them: only with a factory can the client restart a
   * worker that died.
   */
  constructor(source: Transport | TransportFactory, options: Partial<ClientOptions> = {}) {
    this.factory = typeof source === 'function' ? source : null;
    this.options = { ...defaultClientOptions, ...options };
    this.transport = typeof source === 'function' ? source() : source;
    this.unsubscribe = this.listenTo(this.transport);
    this.liveness = new LivenessCheck(this.options.scheduler, this.options, {
      isOwedWord: () => this.pending.size > 0 || this.isExpectingFrames,
      isBusy: () => [...this.pending.values()].some((entry) => entry.isSlow),
      // The cheapest request every host answers at once; its reply settles no request.
      ping: () => {
        this.transport.send({ type: 'catalogue', requestId: this.nextRequestId++ });
      },
      onSilent: (silentMs) => {
        this.handleDeath(`it stopped answering for ${Math.round(silentMs / 1000)} s`);
      },
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

  /** Errors not tied to a request (a failure while playing, a worker given up on). */
  onError(listener: (error: HostError) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /**
   * Called with the reason after the worker died and a new one took its place: the new host has
   * no run, so the listener reopens it (the open requests have already failed).
   */
  onRestart(listener: (reason: string) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /**
   * Breaks the worker on purpose (end-to-end tests of recovery): `throw` makes it throw an
   * uncaught error, `terminate` kills it silently. False when the transport cannot (in-process).
   */
  injectWorkerFault(kind: 'throw' | 'terminate'): boolean {
    const transport = this.transport;
    if (!isFaultInjectable(transport)) return false;
    if (kind === 'throw') transport.throwInWorker();
    else transport.terminateWorker();
    return true;
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

  /** The run's recorded history so far, or null when its scenario records none. */
  async history(): Promise<RunHistory | null> {
    const value = await this.replyValue((requestId) => ({ type: 'history', requestId }));
    return value.kind === 'history' ? value.history : null;
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
    this.isExpectingFrames = true;
    this.transport.send({ type: 'play' });
    this.watchHost();
  }
  pause(): void {
    this.isExpectingFrames = false;
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

  /** The run file of the run at its current time. */
  async exportRun(): Promise<RunFile> {
    const value = await this.replyValue((requestId) => ({ type: 'export', requestId }));
    if (value.kind !== 'run' || value.file === null)
      throw new HostError('protocol', `Expected a run file, got ${value.kind}.`);
    return value.file;
  }

  /** The trace from the start to the current time as JSON lines (the worker replays the run). */
  async exportTrace(): Promise<TraceExport> {
    const value = await this.replyValue((requestId) => ({ type: 'exportTrace', requestId }));
    if (value.kind !== 'trace')
      throw new HostError('protocol', `Expected a trace, got ${value.kind}.`);
    return value.trace;
  }

  close(): void {
    this.liveness.stop();
    this.unsubscribe();
    this.transport.close();
    this.deathError = new HostError('closed', 'The simulation was closed.');
    this.rejectPending(this.deathError);
  }

  /** Fails every open request and tells the error listeners; used when the worker is given up. */
  failAll(error: HostError): void {
    this.rejectPending(error);
    for (const listener of this.errorListeners) listener(error);
  }

  private rejectPending(error: HostError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(error);
  }

  /** Watches a restartable host while it owes a word (a dead one cannot be replaced otherwise). */
  private watchHost(): void {
    if (this.factory !== null && this.deathError === null) this.liveness.watch();
  }

  private listenTo(transport: Transport): () => void {
    return transport.subscribe((message) => {
      this.receive(message);
    });
  }

  /**
   * The worker died (`reason` says how). With a factory and no crash loop, a new worker takes
   * its place and the restart listeners reopen the run; otherwise the client gives up, and the
   * error listeners hear `worker-crashed`.
   */
  private handleDeath(reason: string): void {
    if (this.deathError !== null) return;
    this.liveness.stop();
    this.unsubscribe();
    this.transport.close();
    const { scheduler, crashWindowMs, crashLimit } = this.options;
    const now = scheduler.now();
    this.crashTimesMs = [...this.crashTimesMs.filter((time) => now - time < crashWindowMs), now];
    const isLoop = this.crashTimesMs.length >= crashLimit;
    if (this.factory === null || isLoop || this.isReopening) {
      const why =
        this.factory === null
          ? ''
          : isLoop
            ? ` It stopped ${this.crashTimesMs.length} times within ${crashWindowMs / 1000} s, so DistSim stopped restarting it.`
            : ' It stopped again while DistSim was reopening your run, so DistSim stopped restarting it.';
      this.deathError = new HostError(
        'worker-crashed',
        `The simulation worker stopped (${reason}).${why} Reload the page to start it again; the URL still holds your run.`,
      );
      this.failAll(this.deathError);
      return;
    }
    this.transport = this.factory();
    this.unsubscribe = this.listenTo(this.transport);
    this.isReopening = true;
    this.isExpectingFrames = false;
    this.rejectPending(
      new HostError(
        'worker-restarted',
        `The simulation worker stopped (${reason}) before it answered; DistSim restarted it.`,
      ),
    );
    for (const listener of this.restartListeners) listener(reason);
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
      if (this.deathError !== null) {
        reject(this.deathError);
        return;
      }
      const message = make(requestId);
      this.pending.set(requestId, { resolve, reject, isSlow: slowRequestTypes.has(message.type) });
      this.transport.send(message);
      this.watchHost();
    });
  }

  private receive(message: FromWorker): void {
    this.liveness.heard();
    switch (message.type) {
      case 'frame':
        this.latest = message.frame;
        this.isExpectingFrames = message.frame.isPlaying;
        for (const listener of this.frameListeners) listener(message.frame);
        // Acknowledge: the host sends the next playing frame only once this one is shown.
        this.options.afterFrameShown(() => {
          this.transport.send({ type: 'recycle', buffers: [] });
        });
        return;
      case 'ready':
        this.isReopening = false;
        for (const listener of this.readyListeners) listener();
        this.settle(message.requestId, message);
        return;
      case 'reply':
        this.settle(message.requestId, message);
        return;
      case 'error': {
        if (message.code === 'worker-crashed') {
          this.handleDeath(message.message);
          return;
        }
        // The host pauses on every error: no frames are owed until the next play.
        this.isExpectingFrames = false;
        const error = new HostError(message.code, message.message);
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
