import type { LatencySpec, LinkConfig } from './network.ts';
import type { Rng } from './rng.ts';

/** A node's name, unique within a run (e.g. `n3`, `client-1`). */
export type NodeId = string;

/** Every message a scenario sends is a plain, immutable object with a `type` tag. */
export interface Message {
  readonly type: string;
  /** Size on the wire; only bandwidth-limited links read it. Defaults to 100 bytes. */
  readonly sizeBytes?: number;
}

/** What a node behaviour is woken up by. */
export type NodeEvent<M extends Message = Message> =
  | { readonly kind: 'message'; readonly from: NodeId; readonly message: M }
  | { readonly kind: 'timer'; readonly name: string; readonly data: unknown }
  | {
      readonly kind: 'fault';
      readonly fault: string;
      readonly args: Readonly<Record<string, number>>;
    };

/**
 * Everything a behaviour may do, as effects through one object (XState's "scope" idea): the
 * behaviour itself stays a pure `(state, event, ctx) → state` function.
 */
export interface NodeContext<M extends Message = Message, D = unknown> {
  readonly self: NodeId;
  readonly role: string;
  /** Current parameter values (live parameters may change during a run). */
  readonly params: Readonly<Record<string, number>>;
  /** The node's own clock, in microseconds: simulated time plus its skew and drift. */
  readonly localTimeUs: number;
  /** The node's own random stream (`node:<id>`). */
  readonly random: Rng;
  /** Every node id in the run, in topology order. */
  readonly nodeIds: readonly NodeId[];
  /** Ids of the nodes that have `role`, in topology order. */
  nodesWithRole(role: string): readonly NodeId[];
  /** Sends `message` over the link to `to`; the network decides when, twice or whether. */
  send(to: NodeId, message: M): void;
  /**
   * Sets the timer `name` to fire after `delayUs` of the node's local time; setting a timer that
   * is already pending replaces it.
   */
  setTimer(name: string, delayUs: number, data?: unknown): void;
  /** Cancels the timer `name` if pending. */
  cancelTimer(name: string): void;
  /** Whether the timer `name` is pending. */
  hasTimer(name: string): boolean;
  /** State that survives a crash (a vote, a log on disk). */
  readonly durable: D;
  /** Replaces the durable state, as a synchronous write to disk. */
  persist(durable: D): void;
  /** Records one sample of a metric declared by the scenario. */
  metric(name: string, value: number): void;
  /** Adds a note to the trace (shown in the event log). */
  annotate(text: string): void;
}

/** How the UI shows a node at a glance. */
export interface NodeSummary {
  /** Role as shown, e.g. `leader`, `follower`, `breaker open`. */
  readonly label: string;
  /** Short state badge, e.g. `term 4`. */
  readonly badge: string;
  readonly health: 'ok' | 'warn' | 'bad';
}

/**
 * A node behaviour. Methods (not function properties) so that a behaviour with its own state
 * type fits the scenario's heterogeneous role table.
 */
export interface Behaviour<S = unknown, M extends Message = Message, D = unknown> {
  /** Durable state a node starts with on its first start. */
  initialDurable(nodeId: NodeId): D;
  /** Builds the volatile state on start and on every restart (durable state is in `ctx`). */
  init(ctx: NodeContext<M, D>): S;
  /** Handles one event and returns the next state; effects go through `ctx`. */
  receive(state: S, event: NodeEvent<M>, ctx: NodeContext<M, D>): S;
  /** The node at a glance; called after every event the node handles. */
  summarize(state: S, durable: D): NodeSummary;
}

/** Bounds and help for one numeric parameter, or one argument of a scenario fault or control. */
export interface ParamSpec {
  readonly label: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly unit: string;
  readonly help: string;
  /** Whether the value may change during a run (`param.set`); otherwise it needs a reset. */
  readonly isLive?: boolean;
  /**
   * For a number that stands for something (strategy 2 is "range partitioning", 1 is "on"): the
   * values a person picks from, by name. Forms offer the labels and texts say them, while runs,
   * links and commands still carry the number (nothing recorded changes).
   */
  readonly choices?: readonly ParamChoice[];
}

/** One value a parameter or argument may take and the words a person reads for it. */
export interface ParamChoice {
  readonly value: number;
  readonly label: string;
}

/** Where a node sits in the default layout, in the unit square (x right, y down). */
export interface LayoutHint {
  readonly x: number;
  readonly y: number;
}

/** One node of a topology. */
export interface TopologyNode {
  readonly id: NodeId;
  readonly role: string;
  readonly behaviour: Behaviour;
  readonly layout?: LayoutHint;
}

/** A run's nodes and links. */
export interface Topology {
  readonly nodes: readonly TopologyNode[];
  /** `full`: every ordered pair is linked; otherwise the listed pairs, both ways. */
  readonly links: 'full' | readonly (readonly [NodeId, NodeId])[];
  readonly linkConfig: LinkConfig;
  /** Per-pair overrides (both directions), e.g. a co-located sidecar. */
  readonly linkOverrides?: readonly {
    readonly between: readonly [NodeId, NodeId];
    readonly config: LinkConfig;
  }[];
}

/** `pattern` runs the scenario; `baseline` runs the naive alternative on the same workload. */
export type Variant = 'pattern' | 'baseline';

/** What a metric's final value is, for summaries. */
export type MetricAggregate = 'last' | 'sum' | 'mean' | 'max' | 'p50' | 'p99' | 'count';

export interface MetricSpec {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly aggregate: MetricAggregate;
}

/** Read-only view of one node, for invariants and monitors. */
export interface NodeView {
  readonly id: NodeId;
  readonly index: number;
  readonly role: string;
  readonly status: NodeStatus;
  /** Volatile state; undefined while crashed. */
  readonly state: unknown;
  readonly durable: unknown;
  readonly summary: NodeSummary;
}

export type NodeStatus = 'up' | 'crashed' | 'paused';

/** Read-only view of the whole run. */
export interface WorldView {
  readonly nowUs: number;
  readonly params: Readonly<Record<string, number>>;
  readonly nodes: readonly NodeView[];
  node(id: NodeId): NodeView;
  /** Whether a message from `from` to `to` can currently get through (link exists, no partition, not held, no total loss). */
  canReach(from: NodeId, to: NodeId): boolean;
  /** Whether any fault is in force: a node down or paused, a partition, a held or lossy link. */
  readonly hasActiveFaults: boolean;
  /** Simulated time of the last command that changed faults. */
  readonly lastFaultChangeUs: number;
  /**
   * When the node's pending timer `name` fires, in simulated µs; null when none is pending. A
   * pass over the pending events: for instruments that draw timers (an election timeout
   * draining), not for behaviours or checks that run on every event.
   */
  timerDueUs(node: NodeId, name: string): number | null;
}

/** A failed safety check: what went wrong and which nodes were involved. */
export interface Violation {
  readonly message: string;
  readonly nodes: readonly NodeId[];
}

/** Checked after every event. */
export interface SafetyInvariant<Memory = unknown> {
  readonly id: string;
  readonly kind: 'safety';
  readonly description: string;
  /** Bookkeeping the check keeps across events; cloned into checkpoints. */
  createMemory(): Memory;
  /** `node` is the node that just handled an event (undefined for engine events). */
  check(world: WorldView, node: NodeView | undefined, memory: Memory): Violation | null;
}

/** Checked once faults heal: `holds` must become true within `boundUs` of the last fault change. */
export interface LivenessInvariant {
  readonly id: string;
  readonly kind: 'liveness';
  readonly description: string;
  boundUs(params: Readonly<Record<string, number>>): number;
  /** Whether the property is owed now (e.g. a majority is up and connected). */
  isExpected(world: WorldView): boolean;
  holds(world: WorldView): boolean;
}

export type Invariant = SafetyInvariant | LivenessInvariant;

/**
 * A scenario-specific fault shown next to the generic ones, or (`kind: 'control'`) an operator
 * action such as "add a shard" or "move a route": both arrive at the node as a `fault` event.
 */
export interface ScenarioFaultSpec {
  readonly id: string;
  /** `fault` (the default) breaks something; `control` is an operator action. */
  readonly kind?: 'fault' | 'control';
  readonly label: string;
  readonly help: string;
  /** Roles whose nodes can receive it; the fault arrives as a `fault` event. */
  readonly roles: readonly string[];
  /** Its arguments, specified as parameters are (route 1 is "catalog" through `choices`). */
  readonly args: Readonly<Record<string, ParamSpec>>;
}

/**
 * A kind of pattern-level moment a scenario reports (the breaker opened, a leader was elected, a
 * route was rolled back): what a person would want to jump to and see marked on the timeline.
 */
export interface MomentSpec {
  /** Kebab-case, unique within the scenario, e.g. `breaker-opened`. */
  readonly id: string;
  /** Short, for a timeline tick and a legend, e.g. "Breaker opened". */
  readonly label: string;
}

/** One moment of a run: when it happened, which kind, a sentence, and the nodes it concerns. */
export interface Moment {
  readonly timeUs: number;
  /** Events processed when it was noticed. */
  readonly eventCount: number;
  readonly kind: string;
  /** A plain sentence, e.g. "cb-1 opened: 12 of the last 20 calls failed". */
  readonly text: string;
  readonly nodes: readonly NodeId[];
}

/** How a monitor reports a moment it noticed (the kind must be one of the scenario's `moments`). */
export type MomentSink = (kind: string, text: string, nodes?: readonly NodeId[]) => void;

/** A global observer that turns the world into metric samples at a fixed interval. */
export interface Monitor<Memory = unknown> {
  readonly sampleIntervalUs: number;
  createMemory(): Memory;
  /**
   * Called after every node event, to notice transitions (e.g. the leader is gone); `moment`
   * reports a pattern-level moment (it is not part of the trace and does not change its hash).
   */
  observe?(world: WorldView, node: NodeView | undefined, memory: Memory, moment: MomentSink): void;
  /** Called every `sampleIntervalUs`; `record` adds a metric sample, `moment` reports one. */
  sample(
    world: WorldView,
    memory: Memory,
    record: (metric: string, value: number) => void,
    moment: MomentSink,
  ): void;
}

/** The engine-facing part of a scenario (the scenario layer adds tour and view data). */
export interface ScenarioModel {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly summary: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly baselineLabel: string;
  topology(params: Readonly<Record<string, number>>, variant: Variant): Topology;
  readonly metrics: readonly MetricSpec[];
  readonly monitor?: Monitor;
  readonly invariants: readonly Invariant[];
  readonly faults: readonly ScenarioFaultSpec[];
  /** The kinds of moment the monitor reports (empty: the scenario reports none). */
  readonly moments: readonly MomentSpec[];
  /** Default simulated duration of a headless run. */
  readonly defaultDurationUs: number;
}

/** A user or script action, applied at a step boundary and recorded in the command log. */
export type Command =
  | { readonly type: 'node.crash'; readonly node: NodeId }
  | { readonly type: 'node.restart'; readonly node: NodeId }
  | { readonly type: 'node.pause'; readonly node: NodeId; readonly durationMs?: number }
  | { readonly type: 'node.resume'; readonly node: NodeId }
  | {
      readonly type: 'node.skew';
      readonly node: NodeId;
      readonly offsetMs: number;
      readonly driftPpm?: number;
    }
  | { readonly type: 'net.partition'; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly type: 'net.isolate'; readonly node: NodeId }
  | { readonly type: 'net.cut'; readonly from: readonly NodeId[]; readonly to: readonly NodeId[] }
  | { readonly type: 'net.heal' }
  | {
      readonly type: 'link.set';
      readonly from: NodeId;
      readonly to: NodeId;
      readonly isBothWays?: boolean;
      readonly latency?: LatencySpec;
      readonly lossProbability?: number;
      readonly duplicateProbability?: number;
    }
  | { readonly type: 'link.hold'; readonly from: NodeId; readonly to: NodeId }
  | { readonly type: 'link.release'; readonly from: NodeId; readonly to: NodeId }
  | {
      readonly type: 'scenario.fault';
      readonly fault: string;
      readonly node: NodeId;
      readonly args?: Readonly<Record<string, number>>;
    }
  | { readonly type: 'param.set'; readonly key: string; readonly value: number };

/**
 * A command with the position it took effect at: after `event` events (when recorded by the
 * engine) and at `atUs`. Hand-written fault files may leave out `event`: the command then applies
 * after every event at or before `atUs`.
 */
export interface RecordedCommand {
  readonly atUs: number;
  readonly event?: number;
  readonly command: Command;
}

/** Everything needed to replay a run exactly. */
export interface RunDescription {
  readonly scenarioId: string;
  readonly scenarioVersion: number;
  readonly seed: number;
  readonly variant: Variant;
  readonly params: Readonly<Record<string, number>>;
  readonly commands: readonly RecordedCommand[];
}
