import type { NodeId } from '../../engine/types.ts';

/**
 * The broker's configuration and state, exported for reuse: a scenario that needs a message
 * broker (CQRS's change feed) builds one with `brokerBehaviour(config)` and reads these types.
 */

/** What a full subscription queue does with a new message. */
export type OverflowPolicy = 'drop-oldest' | 'block-publisher';

/** The broker's knobs, read afresh each time they are used (so they may follow live params). */
export interface BrokerSettings {
  /** Keep each message until acked and redeliver it after `ackTimeoutUs` (else forget on send). */
  readonly isAtLeastOnce: boolean;
  /** Write queues and publisher positions to durable state before acking a publish. */
  readonly isPersistent: boolean;
  /** Most messages one subscription queue holds (in-flight ones included). */
  readonly queueCapacity: number;
  readonly overflow: OverflowPolicy;
  readonly ackTimeoutUs: number;
  /** An in-memory subscription that has not pulled for this long is dropped. */
  readonly sessionTimeoutUs: number;
}

/** A durable subscription the broker provisions: it exists whether its subscriber is up or not. */
export interface SubscriptionSpec {
  readonly subscriber: NodeId;
  readonly topics: readonly string[];
}

/** Metric names the broker records samples under; leave one out to record nothing for it. */
export interface BrokerMetricNames {
  /** One sample of 1 per message dropped by the drop-oldest policy. */
  readonly overflowDrops?: string;
  /** One sample of 1 per delivery that is not a message's first. */
  readonly redeliveries?: string;
}

/** Everything a broker needs from the scenario that hosts it. */
export interface BrokerConfig {
  settings(params: Readonly<Record<string, number>>): BrokerSettings;
  durableSubscriptions(params: Readonly<Record<string, number>>): readonly SubscriptionSpec[];
  readonly metrics?: BrokerMetricNames;
}

/** A message delivered on pull `pull` of `session` and not acked yet (at-least-once). */
export interface InFlight {
  readonly session: number;
  readonly pull: number;
  /** Broker-local time after which the message may be delivered again. */
  readonly deadlineUs: number;
}

/** One message in one subscription queue. */
export interface QueueEntry {
  readonly publisher: NodeId;
  readonly seq: number;
  readonly topic: string;
  readonly createdUs: number;
  /** Deliveries so far. */
  readonly attempts: number;
  readonly inFlight: InFlight | null;
}

/** The broker's last answer to a subscription's pull (read by the scenario's loss accounting). */
export interface ResponseRecord {
  readonly session: number;
  readonly pull: number;
  readonly publisher: NodeId;
  readonly seq: number;
}

/** One subscriber's subscription: its topics, its queue and its connection. */
export interface Subscription {
  readonly subscriber: NodeId;
  readonly topics: readonly string[];
  readonly isDurable: boolean;
  /** The subscriber session attached now (0: none yet). */
  readonly session: number;
  /** Highest pull number seen in that session. */
  readonly lastPull: number;
  /** The pull the broker holds, waiting for a message to answer it with. */
  readonly parkedPull: number | null;
  /** Broker-local time of the last pull (in-memory subscriptions expire without pulls). */
  readonly lastSeenUs: number;
  readonly queue: readonly QueueEntry[];
  readonly lastResponse: ResponseRecord | null;
}

/** Volatile state: rebuilt from durable state (or from nothing) on every start. */
export interface BrokerState {
  readonly epoch: number;
  /** The queue bound as last read from the settings (for the node summary). */
  readonly capacity: number;
  /** Highest sequence number accepted from each publisher (publish deduplication). */
  readonly lastAccepted: Readonly<Record<NodeId, number>>;
  /** By subscriber id: durable subscriptions first, in config order, then in-memory ones. */
  readonly subscriptions: Readonly<Record<NodeId, Subscription>>;
}

/** What a persistent broker keeps on disk: durable subscriptions' queues and publisher positions. */
export interface BrokerStore {
  readonly lastAccepted: Readonly<Record<NodeId, number>>;
  readonly queues: Readonly<Record<NodeId, readonly QueueEntry[]>>;
}

/**
 * Durable state. The boot count `epoch` is kept even when persistence is off (a process knows
 * it restarted); `store` is null unless the broker is persistent.
 */
export interface BrokerDurable {
  readonly epoch: number;
  readonly store: BrokerStore | null;
}
