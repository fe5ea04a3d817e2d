import type { NodeId } from '../../engine/types.ts';
import { paramReader } from '../kit/params.ts';
import { cqrsParams } from './params.ts';

/**
 * Messages, roles and node ids of the CQRS scenario. The change feed between the command service
 * and the projector is the Pub/Sub scenario's broker and speaks its protocol
 * (../pub-sub/protocol.ts); everything else is here. Numbered notes [n] are at the end.
 */

type Params = Readonly<Record<string, number>>;

export const clientRole = 'client';
export const commandRole = 'command-service';
export const projectorRole = 'projector';
export const balancerRole = 'load-balancer';
export const replicaRole = 'query-service';
/** The baseline's single service for reads and writes. */
export const serviceRole = 'service';

export const commandId: NodeId = 'command';
export const projectorId: NodeId = 'projector';
export const balancerId: NodeId = 'lb';
export const serviceId: NodeId = 'service';

// ---- Client ↔ command service (or the baseline service) ---------------------------------------

/** [1] A command: set `key`. Sent again with the same `requestId` when unanswered. */
export interface WriteMessage {
  readonly type: 'Write';
  readonly requestId: number;
  readonly key: number;
}

/** [1] The write is committed at log `position` (also the answer to a repeat). */
export interface WriteAckMessage {
  readonly type: 'WriteAck';
  readonly requestId: number;
  readonly position: number;
}

/** The service's queue is full: the write was not taken. */
export interface WriteBusyMessage {
  readonly type: 'WriteBusy';
  readonly requestId: number;
}

// ---- Client → load balancer → query replica → client ------------------------------------------

/**
 * [2] A query. `minPosition` is the client's last acknowledged write position in
 * read-your-writes mode (0 otherwise): a replica answers only once it has applied that far.
 */
export interface ReadMessage {
  readonly type: 'Read';
  readonly readId: number;
  readonly key: number;
  readonly minPosition: number;
}

/** [2] The load balancer hands a client's query to one replica, which answers the client. */
export interface QueryMessage {
  readonly type: 'Query';
  readonly client: NodeId;
  readonly readId: number;
  readonly key: number;
  readonly minPosition: number;
}

/**
 * [2] The answer to a query: `ok` with the reading replica's applied log position (its read model
 * is exactly the write log up to there) and the key's version (the position of the last write to
 * it, 0 if none); `busy` (queue full), `unavailable` (no replica serving, or not caught up in
 * time).
 */
export interface ReadReplyMessage {
  readonly type: 'ReadReply';
  readonly readId: number;
  readonly outcome: 'ok' | 'busy' | 'unavailable';
  readonly applied: number;
  readonly version: number;
}

// ---- Query replica ↔ projector ----------------------------------------------------------------

/**
 * [3] A replica asks the projector for up to `max` changes from log position `from` on. With
 * `isWaiting` the projector holds the fetch until it has some (a long poll); without, it answers
 * at once, perhaps with none (how a starting replica learns it is already caught up).
 */
export interface FetchMessage {
  readonly type: 'Fetch';
  readonly from: number;
  readonly max: number;
  readonly isWaiting: boolean;
}

/** [3] Changes `from`, `from + 1`…: the key each one wrote. `head` is the projector's position. */
export interface ChangesMessage {
  readonly type: 'Changes';
  readonly from: number;
  readonly keys: readonly number[];
  readonly head: number;
}

// ---- Query replica ↔ load balancer ------------------------------------------------------------

/** [4] A replica's periodic report: its membership generation, whether it serves, how far it is. */
export interface StatusMessage {
  readonly type: 'Status';
  readonly generation: number;
  readonly isActive: boolean;
  readonly isServing: boolean;
  readonly applied: number;
}

/** [4] Join the read side as of `generation`: start from an empty read model and catch up. */
export interface ActivateMessage {
  readonly type: 'Activate';
  readonly generation: number;
}

/** [4] Leave the read side as of `generation`: stop serving and drop the read model. */
export interface DeactivateMessage {
  readonly type: 'Deactivate';
  readonly generation: number;
}

export type ClientMessage =
  WriteMessage | WriteAckMessage | WriteBusyMessage | ReadMessage | ReadReplyMessage;
export type ReplicaMessage =
  | QueryMessage
  | ReadReplyMessage
  | FetchMessage
  | ChangesMessage
  | StatusMessage
  | ActivateMessage
  | DeactivateMessage;
export type BalancerMessage =
  | ReadMessage
  | ReadReplyMessage
  | QueryMessage
  | StatusMessage
  | ActivateMessage
  | DeactivateMessage;

/** Every message type of the scenario (the view hints colour each one, the broker's too). */
export const messageTypes = [
  'Write',
  'WriteAck',
  'WriteBusy',
  'Read',
  'Query',
  'ReadReply',
  'Fetch',
  'Changes',
  'Status',
  'Activate',
  'Deactivate',
] as const satisfies readonly (ClientMessage | ReplicaMessage | BalancerMessage)['type'][];

// ---- Parameters and the roster -----------------------------------------------------------------

/** Typed readers of the parameters (a delay in ms as µs, a count inside its bounds). */
export const { paramOf, msParamUs, countParam, boundedCount } = paramReader('cqrs', cqrsParams);

/** Everything derived from one parameter set, computed once per set (see `rosterOf`). */
interface Roster {
  readonly clients: readonly NodeId[];
  readonly replicas: readonly NodeId[];
  readonly topics: readonly string[];
}

/**
 * Derived rosters by parameter object. The engine hands out the same object until a parameter
 * changes, and a roster is a pure function of it, so caching changes nothing but speed (the
 * load balancer asks for the replica ids on every read, the projector for the topics on every
 * pull).
 */
const rosters = new WeakMap<Params, Roster>();

/** The roster asked for last: nearly every call in a run is for the same parameters. */
let lastRoster: { readonly params: Params; readonly roster: Roster } | null = null;

function rosterOf(params: Params): Roster {
  if (lastRoster?.params === params) return lastRoster.roster;
  const roster = rosters.get(params) ?? newRoster(params);
  lastRoster = { params, roster };
  return roster;
}

function newRoster(params: Params): Roster {
  const roster: Roster = {
    clients: Array.from({ length: boundedCount({ params }, 'clientCount') }, (_, i) => `c${i + 1}`),
    replicas: Array.from(
      { length: boundedCount({ params }, 'replicaPoolSize') },
      (_, i) => `q${i + 1}`,
    ),
    topics: Array.from({ length: boundedCount({ params }, 'keyCount') }, (_, i) =>
      topicOfKey(i + 1),
    ),
  };
  rosters.set(params, roster);
  return roster;
}

export function clientIds(params: Params): readonly NodeId[] {
  return rosterOf(params).clients;
}

/** The query replica pool, q1…qN, in order: the first `initialReplicas` start active. */
export function replicaIds(params: Params): readonly NodeId[] {
  return rosterOf(params).replicas;
}

export function initialActiveCount(params: Params): number {
  return Math.min(
    boundedCount({ params }, 'replicaPoolSize'),
    boundedCount({ params }, 'initialReplicas'),
  );
}

/** Topic names of the first keys, built once: a change is published on one for every write. */
const keyTopics = Array.from({ length: cqrsParams.keyCount.max }, (_, i) => `k${i + 1}`);

/** [5] The feed topic of key `key`: the broker carries a change as (topic, seq). */
export function topicOfKey(key: number): string {
  return keyTopics[key - 1] ?? `k${key}`;
}

/** The key a feed topic names, or 0 for a topic that is not a key's. */
export function keyOfTopic(topic: string): number {
  const key = Number(topic.slice(1));
  return topic.startsWith('k') && Number.isInteger(key) && key >= 1 ? key : 0;
}

/** Every key's feed topic, in key order (the projector's subscription takes them all). */
export function feedTopics(params: Params): readonly string[] {
  return rosterOf(params).topics;
}

/*
 * Notes
 *
 * [1] Commands. A client has at most one write outstanding. The command service remembers the
 *     last request id and position of each client, so a write sent again (its answer was lost)
 *     is answered with the position it already has and never committed twice.
 *
 * [2] Queries go through the load balancer, which picks a serving replica; the replica answers
 *     the client directly. The answer carries the replica's applied position: its read model is
 *     the write store as of that position (the safety invariant checks exactly this), so a query
 *     misses a write if and only if the write's position is above it. That is how stale reads and
 *     read-your-own-writes violations are judged.
 *
 * [3] Replicas pull their changes from the projector's projection log, a long poll: the projector
 *     answers at once when it has changes from `from` on, or holds the fetch until it has. A
 *     replica takes only the answer that continues its read model exactly (`from` = its applied
 *     position + 1) and applies the changes in order. A new replica starts at 0 and replays from
 *     the beginning; a restarted one continues from the position it had on disk.
 *
 * [4] Membership. The operator adds and removes replicas at the load balancer, which keeps the
 *     wanted set on disk with a generation number per replica and repeats Activate or Deactivate
 *     until the replica's Status agrees. Reads go only to active replicas that report serving
 *     (caught up at least once since they started) and were heard from recently.
 *
 * [5] The broker's messages carry a topic, a sequence number and a creation time, nothing else.
 *     So a change travels as topic = the key written (`k3`) and seq = its log position. The
 *     projector's subscription takes every key topic. The model tracks versions, not payloads:
 *     the value of a key is the position of the last write to it.
 */
