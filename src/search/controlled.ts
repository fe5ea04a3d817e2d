import { EventKind } from '../engine/eventPool.ts';
import type { NodeRuntime } from '../engine/nodeRuntime.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Message, NodeId } from '../engine/types.ts';

/*
 * A run whose next step is chosen from outside, through ordinary commands only. Every link is
 * held from the start (`link.hold`) with no latency, loss or duplication (`link.set`), so a
 * message that is sent waits on its link until the explorer delivers it: a `link.release`, one
 * step of the engine (the message at the head of that link is the next event), and a
 * `link.hold` again, which catches the rest of the link's messages as they come due. Timers fire
 * in the engine's own order when the explorer lets time pass (`advance`), and crashes and
 * restarts are the `node.crash` and `node.restart` commands.
 *
 * Because the engine records every command with the number of events before it, the run the
 * explorer leaves behind (`sim.describe()`) replays, in the normal engine and the app, to the
 * very same trace: nothing in the engine behaves differently while it is explored.
 */

/** One choice of what happens next. */
export type Choice =
  | { readonly kind: 'deliver'; readonly from: NodeId; readonly to: NodeId }
  | { readonly kind: 'advance' }
  | { readonly kind: 'fire'; readonly node: NodeId }
  | { readonly kind: 'crash'; readonly node: NodeId }
  | { readonly kind: 'restart'; readonly node: NodeId };

/** A choice as it happened, with what it did in words (the message, the timer). */
export interface Step {
  readonly choice: Choice;
  /** E.g. `n1 → n3 RequestVote`, `n2's timer "election" fires`, `n3 crashes`. */
  readonly text: string;
}

/** Latency every explored link gets: delivery is the explorer's decision, not the clock's. */
const immediate = { kind: 'constant', us: 0 } as const;

/** Puts every link of a fresh run under the explorer's control and settles the first sends. */
export function takeControl(sim: Simulation): void {
  const ids = sim.nodeIds;
  const n = ids.length;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b || sim.links[a * n + b]?.exists !== true) continue;
      const from = ids[a] as NodeId;
      const to = ids[b] as NodeId;
      sim.apply({
        type: 'link.set',
        from,
        to,
        latency: immediate,
        lossProbability: 0,
        duplicateProbability: 0,
      });
      sim.apply({ type: 'link.hold', from, to });
    }
  }
  settle(sim);
}

/** Whether the timer event in `slot` is still pending (not cancelled, replaced or crashed away). */
function isLiveTimer(sim: Simulation, slot: number): boolean {
  const pool = sim.pool;
  const node = sim.nodeList[pool.targets[slot] as number] as NodeRuntime;
  return (
    node.incarnation === pool.sentUs[slot] &&
    node.timers.get(pool.objects[slot] as string) === pool.ids[slot]
  );
}

/**
 * Drops stale timers at the head of the queue, as the engine does when it reaches them (without
 * counting an event), and returns the head's slot, or -1 when nothing is pending.
 */
function liveHead(sim: Simulation): number {
  const { queue, pool } = sim;
  for (;;) {
    const slot = queue.peekSlot();
    if (slot < 0) return -1;
    if (pool.kinds[slot] !== EventKind.timer || isLiveTimer(sim, slot)) return slot;
    queue.pop();
    pool.release(slot);
  }
}

/**
 * Runs what is forced: messages coming due (they join their held link's queue) and anything
 * due no later than now. What is left is a choice: a held message, or the next timer.
 */
export function settle(sim: Simulation): void {
  for (;;) {
    const slot = liveHead(sim);
    if (slot < 0) return;
    const isDelivery = sim.pool.kinds[slot] === EventKind.delivery;
    if (!isDelivery && sim.queue.peekTime() > sim.clockUs) return;
    sim.step();
  }
}

/** Whether a timer (or a timed resume) is pending, so letting time pass does something. */
function hasPendingTimer(sim: Simulation): boolean {
  const pool = sim.pool;
  for (let slot = 0; slot < pool.highWater; slot++) {
    const kind = pool.kinds[slot];
    if (kind === EventKind.resume) return true;
    if (kind === EventKind.timer && isLiveTimer(sim, slot)) return true;
  }
  return false;
}

/** How many crashes and restarts the explorer may still add, and which roles may crash. */
export interface FaultBudget {
  readonly remaining: number;
  readonly roles: ReadonlySet<string> | null;
  /**
   * Whether a node's next timer may fire before other nodes' earlier ones (`fire`); only nodes
   * of `roles` are offered.
   */
  readonly isAnyTimer?: boolean;
}

/** A pending timer: its node, slot, due time and token (the order the engine fires ties in). */
interface PendingTimer {
  readonly node: number;
  readonly slot: number;
  readonly dueUs: number;
  readonly token: number;
}

function isBefore(a: PendingTimer, b: PendingTimer): boolean {
  return a.dueUs < b.dueUs || (a.dueUs === b.dueUs && a.token < b.token);
}

/** Each node's next live timer (by due time, then token), by node index. */
function nextTimers(sim: Simulation): Map<number, PendingTimer> {
  const pool = sim.pool;
  const next = new Map<number, PendingTimer>();
  for (let slot = 0; slot < pool.highWater; slot++) {
    if (pool.kinds[slot] !== EventKind.timer || !isLiveTimer(sim, slot)) continue;
    const timer = {
      node: pool.targets[slot] as number,
      slot,
      dueUs: pool.dueUs[slot] as number,
      token: pool.ids[slot] as number,
    };
    const known = next.get(timer.node);
    if (known === undefined || isBefore(timer, known)) next.set(timer.node, timer);
  }
  return next;
}

/** The timer the engine fires next, of all nodes' next ones. */
function firstOf(timers: ReadonlyMap<number, PendingTimer>): PendingTimer | undefined {
  let first: PendingTimer | undefined;
  for (const timer of timers.values())
    if (first === undefined || isBefore(timer, first)) first = timer;
  return first;
}

/** Every choice at a settled state, in a fixed order (links, time, crashes, restarts). */
export function choicesAt(sim: Simulation, faults: FaultBudget): Choice[] {
  const choices: Choice[] = [];
  const ids = sim.nodeIds;
  const n = ids.length;
  for (let pair = 0; pair < sim.links.length; pair++) {
    const link = sim.links[pair];
    if (link === undefined || link.held.length === 0) continue;
    const to = sim.nodeList[pair % n] as NodeRuntime;
    // A message for a node that is down waits: delivering it later is a slow message, and
    // losing it is the same as never delivering it (see CONTEXT.md, "Reductions").
    if (to.status !== 'up') continue;
    choices.push({ kind: 'deliver', from: ids[Math.floor(pair / n)] as NodeId, to: to.id });
  }
  if (hasPendingTimer(sim)) choices.push({ kind: 'advance' });
  if (faults.isAnyTimer === true) {
    // Every other node's next timer may go first: its clock runs a little fast, or theirs slow.
    const timers = nextTimers(sim);
    const first = firstOf(timers);
    for (const timer of timers.values()) {
      const node = sim.nodeList[timer.node] as NodeRuntime;
      // Only the nodes under test (the roles that may crash): a client's far-off timer fired
      // early would only move the clock to it.
      if (timer === first || (faults.roles !== null && !faults.roles.has(node.role))) continue;
      choices.push({ kind: 'fire', node: node.id });
    }
  }
  if (faults.remaining > 0) {
    for (const node of sim.nodeList) {
      if (faults.roles !== null && !faults.roles.has(node.role)) continue;
      if (node.status === 'up') choices.push({ kind: 'crash', node: node.id });
    }
    for (const node of sim.nodeList) {
      if (node.status === 'crashed') choices.push({ kind: 'restart', node: node.id });
    }
  }
  return choices;
}

/** Whether a choice spends one of the fault budget. */
export function isFault(choice: Choice): boolean {
  return choice.kind === 'crash' || choice.kind === 'restart';
}

/** Takes `choice` on a settled run and settles it again; returns what happened, in words. */
export function take(sim: Simulation, choice: Choice): Step {
  let text: string;
  switch (choice.kind) {
    case 'deliver': {
      const n = sim.nodeIds.length;
      const pair = sim.nodeById(choice.from).index * n + sim.nodeById(choice.to).index;
      const head = sim.links[pair]?.held[0];
      const message = head === undefined ? undefined : (sim.pool.objects[head] as Message);
      text = `${choice.from} → ${choice.to} ${message?.type ?? '?'}`;
      sim.apply({ type: 'link.release', from: choice.from, to: choice.to });
      // The released messages are now the earliest events (the run was settled): the next
      // step delivers the head one, and holding the link again catches the others.
      sim.step();
      sim.apply({ type: 'link.hold', from: choice.from, to: choice.to });
      break;
    }
    case 'advance':
      text = advance(sim);
      break;
    case 'fire':
      text = fireFirst(sim, choice.node);
      break;
    case 'crash':
      sim.apply({ type: 'node.crash', node: choice.node });
      text = `${choice.node} crashes`;
      break;
    case 'restart':
      sim.apply({ type: 'node.restart', node: choice.node });
      text = `${choice.node} restarts`;
      break;
    default: {
      const unknown: never = choice;
      throw new Error(`Unknown choice ${JSON.stringify(unknown)}`);
    }
  }
  settle(sim);
  return { choice, text };
}

/**
 * Lets time pass to the next timer and fires it (the engine's periodic ticks on the way are
 * part of the same step: they sample metrics and change nothing a node sees).
 */
function advance(sim: Simulation): string {
  const pool = sim.pool;
  for (;;) {
    const slot = liveHead(sim);
    if (slot < 0) return 'time passes';
    const kind = pool.kinds[slot];
    const node = sim.nodeList[pool.targets[slot] as number];
    const text =
      kind === EventKind.timer
        ? `${node?.id ?? '?'}'s timer "${String(pool.objects[slot])}" fires`
        : `${node?.id ?? '?'} resumes`;
    sim.step();
    if (kind !== EventKind.tick) return `${text} at ${msText(sim.clockUs)}`;
  }
}

/**
 * Fires `node`'s next timer before the earlier timers of other nodes: those nodes are paused
 * (`node.pause`) while time passes to it, so their timers wait, and resumed (`node.resume`)
 * right after, when their waiting timers fire late, at once, in order (settling runs them).
 */
function fireFirst(sim: Simulation, nodeId: NodeId): string {
  const timers = nextTimers(sim);
  const index = sim.nodeById(nodeId).index;
  const own = timers.get(index);
  if (own === undefined) return `${nodeId} has no timer`;
  const held: NodeId[] = [];
  for (const timer of timers.values()) {
    if (timer.node !== index && isBefore(timer, own)) held.push(sim.nodeIds[timer.node] as NodeId);
  }
  held.sort((a, b) => sim.nodeById(a).index - sim.nodeById(b).index);
  for (const id of held) sim.apply({ type: 'node.pause', node: id });
  const name = String(sim.pool.objects[own.slot]);
  for (;;) {
    const slot = liveHead(sim);
    if (slot < 0) break;
    sim.step();
    if (slot === own.slot) break;
  }
  for (const id of held) sim.apply({ type: 'node.resume', node: id });
  return `${nodeId}'s timer "${name}" fires at ${msText(sim.clockUs)}, before ${held.join(', ')}'s`;
}

function msText(us: number): string {
  return `${String(Math.round(us / 100) / 10)} ms`;
}
