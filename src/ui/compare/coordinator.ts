import type { RecordedCommand } from '../../engine/types.ts';
import { commandText } from '../../worker/commandText.ts';
import type { Series } from '../state/store.ts';
import { CompareClock, type MoveKind } from './clock.ts';
import { useCompareStore } from './compareStore.ts';
import { compareFragment, type ComparePayloads } from './compareUrl.ts';
import { mirrorDecision } from './mirror.ts';
import { otherSide, sideNames, type FromSide, type SideName, type ToSide } from './protocol.ts';
import { applySeriesDelta } from './seriesDelta.ts';
import { choiceOf, sideBRequest, variedParam, type SideBChoice } from './sideChoice.ts';

/** How long a side may take to start before the page says it failed to load. */
export const sideStartMsMax = 30_000;
/** Charts and the URL follow a playing comparison at most this often. */
export const publishIntervalMs = 250;

/** What the coordinator needs from the browser, injectable so tests run without frames. */
export interface CompareEnv {
  /** Sends a request to a side's page (dropped when the side has no window). */
  post(side: SideName, message: ToSide): void;
  nowMs(): number;
  /** Calls `callback` before the next repaint; returns a cancel. */
  onNextFrame(callback: () => void): () => void;
  /** Calls `callback` after `delayMs`; returns a cancel. */
  after(delayMs: number, callback: () => void): () => void;
  replaceFragment(fragment: string): void;
}

type Request = ToSide extends infer T
  ? T extends { requestId: number }
    ? Omit<T, 'requestId'>
    : never
  : never;
type Done = Extract<FromSide, { type: 'done' }>;

/**
 * The compare page's controller: owns the shared clock, routes each side's reports into the
 * compare store, mirrors a command given on one side to the other where it applies, rebuilds
 * side b on request, and keeps the page's URL holding both runs.
 */
export class CompareCoordinator {
  private readonly env: CompareEnv;
  private readonly clock: CompareClock;
  private readonly pending = new Map<number, (done: Done) => void>();
  private readonly hasStarted = new Set<SideName>();
  /** Sides that have sent a frame: their simulated time is known. */
  private readonly hasFrame = new Set<SideName>();
  private readonly loading = new Set<SideName>();
  private readonly seriesHeld: Record<SideName, Readonly<Record<string, Series>>> = {
    a: {},
    b: {},
  };
  private readonly cancels: (() => void)[] = [];
  private cancelTick: (() => void) | null = null;
  private cancelPublish: (() => void) | null = null;
  private isAligned = false;
  private nextRequestId = 1;

  constructor(env: CompareEnv, payloads: ComparePayloads) {
    this.env = env;
    this.clock = new CompareClock((side, kind, timeUs) => {
      this.move(side, kind, timeUs);
    });
    const store = useCompareStore.getState();
    for (const side of sideNames) {
      store.updateSide(side, { status: 'starting', payload: payloads[side] });
      this.cancels.push(
        env.after(sideStartMsMax, () => {
          if (!this.hasStarted.has(side)) {
            this.fail(side, 'Its page did not load. Reload the page to try again.');
          }
        }),
      );
    }
    useCompareStore.setState({ isPlaying: false, speed: this.clock.speed });
  }

  dispose(): void {
    this.pause();
    for (const cancel of this.cancels) cancel();
    this.cancelPublish?.();
  }

  /** The simulated time both sides are kept at. */
  get timeUs(): number {
    return this.clock.targetUs;
  }

  // ---- Playback ---------------------------------------------------------------------------

  canPlay(): boolean {
    const { sides } = useCompareStore.getState();
    return sideNames.every((side) => sides[side].status === 'ready');
  }

  play(): void {
    if (!this.canPlay() || this.clock.isPlaying) return;
    this.clock.play(this.env.nowMs());
    useCompareStore.setState({ isPlaying: true });
    this.scheduleTick();
  }

  pause(): void {
    this.clock.pause();
    this.cancelTick?.();
    this.cancelTick = null;
    useCompareStore.setState({ isPlaying: false });
    this.publish();
  }

  togglePlay(): void {
    if (this.clock.isPlaying) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    useCompareStore.setState({ speed });
  }

  stepBy(deltaUs: number): void {
    if (!this.canPlay()) return;
    this.pause();
    this.clock.stepBy(deltaUs);
  }

  seek(timeUs: number): void {
    if (!this.canPlay()) return;
    this.pause();
    this.clock.seekTo(timeUs);
  }

  // ---- Side b -----------------------------------------------------------------------------

  /** Reloads side b as `choice`, built from side a's run as it is now, at the shared time. */
  rebuildSideB(choice: SideBChoice): void {
    const a = useCompareStore.getState().sides.a;
    if (a.info === null) return;
    this.pause();
    const request = sideBRequest({ ...a.info.run, commands: a.commands }, choice);
    this.loading.add('b');
    this.clock.hold('b');
    useCompareStore.getState().updateSide('b', { status: 'loading', error: null });
    this.request('b', { type: 'load', run: request, positionUs: this.clock.targetUs }, (done) => {
      this.loading.delete('b');
      this.clock.release('b');
      const side = useCompareStore.getState().sides.b;
      if (side.info !== null && side.status !== 'failed') {
        useCompareStore.getState().updateSide('b', { status: 'ready' });
      }
      if (!done.isOk) this.notice('b', 'warning', done.message);
      this.clock.realign('b');
    });
  }

  // ---- Messages from the sides ------------------------------------------------------------

  /** Handles one message from a side's page. */
  receive(side: SideName, message: FromSide): void {
    const store = useCompareStore.getState();
    switch (message.type) {
      case 'hello':
        this.hasStarted.add(side);
        if (store.sides[side].status === 'starting') store.updateSide(side, { status: 'loading' });
        return;
      case 'loaded':
        store.updateSide(side, {
          info: message.info,
          commands: message.info.run.commands,
          ...(this.loading.has(side) || store.sides[side].status === 'failed'
            ? {}
            : { status: 'ready' as const }),
        });
        this.alignOnce();
        return;
      case 'frame':
        this.hasFrame.add(side);
        store.updateSide(side, {
          timeUs: message.timeUs,
          frontierUs: message.frontierUs,
          traceHash: message.traceHash,
          invariants: message.invariants,
        });
        this.alignOnce();
        this.schedulePublish();
        return;
      case 'series':
        this.seriesHeld[side] = applySeriesDelta(this.seriesHeld[side], message.delta);
        this.schedulePublish();
        return;
      case 'log':
        store.updateSide(side, { commands: message.commands });
        return;
      case 'link':
        store.updateSide(side, { payload: message.payload });
        this.schedulePublish();
        return;
      case 'user-command':
        this.mirrorFrom(side, message.recorded);
        return;
      case 'notice':
        this.notice(side, message.tone, message.text);
        return;
      case 'failed':
        this.fail(side, message.message);
        return;
      case 'done':
        this.pending.get(message.requestId)?.(message);
        this.pending.delete(message.requestId);
        return;
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message from a side: ${JSON.stringify(unknown)}`);
      }
    }
  }

  // ---- Internals --------------------------------------------------------------------------

  /** Once both sides have a run, puts them at the same time (side a's, where the link opened). */
  private alignOnce(): void {
    // Both sides' times are known only from their first frames (side a may open at a position).
    if (this.isAligned || !this.canPlay() || this.hasFrame.size < sideNames.length) return;
    this.isAligned = true;
    const { sides } = useCompareStore.getState();
    this.clock.setTarget(sides.a.timeUs);
    const choice =
      sides.a.info === null || sides.b.info === null
        ? null
        : choiceOf(sides.a.info.run, sides.b.info.run);
    // Opened from "Compare with baseline": b has none of a's commands yet (see compareUrlFor).
    if (
      choice?.kind === 'baseline' &&
      sides.b.commands.length === 0 &&
      sides.a.commands.length > 0
    ) {
      this.rebuildSideB(choice);
      return;
    }
    if (sides.b.timeUs !== sides.a.timeUs) this.clock.realign('b');
  }

  private mirrorFrom(from: SideName, recorded: RecordedCommand): void {
    const to = otherSide(from);
    const { sides } = useCompareStore.getState();
    const target = sides[to];
    const source = sides[from];
    const context =
      source.info === null
        ? {}
        : {
            nodeIds: source.info.topology.nodes.map((node) => node.id),
            meta: source.info.meta,
          };
    const what = `"${commandText(recorded.command, context)}"`;
    if (target.status !== 'ready' || target.info === null) {
      this.notice(to, 'warning', `${what} was not applied here: this side is not running.`);
      return;
    }
    const runs =
      sides.a.info !== null && sides.b.info !== null
        ? ([sides.a.info.run, sides.b.info.run] as const)
        : null;
    const varied = variedParam(runs === null ? null : choiceOf(runs[0], runs[1]));
    const decision = mirrorDecision(recorded.command, target.info, varied);
    if (!decision.ok) {
      this.notice(to, 'warning', `${what} was not applied here: ${decision.reason}.`);
      return;
    }
    if (decision.note !== null) this.notice(to, 'info', `${what} applied here; ${decision.note}.`);
    this.clock.hold(to);
    this.request(to, { type: 'mirror', command: decision.command, atUs: recorded.atUs }, (done) => {
      this.clock.release(to);
      if (!done.isOk) this.notice(to, 'error', `${what} failed here: ${done.message}`);
      // The side went to the command's time; bring both back to the shared time.
      if (!this.clock.isPlaying) for (const side of sideNames) this.clock.realign(side);
    });
  }

  private move(side: SideName, kind: MoveKind, timeUs: number): void {
    const type = kind === 'until' ? 'step-until' : 'seek';
    this.request(side, { type, timeUs }, () => {
      this.clock.acknowledge(side);
    });
  }

  private request(side: SideName, request: Request, onDone: (done: Done) => void): void {
    const requestId = this.nextRequestId++;
    this.pending.set(requestId, onDone);
    this.env.post(side, { ...request, requestId });
  }

  private fail(side: SideName, message: string): void {
    useCompareStore.getState().updateSide(side, { status: 'failed', error: message });
    this.pause();
  }

  private notice(side: SideName, tone: 'info' | 'warning' | 'error', text: string): void {
    useCompareStore.getState().addNotice(tone, `Side ${side}: ${text}`);
  }

  private scheduleTick(): void {
    this.cancelTick = this.env.onNextFrame(() => {
      if (!this.clock.isPlaying) return;
      this.clock.tick(this.env.nowMs());
      this.scheduleTick();
    });
  }

  private schedulePublish(): void {
    if (this.cancelPublish !== null) return;
    this.cancelPublish = this.env.after(publishIntervalMs, () => {
      this.cancelPublish = null;
      this.publish();
    });
  }

  /** Hands the held metric samples to the charts and puts both runs in the page's URL. */
  private publish(): void {
    const store = useCompareStore.getState();
    for (const side of sideNames) {
      const { series, chartUs, timeUs } = store.sides[side];
      if (series !== this.seriesHeld[side] || chartUs !== timeUs) {
        store.updateSide(side, { series: this.seriesHeld[side], chartUs: timeUs });
      }
    }
    const { sides } = useCompareStore.getState();
    if (sides.a.payload !== '' && sides.b.payload !== '') {
      this.env.replaceFragment(compareFragment({ a: sides.a.payload, b: sides.b.payload }));
    }
  }
}
