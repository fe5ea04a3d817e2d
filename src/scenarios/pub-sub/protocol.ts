import type { NodeId } from '../../engine/types.ts';

/**
 * The broker's wire protocol. It is the whole contract between the broker and its clients, so
 * any behaviour that speaks it can publish or subscribe (the CQRS scenario's change feed reuses
 * the broker this way). Numbered notes [n] are at the end of the file.
 *
 * A message is identified by its publisher (the sending node) and the publisher's sequence
 * number: `(publisher, seq)`. Publishers number their messages 1, 2, 3… and never reuse a number.
 */

/** The role names the broker and the scenario's workload use. */
export const publisherRole = 'publisher';
export const brokerRole = 'broker';
export const subscriberRole = 'subscriber';

// ---- Publisher ↔ broker ----------------------------------------------------------------------

/**
 * [1] A publisher offers message `seq` on `topic`. `epoch` is the broker incarnation the
 * publisher last heard from (0 when it knows none); the broker refuses any other.
 */
export interface PublishMessage {
  readonly type: 'Publish';
  readonly topic: string;
  readonly seq: number;
  /** The publisher's local time when the message was created: end-to-end latency starts here. */
  readonly createdUs: number;
  readonly epoch: number;
}

/** [1] The broker has accepted `seq` (stored, and on disk when persistent): it will not lose it. */
export interface PublishAckMessage {
  readonly type: 'PublishAck';
  readonly seq: number;
  readonly epoch: number;
}

/**
 * [1] The broker refuses `seq`: `full` (a subscription queue is at its bound and the overflow
 * policy is to block publishers: back off and retry) or `epoch` (the publisher named an older
 * broker incarnation: adopt `epoch` and retry at once).
 */
export interface PublishNackMessage {
  readonly type: 'PublishNack';
  readonly seq: number;
  readonly epoch: number;
  readonly reason: 'full' | 'epoch';
}

// ---- Subscriber ↔ broker ---------------------------------------------------------------------

/**
 * [2] A subscriber asks for the next message of its subscription (a long poll: the broker holds
 * it until a message is there). `session` numbers the subscriber's connections (a restart opens
 * a new one); `pull` numbers the pulls within a session. `topics` and `isDurable` let the broker
 * open an in-memory subscription on first contact; durable ones are provisioned by its config.
 */
export interface PullMessage {
  readonly type: 'Pull';
  readonly session: number;
  readonly pull: number;
  readonly topics: readonly string[];
  readonly isDurable: boolean;
}

/** [2] The answer to pull `pull` of `session`: one message. `attempt` > 1 marks a redelivery. */
export interface DeliverMessage {
  readonly type: 'Deliver';
  readonly session: number;
  readonly pull: number;
  readonly publisher: NodeId;
  readonly seq: number;
  readonly topic: string;
  readonly createdUs: number;
  readonly attempt: number;
}

/** [3] At-least-once: the subscriber is done with `(publisher, seq)`; the broker may forget it. */
export interface AckMessage {
  readonly type: 'Ack';
  readonly publisher: NodeId;
  readonly seq: number;
}

export type PublisherMessage = PublishMessage | PublishAckMessage | PublishNackMessage;
export type SubscriptionMessage = PullMessage | DeliverMessage | AckMessage;
export type BrokerMessage = PublisherMessage | SubscriptionMessage;

// ---- The baseline: publisher → subscriber directly --------------------------------------------

/** Baseline: the publisher calls a subscriber with message `seq` itself. */
export interface NotifyMessage {
  readonly type: 'Notify';
  readonly seq: number;
  readonly topic: string;
  readonly createdUs: number;
  readonly attempt: number;
}

/** Baseline: the subscriber has processed `seq` (or had already). */
export interface NotifyAckMessage {
  readonly type: 'NotifyAck';
  readonly seq: number;
}

export type DirectMessage = NotifyMessage | NotifyAckMessage;

/** Every message type of the scenario (the view hints colour each one). */
export const messageTypes = [
  'Publish',
  'PublishAck',
  'PublishNack',
  'Pull',
  'Deliver',
  'Ack',
  'Notify',
  'NotifyAck',
] as const satisfies readonly (BrokerMessage | DirectMessage)['type'][];

/** The key of a message in sets and logs: `p1#12`. */
export function messageKey(publisher: NodeId, seq: number): string {
  return `${publisher}#${seq}`;
}

/*
 * Notes
 *
 * [1] Publishing. A publisher sends one message at a time and waits for its PublishAck before
 *     the next (stop-and-wait keeps its messages in order at the broker). Without an answer
 *     within the publish timeout it sends the same message again; the broker remembers the
 *     highest sequence number it accepted from each publisher and acks a repeat without storing
 *     it twice. A PublishAck is sent only after the message is in every matching subscription
 *     queue (and on disk when the broker is persistent), so "acked" means "the broker owns it".
 *     The epoch is the broker's boot count: after a restart the broker refuses publishes that
 *     name an older epoch, so a copy of an old publish still on the wire cannot be stored again
 *     by a broker that forgot it had accepted it (persistence off).
 *
 * [2] Pulling. Each subscriber has one subscription at the broker (its queue) and one pull
 *     outstanding at a time. The broker answers a pull with the first message the subscriber
 *     may have, or holds the pull until one arrives. The subscriber takes an answer only if it
 *     answers its current pull of its current session: anything else (a late answer to a pull
 *     it has given up on, an answer from before a restart) is discarded unread. So a message on
 *     the wire can be processed only while its pull is current, which is what lets the loss
 *     accounting know when a message can no longer arrive.
 *
 * [3] Acks. In at-least-once mode the broker keeps a delivered message until its Ack arrives,
 *     and makes it deliverable again when the ack timeout passes; the subscriber acks after
 *     processing, so a lost ack means the message is processed twice (a duplicate). In
 *     at-most-once mode the broker forgets a message as soon as it sends it, and the subscriber
 *     does not ack.
 */
