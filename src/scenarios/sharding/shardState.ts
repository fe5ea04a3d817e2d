import type { NodeContext, NodeId } from '../../engine/types.ts';
import type { Operation, ShardingMessage } from './protocol.ts';
import type { ShardDurable } from './store.ts';

/** A request admitted to a shard's queue. */
export interface Job {
  readonly client: NodeId;
  readonly requestId: number;
  readonly attempt: number;
  readonly key: number;
  readonly op: Operation;
  readonly isReplicaRead: boolean;
  readonly hops: number;
  /** Local time it was admitted, for the time-in-shard figures. */
  readonly admittedUs: number;
}

/** A shard's volatile state: lost on a crash and rebuilt by `init`. */
export interface ShardState {
  /** Our own id (summaries get no context). */
  readonly self: NodeId;
  /** Waiting requests, oldest first (the one in service is `busy`). */
  readonly queue: readonly Job[];
  readonly busy: Job | null;
  /** Service time multiplier from the "slow shard" fault (1 when healthy). */
  readonly slowFactor: number;
  /** The queue capacity as last read (summaries have no parameters). */
  readonly capacity: number;
  /** Counters since this start, read by the monitor (which notices restarts by `startedUs`). */
  readonly arrivals: number;
  readonly served: number;
  readonly timeInShardUs: number;
  readonly startedUs: number;
  /** The newest table version seen on a Transfer; above our own, our table is stale [migration 5]. */
  readonly maxSeenVersion: number;
  /** Where the migration pump resumes looking for keys to hand off. */
  readonly scanFrom: number;
  /** The table version this shard has reported done (TableAck with isDone). */
  readonly reportedVersion: number;
  /** Whether keys are still to leave (or waiting for their acknowledgement). */
  readonly isDraining: boolean;
  /** When each key in hand-off was last sent (at most the hand-off window of them). */
  readonly sentUs: readonly { readonly key: number; readonly atUs: number }[];
}

/** What serving requests changes in a shard's state: its queue, its counters, the capacity read. */
export interface ShardWork {
  readonly queue: readonly Job[];
  readonly busy: Job | null;
  readonly capacity: number;
  readonly arrivals: number;
  readonly served: number;
  readonly timeInShardUs: number;
}

/**
 * `state` with the request path's fields replaced, built as one literal. It runs for every
 * request, and V8 11 (Node 20) copies an object spread (`{ ...state, served }`) several times
 * slower than it builds a literal; the rarer paths (hand-offs, faults) keep their spreads.
 */
export function withWork(state: ShardState, work: ShardWork): ShardState {
  return {
    self: state.self,
    queue: work.queue,
    busy: work.busy,
    slowFactor: state.slowFactor,
    capacity: work.capacity,
    arrivals: work.arrivals,
    served: work.served,
    timeInShardUs: work.timeInShardUs,
    startedUs: state.startedUs,
    maxSeenVersion: state.maxSeenVersion,
    scanFrom: state.scanFrom,
    reportedVersion: state.reportedVersion,
    isDraining: state.isDraining,
    sentUs: state.sentUs,
  };
}

export type ShardContext = NodeContext<ShardingMessage, ShardDurable>;

export const serviceTimer = 'service';
export const pumpTimer = 'pump';
export const retransmitTimer = 'retransmit';
export const replicateTimer = 'replicate';
