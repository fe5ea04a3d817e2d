import type { NodeId } from '../../engine/types.ts';
import type { RoutingTable } from './placement.ts';
import { paramReader } from '../kit/params.ts';
import { shardingParams } from './params.ts';

/** Typed readers of the parameters. */
export const { paramOf, msParamUs, secondsParamUs, countParam } = paramReader(
  'sharding',
  shardingParams,
);

/**
 * Messages of the sharding scenario: the request path (client → router → shard → client, with
 * shard-to-shard forwarding for keys that are not, or no longer, where the sender thought), the
 * rebalance protocol (table updates, key transfers and their acknowledgements, completion
 * reports), replication, and the router's health checks.
 */

export type Operation = 'read' | 'write';

/** A client asks the router to read or write one key. */
export interface RequestMessage {
  readonly type: 'Request';
  readonly requestId: number;
  /** Each retry is a new attempt; replies to older attempts are ignored. */
  readonly attempt: number;
  readonly key: number;
  readonly op: Operation;
}

/** Fields of a request on its way to a shard. */
interface ShardBound {
  readonly client: NodeId;
  readonly requestId: number;
  readonly attempt: number;
  readonly key: number;
  readonly op: Operation;
  /** Set by the router when the owner is down: read the replica's copy. */
  readonly isReplicaRead: boolean;
  /** Shard-to-shard forwards so far (bounded). */
  readonly hops: number;
}

/** The router sends a request to the shard its table names. */
export interface RouteMessage extends ShardBound {
  readonly type: 'Route';
}

/** A shard that does not hold the key sends the request on to the shard that should. */
export interface ForwardMessage extends ShardBound {
  readonly type: 'Forward';
}

/**
 * How a request ended: `ok` (served), `retry` (the key is being handed off right now; try again
 * shortly), `overloaded` (the shard's queue is full), `unavailable` (its owner is down).
 */
export type ReplyStatus = 'ok' | 'retry' | 'overloaded' | 'unavailable';

/** The answer, straight to the client (from a shard, or from the router when it fails fast). */
export interface ReplyMessage {
  readonly type: 'Reply';
  readonly requestId: number;
  readonly attempt: number;
  readonly status: ReplyStatus;
  readonly key: number;
  /** The key's value: a version number that every write increments (0 when not served). */
  readonly value: number;
  readonly isFromReplica: boolean;
}

/** The router announces a new table, and the one it replaces, to every shard taking part. */
export interface TableUpdateMessage {
  readonly type: 'TableUpdate';
  readonly table: RoutingTable;
  readonly previous: RoutingTable;
}

/**
 * A shard has adopted table `version`; `isDone` once it has also handed off every key that the
 * table says is no longer its own (and had each acknowledged).
 */
export interface TableAckMessage {
  readonly type: 'TableAck';
  readonly version: number;
  readonly isDone: boolean;
}

/** One key moving to its new owner, with its value and the ownership epoch it will have. */
export interface TransferMessage {
  readonly type: 'Transfer';
  readonly key: number;
  readonly value: number;
  readonly epoch: number;
  /** The table version that moved it (a receiver with an older table waits for the update). */
  readonly tableVersion: number;
}

/** The new owner has stored the key (durably) at `epoch`. */
export interface TransferAckMessage {
  readonly type: 'TransferAck';
  readonly key: number;
  readonly epoch: number;
}

/** Replication: key/value pairs, flattened ([key, value, key, value, …]). */
export interface ReplicateMessage {
  readonly type: 'Replicate';
  readonly pairs: readonly number[];
  readonly sizeBytes: number;
}

/** The replica has stored the pairs. */
export interface ReplicateAckMessage {
  readonly type: 'ReplicateAck';
  readonly pairs: readonly number[];
}

/** The router's health check. */
export interface PingMessage {
  readonly type: 'Ping';
}

export interface PongMessage {
  readonly type: 'Pong';
}

export type ShardingMessage =
  | RequestMessage
  | RouteMessage
  | ForwardMessage
  | ReplyMessage
  | TableUpdateMessage
  | TableAckMessage
  | TransferMessage
  | TransferAckMessage
  | ReplicateMessage
  | ReplicateAckMessage
  | PingMessage
  | PongMessage;

/** Every message type of the scenario (the view hints colour each one). */
export const messageTypes = [
  'Request',
  'Route',
  'Forward',
  'Reply',
  'TableUpdate',
  'TableAck',
  'Transfer',
  'TransferAck',
  'Replicate',
  'ReplicateAck',
  'Ping',
  'Pong',
] as const satisfies readonly ShardingMessage['type'][];

export const clientRole = 'client';
export const routerRole = 'router';
export const shardRole = 'shard';
export const routerId: NodeId = 'router';

/** Operator controls and faults (ids of the scenario's ScenarioFaultSpecs). */
export const addShardControl = 'add-shard';
export const removeShardControl = 'remove-shard';
export const hotKeyFault = 'hot-key';
export const slowShardFault = 'slow-shard';

/** Shard-to-shard forwards before a request is answered `retry` instead. */
export const forwardHopsMax = 3;
/** Add/remove operations the router queues behind a running rebalance. */
export const queuedOperationsMax = 2;
/**
 * Every this many announcement rounds, the router sends the table again to shards that have
 * acknowledged it but not yet reported done (in case the report was lost).
 */
export const tablePollEveryRounds = 10;
/** Pairs per Replicate message. */
export const replicateBatchMax = 250;
/** Bytes a replicated pair takes on the wire (only bandwidth-limited links read sizes). */
export const replicatePairBytes = 16;

/** The key count as a whole number in bounds (the parameter is stepped, but be safe). */
export function keyCountOf(params: Readonly<Record<string, number>>): number {
  return countParam({ params }, 'keyCount');
}
