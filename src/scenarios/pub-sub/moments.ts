import type { MomentSink, MomentSpec, NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { outboxMax, type Workload } from './outbox.ts';
import { publisherRole, subscriberRole } from './protocol.ts';
import { brokerId, paramOf, publisherIds, subscriberIds } from './roster.ts';
import { backlogOf, brokerOf, isUp } from './world.ts';

/**
 * The moments of Pub/Sub: a subscriber falls behind (its backlog fills a quarter of its queue)
 * and catches up (its backlog is empty again); a publisher is held up (its outbox fills up with
 * messages it cannot hand on) and catches up (its outbox is empty again). The thresholds are far
 * apart on purpose [1], so a node that hovers around a few waiting messages reports nothing.
 * Without a broker a slow subscriber holds up the publishers rather than falling behind itself
 * [3]: the baseline shows that contrast.
 */

export const pubSubMoments: readonly MomentSpec[] = [
  { id: 'subscriber-fell-behind', label: 'Subscriber fell behind' },
  { id: 'subscriber-caught-up', label: 'Subscriber caught up' },
  { id: 'publisher-held-up', label: 'Publisher held up' },
  { id: 'publisher-caught-up', label: 'Publisher caught up' },
];

/** A node the monitor has seen fall behind, until it catches up (`sinceUs` −1: it is not). */
interface Behind {
  sinceUs: number;
  /** The largest backlog seen meanwhile. */
  peak: number;
}

/** Subscribers and publishers by id, from the first time one falls behind. */
export type BacklogSeen = Record<NodeId, Behind>;

/** The outbox length at which a publisher counts as held up: a tenth of the outbox. */
export const heldUpThreshold = outboxMax / 10;

/** Share of the queue capacity a backlog must reach to count as falling behind. */
const behindShareOfQueue = 4;

/** The backlog at which a subscriber counts as behind (a quarter of its queue, at least 2). */
export function behindThreshold(world: { readonly params: Readonly<Record<string, number>> }) {
  return Math.max(2, Math.round(paramOf(world, 'queueCapacity') / behindShareOfQueue));
}

/**
 * Looks at the backlogs that the event could have changed [2]: in the pattern every backlog sits
 * at the broker, so only the broker's events (or a command) move them; in the baseline each
 * subscriber holds its own.
 */
export function observeBacklogs(
  world: WorldView,
  node: NodeView | undefined,
  seen: BacklogSeen,
  moment: MomentSink,
): void {
  const broker = brokerOf(world);
  if (node === undefined) {
    for (const id of publisherIds(world.params)) checkOutbox(world, world.node(id), seen, moment);
  } else if (node.role === publisherRole) {
    checkOutbox(world, node, seen, moment);
    return;
  }
  if (node === undefined || (broker !== undefined && node.id === brokerId)) {
    for (const id of subscriberIds(world.params)) checkBacklog(world, id, seen, moment);
  } else if (broker === undefined && node.role === subscriberRole) {
    checkBacklog(world, node.id, seen, moment);
  }
}

/** The publisher's outbox: messages created and not yet handed on (acknowledged or fanned out). */
function checkOutbox(world: WorldView, node: NodeView, seen: BacklogSeen, moment: MomentSink) {
  // A crashed publisher has no outbox (it is volatile): nothing to judge until it is back.
  if (!isUp(node)) return;
  const waiting = (node.state as Workload).outbox.length;
  const held = seen[node.id];
  if (held === undefined || held.sinceUs < 0) {
    if (waiting < heldUpThreshold) return;
    startBehind(world, seen, node.id, waiting);
    const why =
      brokerOf(world) === undefined
        ? 'each message waits until every subscriber has answered the one before'
        : 'the broker does not acknowledge them as fast as they are created';
    moment(
      'publisher-held-up',
      `${node.id} is held up: ${waiting} messages wait in its outbox, because ${why}`,
      [node.id],
    );
    return;
  }
  if (waiting > held.peak) held.peak = waiting;
  if (waiting > 0) return;
  moment(
    'publisher-caught-up',
    `${node.id} caught up: its outbox is empty again, after ${secondsSince(world, held)} s ` +
      `with at most ${held.peak} messages waiting`,
    [node.id],
  );
  held.sinceUs = -1;
}

/** Notes that `id` fell behind now (its record is made once, then reused). */
function startBehind(world: WorldView, seen: BacklogSeen, id: NodeId, count: number): void {
  const behind = seen[id];
  if (behind === undefined) {
    seen[id] = { sinceUs: world.nowUs, peak: count };
  } else {
    behind.sinceUs = world.nowUs;
    behind.peak = count;
  }
}

function secondsSince(world: WorldView, behind: Behind): string {
  return ((world.nowUs - behind.sinceUs) / 1_000_000).toFixed(1);
}

function checkBacklog(world: WorldView, id: NodeId, seen: BacklogSeen, moment: MomentSink): void {
  const subscriber = world.node(id);
  // A crashed baseline subscriber has lost its in-process queue: not caught up, just gone.
  if (!isUp(subscriber) && brokerOf(world) === undefined) return;
  const backlog = backlogOf(world, id);
  const behind = seen[id];
  if (behind === undefined || behind.sinceUs < 0) {
    const threshold = behindThreshold(world);
    if (backlog < threshold) return;
    startBehind(world, seen, id, backlog);
    const where = brokerOf(world) === undefined ? 'in its own queue' : 'for it at the broker';
    moment(
      'subscriber-fell-behind',
      `${id} fell behind: ${backlog} messages wait ${where} ` +
        `(${threshold} is a quarter of the ${paramOf(world, 'queueCapacity')}-message queue)`,
      [id],
    );
    return;
  }
  if (backlog > behind.peak) behind.peak = backlog;
  if (backlog > 0) return;
  const seconds = secondsSince(world, behind);
  behind.sinceUs = -1;
  moment(
    'subscriber-caught-up',
    `${id} caught up: nothing waits for it any more, after ${seconds} s behind ` +
      `with at most ${behind.peak} messages waiting`,
    [id],
  );
}

/*
 * Notes
 *
 * [1] Hysteresis. A subscriber that keeps up still has a message or two waiting now and then
 *     (one in flight, one just published), so "behind" needs a real backlog, and "caught up"
 *     needs it drained to zero: between the two nothing is reported, however the backlog moves.
 * [2] Cost. This runs after every event; the common case (a publisher's or a subscriber's event
 *     in the pattern) returns after two comparisons, and a check reads one queue's length.
 * [3] Without a broker a publisher calls every subscriber and fans out one message at a time
 *     (direct.ts): a subscriber's own queue never holds more than one call per publisher, and
 *     what waits piles up in the publishers' outboxes instead.
 */
