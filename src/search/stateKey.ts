import { EventKind } from '../engine/eventPool.ts';
import type { NodeRuntime } from '../engine/nodeRuntime.ts';
import type { Simulation } from '../engine/simulation.ts';
import { canonicalText } from './canonical.ts';

/*
 * The key two explored states are merged by: everything of a settled controlled run that can
 * change what happens next or what the invariant decides, and nothing else.
 *
 * In it: the clock (behaviours read their local time, and timers are due at absolute times);
 * each node's status, volatile and durable state, and random stream position (Raft draws its
 * next election timeout from it, so two nodes in the same state with different streams part
 * ways); every pending timer with its due time and data; the messages waiting on each link, in
 * order (a held link delivers first in, first out); messages still on their way to a link; the
 * chosen invariant's memory (Bully's "who led each term" is history, not state); and the faults
 * left to spend.
 *
 * Left out, because nothing a node or the invariant sees depends on it: metric samples, the
 * monitor's memory and moments, the trace, message ids and timer tokens (names the engine gives,
 * never read by behaviours), node incarnations (they only make timers stale, and the pending
 * timers are in the key), and the link streams (no latency, loss or duplication is drawn on an
 * explored link).
 */

/** The key of a settled controlled run. */
export function stateKey(sim: Simulation, invariantIndex: number, faultsLeft: number): string {
  const parts: string[] = [String(sim.clockUs), String(faultsLeft)];
  for (const node of sim.nodeList) parts.push(nodeText(node));
  parts.push(pendingText(sim));
  parts.push(heldText(sim));
  const memories = sim.invariants.snapshot().memories;
  parts.push(canonicalText(memories[invariantIndex]));
  return parts.join('|');
}

function nodeText(node: NodeRuntime): string {
  return `${node.status};${canonicalText(node.state)};${canonicalText(node.durable)};${node.rng.getState().join(',')}`;
}

/** Live timers and messages not yet on a link, sorted so that their slots do not matter. */
function pendingText(sim: Simulation): string {
  const pool = sim.pool;
  const items: string[] = [];
  for (let slot = 0; slot < pool.highWater; slot++) {
    const kind = pool.kinds[slot];
    const target = pool.targets[slot] as number;
    if (kind === EventKind.timer) {
      const node = sim.nodeList[target] as NodeRuntime;
      const name = pool.objects[slot] as string;
      const isLive =
        node.incarnation === pool.sentUs[slot] && node.timers.get(name) === pool.ids[slot];
      if (!isLive) continue;
      items.push(
        `t${target}:${JSON.stringify(name)}@${pool.dueUs[slot]}:${canonicalText(pool.data[slot])}`,
      );
    } else if (kind === EventKind.delivery && !isHeldSlot(sim, slot)) {
      items.push(
        `m${pool.sources[slot]}>${target}@${pool.dueUs[slot]}:${canonicalText(pool.objects[slot])}`,
      );
    } else if (kind === EventKind.resume) {
      items.push(`r${target}`);
    }
  }
  // A plain code-unit order: the same on every engine (no locale).
  items.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return items.join(';');
}

/** Whether a delivery slot sits in a held link's queue (it is then keyed by `heldText`). */
function isHeldSlot(sim: Simulation, slot: number): boolean {
  const n = sim.nodeList.length;
  const pair = (sim.pool.sources[slot] as number) * n + (sim.pool.targets[slot] as number);
  return sim.links[pair]?.held.includes(slot) === true;
}

/**
 * Each link's waiting messages in delivery order, and, on a bandwidth-limited link still busy
 * sending, when it is free again (the next send's delivery time depends on it).
 */
function heldText(sim: Simulation): string {
  const parts: string[] = [];
  sim.links.forEach((link, pair) => {
    const isBusy = link.busyUntilUs > sim.clockUs;
    if (link.held.length === 0 && !isBusy) return;
    const messages = link.held.map((slot) => canonicalText(sim.pool.objects[slot]));
    parts.push(`${pair}:${messages.join(',')}${isBusy ? `@${link.busyUntilUs}` : ''}`);
  });
  return parts.join(';');
}
