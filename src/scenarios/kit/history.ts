import type { Operation } from '../../consistency/history.ts';
import type { NodeId } from '../../engine/types.ts';

/**
 * What a scenario's monitor records of its clients' reads and writes while a run goes on, and
 * how it becomes the consistency checkers' history (src/consistency) after the run. Recording
 * is one small record per operation, appended when the client's state shows it began or ended;
 * everything that needs the whole run (which write got which value, who counts as one session)
 * is worked out here, only when someone asks for the history. Notes [n] are at the end.
 */

/** One client operation as the monitor saw it. */
export interface RecordedOp {
  readonly client: NodeId;
  readonly kind: 'read' | 'write';
  readonly key: number;
  /** Simulated µs when the client sent it (the engine's clock, not the client's skewed one). */
  readonly invokeUs: number;
  /** Simulated µs when the answer arrived, or null when none did (timed out, crashed). */
  completeUs: number | null;
  /** What a read returned; for a write, what it wrote, when known (see `writtenValue`). */
  value: number | null;
  /** The scenario's own handle on the operation (a request id), for resolving its value. */
  readonly requestId: number;
}

/**
 * [1] The history: answered operations, and unanswered writes that are known to have taken
 * effect with the value they wrote (an unanswered read tells nothing and an unanswered write
 * that never took effect changed nothing, so both are left out). Each operation is given to a
 * session (see `sessionsOf`).
 */
export function operationsOf(
  recorded: readonly RecordedOp[],
  writtenValue: (op: RecordedOp) => number | null,
): Operation[] {
  const kept: { readonly op: RecordedOp; readonly value: number }[] = [];
  for (const op of recorded) {
    if (op.kind === 'read') {
      if (op.completeUs !== null && op.value !== null) kept.push({ op, value: op.value });
      continue;
    }
    const value = writtenValue(op);
    if (value !== null) kept.push({ op, value });
  }
  kept.sort((a, b) => a.op.invokeUs - b.op.invokeUs);
  const sessions = sessionsOf(kept.map((each) => each.op));
  return kept.map(({ op, value }, id) => ({
    id: id + 1,
    client: sessions[id] as string,
    key: `k${op.key}`,
    kind: op.kind,
    ...(op.kind === 'read' ? { result: value } : { value }),
    invokeUs: op.invokeUs,
    completeUs: op.completeUs,
  }));
}

/** What the session split needs of an operation: whose it is and when it was open. */
export interface Timed {
  readonly client: NodeId;
  readonly invokeUs: number;
  readonly completeUs: number | null;
}

/**
 * [2] Sessions: a client with several operations open at once is several sessions, the lowest
 * free one taking each new operation, so that a client doing one thing at a time is one session;
 * a session whose operation was never answered is never used again. `ops` in invocation order;
 * the answer names each op's session ("c1", "c1.2", …), in the same order.
 */
export function sessionsOf(ops: readonly Timed[]): string[] {
  const busyUntil = new Map<NodeId, (number | null)[]>();
  return ops.map((op) => {
    let slots = busyUntil.get(op.client);
    if (slots === undefined) {
      slots = [];
      busyUntil.set(op.client, slots);
    }
    let slot = slots.findIndex((end) => end !== null && end <= op.invokeUs);
    if (slot < 0) slot = slots.push(0) - 1;
    slots[slot] = op.completeUs;
    return slot === 0 ? op.client : `${op.client}.${slot + 1}`;
  });
}

/*
 * Notes
 *
 * [1] Unknown outcomes. The checkers treat an operation without an answer as one that may take
 *     effect at any time after it was sent, or never. A write left out because it never took
 *     effect is exactly the "never" case, so leaving it out loses nothing; a write that did take
 *     effect stays, with no completion time, and the value it wrote, so that a read of that value
 *     is explained.
 *
 * [2] The checkers require that one client's operations never overlap (program order is what
 *     the session guarantees and sequential consistency are about). Clients here keep several
 *     requests open (CQRS: one write and many reads; Sharding: an open-loop stream), so each is
 *     split into sessions "c1", "c1.2", "c1.3"…: within a session every operation was answered
 *     before the next was sent, which is a real order the client saw. A guarantee violated within
 *     a session is violated for the client; one that only shows across its sessions is not found.
 *     (Event Sourcing's clients are open loops too, and a transfer is two account operations
 *     open over the same time, hence in two sessions.)
 */
