import { cloneData } from './clone.ts';
import { EventPool, type EventPoolSnapshot } from './eventPool.ts';
import type { InvariantRunnerSnapshot } from './invariants.ts';
import type { MetricStore } from './metrics.ts';
import type { LinkConfig } from './network.ts';
import { EventQueue, type QueueSnapshot } from './queue.ts';
import type { RngStreamsSnapshot } from './rng.ts';
import type { Simulation } from './simulation.ts';
import { Trace, type TraceSnapshot } from './trace.ts';
import type { Moment, NodeStatus, NodeSummary, RecordedCommand, RunDescription } from './types.ts';

interface NodeSnapshot {
  readonly status: NodeStatus;
  readonly state: unknown;
  readonly durable: unknown;
  readonly summary: NodeSummary;
  readonly incarnation: number;
  readonly timers: ReadonlyMap<string, number>;
  readonly pausedSlots: readonly number[];
  readonly clockOffsetUs: number;
  readonly clockDriftPpm: number;
}

/**
 * Every link at one moment, packed: a run of n nodes has n² link slots, and one object per slot
 * made each checkpoint of a 100-node mesh a megabyte. Busy-until times and flags are typed
 * arrays; configurations and held messages are kept only for the links that have them.
 */
interface LinksSnapshot {
  readonly busyUntilUs: Float64Array;
  /** Per link: bit 0 held, bit 1 configuration differs from the topology's (see `configs`). */
  readonly flags: Uint8Array;
  /**
   * Configurations of links that do not have their topology's one (by link slot). A restored
   * run builds its own base configurations, and "no fault on this link" is identity with them
   * (see `hasActiveFaults`), so base ones are not stored but re-linked on restore.
   */
  readonly configs: ReadonlyMap<number, LinkConfig>;
  /** Held messages, by link slot, for links holding any. */
  readonly held: ReadonlyMap<number, readonly number[]>;
}

const heldFlag = 1;
const changedFlag = 2;

/**
 * Everything a run is at one step boundary. Restoring it and running on gives the same trace
 * hash as never having stopped (the trace window restarts empty; the hash state carries on).
 */
export interface Checkpoint {
  readonly run: RunDescription;
  readonly timeUs: number;
  readonly processed: number;
  readonly queue: QueueSnapshot;
  readonly pool: EventPoolSnapshot;
  readonly trace: TraceSnapshot;
  readonly streams: RngStreamsSnapshot;
  readonly nodes: readonly NodeSnapshot[];
  readonly links: LinksSnapshot;
  readonly blocked: Uint8Array;
  readonly blockedCount: number;
  readonly metrics: ReturnType<MetricStore['snapshot']>;
  readonly invariants: InvariantRunnerSnapshot;
  readonly monitorMemory: unknown;
  readonly moments: readonly Moment[];
  readonly params: Readonly<Record<string, number>>;
  readonly commands: readonly RecordedCommand[];
  readonly nextCommand: number;
  readonly lastFaultChange: number;
  readonly nextMessageId: number;
  readonly nextTimerToken: number;
  readonly violationCount: number;
}

/**
 * Whether two types are identical (not merely assignable either way): the usual trick of
 * comparing two generic functions, which the lint rule on single-use type parameters cannot see.
 */
/* eslint-disable @typescript-eslint/no-unnecessary-type-parameters */
type IfEquals<X, Y, Then, Else> =
  (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? Then : Else;
/* eslint-enable @typescript-eslint/no-unnecessary-type-parameters */

/** The keys of `T` that can be assigned and are not methods: what a run's state can change in. */
type AssignableDataKeys<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => unknown
    ? never
    : IfEquals<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }, K, never>;
}[keyof T];

/**
 * How each assignable field of a Simulation crosses a checkpoint: captured (and restored), or
 * why it need not be. A field added to Simulation fails to compile until it is listed here, so
 * new run state cannot be forgotten by checkpoints (a resumed run would silently diverge).
 * Readonly fields (the setup, the node runtimes, the metric store, the invariant runner) hold
 * containers whose contents `takeCheckpoint` copies; private fields are caches rebuilt on
 * restore (`faultsChanged`) or per-call flags.
 */
export const checkpointCoverage = {
  clockUs: 'captured',
  processed: 'captured',
  queue: 'captured',
  pool: 'captured',
  trace: 'captured',
  streams: 'captured',
  links: 'captured',
  blocked: 'captured',
  blockedCount: 'captured',
  monitorMemory: 'captured',
  momentList: 'captured',
  currentParams: 'captured',
  commandLog: 'captured',
  nextCommand: 'captured',
  lastFaultChange: 'captured',
  nextMessageId: 'captured',
  nextTimerToken: 'captured',
  violationCount: 'captured',
  metrics: 'captured (its contents)',
  invariants: 'captured (its contents)',
  isStoppingOnViolation: 'a playback setting of the caller, not run state',
} as const satisfies Record<AssignableDataKeys<Simulation>, string>;

/** @internal Use `Simulation.checkpoint()`. */
export function takeCheckpoint(sim: Simulation): Checkpoint {
  return {
    run: sim.setup.run,
    timeUs: sim.clockUs,
    processed: sim.processed,
    queue: sim.queue.snapshot(),
    pool: sim.pool.snapshot(),
    trace: sim.trace.snapshot(),
    streams: sim.streams.snapshot(),
    nodes: sim.nodeList.map((node) => ({
      status: node.status,
      // Node state and durable state are immutable values (the behaviour contract), so the
      // checkpoint keeps the very objects: no copy, whatever their size. The contract test
      // checks that running on never changes what a checkpoint holds.
      state: node.state,
      durable: node.durable,
      summary: node.summary,
      incarnation: node.incarnation,
      timers: new Map(node.timers),
      pausedSlots: node.pausedSlots.slice(),
      clockOffsetUs: node.clockOffsetUs,
      clockDriftPpm: node.clockDriftPpm,
    })),
    links: snapshotLinks(sim),
    blocked: sim.blocked.slice(),
    blockedCount: sim.blockedCount,
    metrics: sim.metrics.snapshot(),
    invariants: sim.invariants.snapshot(),
    monitorMemory: cloneData(sim.monitorMemory),
    // Moments are few (tens to hundreds in a long run) and each is an immutable record.
    moments: sim.momentList.slice(),
    params: sim.currentParams,
    commands: sim.commandLog.slice(),
    nextCommand: sim.nextCommand,
    lastFaultChange: sim.lastFaultChange,
    nextMessageId: sim.nextMessageId,
    nextTimerToken: sim.nextTimerToken,
    violationCount: sim.violationCount,
  };
}

/** @internal Use `Simulation.fromCheckpoint()`. */
export function restoreInto(sim: Simulation, checkpoint: Checkpoint): void {
  sim.clockUs = checkpoint.timeUs;
  sim.processed = checkpoint.processed;
  sim.queue = EventQueue.restore(checkpoint.queue);
  sim.pool = EventPool.restore(checkpoint.pool);
  sim.trace = Trace.restore(checkpoint.trace, sim.options.traceWindowMax);
  sim.streams.restore(checkpoint.streams);
  checkpoint.nodes.forEach((saved, index) => {
    const node = sim.nodeList[index];
    if (node === undefined) return;
    node.status = saved.status;
    node.state = saved.state;
    node.durable = saved.durable;
    node.summary = saved.summary;
    node.incarnation = saved.incarnation;
    node.timers = new Map(saved.timers);
    node.pausedSlots = saved.pausedSlots.slice();
    node.clockOffsetUs = saved.clockOffsetUs;
    node.clockDriftPpm = saved.clockDriftPpm;
    // Streams were replaced by the restore above: pick up the node's restored stream.
    node.rng = sim.streams.get(`node:${node.id}`);
  });
  const { links } = checkpoint;
  sim.links.forEach((link, pair) => {
    const flags = links.flags[pair] ?? 0;
    const config = (flags & changedFlag) !== 0 ? links.configs.get(pair) : undefined;
    link.config = config ?? sim.setup.baseLinkConfig(pair) ?? link.config;
    link.busyUntilUs = links.busyUntilUs[pair] ?? 0;
    link.isHeld = (flags & heldFlag) !== 0;
    link.held = links.held.get(pair)?.slice() ?? [];
    link.rng = null;
  });
  sim.blocked = checkpoint.blocked.slice();
  sim.blockedCount = checkpoint.blockedCount;
  sim.metrics.restore(checkpoint.metrics);
  sim.invariants.restore(checkpoint.invariants);
  sim.monitorMemory = cloneData(checkpoint.monitorMemory);
  sim.momentList = checkpoint.moments.slice();
  sim.currentParams = checkpoint.params;
  sim.commandLog = checkpoint.commands.slice();
  sim.nextCommand = checkpoint.nextCommand;
  sim.faultsChanged();
  sim.lastFaultChange = checkpoint.lastFaultChange;
  sim.nextMessageId = checkpoint.nextMessageId;
  sim.nextTimerToken = checkpoint.nextTimerToken;
  sim.violationCount = checkpoint.violationCount;
}

function snapshotLinks(sim: Simulation): LinksSnapshot {
  const count = sim.links.length;
  const busyUntilUs = new Float64Array(count);
  const flags = new Uint8Array(count);
  const configs = new Map<number, LinkConfig>();
  const held = new Map<number, readonly number[]>();
  sim.links.forEach((link, pair) => {
    busyUntilUs[pair] = link.busyUntilUs;
    let flag = link.isHeld ? heldFlag : 0;
    if (link.config !== sim.setup.baseLinkConfig(pair)) {
      flag |= changedFlag;
      configs.set(pair, link.config);
    }
    flags[pair] = flag;
    if (link.held.length > 0) held.set(pair, link.held.slice());
  });
  return { busyUntilUs, flags, configs, held };
}
