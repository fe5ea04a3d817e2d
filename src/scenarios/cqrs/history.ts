import type { Operation } from '../../consistency/history.ts';
import type { NodeId, NodeView, WorldView } from '../../engine/types.ts';
import { operationsOf, type RecordedOp } from '../kit/history.ts';
import { entryAt } from './appendLog.ts';
import type { ClientDurable, ClientState } from './client.ts';
import type { CommandDurable } from './commandService.ts';
import { clientRole, commandRole, serviceRole } from './protocol.ts';

/**
 * The clients' reads and writes as a history for the consistency checkers, recorded by the
 * monitor from what the clients already keep (kit/history.ts). A key's value is a version: the
 * log position of the last write to it (0 before any), and a write "writes" the position it got,
 * which is unique, so a read names the write it saw. Notes [n] are at the end.
 */

/**
 * What a client was doing when the monitor last looked at it. Open operations are named by
 * their index in `ops`, not held by reference: a checkpoint copies the memory, and a copy of a
 * shared record would be two records.
 */
interface ClientOpen {
  state: ClientState | undefined;
  /** The client's count of acknowledged writes then (one more: the open write was answered). */
  writesOk: number;
  /** The open write's index in `ops`, or -1. */
  write: number;
  /** Read id → index in `ops`. */
  readonly reads: Map<number, number>;
}

export interface CqrsHistoryMemory {
  readonly ops: RecordedOp[];
  readonly clients: Map<NodeId, ClientOpen>;
  /** [1] "client:requestId" → the log position the write got. */
  readonly committed: Map<string, number>;
  /** Log entries the monitor has looked at, per write-side node. */
  readonly logSeen: Map<NodeId, number>;
}

export function createHistoryMemory(): CqrsHistoryMemory {
  return { ops: [], clients: new Map(), committed: new Map(), logSeen: new Map() };
}

/** After an event at `node` (or a command: every node), notes operations begun and ended. */
export function recordHistory(
  world: WorldView,
  node: NodeView | undefined,
  memory: CqrsHistoryMemory,
): void {
  if (node !== undefined) {
    recordNode(world.nowUs, node, memory);
    return;
  }
  for (const each of world.nodes) recordNode(world.nowUs, each, memory);
}

function recordNode(nowUs: number, node: NodeView, memory: CqrsHistoryMemory): void {
  if (node.role === clientRole) recordClient(nowUs, node, memory);
  else if (node.role === commandRole || node.role === serviceRole) recordCommits(node, memory);
}

/** [2] The client's volatile state changes (a new object) exactly when an operation starts or ends. */
function recordClient(nowUs: number, node: NodeView, memory: CqrsHistoryMemory): void {
  const state = node.state as ClientState | undefined;
  let open = memory.clients.get(node.id);
  if (open === undefined) {
    open = { state: undefined, writesOk: 0, write: -1, reads: new Map() };
    memory.clients.set(node.id, open);
  }
  if (open.state === state) return;
  open.state = state;
  const durable = node.durable as ClientDurable;
  const ops = memory.ops;
  const write = state?.write ?? null;
  const openWrite = ops[open.write];
  if (openWrite !== undefined && openWrite.requestId !== write?.requestId) {
    // Ended: acknowledged if the client counted it so (its value comes from the log, [1]).
    if (durable.writesOk > open.writesOk) openWrite.completeUs = nowUs;
    open.write = -1;
  }
  if (write !== null && open.write < 0) {
    open.write = ops.push(newOp(node.id, 'write', write.key, write.requestId, nowUs)) - 1;
  }
  open.writesOk = durable.writesOk;
  const reads = state?.reads ?? [];
  if (open.reads.size > 0) {
    for (const [readId, index] of open.reads) {
      if (reads.some((each) => each.readId === readId)) continue;
      const last = durable.lastRead;
      const op = ops[index];
      if (op !== undefined && last !== null && last.readId === readId) {
        op.completeUs = nowUs;
        op.value = last.version;
      }
      open.reads.delete(readId);
    }
  }
  for (const read of reads) {
    if (open.reads.has(read.readId)) continue;
    open.reads.set(read.readId, ops.push(newOp(node.id, 'read', read.key, read.readId, nowUs)) - 1);
  }
}

function newOp(
  client: NodeId,
  kind: 'read' | 'write',
  key: number,
  requestId: number,
  nowUs: number,
): RecordedOp {
  return { client, kind, key, invokeUs: nowUs, completeUs: null, value: null, requestId };
}

/** [1] Each new log entry: the position its client's last request got. */
function recordCommits(node: NodeView, memory: CqrsHistoryMemory): void {
  const log = (node.durable as CommandDurable).log;
  const seen = memory.logSeen.get(node.id) ?? 0;
  if (log.length <= seen) return;
  const lastRequest = (node.durable as CommandDurable).lastRequest;
  for (let position = seen + 1; position <= log.length; position++) {
    const entry = entryAt(log, position - 1);
    const last = entry === undefined ? undefined : lastRequest[entry.client];
    if (entry !== undefined && last?.position === position) {
      memory.committed.set(`${entry.client}:${last.requestId}`, position);
    }
  }
  memory.logSeen.set(node.id, log.length);
}

/** The history so far, for the checkers (register model, initial value 0). */
export function cqrsHistory(memory: CqrsHistoryMemory): Operation[] {
  return operationsOf(
    memory.ops,
    (op) => memory.committed.get(`${op.client}:${op.requestId}`) ?? null,
  );
}

/*
 * Notes
 *
 * [1] Which position a write got. An acknowledged write's client learns it from the ack, but a
 *     write given up on (three sends unanswered) may have been committed all the same, and a
 *     read can return its position. The write side knows: it appends one log entry per write
 *     and records, per client, the last request id and the position it got (for deduplication).
 *     So when the monitor sees the log grow, it notes the new entry's request; after the run,
 *     every write that reached the log has its value, answered or not, and one that never did is
 *     left out (kit/history.ts [1]).
 *
 * [2] A client's volatile state is immutable and replaced on every change, so "the same object
 *     as last time" means nothing began or ended and costs one comparison. A crashed client has
 *     no state: its open operations end unanswered.
 */
