import { unpackTrace } from '../../engine/trace.ts';
import type { Command, RunDescription, Variant } from '../../engine/types.ts';
import { HostError, type Loaded, type SimClient } from '../../worker/client.ts';
import type {
  Frame,
  NodeInspection,
  RunRequest,
  ScenarioMeta,
  StepMode,
} from '../../worker/protocol.ts';
import { encodeShareLink } from '../../worker/shareLink.ts';
import { formatSimTime } from '../controls/format.ts';
import {
  type DropFigures,
  dropFiguresOf,
  dropNoticeText,
  sharedPrefixLength,
} from './actInPast.ts';
import {
  type Selection,
  appendSamples,
  eventsAfterFrame,
  initialState,
  seriesUpTo,
  useSimStore,
} from './store.ts';

/** How often, at most, the URL follows a playing run. */
const urlSyncIntervalMs = 1000;

/** Where the page keeps preferences that are not part of a run. */
const preferencesKey = 'distsim.preferences';

/** Set (in the tab's session storage) once the person asked not to be asked before a drop. */
const dropQuestionOffKey = 'distsim.dropQuestionOff';

/** The run as it was before an act dropped its future: what Undo brings back. */
interface UndoPoint {
  /** The run with every recorded command, those after the act included. */
  readonly request: RunRequest;
  readonly frontierUs: number;
  /** Where the person was when they acted. */
  readonly positionUs: number;
  readonly selection: Selection;
}

/** Whether an act goes on, and what it drops when it does. */
interface Decision {
  readonly isGoingOn: boolean;
  readonly drop: { readonly point: UndoPoint; readonly figures: DropFigures } | null;
  /** The run was playing and was paused for the question: it plays on after the act. */
  readonly isResuming: boolean;
}

/**
 * One act of the person: the commands one gesture sends (holding a link both ways sends two),
 * asked about once and undone together.
 */
interface Act {
  readonly decision: Promise<Decision>;
  /** Commands of the act not yet answered by the worker. */
  inFlight: number;
  /** Whether its first command has been answered (only that one can drop anything). */
  isSettled: boolean;
}

interface Preferences {
  /**
   * The speed last chosen for each scenario. A scenario never chosen for starts at its own
   * default, set so that its storyline shows within seconds of Play.
   */
  readonly speeds: Readonly<Record<string, number>>;
  readonly pauseOnViolation: boolean;
}

/** The fragment for a run at a position: `#/<scenario>?run=<payload>`. */
export function fragmentFor(run: RunDescription, positionUs: number): string {
  return `#/${run.scenarioId}?${encodeShareLink(run, positionUs)}`;
}

/** The scenario id named in a fragment, if any (`#/leader-election?…`). */
export function scenarioIdOf(fragment: string): string | null {
  const match = /^#?\/([a-z0-9-]+)/.exec(fragment);
  return match?.[1] ?? null;
}

export function defaultRequest(
  scenarioId: string,
  seed = 1,
  variant: Variant = 'pattern',
): RunRequest {
  return { scenarioId, seed, variant, params: {}, commands: [] };
}

/** What the controller needs from the browser, injectable so tests run without a DOM. */
export interface PageEnv {
  /** The page's address without its fragment. */
  baseUrl(): string;
  currentFragment(): string;
  replaceFragment(fragment: string): void;
  /** Adds a history entry (Back returns to the run before it). */
  pushFragment(fragment: string): void;
  load(key: string): string | null;
  save(key: string, value: string): void;
  /** Storage that lasts as long as the tab (sessionStorage); without it, as long as the page. */
  loadSession?(key: string): string | null;
  saveSession?(key: string, value: string): void;
  nowMs(): number;
}

export const browserEnv: PageEnv = {
  baseUrl: () => window.location.href.split('#')[0] ?? '',
  currentFragment: () => window.location.hash,
  replaceFragment: (fragment) => {
    window.history.replaceState(null, '', fragment);
  },
  pushFragment: (fragment) => {
    window.history.pushState(null, '', fragment);
  },
  load: (key) => {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  save: (key, value) => {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      // Storage can be full or disabled (private windows); preferences are a convenience.
    }
  },
  loadSession: (key) => {
    try {
      return window.sessionStorage.getItem(key);
    } catch {
      return null;
    }
  },
  saveSession: (key, value) => {
    try {
      window.sessionStorage.setItem(key, value);
    } catch {
      // As above: the choice then lasts until the page is reloaded.
    }
  },
  nowMs: () => performance.now(),
};

/**
 * The one object between the page and the simulation: turns user intents into worker requests,
 * mirrors frames into the store, and keeps the URL holding the current run.
 */
export class SimController {
  private readonly client: SimClient;
  private readonly stopFrames: () => void;
  private readonly stopReady: () => void;
  private readonly stopErrors: () => void;
  private readonly stopRestarts: () => void;
  private lastUrlSyncMs = 0;
  /** The fragment the controller last wrote: a `hashchange` to it is not news. */
  private writtenFragment: string | null = null;
  /** Whether the next URL sync adds a history entry (another scenario was picked). */
  private isUrlEntryNew = false;
  private crashMessage: string | null = null;
  private isDisposed = false;
  private speedValue: number;
  private speeds: Record<string, number>;
  /** The act whose commands are on their way (see `joinAct`). */
  private act: Act | null = null;
  /** Answers the open question before a drop (set while the dialog shows it). */
  private answerQuestion: ((isGoingOn: boolean) => void) | null = null;
  private isAskingBeforeDrop: boolean;
  /** What Undo restores, while the notice offers it. */
  private undoPoint: UndoPoint | null = null;
  private isUndoOffered = true;
  /** The latest seek: an act waits for it, so it is judged where the command will land. */
  private lastSeek: Promise<unknown> = Promise.resolve();

  private readonly env: PageEnv;

  constructor(client: SimClient, env: PageEnv = browserEnv) {
    this.client = client;
    this.env = env;
    const preferences = readPreferences(env);
    this.speeds = { ...preferences.speeds };
    this.speedValue = 1;
    this.isAskingBeforeDrop = env.loadSession?.(dropQuestionOffKey) !== 'true';
    useSimStore.setState({ ...initialState, pauseOnViolation: preferences.pauseOnViolation });
    this.stopFrames = client.onFrame((frame) => {
      this.onFrame(frame);
    });
    this.stopReady = client.onRunReady(() => {
      // The new run's frames follow at once: clear the old run's history before they land.
      useSimStore.setState({
        events: [],
        eventsDropped: 0,
        series: {},
        seriesKnownUs: -1,
        moments: [],
      });
    });
    this.stopErrors = client.onError((error) => {
      this.onError(error);
    });
    this.stopRestarts = client.onRestart((reason) => {
      void this.recover(reason);
    });
  }

  get simClient(): SimClient {
    return this.client;
  }

  get speed(): number {
    return this.speedValue;
  }

  /** Why the worker was given up on (phase `crashed`), for the banner; null otherwise. */
  get crashReason(): string | null {
    return this.crashMessage;
  }

  /** Lists the scenarios and opens the run the URL names (or the first scenario). */
  async start(fragment: string): Promise<void> {
    const catalogue = await this.guard(this.client.catalogue());
    if (catalogue === undefined) return;
    useSimStore.setState({ catalogue });
    this.client.setSpeed(this.speedValue);
    this.client.setPauseOnViolation(useSimStore.getState().pauseOnViolation);
    await this.openFragment(fragment);
  }

  /**
   * The URL's fragment changed under the page (a link pasted into the address bar, Back or
   * Forward): opens the run it names. The run on screen stays in history, since the browser
   * made a new entry for the new fragment (or is going back to an older one).
   */
  async followUrl(fragment: string): Promise<void> {
    if (fragment === this.writtenFragment) return;
    if (useSimStore.getState().catalogue.length === 0) return;
    await this.openFragment(fragment);
  }

  private async openFragment(fragment: string): Promise<void> {
    const catalogue = useSimStore.getState().catalogue;
    const first = catalogue[0]?.id ?? 'leader-election';
    const named = scenarioIdOf(fragment);
    const known = named !== null && catalogue.some((entry) => entry.id === named);
    if (fragment.includes('run=')) {
      await this.track(this.client.openLink(fragment, defaultRequest(known ? named : first)));
      return;
    }
    if (named !== null && !known) {
      useSimStore
        .getState()
        .addNotice(
          'warning',
          `There is no scenario "${named}". Opened ${catalogue[0]?.title ?? first} instead.`,
        );
    }
    await this.load(defaultRequest(known ? named : first));
  }

  dispose(): void {
    this.isDisposed = true;
    this.answerQuestion?.(false);
    this.stopFrames();
    this.stopReady();
    this.stopErrors();
    this.stopRestarts();
    this.client.close();
  }

  // ---- Runs -------------------------------------------------------------------------------

  /** Loads a run from the start (or at `positionUs`). */
  async load(request: RunRequest, positionUs = 0): Promise<void> {
    await this.track(this.client.load(request, positionUs));
  }

  /** Opens another pattern; Back returns to the run that was on screen. */
  async selectScenario(id: string): Promise<void> {
    this.isUrlEntryNew = useSimStore.getState().view?.meta.id !== id;
    try {
      await this.load(defaultRequest(id));
    } finally {
      this.isUrlEntryNew = false;
    }
  }

  /** Starts the current run over: same scenario, seed, variant, parameters and faults. */
  async reset(): Promise<void> {
    const request = this.currentRequest();
    if (request !== null) await this.load(request);
  }

  async setSeed(seed: number): Promise<void> {
    const request = this.currentRequest();
    if (request !== null) await this.load({ ...request, seed });
  }

  async setVariant(variant: Variant): Promise<void> {
    const request = this.currentRequest();
    if (request !== null) await this.load({ ...request, variant });
  }

  /** Changes a parameter: live ones through a command, others by reloading with the value. */
  async setParam(key: string, value: number): Promise<void> {
    const view = useSimStore.getState().view;
    const request = this.currentRequest();
    if (view === null || request === null) return;
    if (view.meta.params[key]?.isLive === true) {
      await this.command({ type: 'param.set', key, value });
      return;
    }
    await this.load({ ...request, params: { ...request.params, [key]: value } });
  }

  // ---- Playback ---------------------------------------------------------------------------

  play(): void {
    useSimStore.getState().setHighlighted([]);
    this.client.play();
  }

  pause(): void {
    this.client.pause();
  }

  togglePlay(): void {
    if (useSimStore.getState().frame?.isPlaying === true) this.pause();
    else this.play();
  }

  async step(mode: StepMode): Promise<void> {
    await this.guard(this.client.step(mode));
  }

  async seek(timeUs: number): Promise<void> {
    const seeking = this.guard(this.client.seek(timeUs));
    this.lastSeek = seeking;
    await seeking;
  }

  setSpeed(speed: number): void {
    this.speedValue = Math.min(1000, Math.max(0.01, speed));
    this.client.setSpeed(this.speedValue);
    const scenarioId = useSimStore.getState().view?.meta.id;
    if (scenarioId !== undefined) this.speeds[scenarioId] = this.speedValue;
    writePreferences(this.env, {
      speeds: this.speeds,
      pauseOnViolation: useSimStore.getState().pauseOnViolation,
    });
  }

  setPauseOnViolation(isOn: boolean): void {
    useSimStore.setState({ pauseOnViolation: isOn });
    this.client.setPauseOnViolation(isOn);
    writePreferences(this.env, { speeds: this.speeds, pauseOnViolation: isOn });
  }

  /** Plays a newly opened scenario at the speed last chosen for it, or at its default. */
  private useScenarioSpeed(meta: ScenarioMeta): void {
    const speed = this.speeds[meta.id] ?? meta.defaultSpeed;
    if (speed === this.speedValue) return;
    this.speedValue = speed;
    this.client.setSpeed(speed);
  }

  // ---- Faults and the command log ---------------------------------------------------------

  /**
   * Applies a command at the next step boundary; it lands in the run's command log. Given in the
   * past (after a seek back), it first asks whether to drop the run's future, unless the person
   * said not to ask again in this tab; after a drop a notice offers Undo.
   */
  async command(command: Command, options: { readonly isMirrored?: boolean } = {}): Promise<void> {
    if (options.isMirrored === true) {
      // Another side of a comparison's act, already answered there: this side follows it.
      this.forgetUndo();
      const reply = await this.guard(this.client.command(command));
      if (reply?.kind === 'run') this.setCommands(reply.run);
      return;
    }
    const act = this.joinAct();
    try {
      const decision = await act.decision;
      if (!decision.isGoingOn || this.isDisposed) return;
      const reply = await this.guard(this.client.command(command));
      if (reply?.kind === 'run') this.setCommands(reply.run);
      if (act.isSettled) return;
      act.isSettled = true;
      if (reply?.kind === 'run' && decision.drop !== null) this.offerUndo(decision.drop, reply.run);
      if (decision.isResuming) this.play();
    } finally {
      this.leaveAct(act);
    }
  }

  /**
   * Whether a drop offers Undo. A side of a comparison offers none: the compare page keeps both
   * sides' runs in step, and undoing one side would leave the other forked.
   */
  setUndoOffered(isOffered: boolean): void {
    this.isUndoOffered = isOffered;
    if (!isOffered) this.forgetUndo();
  }

  /** The person's answer to the question before a drop (from the act-in-the-past dialog). */
  answerDropQuestion(isGoingOn: boolean, isAskingAgain = true): void {
    if (isGoingOn && !isAskingAgain) {
      this.isAskingBeforeDrop = false;
      this.env.saveSession?.(dropQuestionOffKey, 'true');
    }
    this.answerQuestion?.(isGoingOn);
  }

  /**
   * Undo after a drop: the run as it was before the act, every recorded command and its frontier
   * included, at the position where the person acted. Replaying the old run to its old frontier
   * brings back its checkpoints and moments too, and gives the same trace, event for event.
   */
  async undoDrop(): Promise<void> {
    const point = this.undoPoint;
    if (point === null) return;
    this.forgetUndo();
    const loaded = await this.track(this.client.load(point.request, point.frontierUs));
    if (loaded === undefined) return;
    // A load replays at most an hour of simulated time; a longer run is stepped the rest.
    if (loaded.positionUs < point.frontierUs)
      await this.step({ kind: 'until', timeUs: point.frontierUs });
    await this.seek(point.positionUs);
    useSimStore.setState({ selection: point.selection });
    useSimStore
      .getState()
      .addNotice(
        'info',
        `Undone: the run is back as it was before you acted, at ${formatSimTime(point.positionUs)}.`,
      );
  }

  async removeCommand(index: number): Promise<void> {
    this.forgetUndo();
    const reply = await this.guard(this.client.removeCommand(index));
    if (reply?.kind === 'run') this.setCommands(reply.run);
  }

  async inspect(node: number): Promise<NodeInspection | null> {
    return (await this.guard(this.client.inspect(node))) ?? null;
  }

  /** Enters a tour step (null leaves the tour). */
  async tourStep(stepIndex: number | null, isApplyingActions: boolean): Promise<void> {
    if (isApplyingActions) this.forgetUndo();
    const reply = await this.guard(this.client.tour(stepIndex, isApplyingActions));
    if (reply?.kind === 'run') this.setCommands(reply.run);
  }

  /** The share link of the run as it is now. */
  shareUrl(): string {
    const base = this.env.baseUrl();
    const run = this.currentRun();
    const frame = useSimStore.getState().frame;
    return run === null ? base : `${base}${fragmentFor(run, frame?.timeUs ?? 0)}`;
  }

  // ---- Acting in the past -----------------------------------------------------------------

  /**
   * The act a command belongs to: a new one, or the current one when another command of it is
   * still on its way or was answered in this same task (a gesture that sends several commands
   * sends each right after the previous one's reply). So the person is asked once per act.
   */
  private joinAct(): Act {
    let act = this.act;
    if (act === null) {
      act = { decision: this.decide(), inFlight: 0, isSettled: false };
      this.act = act;
    }
    act.inFlight++;
    return act;
  }

  private leaveAct(act: Act): void {
    act.inFlight--;
    if (act.inFlight > 0) return;
    setTimeout(() => {
      if (this.act === act && act.inFlight === 0) this.act = null;
    }, 0);
  }

  /** Whether a new act goes on: asks first when it would drop the run's future. */
  private async decide(): Promise<Decision> {
    const noDrop: Decision = { isGoingOn: true, drop: null, isResuming: false };
    // A seek on its way moves the run first: the act is judged where it will land.
    await this.lastSeek;
    const { frame } = useSimStore.getState();
    if (this.dropFigures() === null) {
      this.forgetUndo();
      return noDrop;
    }
    const isResuming = frame?.isPlaying === true;
    // Playing on from the past: pause first, so the figures asked about are the ones dropped
    // (stepping until a time already passed pauses and answers once the frame is sent).
    if (isResuming) await this.guard(this.client.step({ kind: 'until', timeUs: 0 }));
    const figures = this.dropFigures();
    const point = this.undoPointNow();
    if (figures === null || point === null) {
      this.forgetUndo();
      return { ...noDrop, isResuming };
    }
    const isGoingOn = !this.isAskingBeforeDrop || (await this.ask(figures));
    if (!isGoingOn || this.isDisposed) {
      if (isResuming && !this.isDisposed) this.play();
      return { isGoingOn: false, drop: null, isResuming: false };
    }
    this.forgetUndo();
    return { isGoingOn: true, drop: { point, figures }, isResuming };
  }

  private dropFigures(): DropFigures | null {
    const { frame, commands, view } = useSimStore.getState();
    return view === null ? null : dropFiguresOf(frame, commands);
  }

  private undoPointNow(): UndoPoint | null {
    const request = this.currentRequest();
    const { frame, selection } = useSimStore.getState();
    if (request === null || frame === null) return null;
    return { request, frontierUs: frame.frontierUs, positionUs: frame.timeUs, selection };
  }

  /** Shows the question (the dialog renders `dropQuestion`) and waits for the answer. */
  private ask(figures: DropFigures): Promise<boolean> {
    this.answerQuestion?.(false);
    return new Promise((resolve) => {
      this.answerQuestion = (isGoingOn) => {
        this.answerQuestion = null;
        useSimStore.setState({ dropQuestion: null });
        resolve(isGoingOn);
      };
      useSimStore.setState({
        dropQuestion: { ...figures, isUndoOffered: this.isUndoOffered },
      });
    });
  }

  /** Says what the act dropped, as the worker's new command log shows it, and offers Undo. */
  private offerUndo(drop: NonNullable<Decision['drop']>, after: RunDescription): void {
    const before = drop.point.request.commands;
    const dropped = before.slice(sharedPrefixLength(before, after.commands));
    const text = dropNoticeText({ ...drop.figures, commands: dropped });
    const noticeId = useSimStore.getState().addNotice('info', text);
    if (!this.isUndoOffered) return;
    this.undoPoint = drop.point;
    useSimStore.setState({ undoNoticeId: noticeId });
  }

  /** Undo is offered until the next act or run change: then its notice goes. */
  private forgetUndo(): void {
    this.undoPoint = null;
    const store = useSimStore.getState();
    if (store.undoNoticeId === null) return;
    store.dismissNotice(store.undoNoticeId);
    useSimStore.setState({ undoNoticeId: null });
  }

  // ---- Internals --------------------------------------------------------------------------

  private currentRun(): RunDescription | null {
    const { view, commands } = useSimStore.getState();
    return view === null ? null : { ...view.run, commands };
  }

  private currentRequest(): RunRequest | null {
    const run = this.currentRun();
    if (run === null) return null;
    return {
      scenarioId: run.scenarioId,
      seed: run.seed,
      variant: run.variant,
      params: run.params,
      commands: run.commands,
    };
  }

  private setCommands(run: RunDescription): void {
    useSimStore.setState({ commands: run.commands });
    this.syncUrl(true);
  }

  /**
   * The worker died and a new one took its place: reopens the run from the URL fragment, synced
   * first so it holds the latest position and every command, with the same speed and options.
   */
  private async recover(reason: string): Promise<void> {
    if (this.isDisposed) return;
    this.syncUrl(true);
    const fragment = this.env.currentFragment();
    const { selection, pauseOnViolation } = useSimStore.getState();
    const request = this.currentRequest();
    if (request === null) {
      // No run was open yet: start over as the page did.
      await this.start(fragment);
      return;
    }
    this.client.setSpeed(this.speedValue);
    this.client.setPauseOnViolation(pauseOnViolation);
    const loaded = await this.track(this.client.openLink(fragment, request));
    if (loaded === undefined) return;
    const seconds = (loaded.positionUs / 1_000_000).toFixed(3);
    const stopped = `The simulation worker stopped (${reason}). DistSim restarted it`;
    // A fragment the new worker could not replay whole comes with notices saying what it did.
    const isWhole = loaded.notices.length === 0;
    if (isWhole) useSimStore.setState({ selection });
    useSimStore
      .getState()
      .addNotice(
        'warning',
        isWhole
          ? `${stopped} and reopened your run at t = ${seconds} s; nothing was lost.`
          : `${stopped}, but could not reopen your run as it was (see the other notice).`,
      );
  }

  private async track(loading: Promise<Loaded>): Promise<Loaded | undefined> {
    // Another run: a question about the old one is moot, and Undo would bring back a run that
    // is no longer on screen.
    this.answerQuestion?.(false);
    this.forgetUndo();
    useSimStore.setState({ phase: 'loading' });
    const loaded = await this.guard(loading);
    if (loaded === undefined || this.isDisposed) return undefined;
    this.useScenarioSpeed(loaded.meta);
    useSimStore.setState({
      phase: 'ready',
      view: { meta: loaded.meta, topology: loaded.topology, run: loaded.run },
      commands: loaded.run.commands,
      selection: null,
      partitionDraft: [],
      highlighted: [],
      trail: null,
      eventWindow: null,
    });
    for (const notice of loaded.notices) useSimStore.getState().addNotice('warning', notice);
    this.syncUrl(true);
    return loaded;
  }

  /** Runs a request; a failure becomes a notice instead of an exception. */
  private async guard<T>(pending: Promise<T>): Promise<T | undefined> {
    try {
      return await pending;
    } catch (error) {
      this.onError(error instanceof HostError ? error : new HostError('internal', String(error)));
      return undefined;
    }
  }

  private onError(error: HostError): void {
    if (this.isDisposed) return;
    const store = useSimStore.getState();
    if (error.code === 'worker-crashed') {
      // The crashed banner says it, with a Reload button.
      this.crashMessage = error.message;
      useSimStore.setState({ phase: 'crashed' });
      return;
    }
    if (store.phase === 'loading')
      useSimStore.setState({ phase: store.view === null ? 'starting' : 'ready' });
    // A request cut short by a restart needs no notice of its own: the recovery notice follows.
    if (error.code !== 'worker-restarted') store.addNotice('error', error.message);
  }

  private onFrame(frame: Frame): void {
    const state = useSimStore.getState();
    const view = state.view;
    const incoming = unpackTrace(frame.trace);
    const { events, eventsDropped } = eventsAfterFrame(state.events, incoming, frame.traceTotal);
    // Series hold every sample up to the frontier; a fork (a command in the past) cuts them back.
    let known = state.seriesKnownUs;
    let held = state.series;
    if (frame.frontierUs < known) {
      held = seriesUpTo(held, frame.frontierUs);
      known = frame.frontierUs;
    }
    const names = view?.meta.metrics.map((metric) => metric.name) ?? [];
    const series = appendSamples(held, names, frame.metricSamples, known);
    const seriesKnownUs = Math.max(known, frame.timeUs);
    const highlighted =
      frame.violationStop !== null && view !== null
        ? frame.violationStop.nodes
            .map((id) => view.topology.nodes.findIndex((node) => node.id === id))
            .filter((index) => index >= 0)
        : state.highlighted;
    useSimStore.setState({
      frame,
      events,
      eventsDropped,
      series,
      seriesKnownUs,
      highlighted,
      ...(frame.moments === null ? {} : { moments: frame.moments }),
    });
    if (frame.violationStop !== null && state.frame?.violationStop === null) {
      state.addNotice(
        'error',
        `Paused on a violation of ${frame.violationStop.invariantId}: ${frame.violationStop.message}`,
      );
    }
    this.syncUrl(!frame.isPlaying);
  }

  /** Keeps the URL fragment holding the current run and position (throttled while playing). */
  private syncUrl(isNow: boolean): void {
    const now = this.env.nowMs();
    if (!isNow && now - this.lastUrlSyncMs < urlSyncIntervalMs) return;
    const run = this.currentRun();
    if (run === null) return;
    this.lastUrlSyncMs = now;
    const frame = useSimStore.getState().frame;
    const fragment = fragmentFor(run, frame?.timeUs ?? 0);
    this.writtenFragment = fragment;
    if (this.isUrlEntryNew) {
      this.isUrlEntryNew = false;
      this.env.pushFragment(fragment);
    } else if (this.env.currentFragment() !== fragment) this.env.replaceFragment(fragment);
  }
}

function readPreferences(env: PageEnv): Preferences {
  // Preferences from before speeds were kept per scenario held one `speed` (0.1× unless changed):
  // it is ignored, so that each scenario starts at the speed that shows its storyline.
  const fallback: Preferences = { speeds: {}, pauseOnViolation: false };
  try {
    const raw = env.load(preferencesKey);
    if (raw === null) return fallback;
    const data = JSON.parse(raw) as { speeds?: unknown; pauseOnViolation?: unknown };
    const speeds: Record<string, number> = {};
    if (typeof data.speeds === 'object' && data.speeds !== null) {
      for (const [id, speed] of Object.entries(data.speeds)) {
        if (typeof speed === 'number' && speed >= 0.01 && speed <= 1000) speeds[id] = speed;
      }
    }
    return { speeds, pauseOnViolation: data.pauseOnViolation === true };
  } catch {
    return fallback;
  }
}

function writePreferences(env: PageEnv, preferences: Preferences): void {
  env.save(preferencesKey, JSON.stringify(preferences));
}
