import type { Rng } from './rng.ts';
import type {
  Behaviour,
  Message,
  NodeContext,
  NodeId,
  NodeStatus,
  NodeSummary,
  NodeView,
} from './types.ts';

/**
 * What a node context needs from the simulation. The simulation implements it; keeping it an
 * interface lets the context live in its own module without reaching into the simulation.
 */
export interface NodeHost {
  readonly params: Readonly<Record<string, number>>;
  readonly nodeIds: readonly NodeId[];
  nodesWithRole(role: string): readonly NodeId[];
  nodeLocalTimeUs(node: NodeRuntime): number;
  sendFrom(node: NodeRuntime, to: NodeId, message: Message): void;
  setTimerFor(node: NodeRuntime, name: string, delayUs: number, data: unknown): void;
  cancelTimerFor(node: NodeRuntime, name: string): void;
  recordMetric(name: string, value: number): void;
  annotateFor(node: NodeRuntime, text: string): void;
}

/** A node's runtime record: what the engine knows about it. It is also the node's read-only view. */
export class NodeRuntime implements NodeView {
  readonly id: NodeId;
  readonly index: number;
  readonly role: string;
  readonly behaviour: Behaviour;
  rng: Rng;
  status: NodeStatus = 'up';
  state: unknown = undefined;
  durable: unknown;
  summary: NodeSummary = { label: '', badge: '', health: 'ok' };
  /** Bumped on crash and restart so timers set before then are recognised as stale. */
  incarnation = 0;
  /** Pending timer tokens by name; a fired or cancelled timer's token no longer matches. */
  timers = new Map<string, number>();
  /** Event-pool slots that arrived while the node was paused, in arrival order. */
  pausedSlots: number[] = [];
  clockOffsetUs = 0;
  clockDriftPpm = 0;
  readonly context: NodeContext;

  constructor(
    host: NodeHost,
    id: NodeId,
    index: number,
    role: string,
    behaviour: Behaviour,
    rng: Rng,
  ) {
    this.id = id;
    this.index = index;
    this.role = role;
    this.behaviour = behaviour;
    this.rng = rng;
    this.durable = behaviour.initialDurable(id);
    this.context = new RuntimeContext(host, this);
  }
}

/** The `ctx` handed to behaviours: one per node, reused for every event (no per-event closures). */
class RuntimeContext implements NodeContext {
  private readonly host: NodeHost;
  private readonly node: NodeRuntime;

  constructor(host: NodeHost, node: NodeRuntime) {
    this.host = host;
    this.node = node;
  }

  get self(): NodeId {
    return this.node.id;
  }
  get role(): string {
    return this.node.role;
  }
  get params(): Readonly<Record<string, number>> {
    return this.host.params;
  }
  get localTimeUs(): number {
    return this.host.nodeLocalTimeUs(this.node);
  }
  get random(): Rng {
    return this.node.rng;
  }
  get nodeIds(): readonly NodeId[] {
    return this.host.nodeIds;
  }
  get durable(): unknown {
    return this.node.durable;
  }
  nodesWithRole(role: string): readonly NodeId[] {
    return this.host.nodesWithRole(role);
  }
  send(to: NodeId, message: Message): void {
    this.host.sendFrom(this.node, to, message);
  }
  setTimer(name: string, delayUs: number, data?: unknown): void {
    this.host.setTimerFor(this.node, name, delayUs, data);
  }
  cancelTimer(name: string): void {
    this.host.cancelTimerFor(this.node, name);
  }
  hasTimer(name: string): boolean {
    return this.node.timers.has(name);
  }
  persist(durable: unknown): void {
    this.node.durable = durable;
  }
  metric(name: string, value: number): void {
    this.host.recordMetric(name, value);
  }
  annotate(text: string): void {
    this.host.annotateFor(this.node, text);
  }
}
