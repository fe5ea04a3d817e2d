import type { Operation } from '../../consistency/history.ts';
import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { operationsOf, type RecordedOp } from '../kit/history.ts';
import type { ClientState } from './client.ts';
import { clientRole, shardRole } from './protocol.ts';
import type { Job, ShardState } from './shardState.ts';
import type { ShardDurable } from './store.ts';

/**
 * The clients' reads and writes as a history for the consistency checkers, recorded by the
 * monitor from what the clients and shards already keep (kit/history.ts). A key's value is its
 * version, which every write increments (1 at the start): a write "writes" the version it made
 * and a read returns the version it saw. Versions are unique per key as long as no write is
 * lost; where one is, a version repeats and the session checks leave that key out (they say
 * so). Notes [n] are at the end.
 */

/**
 * What a client was doing when the monitor last looked at it: request id → the open
 * operation's index in `ops` (not the record itself: a checkpoint copies the memory, and a copy
 * of a shared record would be two records).
 */
interface ClientOpen {
  state: ClientState | undefined;
  readonly open: Map<number, number>;
}

/** [1] A write a shard applied: which request, and the version it made. */
interface Applied {
  readonly client: NodeId;
  readonly requestId: number;
  readonly key: number;
  readonly value: number;
  readonly atUs: number;
}

/** What a shard was serving when the monitor last looked at it. */
interface ShardSeen {
  state: ShardState | undefined;
  values: Int32Array | null;
}

export interface ShardingHistoryMemory {
  readonly ops: RecordedOp[];
  readonly clients: Map<NodeId, ClientOpen>;
  readonly shards: Map<NodeId, ShardSeen>;
  readonly applied: Applied[];
}

export function createHistoryMemory(): ShardingHistoryMemory {
  return { ops: [], clients: new Map(), shards: new Map(), applied: [] };
}

/** After an event at `node` (or a command: every node), notes operations begun and ended. */
export function recordHistory(
  world: WorldView,
  node: NodeView | undefined,
  memory: ShardingHistoryMemory,
): void {
  if (node !== undefined) {
    recordNode(world.nowUs, node, memory);
    return;
  }
  for (const each of world.nodes) recordNode(world.nowUs, each, memory);
}

function recordNode(nowUs: number, node: NodeView, memory: ShardingHistoryMemory): void {
  if (node.role === clientRole) recordClient(nowUs, node, memory);
  else if (node.role === shardRole) recordShard(nowUs, node, memory);
}

/**
 * [2] A client's state is immutable and replaced when a request starts, is retried or ends: a new
 * request id is an invocation; an id gone is an answer when `lastAnswer` names it, else the
 * request failed or timed out (its outcome is settled by the shards, [1]). A crashed client
 * has no state: its open requests end unanswered.
 */
function recordClient(nowUs: number, node: NodeView, memory: ShardingHistoryMemory): void {
  const state = node.state as ClientState | undefined;
  let seen = memory.clients.get(node.id);
  if (seen === undefined) {
    seen = { state: undefined, open: new Map() };
    memory.clients.set(node.id, seen);
  }
  if (seen.state === state) return;
  const outstanding = state?.outstanding ?? [];
  if (seen.state?.outstanding !== outstanding) {
    for (const [requestId, index] of seen.open) {
      if (outstanding.some((each) => each.requestId === requestId)) continue;
      const answer = state?.lastAnswer;
      const op = memory.ops[index];
      if (op !== undefined && answer?.requestId === requestId) {
        op.completeUs = nowUs;
        op.value = answer.value;
      }
      seen.open.delete(requestId);
    }
    for (const request of outstanding) {
      if (seen.open.has(request.requestId)) continue;
      const op: RecordedOp = {
        client: node.id,
        kind: request.op,
        key: request.key,
        invokeUs: nowUs,
        completeUs: null,
        value: null,
        requestId: request.requestId,
      };
      seen.open.set(request.requestId, memory.ops.push(op) - 1);
    }
  }
  seen.state = state;
}

/** [1] A write finished at a shard: the request it was serving and the version it made. */
function recordShard(nowUs: number, node: NodeView, memory: ShardingHistoryMemory): void {
  const state = node.state as ShardState | undefined;
  let seen = memory.shards.get(node.id);
  if (seen === undefined) {
    seen = { state: undefined, values: null };
    memory.shards.set(node.id, seen);
  }
  const values = (node.durable as ShardDurable).store.value;
  if (values !== seen.values) {
    const job: Job | null | undefined = seen.state?.busy;
    if (job?.op === 'write' && !job.isReplicaRead && seen.values !== null) {
      const value = values[job.key] ?? 0;
      if (value === (seen.values[job.key] ?? 0) + 1) {
        const { client, requestId, key } = job;
        memory.applied.push({ client, requestId, key, value, atUs: nowUs });
      }
    }
    seen.values = values;
  }
  seen.state = state;
}

/** The history so far, for the checkers (register model, initial version 1). */
export function shardingHistory(memory: ShardingHistoryMemory): Operation[] {
  // [1] Each application belongs to the latest write with its name sent before it.
  const writes = new Map<string, RecordedOp[]>();
  for (const op of memory.ops) {
    if (op.kind !== 'write') continue;
    const name = `${op.client}:${op.requestId}:${op.key}`;
    const list = writes.get(name);
    if (list === undefined) writes.set(name, [op]);
    else list.push(op);
  }
  const made = new Map<RecordedOp, number>();
  for (const applied of memory.applied) {
    const list = writes.get(`${applied.client}:${applied.requestId}:${applied.key}`) ?? [];
    let owner: RecordedOp | undefined;
    for (const op of list) if (op.invokeUs <= applied.atUs) owner = op;
    if (owner !== undefined) made.set(owner, applied.value);
  }
  return operationsOf(memory.ops, (op) =>
    op.completeUs !== null && op.value !== null ? op.value : (made.get(op) ?? null),
  );
}

/*
 * Notes
 *
 * [1] Writes without an answer. A write that timed out, or whose answer was lost, may still
 *     have been applied, and a read can return the version it made; the checkers need that
 *     version. The shards know: a shard serves one request at a time (`busy`), and a write
 *     makes a new store (immutable, so a new `value` array) with the key's next version. So when
 *     a shard's values change while a write was in service, that write made the key's new
 *     version. A client numbers its requests from 1 again after a restart (and may draw the same
 *     keys), so an application belongs to the latest write of that client, request id and key
 *     sent before it. An unanswered write no shard applied is left out (kit/history.ts [1]).
 *
 * [2] A retried request (its key was being handed off) keeps its request id: one operation,
 *     from its first send to its final answer.
 */
