import type {
  LivenessInvariant,
  NodeId,
  NodeView,
  SafetyInvariant,
  Violation,
  WorldView,
} from '../../engine/types.ts';
import { sampleIntervalUs } from './monitor.ts';
import { outboxMax, type PublisherDurable } from './outbox.ts';
import type { SubscriberCommon, SubscriberDurable } from './processing.ts';
import { messageKey, publisherRole, subscriberRole } from './protocol.ts';
import { paramOf, profileOf, publisherIds, subscriberProfiles, topicOfSeq } from './roster.ts';
import { backlogOf, brokerOf, isHealed, isUp } from './world.ts';

/**
 * The scenario's invariants. Three safety properties, checked after every event: no
 * acknowledged message is lost to a durable subscriber (where the configuration promises it), no
 * subscriber processes a message nobody published, and each subscriber's first deliveries of
 * one publisher's messages come in that publisher's order. One liveness property: once faults
 * heal, every durable subscriber's backlog drains. The first is in ackedKept.ts.
 */

export { type KeptMemory, noAckedMessageLost, promisesNoLoss } from './ackedKept.ts';

// ---- Nothing invented, order kept ------------------------------------------------------------

export interface ProcessingMemory {
  /** Processings seen per subscriber (to notice a new one). */
  readonly seen: Record<NodeId, number>;
  /** Highest sequence number first-delivered, per subscriber and publisher. */
  readonly highest: Record<NodeId, Record<NodeId, number>>;
}

/** The processing a subscriber just did, if its last event did one. */
function newProcessing(node: NodeView | undefined, memory: ProcessingMemory) {
  if (node?.role !== subscriberRole || !isUp(node)) return null;
  const count = (node.durable as SubscriberDurable).processedCount;
  if (memory.seen[node.id] === count) return null;
  memory.seen[node.id] = count;
  return (node.state as SubscriberCommon).last;
}

/** A subscriber only ever processes messages some publisher created, on its own topics. */
export const noInventedMessage: SafetyInvariant<ProcessingMemory> = {
  id: 'no-invented-message',
  kind: 'safety',
  description: 'A subscriber processes only messages that a publisher published on its topics',
  createMemory(): ProcessingMemory {
    return { seen: {}, highest: {} };
  },
  check(world: WorldView, node: NodeView | undefined, memory: ProcessingMemory): Violation | null {
    const last = newProcessing(node, memory);
    if (last === null || node === undefined) return null;
    const publisher = world.nodes.find((each) => each.id === last.publisher);
    const nextSeq =
      publisher?.role === publisherRole ? (publisher.durable as PublisherDurable).nextSeq : 1;
    const topics = profileOf(node.id, world.params).topics;
    const isReal =
      last.seq >= 1 &&
      last.seq < nextSeq &&
      last.topic === topicOfSeq(last.seq, world.params) &&
      topics.includes(last.topic);
    if (isReal) return null;
    return {
      message: `${node.id} processed ${messageKey(last.publisher, last.seq)} on ${last.topic}, which was never published to its topics`,
      nodes: [node.id],
    };
  },
};

/**
 * Per-publisher order per subscription: a subscriber's first delivery of each message of one
 * publisher comes in sequence order (gaps allowed: lost messages). A redelivery repeats a message
 * already processed and is not a first delivery, so it never counts against the order.
 */
export const perPublisherOrder: SafetyInvariant<ProcessingMemory> = {
  id: 'per-publisher-order',
  kind: 'safety',
  description: "Each subscriber's first deliveries of one publisher's messages come in order",
  createMemory(): ProcessingMemory {
    return { seen: {}, highest: {} };
  },
  check(_world: WorldView, node: NodeView | undefined, memory: ProcessingMemory): Violation | null {
    const last = newProcessing(node, memory);
    if (last === null || last.isRepeat || node === undefined) return null;
    const highest = (memory.highest[node.id] ??= {});
    const before = highest[last.publisher] ?? 0;
    if (last.seq > before) {
      highest[last.publisher] = last.seq;
      return null;
    }
    return {
      message: `${node.id} got ${messageKey(last.publisher, last.seq)} for the first time after ${messageKey(last.publisher, before)}`,
      nodes: [node.id, last.publisher],
    };
  },
};

// ---- Liveness --------------------------------------------------------------------------------

/**
 * Once faults heal, every durable subscriber's backlog drains to at most one message per
 * publisher (what is normally on its way) within a bound. With the block policy its backlog is
 * at most the queue bound B; it drains at the subscriber's pace minus the arrival rate. With s
 * the slowest processing time, L the largest one-way latency (1.5 × the mean) and λ the total
 * publish rate, one message takes about s + 3L (process, then the pull and the delivery, with
 * room for the ack), utilisation ρ = λ(s + 3L) (capped at 0.95: past that the queue may never
 * drain, and the bound is meant to be missed), and a backlog of Q messages drains within
 * Q(s + 3L)/(1 − ρ). Q is not just the queue bound B: while the broker was down or blocking,
 * the publishers' applications kept producing into their outboxes (at most `outboxMax` each),
 * and all of that must pass the slowest subscriber after the heal, so Q = B + P × outboxMax. A
 * 60 s chaos run of the CLI showed it (seed 96: the slow subscriber still 19 behind 23.8 s after
 * the heal, with B alone giving a 23.7 s bound; drained by 90 s).
 * On top: the session, pull and ack timeouts and the publish back-off ceiling for connections
 * to recover, and one monitor sample.
 */
export const durableBacklogDrains: LivenessInvariant = {
  id: 'durable-backlog-drains',
  kind: 'liveness',
  description: "Every durable subscriber's backlog drains once faults heal",
  boundUs(params: Readonly<Record<string, number>>): number {
    const ms = (key: Parameters<typeof paramOf>[1]): number => paramOf({ params }, key) * 1000;
    const latencyUs = 1.5 * ms('linkLatencyMs');
    const processingUs = Math.max(ms('fastProcessingMs'), ms('slowProcessingMs'));
    const perMessageUs = processingUs + 3 * latencyUs;
    const arrivalPerUs = publisherIds(params).length / Math.max(1, ms('publishIntervalMs'));
    const utilisation = Math.min(0.95, arrivalPerUs * perMessageUs);
    const backlog = paramOf({ params }, 'queueCapacity') + publisherIds(params).length * outboxMax;
    const drainUs = (backlog * perMessageUs) / (1 - utilisation);
    const recoveryUs =
      ms('sessionTimeoutMs') +
      ms('pullTimeoutMs') +
      2 * ms('ackTimeoutMs') +
      16 * ms('publishBackoffMs') +
      ms('publishTimeoutMs');
    return Math.round(recoveryUs + drainUs + sampleIntervalUs);
  },
  isExpected(world: WorldView): boolean {
    if (!isHealed(world)) return false;
    // The scenario's own faults are temporary but not engine faults: wait for them to end too.
    for (const node of world.nodes) {
      if (node.role !== subscriberRole || !isUp(node)) continue;
      const common = node.state as SubscriberCommon;
      if (common.slowFactor > 1 || common.isLosingAcks) return false;
    }
    return true;
  },
  holds(world: WorldView): boolean {
    const broker = brokerOf(world);
    if (broker !== undefined && !isUp(broker)) return false;
    const allowance = publisherIds(world.params).length;
    return subscriberProfiles(world.params).every(
      (profile) => !profile.isDurable || backlogOf(world, profile.id) <= allowance,
    );
  },
};
