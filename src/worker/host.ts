import type { Checkpoint } from '../engine/checkpoint.ts';
import { cloneData } from '../engine/clone.ts';
import { BehaviourError, SimError } from '../engine/errors.ts';
import { Simulation } from '../engine/simulation.ts';
import type { Moment, RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import { historyOf, historySpecOf } from '../scenarios/histories.ts';
import { operationTrails } from './operationTrails.ts';
import { buildFrame, type FrameCursor } from './frames.ts';
import type {
  FromWorker,
  InstrumentFrame,
  NodeInspection,
  RunHistory,
  RunRequest,
  StepMode,
  ToWorker,
  TourFrame,
  TraceExport,
  ViolationStop,
} from './protocol.ts';
import { protocolVersion } from './protocol.ts';
import {
  describeRun,
  requireScenario,
  scenarioMeta,
  topologyMeta,
  type ScenarioCatalogue,
} from './runs.ts';
import { runFileOf, traceJsonLines } from './runExport.ts';
import type { Scheduler } from './scheduler.ts';
import { type CheckedRunRequest, parseCommand, parseRunRequest } from './schema.ts';
import { decodeShareLink } from './shareLink.ts';

/** Frames a page may have unhandled before playing slices stop sending more. */
export const framesAheadMax = 2;

/** Furthest a load may replay to at once (one simulated hour). */
export const positionUsMax = 3_600_000_000;

/** Pacing and memory limits of the host. */
export interface HostOptions {
  /** Wall time one slice may spend simulating. */
  readonly sliceBudgetMs: number;
  /** Wall time between slices while playing (one frame per slice). */
  readonly sliceIntervalMs: number;
  /** Events simulated between two looks at the wall clock. */
  readonly eventsPerCheck: number;
  /** Simulated time between checkpoints (doubles when `checkpointsMax` is reached). */
  readonly checkpointIntervalUs: number;
  readonly checkpointsMax: number;
  /** Events a "step to the next interesting event" looks through before giving up. */
  readonly interestingSearchMax: number;
  /**
   * Simulated time a seek replays before its target (when a checkpoint that early exists), so the
   * frame after it carries the trace the space-time diagram shows by default (its last 3 s) and
   * some room to zoom out. The frame's trace is still capped at `traceEventsPerFrameMax` events.
   */
  readonly seekHistoryUs: number;
  readonly speedMin: number;
  readonly speedMax: number;
}

export const defaultHostOptions: HostOptions = {
  sliceBudgetMs: 10,
  sliceIntervalMs: 16,
  eventsPerCheck: 2_000,
  checkpointIntervalUs: 2_000_000,
  checkpointsMax: 300,
  interestingSearchMax: 200_000,
  seekHistoryUs: 5_000_000,
  speedMin: 0.01,
  speedMax: 1000,
};

type Post = (message: FromWorker) => void;

/**
 * Owns one Simulation and paces it: in time-budgeted slices while playing, one frame per slice;
 * applies commands at step boundaries; seeks through checkpoints. It reads the wall clock only
 * to decide how far to advance simulated time, never inside the engine.
 */
export class SimHost {
  private readonly post: Post;
  private readonly scheduler: Scheduler;
  private readonly catalogue: ScenarioCatalogue;
  private readonly options: HostOptions;
  private scenario: Scenario | null = null;
  private sim: Simulation | null = null;
  private checkpoints: Checkpoint[] = [];
  /** The furthest simulated time this run has reached; a command moves it back to now. */
  private frontierUs = 0;
  /**
   * Every moment of this run up to the frontier (the simulation, after a seek back, knows only
   * those up to its own time); the timeline shows them all. A command starts a new future.
   */
  private knownMoments: readonly Moment[] = [];
  /** Bumped whenever `knownMoments` changes, so a frame carries them only then. */
  private momentsVersion = 0;
  private momentsVersionSent = -1;
  private checkpointEveryUs: number;
  private isPlaying = false;
  private speed = 1;
  private cancelSlice: (() => void) | null = null;
  private lastSliceWallMs = 0;
  private cursor: FrameCursor = { seq: 0, traceSent: 0 };
  private pauseOnViolation = false;
  private isPageAcking = false;
  private framesUnacknowledged = 0;
  private violationStop: ViolationStop | null = null;
  private tourWatch: { stepIndex: number; sinceUs: number; isMet: boolean } | null = null;

  constructor(
    post: Post,
    scheduler: Scheduler,
    catalogue: ScenarioCatalogue,
    options: HostOptions = defaultHostOptions,
  ) {
    this.post = post;
    this.scheduler = scheduler;
    this.catalogue = catalogue;
    this.options = options;
    this.checkpointEveryUs = options.checkpointIntervalUs;
  }

  /** The simulation currently loaded (tests and the CLI read it directly). */
  get simulation(): Simulation | null {
    return this.sim;
  }

  /** Handles one request; every failure becomes an `error` message, never an exception. */
  handle(message: ToWorker): void {
    const requestId = 'requestId' in message ? message.requestId : null;
    try {
      this.dispatch(message);
    } catch (error) {
      this.handleError(error, requestId);
    }
  }

  private dispatch(message: ToWorker): void {
    switch (message.type) {
      case 'load':
        this.load(message.requestId, message.run, message.positionUs ?? 0);
        return;
      case 'play':
        this.play();
        return;
      case 'pause':
        this.pause();
        this.sendFrame();
        return;
      case 'speed':
        this.speed = Math.min(
          this.options.speedMax,
          Math.max(this.options.speedMin, message.speed),
        );
        this.sendFrame();
        return;
      case 'step': {
        const events = this.step(message.mode);
        this.sendFrame();
        this.post({
          type: 'reply',
          requestId: message.requestId,
          value: { kind: 'stepped', events },
        });
        return;
      }
      case 'seek':
        this.seek(message.timeUs);
        this.sendFrame();
        this.post({ type: 'reply', requestId: message.requestId, value: { kind: 'none' } });
        return;
      case 'command':
        this.command(message.command);
        this.replyRun(message.requestId);
        return;
      case 'removeCommand':
        this.removeCommand(message.index);
        this.replyRun(message.requestId);
        return;
      case 'export':
        this.replyRun(message.requestId, true);
        return;
      case 'exportTrace':
        this.pause();
        this.sendFrame();
        this.post({
          type: 'reply',
          requestId: message.requestId,
          value: { kind: 'trace', trace: this.exportTrace() },
        });
        return;
      case 'recycle':
        // The page acknowledges each frame it has handled (flow control, see `slice`).
        this.isPageAcking = true;
        this.framesUnacknowledged = Math.max(0, this.framesUnacknowledged - 1);
        return;
      case 'catalogue':
        this.post({
          type: 'reply',
          requestId: message.requestId,
          value: {
            kind: 'catalogue',
            entries: this.catalogue.scenarios
              .filter((scenario) => !scenario.isHidden)
              .map(({ id, title, summary }) => ({
                id,
                title,
                summary,
              })),
          },
        });
        return;
      case 'openLink':
        this.openLink(message.requestId, message.link, message.fallback);
        return;
      case 'tour':
        this.enterTourStep(message.stepIndex, message.isApplyingActions);
        this.sendFrame();
        this.replyRun(message.requestId);
        return;
      case 'options':
        this.pauseOnViolation = message.pauseOnViolation;
        return;
      case 'inspect':
        this.post({
          type: 'reply',
          requestId: message.requestId,
          value: { kind: 'inspect', node: this.inspect(message.node) },
        });
        return;
      case 'history':
        this.post({
          type: 'reply',
          requestId: message.requestId,
          value: { kind: 'history', history: this.history() },
        });
        return;
      default: {
        const unknownMessage: never = message;
        throw new SimError('bad-command', `Unknown request ${JSON.stringify(unknownMessage)}.`);
      }
    }
  }

  private requireSim(): Simulation {
    if (this.sim === null) throw new SimError('bad-command', 'No run is loaded yet.');
    return this.sim;
  }

  /** Loads a run request from outside the worker: checked here, once. */
  private load(
    requestId: number,
    input: unknown,
    positionUs: number,
    notices: readonly string[] = [],
  ): void {
    const parsed = parseRunRequest(input);
    if (!parsed.ok) {
      throw new SimError(
        'bad-command',
        `The run request is invalid: ${parsed.problems.join('; ')}.`,
      );
    }
    this.loadChecked(requestId, parsed.value, positionUs, notices);
  }

  private loadChecked(
    requestId: number,
    request: CheckedRunRequest,
    positionUs: number,
    notices: readonly string[],
  ): void {
    const scenario = requireScenario(this.catalogue, request.scenarioId);
    const run = describeRun(scenario, request);
    this.pause();
    this.start(scenario, run);
    const position = Math.min(Math.max(0, positionUs), positionUsMax);
    const failure = this.advanceOrRewind(position);
    const sim = this.requireSim();
    this.post({
      type: 'ready',
      requestId,
      protocolVersion,
      meta: scenarioMeta(scenario),
      topology: topologyMeta(sim),
      run: sim.describe(),
      notices,
      positionUs: position,
    });
    this.sendFrame();
    if (failure !== null) this.postError(failure, null);
  }

  /** Opens a share link, or the fallback run with a notice saying what was wrong. */
  private openLink(requestId: number, link: string, fallback: RunRequest): void {
    const fallbackTitle = this.catalogue.get(fallback.scenarioId)?.title ?? fallback.scenarioId;
    const decoded = decodeShareLink(link, this.catalogue);
    if (!decoded.ok) {
      const notice = `${decoded.problem.message} Opened ${fallbackTitle} with its defaults instead.`;
      this.load(requestId, fallback, 0, [notice]);
      return;
    }
    try {
      this.loadChecked(requestId, decoded.shared.request, decoded.shared.positionUs, decoded.notes);
    } catch (error) {
      // The link decoded but its run does not fit (say, a command names a missing node).
      const reason = error instanceof Error ? error.message : String(error);
      const notice = `The link's run could not be replayed: ${reason} Opened ${fallbackTitle} with its defaults instead.`;
      this.load(requestId, fallback, 0, [notice]);
    }
  }

  private enterTourStep(stepIndex: number | null, isApplyingActions: boolean): void {
    const sim = this.requireSim();
    const scenario = this.scenario;
    if (stepIndex === null || scenario === null) {
      this.tourWatch = null;
      return;
    }
    const step = scenario.tour[stepIndex];
    if (step === undefined)
      throw new SimError('bad-command', `This tour has no step ${stepIndex + 1}.`);
    this.pause();
    if (isApplyingActions && step.actions !== undefined) {
      for (const command of step.actions(sim)) this.command(command);
    }
    this.tourWatch = { stepIndex, sinceUs: sim.nowUs, isMet: false };
  }

  /** The run's recorded operations up to now (null when its scenario records none). */
  private history(): RunHistory | null {
    const sim = this.requireSim();
    const spec = historySpecOf(sim.model.id);
    const ops = historyOf(sim);
    if (spec === null || ops === null) return null;
    const { variant, params } = sim.describe();
    const trails = operationTrails(
      sim.traceEvents(),
      ops.map((op) => ({
        // Sessions ("c1.2") are their client node's ("c1").
        node: sim.nodeList.findIndex((node) => node.id === op.client.split('.')[0]),
        invokeUs: op.invokeUs,
        completeUs: op.completeUs,
      })),
    );
    return { ops, trails, check: spec.check, promises: spec.promises(params, variant) };
  }

  private inspect(index: number): NodeInspection {
    const sim = this.requireSim();
    const node = sim.nodeList[index];
    if (node === undefined) throw new SimError('unknown-node', `There is no node #${index}.`);
    return {
      id: node.id,
      role: node.role,
      status: node.status,
      state: cloneData(node.state),
      durable: cloneData(node.durable),
      localTimeUs: sim.nodeLocalTimeUs(node),
    };
  }

  private start(scenario: Scenario, run: RunDescription): void {
    // Built first: a run that cannot start leaves the current one whole.
    const sim = new Simulation(scenario, run);
    this.scenario = scenario;
    this.sim = sim;
    this.tourWatch = null;
    this.violationStop = null;
    this.checkpoints = [this.sim.checkpoint()];
    this.checkpointEveryUs = this.options.checkpointIntervalUs;
    this.frontierUs = 0;
    this.setKnownMoments([]);
    this.cursor = { seq: this.cursor.seq, traceSent: 0 };
  }

  private play(): void {
    this.requireSim();
    if (this.isPlaying) return;
    this.isPlaying = true;
    this.violationStop = null;
    this.lastSliceWallMs = this.scheduler.now();
    this.scheduleSlice();
  }

  private pause(): void {
    this.isPlaying = false;
    this.cancelSlice?.();
    this.cancelSlice = null;
  }

  private scheduleSlice(): void {
    this.cancelSlice = this.scheduler.schedule(() => {
      this.slice();
    }, this.options.sliceIntervalMs);
  }

  /** One paced slice: advance simulated time by wall time × speed, within the wall budget. */
  private slice(): void {
    if (!this.isPlaying || this.sim === null) return;
    const now = this.scheduler.now();
    // A long gap (a background tab) is not caught up in one burst.
    const elapsedMs = Math.min(now - this.lastSliceWallMs, 250);
    this.lastSliceWallMs = now;
    const sim = this.sim;
    const violationsBefore = sim.violationCount;
    sim.isStoppingOnViolation = this.pauseOnViolation;
    try {
      const targetUs = sim.nowUs + Math.round(elapsedMs * this.speed * 1000);
      this.advanceTo(targetUs, now + this.options.sliceBudgetMs);
    } catch (error) {
      this.handleError(error);
      return;
    } finally {
      sim.isStoppingOnViolation = false;
    }
    if (this.pauseOnViolation && sim.violationCount !== violationsBefore) {
      this.pause();
      this.violationStop = lastViolation(sim);
    }
    // Flow control: a page that acknowledges frames gets at most `framesAheadMax` unhandled
    // ones; while it is behind, slices keep simulating and the next frame carries the news.
    // Without this a slow page queues frames and a pause takes seconds to show.
    const isPageBehind =
      this.isPageAcking && this.framesUnacknowledged >= framesAheadMax && this.cancelSlice !== null;
    if (!isPageBehind) this.sendFrame();
    if (this.cancelSlice !== null) this.scheduleSlice();
  }

  /**
   * Pauses and reports a failure, tied to the request that caused it when there is one. When
   * scenario code threw, the run first goes back to just before the failing event and that last
   * good frame is sent: the run stays inspectable, and playing on throws again at the same event.
   */
  private handleError(error: unknown, requestId: number | null = null): void {
    this.pause();
    if (error instanceof BehaviourError && error.eventsBefore !== null) {
      this.rewindTo(error.eventsBefore);
      this.sendFrame();
    }
    this.postError(error, requestId);
  }

  private postError(error: unknown, requestId: number | null): void {
    const code = error instanceof SimError ? error.code : 'internal';
    const text = error instanceof Error ? error.message : String(error);
    this.post({ type: 'error', requestId, code, message: text });
  }

  /**
   * Advances a run being opened to `targetUs`; when scenario code throws on the way, opens it
   * just before the failing event instead and returns the error to report after `ready`.
   */
  private advanceOrRewind(targetUs: number): BehaviourError | null {
    try {
      this.advanceTo(targetUs);
      return null;
    } catch (error) {
      if (!(error instanceof BehaviourError) || error.eventsBefore === null) throw error;
      this.rewindTo(error.eventsBefore);
      return error;
    }
  }

  /**
   * Puts the run back at the boundary after its first `eventCount` events: restores the latest
   * checkpoint at or before it and replays. The frame after it replaces the page's event log
   * from the checkpoint on.
   */
  private rewindTo(eventCount: number): void {
    const scenario = this.scenario;
    const sim = this.sim;
    if (scenario === null || sim === null) return;
    let chosen: Checkpoint | undefined;
    for (const checkpoint of this.checkpoints)
      if (checkpoint.processed <= eventCount) chosen = checkpoint;
    if (chosen === undefined) return;
    const restored = Simulation.fromCheckpoint(scenario, chosen);
    restored.replaceCommandLog(sim.commands);
    this.sim = restored;
    this.cursor = { seq: this.cursor.seq, traceSent: restored.trace.count };
    while (restored.eventCount < eventCount && restored.step()) {
      // Replays the good events again; the next one is the one that threw.
    }
  }

  /**
   * Runs to `targetUs`, taking checkpoints on the way; with a wall deadline it stops early (the
   * run then lags behind the requested speed rather than freezing the page).
   */
  private advanceTo(targetUs: number, wallDeadlineMs = Infinity): void {
    const sim = this.requireSim();
    const violationsBefore = sim.violationCount;
    while (sim.nowUs < targetUs) {
      if (sim.isStoppingOnViolation && sim.violationCount !== violationsBefore) return;
      const nextCheckpointUs = this.lastCheckpointUs() + this.checkpointEveryUs;
      const stopUs = Math.min(targetUs, nextCheckpointUs);
      const done = sim.runUntil(stopUs, this.options.eventsPerCheck);
      if (sim.nowUs >= nextCheckpointUs) this.addCheckpoint(sim);
      if (done > 0 && this.scheduler.now() > wallDeadlineMs) return;
    }
  }

  private lastCheckpointUs(): number {
    return this.checkpoints[this.checkpoints.length - 1]?.timeUs ?? 0;
  }

  private addCheckpoint(sim: Simulation): void {
    this.checkpoints.push(sim.checkpoint());
    if (this.checkpoints.length > this.options.checkpointsMax) {
      // Thin out: keep every other checkpoint (always the first) and space future ones wider.
      this.checkpoints = this.checkpoints.filter((_, index) => index % 2 === 0);
      this.checkpointEveryUs *= 2;
    }
  }

  private step(mode: StepMode): number {
    const sim = this.requireSim();
    this.pause();
    const before = sim.eventCount;
    switch (mode.kind) {
      case 'events':
        for (let i = 0; i < Math.max(1, Math.min(mode.count, 1_000_000)); i++)
          if (!sim.step()) break;
        break;
      case 'until':
        this.advanceTo(mode.timeUs);
        break;
      case 'interesting':
        this.stepToInteresting(sim);
        break;
      default: {
        const unknownMode: never = mode;
        throw new SimError('bad-command', `Unknown step mode ${JSON.stringify(unknownMode)}.`);
      }
    }
    if (sim.nowUs >= this.lastCheckpointUs() + this.checkpointEveryUs) this.addCheckpoint(sim);
    return sim.eventCount - before;
  }

  /**
   * Steps to the next moment the scenario reports; a scenario that declares none steps to the
   * next event of an interesting type (a drop, a crash, a state change…).
   */
  private stepToInteresting(sim: Simulation): void {
    if (sim.model.moments.length > 0) {
      const before = sim.moments.length;
      for (let i = 0; i < this.options.interestingSearchMax; i++) {
        if (!sim.step() || sim.moments.length > before) return;
      }
      return;
    }
    for (let i = 0; i < this.options.interestingSearchMax; i++) {
      const traceBefore = sim.trace.count;
      if (!sim.step()) return;
      for (const event of sim.trace.since(traceBefore)) {
        if (isInteresting(event.type)) return;
      }
    }
  }

  /**
   * Moves to `timeUs` by restoring the latest checkpoint at least `seekHistoryUs` (an option) before it (when
   * that is ahead of now, or when going back) and replaying from there. The command log is
   * kept whole, so replaying reproduces the same run; only a new command forks it.
   */
  private seek(timeUs: number): void {
    const sim = this.requireSim();
    const scenario = this.scenario;
    if (scenario === null) return;
    this.pause();
    const target = Math.max(0, timeUs);
    // Replaying from a checkpoint well before the target regenerates the trace the space-time
    // diagram draws before it: from one just before, the page would only have a sliver of it.
    const historyFromUs = target - this.options.seekHistoryUs;
    let chosen: Checkpoint | undefined;
    for (const checkpoint of this.checkpoints)
      if (checkpoint.timeUs <= historyFromUs) chosen = checkpoint;
    // Near the start, or where the early checkpoints were thinned out: the earliest one will do.
    const earliest = this.checkpoints[0];
    if (chosen === undefined && earliest !== undefined && earliest.timeUs <= target)
      chosen = earliest;
    if (target < sim.nowUs && chosen === undefined) {
      throw new SimError('bad-command', 'No checkpoint to seek from.');
    }
    if (chosen !== undefined && (target < sim.nowUs || chosen.timeUs > sim.nowUs)) {
      const log = sim.commands;
      // The first checkpoint is the run as built: building it again also gives the page the
      // events of its set-up (the first sends), which a restored checkpoint has no trace of.
      this.sim =
        chosen === this.checkpoints[0]
          ? new Simulation(scenario, chosen.run)
          : Simulation.fromCheckpoint(scenario, chosen);
      // Commands given after the checkpoint was taken are still part of this run.
      this.sim.replaceCommandLog(log);
      this.cursor = {
        seq: this.cursor.seq,
        traceSent: chosen === this.checkpoints[0] ? 0 : this.sim.trace.count,
      };
    }
    this.advanceTo(target);
  }

  private command(input: unknown): void {
    const sim = this.requireSim();
    const parsed = parseCommand(input);
    if (!parsed.ok) throw new SimError('bad-command', parsed.problems.join('; '));
    const isFork = sim.commands.length > sim.appliedCommandCount;
    sim.apply(parsed.value);
    // The run after this point is a new one: the old future is no longer reachable.
    this.frontierUs = sim.nowUs;
    this.setKnownMoments(sim.moments.slice());
    if (isFork) {
      // The old future is gone: checkpoints after this point describe it, so drop them.
      this.checkpoints = this.checkpoints.filter((checkpoint) => checkpoint.timeUs <= sim.nowUs);
    }
    this.sendFrame();
  }

  /** Removes one command from the log and replays the run to where it was. */
  private removeCommand(index: number): void {
    const sim = this.requireSim();
    const scenario = this.scenario;
    if (scenario === null) return;
    const log = sim.commands;
    if (!Number.isInteger(index) || index < 0 || index >= log.length) {
      throw new SimError(
        'bad-command',
        `There is no command #${index + 1} in the log (it has ${log.length}).`,
      );
    }
    const positionUs = sim.nowUs;
    const run: RunDescription = { ...sim.describe(), commands: log.filter((_, i) => i !== index) };
    this.pause();
    this.start(scenario, run);
    this.advanceTo(positionUs);
    this.sendFrame();
  }

  private tourFrame(sim: Simulation): TourFrame | null {
    const watch = this.tourWatch;
    const step = watch === null ? undefined : this.scenario?.tour[watch.stepIndex];
    if (watch === null || step === undefined) return null;
    if (!watch.isMet && step.waitFor !== undefined) watch.isMet = step.waitFor.isMet(sim);
    return {
      stepIndex: watch.stepIndex,
      isWaitMet: step.waitFor === undefined || watch.isMet,
      waitedUs: sim.nowUs - watch.sinceUs,
    };
  }

  /** Replies with the run's description, and its run file when `isExport`. */
  private replyRun(requestId: number, isExport = false): void {
    const sim = this.requireSim();
    const file = isExport && this.scenario !== null ? runFileOf(this.scenario, sim) : null;
    this.post({ type: 'reply', requestId, value: { kind: 'run', run: sim.describe(), file } });
  }

  /** Replays the run from the start to now and collects its trace as JSON lines. */
  private exportTrace(): TraceExport {
    const sim = this.requireSim();
    if (this.scenario === null) throw new SimError('bad-command', 'No run is loaded yet.');
    const lines = traceJsonLines(this.scenario, sim.describe(), sim.nowUs);
    const chunks: string[] = [];
    for (let next = lines.next(); ; next = lines.next()) {
      if (next.done === true) {
        const { events, listed, traceHash } = next.value;
        return { chunks, events, listed, traceHash };
      }
      chunks.push(next.value);
    }
  }

  private setKnownMoments(moments: readonly Moment[]): void {
    this.knownMoments = moments;
    this.momentsVersion++;
  }

  private sendFrame(): void {
    if (this.sim === null) return;
    this.frontierUs = Math.max(this.frontierUs, this.sim.nowUs);
    // Past the frontier the simulation finds moments the host has not seen yet.
    if (this.sim.moments.length > this.knownMoments.length)
      this.setKnownMoments(this.sim.moments.slice());
    const moments = this.momentsVersion === this.momentsVersionSent ? null : this.knownMoments;
    this.momentsVersionSent = this.momentsVersion;
    const extras = {
      tour: this.tourFrame(this.sim),
      violationStop: this.violationStop,
      frontierUs: this.frontierUs,
      moments,
      instrument: readInstrument(this.scenario, this.sim),
    };
    const { frame, cursor } = buildFrame(this.sim, this.cursor, this.isPlaying, this.speed, extras);
    this.cursor = cursor;
    this.framesUnacknowledged++;
    this.post({ type: 'frame', frame });
  }
}

/**
 * The scenario's instrument now. A drawing that throws must not take the run down with it: the
 * figure then says that it could not be drawn, and why.
 */
export function readInstrument(scenario: Scenario | null, sim: Simulation): InstrumentFrame | null {
  if (scenario === null || scenario.instrument === null) return null;
  const { instrument, id: scenarioId } = scenario;
  try {
    return { ...instrument.read(sim, sim.monitorMemory), scenarioId };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      description: `${instrument.title}: could not be drawn (${reason}).`,
      data: null,
      scenarioId,
    };
  }
}

/** The most recent violation in the trace window, for the "stopped on violation" notice. */
function lastViolation(sim: Simulation): ViolationStop | null {
  const events = sim.traceEvents(Math.max(0, sim.traceCount - 2000));
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type !== 'invariant.violated') continue;
    const invariant = sim.model.invariants[event.value];
    const node = sim.nodeList[event.node];
    // The trace names one node; the runner kept every node of the first violation.
    const first = sim.invariantResults()[event.value]?.firstViolation;
    const nodes =
      first?.timeUs === event.timeUs ? first.nodes : node === undefined ? [] : [node.id];
    return { invariantId: invariant?.id ?? '?', message: event.label, nodes, timeUs: event.timeUs };
  }
  return null;
}

const interestingTypes = new Set([
  'message.dropped',
  'node.crashed',
  'node.restarted',
  'node.paused',
  'node.resumed',
  'node.state',
  'net.partitioned',
  'net.healed',
  'invariant.violated',
  'fault.injected',
  'note.added',
]);

function isInteresting(type: string): boolean {
  return interestingTypes.has(type);
}
