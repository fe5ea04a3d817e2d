import type { NodeId, WorldView } from '../../engine/types.ts';
import type { Instrument, InstrumentReading } from '../define.ts';
import type { BrokerState, QueueEntry } from './brokerTypes.ts';
import { behindThreshold } from './moments.ts';
import { outboxMax } from './outbox.ts';
import type { SubscriberCommon } from './processing.ts';
import { paramOf, publisherIds, subscriberProfiles } from './roster.ts';
import {
  backlogOf,
  brokerOf,
  heldQueue,
  isUp,
  publisherWorkload,
  subscriberStore,
} from './world.ts';

/**
 * The subscriptions as a broker's console shows them (Google Cloud Pub/Sub's "unacked messages"
 * and "oldest unacked" per subscription, RabbitMQ's "ready / unacked" per queue): for each
 * subscription its queue against the bound, how many of those are delivered and not acked yet,
 * how many are out again after an ack timeout (redelivered), and which subscriber fell behind.
 * Without a broker (the baseline) the waiting happens in the publishers' outboxes instead.
 */

export interface SubscriptionReading {
  readonly id: NodeId;
  readonly isDurable: boolean;
  /** Slow by profile (the parameters' slow subscribers). */
  readonly isSlow: boolean;
  /** Processing-time multiplier of the "slow subscriber" fault or the storyline (1: none). */
  readonly slowFactor: number;
  readonly isUp: boolean;
  /** Whether the broker holds a subscription for it (an in-memory one may be gone). */
  readonly hasSubscription: boolean;
  /** Messages waiting for it: at the broker (pattern), in its own call queue (baseline). */
  readonly queued: number;
  /** Of those, delivered and not acked yet. */
  readonly unacked: number;
  /** Of those, delivered more than once (an ack timeout passed). */
  readonly redelivered: number;
  /** Repeat processings so far (the subscriber's own count). */
  readonly duplicates: number;
  /** Since when the monitor counts it behind (a quarter of the queue); null when it is not. */
  readonly behindSinceUs: number | null;
}

export interface PublisherReading {
  readonly id: NodeId;
  /** Messages created and not yet handed on; null while the publisher is down. */
  readonly outbox: number | null;
}

export interface PubSubInstrumentData {
  readonly hasBroker: boolean;
  readonly isBrokerUp: boolean;
  readonly capacity: number;
  /** The backlog at which a subscriber counts as fallen behind. */
  readonly behindAt: number;
  readonly policy: 'drop-oldest' | 'block-publisher';
  readonly isAtLeastOnce: boolean;
  readonly nowUs: number;
  readonly subscriptions: readonly SubscriptionReading[];
  readonly publishers: readonly PublisherReading[];
  readonly outboxMax: number;
}

/** The monitor's record of who is behind (monitor.ts `behind`), read without trusting its shape. */
function behindSince(monitorMemory: unknown, id: NodeId): number | null {
  if (typeof monitorMemory !== 'object' || monitorMemory === null) return null;
  const behind = (monitorMemory as { readonly behind?: Record<NodeId, { sinceUs: number }> })
    .behind;
  const since = behind?.[id]?.sinceUs;
  return since === undefined || since < 0 ? null : since;
}

/** Unacked and redelivered messages of one queue (bounded by the queue bound). */
function countQueue(queue: readonly QueueEntry[]): { unacked: number; redelivered: number } {
  let unacked = 0;
  let redelivered = 0;
  for (const entry of queue) {
    if (entry.inFlight !== null) unacked++;
    if (entry.attempts > 1) redelivered++;
  }
  return { unacked, redelivered };
}

export function readSubscriptions(world: WorldView, monitorMemory: unknown): PubSubInstrumentData {
  const broker = brokerOf(world);
  const hasBroker = broker !== undefined;
  const brokerState =
    broker !== undefined && isUp(broker) ? (broker.state as BrokerState) : undefined;
  const subscriptions = subscriberProfiles(world.params).map((profile): SubscriptionReading => {
    const node = world.node(profile.id);
    const up = isUp(node);
    const queue = hasBroker ? heldQueue(world, profile.id) : null;
    const counts = queue === null ? { unacked: 0, redelivered: 0 } : countQueue(queue);
    return {
      id: profile.id,
      isDurable: profile.isDurable,
      isSlow: profile.isSlow,
      slowFactor: up ? (node.state as SubscriberCommon).slowFactor : 1,
      isUp: up,
      hasSubscription: hasBroker
        ? brokerState === undefined
          ? queue !== null
          : brokerState.subscriptions[profile.id] !== undefined
        : false,
      queued: backlogOf(world, profile.id),
      ...counts,
      duplicates: subscriberStore(world, profile.id).duplicateCount,
      behindSinceUs: behindSince(monitorMemory, profile.id),
    };
  });
  const publishers = publisherIds(world.params).map((id) => ({
    id,
    outbox: publisherWorkload(world, id)?.outbox.length ?? null,
  }));
  return {
    hasBroker,
    isBrokerUp: broker !== undefined && broker.status === 'up',
    capacity: paramOf(world, 'queueCapacity'),
    behindAt: behindThreshold(world),
    policy: paramOf(world, 'overflowPolicy') === 1 ? 'block-publisher' : 'drop-oldest',
    isAtLeastOnce: paramOf(world, 'deliveryMode') === 1,
    nowUs: world.nowUs,
    subscriptions,
    publishers,
    outboxMax,
  };
}

function listOf(ids: readonly string[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids.at(-1) ?? ''}`;
}

/** Whether the subscription is behind: the monitor says so, or its backlog reached the mark. */
export function isBehind(data: PubSubInstrumentData, sub: SubscriptionReading): boolean {
  return sub.behindSinceUs !== null || (data.hasBroker && sub.queued >= data.behindAt);
}

function seconds(us: number): string {
  return `${(us / 1_000_000).toFixed(1)} s`;
}

/** The subscriptions in one or two sentences, as the figure's accessible name. */
export function describeSubscriptions(data: PubSubInstrumentData): string {
  const down = data.subscriptions.filter((sub) => !sub.isUp).map((sub) => sub.id);
  const downText =
    down.length === 0 ? '' : ` ${listOf(down)} ${down.length === 1 ? 'is' : 'are'} down.`;
  if (!data.hasBroker) {
    const waiting = data.publishers.map((pub) =>
      pub.outbox === null ? `${pub.id} down` : `${pub.id} ${pub.outbox}`,
    );
    const slowed = data.subscriptions.filter((sub) => sub.slowFactor > 1).map((sub) => sub.id);
    const slowText =
      slowed.length === 0 ? '' : ` (slowed ${listOf(slowed)} holds up every publisher)`;
    return `Subscriptions: none without a broker; outboxes hold ${waiting.join(', ')}${slowText}.${downText}`;
  }
  const brokerText = data.isBrokerUp ? '' : ' The broker is down.';
  const behind = data.subscriptions.filter((sub) => isBehind(data, sub));
  const others = data.subscriptions.filter((sub) => !isBehind(data, sub) && sub.isUp);
  if (behind.length === 0) {
    const most = data.subscriptions.reduce((max, sub) => Math.max(max, sub.queued), 0);
    const queued = most === 0 ? 'nothing queued' : `at most ${most} of ${data.capacity} queued`;
    return `Subscriptions: every subscriber keeps up; ${queued}.${brokerText}${downText}`;
  }
  const behindText = behind
    .map((sub) => {
      const since =
        sub.behindSinceUs === null ? '' : `, behind for ${seconds(data.nowUs - sub.behindSinceUs)}`;
      const slow = sub.slowFactor > 1 ? `, processing ${sub.slowFactor}× slower` : '';
      const full =
        sub.queued >= data.capacity
          ? data.policy === 'block-publisher'
            ? ' (full: publishes are refused)'
            : ' (full: the oldest are dropped)'
          : '';
      return `${sub.id} has ${sub.queued} of ${data.capacity} queued${full}, ${sub.redelivered} redelivered${slow}${since}`;
    })
    .join('; ');
  const othersText =
    others.length === 0
      ? ''
      : `; ${others.length === 1 ? `${others[0]?.id ?? ''} keeps` : 'others keep'} up`;
  return `Subscriptions: ${behindText}${othersText}.${brokerText}${downText}`;
}

export const pubSubInstrument: Instrument = {
  title: 'Subscriptions',
  read(world, monitorMemory): InstrumentReading {
    const data = readSubscriptions(world, monitorMemory);
    return { description: describeSubscriptions(data), data };
  },
};
