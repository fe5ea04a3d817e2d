/*
 * The history a run records for the consistency checkers: one entry per client operation, with
 * the simulated times it was invoked and answered. Values are plain JSON-like data so a history
 * crosses to a worker (structured clone) and into a file unchanged.
 */

/** A value written, read or appended: JSON-like, compared by content. */
export type Value = null | boolean | number | string | readonly Value[];

/**
 * What an operation does. `read` and `write` are the register's; `append` adds `value` to a
 * list, whose `read` returns the whole list. Other kinds (`cas`, …) join with a model for them.
 */
export type OperationKind = 'read' | 'write' | 'append';

export interface Operation {
  /** Unique within the history; verdicts and witnesses name operations by it. */
  readonly id: number;
  /** The client that issued it, as the scenario names it ("c1"); its ops never overlap. */
  readonly client: string;
  readonly key: string;
  readonly kind: OperationKind;
  /** The argument: the value written or appended (absent for reads). */
  readonly value?: Value;
  /** What the client was told: the value read (absent for writes and for unanswered reads). */
  readonly result?: Value;
  /** Simulated µs when the client sent it. */
  readonly invokeUs: number;
  /**
   * Simulated µs when the answer arrived, or null when none did (timed out, never answered): the
   * operation may or may not have taken effect, at any time after its invocation.
   */
  readonly completeUs: number | null;
}

/** A checked history: operations in a total order (invocation time, then id). */
export interface History {
  readonly ops: readonly Operation[];
}

/** A history that breaks a rule: every problem, each naming the operation. */
export class HistoryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The history is not valid: ${problems.slice(0, 5).join('; ')}`);
    this.name = 'HistoryError';
  }
}

const kinds: readonly OperationKind[] = ['read', 'write', 'append'];

/**
 * Checks the operations and returns them as a history ordered by invocation time, then id.
 * Throws a `HistoryError` listing what is wrong (duplicate ids, an answer before its question,
 * negative or non-finite times, a write without a value, overlapping ops of one client) and
 * leaves the input untouched.
 */
export function buildHistory(ops: readonly Operation[]): History {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const op of ops) {
    const name = `op ${op.id}`;
    if (!Number.isSafeInteger(op.id)) problems.push(`${name}: id must be a whole number`);
    else if (seen.has(op.id)) problems.push(`${name}: id used twice`);
    seen.add(op.id);
    if (!kinds.includes(op.kind)) problems.push(`${name}: unknown kind ${JSON.stringify(op.kind)}`);
    if (typeof op.client !== 'string' || op.client === '') problems.push(`${name}: no client`);
    if (typeof op.key !== 'string') problems.push(`${name}: key must be a string`);
    if (!Number.isFinite(op.invokeUs) || op.invokeUs < 0)
      problems.push(`${name}: invocation time must be a finite time ≥ 0`);
    if (op.completeUs !== null) {
      if (!Number.isFinite(op.completeUs)) problems.push(`${name}: completion time not finite`);
      else if (op.completeUs < op.invokeUs)
        problems.push(
          `${name}: completed at ${op.completeUs} µs, before it was invoked at ${op.invokeUs} µs`,
        );
    }
    if (op.kind !== 'read' && op.value === undefined)
      problems.push(`${name}: ${op.kind} without a value`);
  }
  const sorted = ops.slice().sort(byInvocation);
  // A client waits for each answer before its next operation; overlapping ops of one client
  // would make "program order" meaningless for the session and sequential checks.
  const lastOfClient = new Map<string, Operation>();
  for (const op of sorted) {
    const last = lastOfClient.get(op.client);
    if (last !== undefined && (last.completeUs === null || last.completeUs > op.invokeUs))
      problems.push(
        `op ${op.id}: client ${op.client} invoked it while its op ${last.id} was still open`,
      );
    lastOfClient.set(op.client, op);
  }
  if (problems.length > 0) throw new HistoryError(problems);
  return { ops: sorted };
}

/** Invocation time, then id: a total order, the same in every JavaScript engine. */
export function byInvocation(a: Operation, b: Operation): number {
  return a.invokeUs - b.invokeUs || a.id - b.id;
}

/** Ops with an unknown outcome end at infinity: they may take effect at any later time. */
export function endUs(op: Operation): number {
  return op.completeUs ?? Number.POSITIVE_INFINITY;
}

/**
 * Real-time order: `a` happened before `b` when `a` was answered no later than `b` was sent.
 * An answer and a new request at the same microsecond are ordered (a client that gets its answer
 * and sends its next op at once must see its own op as earlier), except between two ops that
 * both take no time at that instant, which stay concurrent (else each would precede the other).
 */
export function precedes(a: Operation, b: Operation): boolean {
  if (a === b || a.completeUs === null) return false;
  if (a.completeUs < b.invokeUs) return true;
  if (a.completeUs > b.invokeUs) return false;
  return !(a.invokeUs === a.completeUs && b.completeUs === b.invokeUs);
}

/** Values compared by content (lists element by element). */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  const left = a as readonly Value[];
  const right = b as readonly Value[];
  return left.length === right.length && left.every((item, i) => sameValue(item, right[i]));
}

/** A value as people read it: strings quoted, lists in brackets. */
export function formatValue(value: Value | undefined): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}

/** Simulated µs as seconds with two decimals ("4.05 s"). */
export function formatSeconds(us: number): string {
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/** Keys in a total order that does not depend on the locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
