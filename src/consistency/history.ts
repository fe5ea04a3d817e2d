/*
 * The history a run records for the consistency checkers: one entry per client operation, with
 * the simulated times it was invoked and answered. Values are plain JSON-like data so a history
 * crosses to a worker (structured clone) and into a file unchanged.
 */

/** A value written, read or appended, or an amount: JSON-like, compared by content. */
export type Value = null | boolean | number | string | readonly Value[];

/**
 * What an operation does. `read` and `write` are the register's; `append` adds `value` to a
 * list, whose `read` returns the whole list; `deposit` and `withdraw` move `value` (an amount)
 * into or out of an account, and their `result` is the outcome the client was told
 * (`AccountOutcome`). Other kinds (`cas`, …) join with a model for them.
 */
export type OperationKind = 'read' | 'write' | 'append' | 'deposit' | 'withdraw';

/** Every kind, in a stable order (for validation, here and at the worker's border). */
export const operationKinds: readonly OperationKind[] = [
  'read',
  'write',
  'append',
  'deposit',
  'withdraw',
];

/**
 * What an account operation's client was told: `accepted` (it took effect) or `rejected` (a rule
 * said no, so it changed nothing). An account op with no answer has no outcome (`result`
 * absent): it may or may not have taken effect.
 */
export type AccountOutcome = 'accepted' | 'rejected';

/** Whether the kind moves money in or out of an account. */
export function isAccountKind(kind: OperationKind): kind is 'deposit' | 'withdraw' {
  return kind === 'deposit' || kind === 'withdraw';
}

export interface Operation {
  /** Unique within the history; verdicts and witnesses name operations by it. */
  readonly id: number;
  /** The client that issued it, as the scenario names it ("c1"); its ops never overlap. */
  readonly client: string;
  readonly key: string;
  readonly kind: OperationKind;
  /** The argument: the value written or appended (absent for reads). */
  readonly value?: Value;
  /**
   * What the client was told: the value read (absent for writes and for unanswered reads), or an
   * account op's outcome (absent when it was never answered).
   */
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

/**
 * Checks the operations and returns them as a history ordered by invocation time, then id.
 * Throws a `HistoryError` listing what is wrong (duplicate ids, an answer before its question,
 * negative or non-finite times, a write without a value, an account op without an amount or
 * with an outcome it cannot have, overlapping ops of one client) and leaves the input untouched.
 */
export function buildHistory(ops: readonly Operation[]): History {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const op of ops) {
    const name = `op ${op.id}`;
    if (!Number.isSafeInteger(op.id)) problems.push(`${name}: id must be a whole number`);
    else if (seen.has(op.id)) problems.push(`${name}: id used twice`);
    seen.add(op.id);
    if (!operationKinds.includes(op.kind))
      problems.push(`${name}: unknown kind ${JSON.stringify(op.kind)}`);
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
    if (isAccountKind(op.kind)) problems.push(...accountProblems(op, name));
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

/** What is wrong with an account op: its amount, or an outcome it cannot have. */
function accountProblems(op: Operation, name: string): string[] {
  const problems: string[] = [];
  if (op.value !== undefined && !(typeof op.value === 'number' && Number.isFinite(op.value)))
    problems.push(`${name}: a ${op.kind}'s amount must be a finite number`);
  if (op.result !== undefined && op.result !== 'accepted' && op.result !== 'rejected')
    problems.push(`${name}: a ${op.kind}'s outcome must be "accepted" or "rejected"`);
  else if (op.result !== undefined && op.completeUs === null)
    problems.push(`${name}: an outcome without an answer`);
  // A deposit is always accepted, so its answer says nothing; a withdrawal's answer must say.
  if (op.kind === 'withdraw' && op.completeUs !== null && op.result === undefined)
    problems.push(`${name}: a withdrawal answered without its outcome`);
  return problems;
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
