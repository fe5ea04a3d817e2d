import { type Checkpoint, restoreInto, takeCheckpoint } from './checkpoint.ts';
import { applyCommand } from './commandApply.ts';
import { contentHash } from './contentHash.ts';
import { BehaviourError, SimError } from './errors.ts';
import { EventKind, EventPool } from './eventPool.ts';
import { InvariantRunner, type InvariantOutcome, type InvariantResult } from './invariants.ts';
import { MetricStore, type MetricFinal } from './metrics.ts';
import { type LinkConfig, type LinkState, sampleLatencyUs } from './network.ts';
import { NodeRuntime, type NodeHost } from './nodeRuntime.ts';
import { EventQueue } from './queue.ts';
import type { RngStreams } from './rng.ts';
import { setupRun, type RunSetup } from './setup.ts';
import { DropCode, Trace, TraceCode, type TraceEvent } from './trace.ts';
import type {
  Command,
  Message,
  Moment,
  MomentSink,
  NodeEvent,
  NodeId,
  NodeView,
  RecordedCommand,
  RunDescription,
  ScenarioModel,
  WorldView,
} from './types.ts';

/** Engine limits and sizes; every buffer has a cap. */
export interface SimulationOptions {
  /** Trace events kept for inspection (the hash covers all). */
  readonly traceWindowMax: number;
  /** Recorded commands per run. */
  readonly commandLogMax: number;
  /** Events queued at once before the run is stopped as runaway. */
  readonly pendingEventsMax: number;
}

export const defaultSimulationOptions: SimulationOptions = {
  traceWindowMax: 20_000,
  commandLogMax: 10_000,
  pendingEventsMax: 2_000_000,
};

/** Interval of the engine tick that samples metrics and checks liveness, when none is given. */
const defaultTickUs = 100_000;

/**
 * One deterministic run of a scenario. Everything it does follows from its run description: the
 * same description gives the same trace, event for event, on every JS engine.
 */
export class Simulation implements WorldView, NodeHost {
  readonly model: ScenarioModel;
  readonly options: SimulationOptions;
  /** @internal */ readonly setup: RunSetup;
  /** @internal */ queue: EventQueue;
  /** @internal */ pool: EventPool;
  /** @internal */ trace: Trace;
  /** @internal */ streams: RngStreams;
  /** @internal */ readonly nodeList: NodeRuntime[];
  /** @internal */ links: LinkState[];
  /** @internal */ blocked: Uint8Array;
  /** @internal */ blockedCount = 0;
  /** @internal */ metrics: MetricStore;
  /** @internal */ invariants: InvariantRunner;
  /** @internal */ monitorMemory: unknown;
  /** @internal Moments the monitor reported, in order (not in the trace or its hash). */
  momentList: Moment[] = [];
  private readonly momentKinds: ReadonlySet<string>;
  /** @internal */ currentParams: Readonly<Record<string, number>>;
  /** @internal */ commandLog: RecordedCommand[];
  /** @internal */ nextCommand = 0;
  /** @internal */ lastFaultChange = 0;
  /** @internal */ nextMessageId = 0;
  /** @internal */ nextTimerToken = 1;
  /** @internal */ clockUs = 0;
  /** @internal */ processed = 0;
  private activeFaultsCache: boolean | null = null;
  /** Set while a command takes effect, so a scenario fault knows it happened between events. */
  private isApplyingCommand = false;
  /** Violations traced so far (counted up to the runner's per-invariant cap). */
  violationCount = 0;
  /**
   * When set, `runUntil` returns right after the event that traced a violation, so playback can
   * stop on it. It changes when a call returns, never what the run does.
   */
  isStoppingOnViolation = false;
  private readonly outcomes: InvariantOutcome[] = [];
  private readonly roleIndex = new Map<string, NodeId[]>();
  private readonly tickUs: number;

  constructor(
    model: ScenarioModel,
    run: RunDescription,
    options: SimulationOptions = defaultSimulationOptions,
    checkpoint?: Checkpoint,
  ) {
    this.model = model;
    this.options = options;
    this.setup = setupRun(model, run, options);
    this.currentParams = this.setup.params;
    this.commandLog = this.setup.commands.slice();
    this.queue = new EventQueue(1024);
    this.pool = new EventPool(1024);
    this.trace = new Trace(options.traceWindowMax);
    this.streams = this.setup.streams;
    this.nodeList = this.setup.topology.nodes.map(
      (spec, index) =>
        new NodeRuntime(
          this,
          spec.id,
          index,
          spec.role,
          spec.behaviour,
          this.streams.get(`node:${spec.id}`),
        ),
    );
    for (const node of this.nodeList) {
      const ids = this.roleIndex.get(node.role) ?? [];
      ids.push(node.id);
      this.roleIndex.set(node.role, ids);
    }
    this.links = this.setup.baseLinks.map((base) => ({
      exists: base !== null,
      config: base ?? this.setup.topology.linkConfig,
      busyUntilUs: 0,
      isHeld: false,
      held: [],
      rng: null,
    }));
    this.blocked = new Uint8Array(this.nodeList.length * this.nodeList.length);
    this.metrics = new MetricStore(model.metrics);
    this.invariants = new InvariantRunner(model.invariants);
    this.monitorMemory = model.monitor?.createMemory();
    this.momentKinds = new Set(model.moments.map((spec) => spec.id));
    this.tickUs = model.monitor?.sampleIntervalUs ?? defaultTickUs;
    if (checkpoint !== undefined) {
      restoreInto(this, checkpoint);
      return;
    }
    for (const node of this.nodeList) this.startNode(node);
    if (model.monitor !== undefined || this.invariants.hasLiveness) {
      this.queue.push(this.tickUs, this.pool.alloc(EventKind.tick, -1));
    }
  }

  /** A copy of the whole run state at this step boundary. */
  checkpoint(): Checkpoint {
    return takeCheckpoint(this);
  }

  /**
   * From this step boundary on, every random draw (latencies, losses, timers, the scenario's
   * own) comes out as another roll of the dice, the same for the same salt: see
   * `RngStreams.redraw`. What happened so far stays; the run is no longer its run description's.
   */
  redrawRandomness(salt: number): void {
    this.streams.redraw(salt);
  }

  /** A new simulation continuing exactly from `checkpoint`. */
  static fromCheckpoint(
    model: ScenarioModel,
    checkpoint: Checkpoint,
    options: SimulationOptions = defaultSimulationOptions,
  ): Simulation {
    return new Simulation(model, checkpoint.run, options, checkpoint);
  }

  // ---- WorldView -------------------------------------------------------------------------

  get nowUs(): number {
    return this.clockUs;
  }
  get params(): Readonly<Record<string, number>> {
    return this.currentParams;
  }
  get nodes(): readonly NodeView[] {
    return this.nodeList;
  }
  get nodeIds(): readonly NodeId[] {
    return this.setup.nodeIds;
  }
  node(id: NodeId): NodeView {
    return this.nodeById(id);
  }
  nodesWithRole(role: string): readonly NodeId[] {
    return this.roleIndex.get(role) ?? [];
  }
  canReach(from: NodeId, to: NodeId): boolean {
    const pair = this.nodeById(from).index * this.nodeList.length + this.nodeById(to).index;
    const link = this.links[pair] as LinkState;
    return (
      link.exists && this.blocked[pair] === 0 && !link.isHeld && link.config.lossProbability < 1
    );
  }
  get hasActiveFaults(): boolean {
    // Faults change only through commands and timed resumes, which mark the cache stale; the
    // scan is O(links), so invariants may call this on every tick even with 100 nodes.
    if (this.activeFaultsCache === null) this.activeFaultsCache = this.scanForFaults();
    return this.activeFaultsCache;
  }

  private scanForFaults(): boolean {
    if (this.blockedCount > 0) return true;
    for (const node of this.nodeList) if (node.status !== 'up') return true;
    for (let pair = 0; pair < this.links.length; pair++) {
      const link = this.links[pair] as LinkState;
      if (link.isHeld || (link.exists && link.config !== this.setup.baseLinkConfig(pair)))
        return true;
    }
    return false;
  }

  /** @internal Marks the fault state as changed (commands, timed resumes). */
  faultsChanged(): void {
    this.activeFaultsCache = null;
    this.lastFaultChange = this.clockUs;
  }
  get lastFaultChangeUs(): number {
    return this.lastFaultChange;
  }

  // ---- Public run control ----------------------------------------------------------------

  /** Events processed so far. */
  get eventCount(): number {
    return this.processed;
  }
  /** The run's fingerprint over every trace event so far. */
  get traceHash(): string {
    return this.trace.hashHex;
  }
  /** Time of the next pending event (Infinity when none). */
  get nextEventUs(): number {
    return this.queue.peekTime();
  }
  /** The command log as it stands: what has been applied, then what is still to replay. */
  get commands(): readonly RecordedCommand[] {
    return this.commandLog;
  }
  /** How many commands of the log have taken effect so far. */
  get appliedCommandCount(): number {
    return this.nextCommand;
  }

  /**
   * Replaces the command log after a restore, keeping what has already taken effect: the first
   * `appliedCommandCount` entries must be the ones this run applied.
   */
  replaceCommandLog(log: readonly RecordedCommand[]): void {
    for (let i = 0; i < this.nextCommand; i++) {
      if (
        log[i] !== this.commandLog[i] &&
        JSON.stringify(log[i]) !== JSON.stringify(this.commandLog[i])
      ) {
        throw new SimError(
          'command-order',
          `Command #${i + 1} differs from the one this run applied.`,
        );
      }
    }
    if (log.length > this.options.commandLogMax) {
      throw new SimError(
        'limit-exceeded',
        `The command log is full (${this.options.commandLogMax}).`,
      );
    }
    this.commandLog = log.slice();
  }

  /** The run description that replays this run, including every command applied so far. */
  describe(): RunDescription {
    return { ...this.setup.run, params: this.setup.params, commands: this.commandLog.slice() };
  }

  /**
   * Processes the next event (applying any recorded command due before it). Returns false when
   * nothing is left to do.
   */
  step(): boolean {
    for (;;) {
      this.applyDueCommands(this.queue.peekTime());
      const timeUs = this.queue.peekTime();
      if (timeUs === Infinity) return false;
      const slot = this.queue.pop();
      if (this.dispatch(slot, timeUs)) return true;
    }
  }

  /**
   * Processes every event up to and including `timeUs`, then moves the clock to `timeUs`. Stops
   * early after `eventBudget` events; returns the number processed.
   */
  runUntil(timeUs: number, eventBudget = Infinity): number {
    const before = this.processed;
    const violationsBefore = this.violationCount;
    while (this.processed - before < eventBudget) {
      if (this.isStoppingOnViolation && this.violationCount !== violationsBefore) break;
      this.applyDueCommands(Math.min(this.queue.peekTime(), timeUs + 0.5));
      if (this.isStoppingOnViolation && this.violationCount !== violationsBefore) break;
      const next = this.queue.peekTime();
      if (next > timeUs) {
        if (timeUs > this.clockUs) this.clockUs = timeUs;
        this.applyDueCommands(timeUs + 0.5);
        break;
      }
      const slot = this.queue.pop();
      this.dispatch(slot, next);
    }
    return this.processed - before;
  }

  /**
   * Applies a command now, at this step boundary, and records it. A command given while older
   * recorded commands are still waiting to replay forks the run: those are dropped.
   */
  apply(command: Command): RecordedCommand {
    if (this.nextCommand < this.commandLog.length) this.commandLog.length = this.nextCommand;
    if (this.commandLog.length >= this.options.commandLogMax) {
      throw new SimError(
        'limit-exceeded',
        `The command log is full (${this.options.commandLogMax}).`,
      );
    }
    const record: RecordedCommand = { atUs: this.clockUs, event: this.processed, command };
    this.isApplyingCommand = true;
    try {
      applyCommand(this, command);
      this.commandLog.push(record);
      this.nextCommand = this.commandLog.length;
      this.afterBoundaryChange();
    } finally {
      this.isApplyingCommand = false;
    }
    return record;
  }

  /** Metric summaries so far. */
  metricFinals(): MetricFinal[] {
    return this.metrics.finals();
  }

  /** Invariant standings so far. */
  invariantResults(): InvariantResult[] {
    return this.invariants.results();
  }

  /** Whether any safety invariant was violated so far. */
  get hasSafetyViolation(): boolean {
    return this.invariants.hasSafetyViolation;
  }

  /** Messages currently on the wire (sent, not yet delivered or dropped), oldest first. */
  messagesInFlight(limit: number): InFlightMessage[] {
    const pool = this.pool;
    const found: InFlightMessage[] = [];
    for (let slot = 0; slot < pool.highWater; slot++) {
      if (pool.kinds[slot] !== EventKind.delivery) continue;
      const message = pool.objects[slot] as Message;
      found.push({
        id: pool.ids[slot] as number,
        from: pool.sources[slot] as number,
        to: pool.targets[slot] as number,
        sentUs: pool.sentUs[slot] as number,
        dueUs: pool.dueUs[slot] as number,
        type: message.type,
      });
    }
    found.sort((a, b) => a.id - b.id);
    return found.length > limit ? found.slice(0, limit) : found;
  }

  timerDueUs(nodeId: NodeId, name: string): number | null {
    const node = this.nodeById(nodeId);
    const token = node.timers.get(name);
    if (token === undefined) return null;
    const pool = this.pool;
    for (let slot = 0; slot < pool.highWater; slot++) {
      // Tokens are unique across the run: the pending timer is the one slot holding this one.
      if (pool.kinds[slot] === EventKind.timer && pool.ids[slot] === token) {
        return pool.dueUs[slot] as number;
      }
    }
    return null;
  }

  // ---- NodeHost (called by node contexts) ------------------------------------------------

  /** @internal */
  nodeLocalTimeUs(node: NodeRuntime): number {
    const now = this.clockUs;
    return now + node.clockOffsetUs + Math.trunc((now * node.clockDriftPpm) / 1_000_000);
  }

  /** @internal */
  sendFrom(node: NodeRuntime, to: NodeId, message: Message): void {
    const target = this.nodeById(to);
    const n = this.nodeList.length;
    const pair = node.index * n + target.index;
    const link = this.links[pair] as LinkState;
    if (!link.exists) {
      throw new SimError('no-link', `${node.id} tried to send ${message.type} to ${to}.`);
    }
    const id = this.nextMessageId++;
    const trace = this.trace;
    trace.mixContent(contentHash(message));
    const linkRng = (link.rng ??= this.streams.get(`link:${node.id}>${to}`));
    const config = link.config;
    const dropReason =
      this.blocked[pair] !== 0
        ? DropCode.partition
        : config.lossProbability > 0 && linkRng.chance(config.lossProbability)
          ? DropCode.loss
          : -1;
    if (dropReason >= 0) {
      // Lost at the sender: traced as sent (with no delivery time) and dropped at once.
      const { index: from } = node;
      trace.record(
        this.clockUs,
        TraceCode['message.sent'],
        from,
        target.index,
        id,
        message.type,
        -1,
      );
      trace.record(
        this.clockUs,
        TraceCode['message.dropped'],
        from,
        target.index,
        id,
        message.type,
        dropReason,
      );
      return;
    }
    const dueUs = this.scheduleDelivery(
      link,
      node.index,
      target.index,
      id,
      message,
      linkRng,
      config,
    );
    trace.record(
      this.clockUs,
      TraceCode['message.sent'],
      node.index,
      target.index,
      id,
      message.type,
      dueUs,
    );
    if (config.duplicateProbability > 0 && linkRng.chance(config.duplicateProbability)) {
      const copyId = this.nextMessageId++;
      const copyDue = this.scheduleDelivery(
        link,
        node.index,
        target.index,
        copyId,
        message,
        linkRng,
        config,
      );
      trace.record(
        this.clockUs,
        TraceCode['message.duplicated'],
        node.index,
        target.index,
        copyId,
        message.type,
        copyDue,
      );
    }
  }

  private scheduleDelivery(
    link: LinkState,
    from: number,
    to: number,
    id: number,
    message: Message,
    rng: ReturnType<RngStreams['get']>,
    config: LinkConfig,
  ): number {
    let departUs = this.clockUs;
    const bandwidth = config.bandwidthBytesPerMs;
    if (bandwidth !== undefined) {
      const startUs = Math.max(departUs, link.busyUntilUs);
      departUs = startUs + Math.round(((message.sizeBytes ?? 100) * 1000) / bandwidth);
      link.busyUntilUs = departUs;
    }
    const dueUs = departUs + sampleLatencyUs(config.latency, rng);
    const pool = this.pool;
    const slot = pool.alloc(EventKind.delivery, to);
    pool.sources[slot] = from;
    pool.ids[slot] = id;
    pool.sentUs[slot] = this.clockUs;
    pool.dueUs[slot] = dueUs;
    pool.objects[slot] = message;
    this.pushEvent(dueUs, slot);
    return dueUs;
  }

  /** @internal */
  setTimerFor(node: NodeRuntime, name: string, delayUs: number, data: unknown): void {
    if (!(delayUs >= 0) || !Number.isFinite(delayUs)) {
      throw new SimError(
        'scenario-bug',
        `${node.id} set timer "${name}" with delay ${String(delayUs)}.`,
      );
    }
    const token = this.nextTimerToken++;
    node.timers.set(name, token);
    const drift = node.clockDriftPpm;
    const realDelay = drift === 0 ? delayUs : (delayUs * 1_000_000) / (1_000_000 + drift);
    const dueUs = this.clockUs + Math.max(0, Math.round(realDelay));
    const pool = this.pool;
    const slot = pool.alloc(EventKind.timer, node.index);
    pool.ids[slot] = token;
    pool.sentUs[slot] = node.incarnation;
    pool.dueUs[slot] = dueUs;
    pool.objects[slot] = name;
    pool.data[slot] = data;
    this.pushEvent(dueUs, slot);
  }

  /** @internal */
  cancelTimerFor(node: NodeRuntime, name: string): void {
    node.timers.delete(name);
  }

  /** @internal */
  recordMetric(name: string, value: number): void {
    const index = this.metrics.indexOf(name);
    this.metrics.record(index, this.clockUs, value);
    this.trace.record(this.clockUs, TraceCode['metric.sampled'], -1, -1, -1, name, value);
  }

  /** @internal */
  annotateFor(node: NodeRuntime, text: string): void {
    this.trace.record(this.clockUs, TraceCode['note.added'], node.index, -1, -1, text, 0);
  }

  // ---- Internals shared with command application ----------------------------------------

  /** @internal */
  nodeById(id: NodeId): NodeRuntime {
    const index = this.setup.nodeIndex.get(id);
    if (index === undefined) throw new SimError('unknown-node', `"${id}" is not in this run.`);
    return this.nodeList[index] as NodeRuntime;
  }

  /** @internal */
  pushEvent(timeUs: number, slot: number): void {
    if (this.queue.size >= this.options.pendingEventsMax) {
      throw new SimError(
        'limit-exceeded',
        `More than ${this.options.pendingEventsMax} events are pending; the run looks like a runaway.`,
      );
    }
    this.queue.push(timeUs, slot);
  }

  /** @internal Starts (or restarts) a node from its durable state. */
  startNode(node: NodeRuntime): void {
    node.status = 'up';
    node.incarnation++;
    node.timers.clear();
    try {
      node.state = node.behaviour.init(node.context);
      this.noteSummary(node);
    } catch (error) {
      throw this.scenarioFault(error, `node ${node.id} (role ${node.role})`, 'its start');
    }
  }

  /** @internal Delivers an event to a node's behaviour and records what changed. */
  deliver(node: NodeRuntime, event: NodeEvent): void {
    const stateBefore = node.state;
    const durableBefore = node.durable;
    // A try block costs nothing on the hot path while nothing throws; the message is built only
    // when something did.
    try {
      node.state = node.behaviour.receive(node.state, event, node.context);
      // States are immutable by contract: the same objects mean the same summary.
      if (node.state !== stateBefore || node.durable !== durableBefore) this.noteSummary(node);
    } catch (error) {
      throw this.scenarioFault(error, `node ${node.id} (role ${node.role})`, describeEvent(event));
    }
    this.afterNodeEvent(node, event);
  }

  /**
   * Wraps what scenario code threw into a `BehaviourError` naming the scenario, seed, culprit,
   * event, simulated time and event index, so a report reproduces it. Errors already wrapped
   * pass through.
   */
  private scenarioFault(error: unknown, culprit: string, handling: string): BehaviourError {
    if (error instanceof BehaviourError) return error;
    const { scenarioId, seed } = this.setup.run;
    // One line, of bounded length: the CLI prints it as one line and the page as one notice.
    const reason = (error instanceof Error ? error.message : String(error))
      .replace(/\s+/g, ' ')
      .slice(0, scenarioFaultReasonMax);
    // Scenario code runs outside an event only when a command takes effect or the run starts
    // (a dispatched event has already been counted).
    const isStarting = !this.isApplyingCommand && this.processed === 0;
    const eventsBefore = this.isApplyingCommand
      ? this.processed
      : isStarting
        ? null
        : this.processed - 1;
    const where = this.isApplyingCommand
      ? `after event #${this.processed}, applying a command`
      : isStarting
        ? 'as the run started'
        : `event #${this.processed}`;
    const seconds = (this.clockUs / 1_000_000).toFixed(6);
    return new BehaviourError(
      `In ${scenarioId} (seed ${seed}), ${culprit} threw on ${handling} at t = ${seconds} s (${where}): ${reason}`,
      eventsBefore,
    );
  }

  private noteSummary(node: NodeRuntime): void {
    const next = node.behaviour.summarize(node.state, node.durable);
    const previous = node.summary;
    if (
      next.label === previous.label &&
      next.badge === previous.badge &&
      next.health === previous.health
    ) {
      return;
    }
    node.summary = next;
    const text = `${next.label}|${next.badge}|${next.health}`;
    this.trace.record(this.clockUs, TraceCode['node.state'], node.index, -1, -1, text, 0);
  }

  /** Moments the scenario's monitor reported so far, oldest first. */
  get moments(): readonly Moment[] {
    return this.momentList;
  }

  private readonly momentSink: MomentSink = (kind, text, nodes = []) => {
    if (!this.momentKinds.has(kind)) {
      throw new SimError(
        'bad-scenario',
        `${this.model.id} reported a moment of kind "${kind}", which it does not declare.`,
      );
    }
    this.momentList.push({
      timeUs: this.clockUs,
      eventCount: this.processed,
      kind,
      text,
      nodes: nodes.slice(),
    });
  };

  /** @internal Safety invariants and the monitor's observer after something happened at a node. */
  afterNodeEvent(node: NodeRuntime | undefined, event?: NodeEvent): void {
    try {
      this.model.monitor?.observe?.(this, node, this.monitorMemory, this.momentSink);
      this.invariants.checkSafety(this, node, this.processed, this.outcomes);
    } catch (error) {
      const handling =
        node === undefined
          ? 'a command'
          : event === undefined
            ? `a change at node ${node.id}`
            : `${describeEvent(event)} at node ${node.id}`;
      throw this.scenarioFault(error, 'the monitor or a safety invariant', handling);
    }
    this.flushOutcomes();
  }

  /** @internal Re-checks everything after a command changed the world. */
  afterBoundaryChange(): void {
    this.afterNodeEvent(undefined);
  }

  private flushOutcomes(): void {
    const outcomes = this.outcomes;
    if (outcomes.length === 0) return;
    for (const outcome of outcomes) {
      const invariant = this.model.invariants[outcome.invariantIndex];
      const id = invariant?.id ?? '?';
      const firstNode = outcome.violation.nodes[0];
      const nodeIndex = firstNode === undefined ? -1 : (this.setup.nodeIndex.get(firstNode) ?? -1);
      if (outcome.isViolation) this.violationCount++;
      const code = outcome.isViolation
        ? TraceCode['invariant.violated']
        : TraceCode['invariant.passed'];
      this.trace.record(
        this.clockUs,
        code,
        nodeIndex,
        -1,
        -1,
        `${id}: ${outcome.violation.message}`,
        outcome.invariantIndex,
      );
    }
    outcomes.length = 0;
  }

  private applyDueCommands(nextEventUs: number): void {
    const log = this.commandLog;
    while (this.nextCommand < log.length) {
      const record = log[this.nextCommand] as RecordedCommand;
      const isDue =
        record.event !== undefined ? record.event <= this.processed : nextEventUs > record.atUs;
      if (!isDue) return;
      if (record.atUs > this.clockUs) this.clockUs = record.atUs;
      this.nextCommand++;
      this.isApplyingCommand = true;
      try {
        applyCommand(this, record.command);
        this.afterBoundaryChange();
      } finally {
        this.isApplyingCommand = false;
      }
    }
  }

  /** Handles one popped event; false when it was stale (a cancelled timer) and did not count. */
  private dispatch(slot: number, timeUs: number): boolean {
    const pool = this.pool;
    const kind = pool.kinds[slot];
    if (kind === EventKind.timer && !this.isTimerLive(slot)) {
      pool.release(slot);
      return false;
    }
    this.clockUs = timeUs;
    this.processed++;
    switch (kind ?? EventKind.free) {
      case EventKind.delivery:
        this.handleDelivery(slot);
        break;
      case EventKind.timer:
        this.handleTimer(slot);
        break;
      case EventKind.resume:
        pool.release(slot);
        this.resumeNode(this.nodeList[pool.targets[slot] as number] as NodeRuntime);
        break;
      case EventKind.tick:
        this.handleTick(slot);
        break;
      default:
        throw new SimError('scenario-bug', `Event slot ${slot} has unknown kind ${String(kind)}.`);
    }
    return true;
  }

  private isTimerLive(slot: number): boolean {
    const pool = this.pool;
    const node = this.nodeList[pool.targets[slot] as number] as NodeRuntime;
    return (
      node.incarnation === pool.sentUs[slot] &&
      node.timers.get(pool.objects[slot] as string) === pool.ids[slot]
    );
  }

  private handleDelivery(slot: number): void {
    const pool = this.pool;
    const to = pool.targets[slot] as number;
    const from = pool.sources[slot] as number;
    const id = pool.ids[slot] as number;
    const message = pool.objects[slot] as Message;
    const node = this.nodeList[to] as NodeRuntime;
    const pair = from * this.nodeList.length + to;
    const link = this.links[pair] as LinkState;
    if (link.isHeld) {
      link.held.push(slot);
      this.trace.record(this.clockUs, TraceCode['message.held'], to, from, id, message.type, 0);
      return;
    }
    if (node.status === 'paused') {
      node.pausedSlots.push(slot);
      return;
    }
    pool.release(slot);
    if (this.blocked[pair] !== 0 || node.status === 'crashed') {
      const reason = node.status === 'crashed' ? DropCode.nodeDown : DropCode.partition;
      this.trace.record(
        this.clockUs,
        TraceCode['message.dropped'],
        to,
        from,
        id,
        message.type,
        reason,
      );
      return;
    }
    this.trace.record(this.clockUs, TraceCode['message.delivered'], to, from, id, message.type, 0);
    const sender = this.nodeList[from] as NodeRuntime;
    this.deliver(node, { kind: 'message', from: sender.id, message });
  }

  private handleTimer(slot: number): void {
    const pool = this.pool;
    const node = this.nodeList[pool.targets[slot] as number] as NodeRuntime;
    if (node.status === 'paused') {
      node.pausedSlots.push(slot);
      return;
    }
    const name = pool.objects[slot] as string;
    const data = pool.data[slot];
    pool.release(slot);
    node.timers.delete(name);
    this.trace.record(this.clockUs, TraceCode['timer.fired'], node.index, -1, -1, name, 0);
    this.deliver(node, { kind: 'timer', name, data });
  }

  private handleTick(slot: number): void {
    this.pushEvent(this.clockUs + this.tickUs, slot);
    const monitor = this.model.monitor;
    try {
      if (monitor !== undefined) {
        monitor.sample(
          this,
          this.monitorMemory,
          (metric, value) => {
            this.recordMetric(metric, value);
          },
          this.momentSink,
        );
      }
      this.invariants.checkLiveness(this, this.processed, this.outcomes);
    } catch (error) {
      throw this.scenarioFault(error, 'the monitor or a liveness invariant', 'the periodic check');
    }
    this.flushOutcomes();
  }

  /** @internal Resumes a paused node: what arrived meanwhile is handled now, in order. */
  resumeNode(node: NodeRuntime): void {
    if (node.status !== 'paused') return;
    node.status = 'up';
    this.trace.record(this.clockUs, TraceCode['node.resumed'], node.index, -1, -1, '', 0);
    const waiting = node.pausedSlots;
    node.pausedSlots = [];
    for (const slot of waiting) this.pushEvent(this.clockUs, slot);
    this.faultsChanged();
    this.afterNodeEvent(node);
  }

  /**
   * Trace events still in the kept window with absolute index ≥ `from`, oldest first (the
   * window holds the last `traceWindowMax`; `trace.count` is the total so far).
   */
  traceEvents(from = 0): TraceEvent[] {
    return this.trace.since(from);
  }

  /** Trace events recorded since the run began (the hash covers all of them). */
  get traceCount(): number {
    return this.trace.count;
  }
}

/** Characters of a thrown error's message kept in a scenario fault report. */
const scenarioFaultReasonMax = 500;

/** An event as a scenario fault report names it. */
function describeEvent(event: NodeEvent): string {
  switch (event.kind) {
    case 'message':
      return `message "${event.message.type}" from ${event.from}`;
    case 'timer':
      return `timer "${event.name}"`;
    case 'fault':
      return `fault "${event.fault}"`;
    default: {
      const unknownEvent: never = event;
      return `event ${JSON.stringify(unknownEvent)}`;
    }
  }
}

/** A message on the wire, for drawing. */
export interface InFlightMessage {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly sentUs: number;
  readonly dueUs: number;
  readonly type: string;
}
