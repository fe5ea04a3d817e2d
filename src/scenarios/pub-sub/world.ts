import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { BrokerDurable, BrokerState, BrokerStore, QueueEntry } from './brokerTypes.ts';
import type { DirectPublisherState, DirectSubscriberState } from './direct.ts';
import type { PublisherDurable, Workload } from './outbox.ts';
import type { SubscriberDurable } from './processing.ts';
import { brokerRole, publisherRole, subscriberRole } from './protocol.ts';
import type { SubscriberState } from './subscriber.ts';

/**
 * Reading the world the same way everywhere: the monitor, the invariants, the tour and the tests
 * ask "what does the broker hold for s2?", "what has p1 had acknowledged?", "what has s3
 * processed?" through these helpers, in both variants.
 */

export function isUp(node: NodeView): boolean {
  return node.status !== 'crashed';
}

/**
 * Whether every node runs and every link the protocol uses carries messages both ways. Less
 * strict than `world.hasActiveFaults` on purpose: a lossy link that still lets some messages
 * through counts as up, since at-least-once delivery must drain the backlog over it too.
 */
export function isHealed(world: WorldView): boolean {
  // No fault in force: every node up, nothing blocked or held, every link as the topology set it
  // up, and the topology's links are lossless and include every link checked below.
  if (!world.hasActiveFaults) return true;
  if (world.nodes.some((node) => node.status !== 'up')) return false;
  const broker = brokerOf(world);
  for (const node of world.nodes) {
    if (node.role === brokerRole) continue;
    const peers =
      broker !== undefined
        ? [broker.id]
        : node.role === publisherRole
          ? world.nodes.filter((other) => other.role === subscriberRole).map((other) => other.id)
          : [];
    for (const peer of peers) {
      if (!world.canReach(node.id, peer) || !world.canReach(peer, node.id)) return false;
    }
  }
  return true;
}

/**
 * The broker's position in each run's node list, looked up once per run: a run's topology is
 * fixed, and the invariants and the monitor ask for the broker after nearly every event.
 */
const brokerIndexes = new WeakMap<WorldView, number>();

/** The broker node, or undefined in the baseline (which has none). */
export function brokerOf(world: WorldView): NodeView | undefined {
  let index = brokerIndexes.get(world);
  if (index === undefined) {
    index = world.nodes.findIndex((node) => node.role === brokerRole);
    brokerIndexes.set(world, index);
  }
  return index < 0 ? undefined : world.nodes[index];
}

/**
 * What the broker holds for `subscriber` right now and will still deliver: its live queue while
 * the broker runs (or is paused), its queue on disk while the broker is down (nothing when it is
 * not persistent, or the subscription is in-memory). Null when there is no such subscription.
 */
export function heldQueue(world: WorldView, subscriber: NodeId): readonly QueueEntry[] | null {
  const broker = brokerOf(world);
  if (broker === undefined) return null;
  if (isUp(broker)) {
    return (broker.state as BrokerState).subscriptions[subscriber]?.queue ?? null;
  }
  return (broker.durable as BrokerDurable).store?.queues[subscriber] ?? null;
}

/**
 * Where message `(publisher, seq)` is in `queue`, or −1. The search starts at `hint` and wraps
 * around: callers that look up one publisher's messages in increasing order pass the index after
 * the last hit, since a queue keeps each publisher's messages in that order (so each lookup is
 * a step or two, not a scan).
 */
export function indexOfMessage(
  queue: readonly QueueEntry[],
  publisher: NodeId,
  seq: number,
  hint = 0,
): number {
  const length = queue.length;
  const start = hint < length ? hint : 0;
  for (let step = 0; step < length; step++) {
    const at = start + step < length ? start + step : start + step - length;
    const entry = queue[at] as QueueEntry;
    if (entry.seq === seq && entry.publisher === publisher) return at;
  }
  return -1;
}

/** The broker's queues on disk by subscriber (null without persistence or broker). */
export function storedQueues(world: WorldView): BrokerStore['queues'] | null {
  const broker = brokerOf(world);
  if (broker === undefined) return null;
  return (broker.durable as BrokerDurable).store?.queues ?? null;
}

/**
 * The subscriber's backlog: messages waiting for it. The pattern: what its subscription queue
 * holds at the broker. The baseline: the calls waiting in its own in-process queue.
 */
export function backlogOf(world: WorldView, subscriber: NodeId): number {
  if (brokerOf(world) !== undefined) return heldQueue(world, subscriber)?.length ?? 0;
  const node = world.node(subscriber);
  if (!isUp(node)) return 0;
  return (node.state as DirectSubscriberState).waiting.length;
}

export function publisherStore(world: WorldView, publisher: NodeId): PublisherDurable {
  return world.node(publisher).durable as PublisherDurable;
}

/** The publisher's workload while it is up. */
export function publisherWorkload(world: WorldView, publisher: NodeId): Workload | null {
  const node = world.node(publisher);
  return isUp(node) ? (node.state as Workload) : null;
}

/** Whether a publisher has nothing left to send (nothing waiting, nothing being fanned out). */
export function isPublisherIdle(world: WorldView, publisher: NodeId): boolean {
  const workload = publisherWorkload(world, publisher);
  if (workload === null) return true;
  const fanout = (workload as Partial<DirectPublisherState>).fanout;
  return workload.outbox.length === 0 && (fanout === undefined || fanout === null);
}

export function subscriberStore(world: WorldView, subscriber: NodeId): SubscriberDurable {
  return world.node(subscriber).durable as SubscriberDurable;
}

/** The pattern subscriber's state while it is up (null in the baseline or while down). */
export function pullingState(world: WorldView, subscriber: NodeId): SubscriberState | null {
  if (brokerOf(world) === undefined) return null;
  const node = world.node(subscriber);
  return isUp(node) ? (node.state as SubscriberState) : null;
}

/** First deliveries (repeats excluded) a subscriber has processed. */
export function firstDeliveries(world: WorldView, subscriber: NodeId): number {
  const store = subscriberStore(world, subscriber);
  return store.processedCount - store.duplicateCount;
}
