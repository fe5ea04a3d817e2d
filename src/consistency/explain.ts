import {
  formatSeconds,
  formatValue,
  precedes,
  sameValue,
  type Operation,
  type Value,
} from './history.ts';
import { searchLinearization } from './linearizability.ts';
import { mayChangeBalance, type Model } from './models.ts';

/*
 * One plain sentence per anomaly, in the words of the run: client names as given, values as
 * written, simulated times in seconds with two decimals. "c2 read 1 at 4.20 s after c1's write
 * of 2 had been acknowledged at 4.05 s."
 */

/** "from x " when the history has several keys, so the sentence says which. */
function onKey(op: Operation, showKey: boolean): string {
  return showKey ? ` from ${op.key}` : '';
}

function writerOf(value: Value | undefined, ops: readonly Operation[]): Operation | undefined {
  return ops.find(
    (op) => (op.kind === 'write' || op.kind === 'append') && sameValue(op.value, value),
  );
}

/** "c1's write of 2 had been acknowledged at 4.05 s" ("its own write" for the reader's own). */
function acknowledged(write: Operation, reader?: string): string {
  const whose = write.client === reader ? 'its own' : `${write.client}'s`;
  return `${whose} write of ${formatValue(write.value)} had been acknowledged at ${formatSeconds(write.completeUs ?? 0)}`;
}

/**
 * The sentence for a register witness that is not linearizable. Looks for the usual shapes,
 * a stale read (a read after a newer write was acknowledged), a read of a value nobody wrote, a
 * read older than an earlier read, and otherwise lists the operations.
 */
export function explainLinearizability(
  witness: readonly Operation[],
  model: Model<unknown>,
  showKey: boolean,
  initial: Value = null,
): string {
  if (model.name === 'account')
    return (
      explainAccount(witness, typeof initial === 'number' ? initial : 0) ??
      stuckSentence(witness, model)
    );
  const reads = witness.filter((op) => op.kind === 'read' && op.result !== undefined);
  const writes = witness.filter((op) => op.kind === 'write');
  for (const read of reads) {
    if (model.name !== 'register') break;
    const source = writerOf(read.result, writes);
    if (source === undefined && !sameValue(read.result, initial))
      return `${read.client} read ${formatValue(read.result)}${onKey(read, showKey)} at ${formatSeconds(read.invokeUs)}, a value no one wrote.`;
    // A write acknowledged before the read began, itself begun after the value read was written.
    const newer = writes.find(
      (write) =>
        precedes(write, read) &&
        !sameValue(write.value, read.result) &&
        (source === undefined || precedes(source, write)),
    );
    if (newer !== undefined)
      return `${read.client} read ${formatValue(read.result)}${onKey(read, showKey)} at ${formatSeconds(read.invokeUs)} after ${acknowledged(newer, read.client)}.`;
    const earlier = reads.find((other) => {
      if (!precedes(other, read) || sameValue(other.result, read.result)) return false;
      const otherSource = writerOf(other.result, writes);
      return otherSource !== undefined && (source === undefined || precedes(source, otherSource));
    });
    if (earlier !== undefined)
      return `${read.client} read ${formatValue(read.result)}${onKey(read, showKey)} at ${formatSeconds(read.invokeUs)} after ${earlier.client === read.client ? 'it' : earlier.client} had already read the newer ${formatValue(earlier.result)} at ${formatSeconds(earlier.completeUs ?? 0)}.`;
  }
  return listSentence(witness, model, 'respects real time');
}

const modelWords: Readonly<Record<string, string>> = {
  register: 'a register',
  'append-list': 'an append-only list',
  account: 'an account that never goes below zero',
};

const amountOf = (op: Operation): number => (typeof op.value === 'number' ? op.value : 0);
const sum = (ops: readonly Operation[]): number =>
  ops.reduce((total, op) => total + amountOf(op), 0);

/**
 * An account witness's usual shapes, on real time alone: a withdrawal accepted though the
 * balance cannot have covered it (every deposit that may come before it, less the accepted
 * withdrawals that must, falls short), or rejected though it must have (the deposits
 * acknowledged before it, less every withdrawal that may come before it, cover it). The
 * witness keeps every change that may come before its ops (models.ts, the account closure), so
 * the bounds hold for the whole history. Null when neither shape fits.
 */
function explainAccount(witness: readonly Operation[], initial: number): string | null {
  const withdrawals = witness.filter((op) => op.kind === 'withdraw');
  for (const op of withdrawals) {
    if (op.result !== 'accepted') continue;
    const mayBefore = witness.filter(
      (other) =>
        other !== op && other.kind === 'deposit' && mayChangeBalance(other) && !precedes(op, other),
    );
    const mustBefore = withdrawals.filter(
      (other) => other !== op && other.result === 'accepted' && precedes(other, op),
    );
    const most = initial + sum(mayBefore) - sum(mustBefore);
    if (most < amountOf(op))
      return `${op.client}'s withdrawal of ${formatValue(op.value)} from ${op.key}, sent at ${formatSeconds(op.invokeUs)}, was accepted at ${formatSeconds(op.completeUs ?? 0)}, but the account cannot have held more than ${most} then (${balanceWords(initial, mayBefore, mustBefore, 'may', 'must')}).`;
  }
  for (const op of withdrawals) {
    if (op.result !== 'rejected') continue;
    const mustBefore = witness.filter(
      (other) =>
        other.kind === 'deposit' &&
        other.completeUs !== null &&
        mayChangeBalance(other) &&
        precedes(other, op),
    );
    const mayBefore = withdrawals.filter(
      (other) => other !== op && mayChangeBalance(other) && !precedes(op, other),
    );
    const least = initial + sum(mustBefore) - sum(mayBefore);
    if (least >= amountOf(op))
      return `${op.client}'s withdrawal of ${formatValue(op.value)} from ${op.key}, sent at ${formatSeconds(op.invokeUs)}, was rejected at ${formatSeconds(op.completeUs ?? 0)} for want of funds, but the account held at least ${least} then (${balanceWords(initial, mustBefore, mayBefore, 'must', 'may')}).`;
  }
  return null;
}

/** "deposits of 30 and 20 may come before it, a withdrawal of 10 must" */
function balanceWords(
  initial: number,
  deposits: readonly Operation[],
  withdrawals: readonly Operation[],
  depositsWord: 'may' | 'must',
  withdrawalsWord: 'may' | 'must',
): string {
  const parts: string[] = [];
  if (initial !== 0) parts.push(`it opened at ${initial}`);
  parts.push(
    deposits.length === 0
      ? `no deposit ${depositsWord} come before it`
      : `${amounts('deposit', deposits)} ${depositsWord} come before it`,
  );
  if (withdrawals.length > 0)
    parts.push(`${amounts('withdrawal', withdrawals)} ${withdrawalsWord}`);
  return parts.join(', ');
}

/** Amounts listed one by one up to this many; past it, counted and summed. */
const amountsListedMax = 4;

/** "a deposit of 30", "deposits of 30 and 20", "deposits of 30, 20 and 5", "17 deposits, 905 in all" */
function amounts(noun: string, ops: readonly Operation[]): string {
  const values = ops.map((op) => String(amountOf(op)));
  if (values.length === 1) return `a ${noun} of ${values[0] ?? ''}`;
  if (values.length > amountsListedMax) return `${values.length} ${noun}s, ${sum(ops)} in all,`;
  return `${noun}s of ${values.slice(0, -1).join(', ')} and ${values.at(-1) ?? ''}`;
}

/** Witnesses longer than this are not listed op by op: the sentence names where the search stuck. */
const listedOpsMax = 8;

/**
 * The fallback for a long witness (an account's keeps every change before its ops): how far the
 * longest legal order got, and the answered op that had to come next but could not, the one
 * whose answer came first among those left out.
 */
function stuckSentence(witness: readonly Operation[], model: Model<unknown>): string {
  if (witness.length <= listedOpsMax) return listSentence(witness, model, 'respects real time');
  const { order } = searchLinearization(witness, model, { budget: stuckSearchBudget });
  const placed = new Set(order);
  let stuck: Operation | undefined;
  for (const op of witness)
    if (op.completeUs !== null && !placed.has(op.id))
      if (stuck === undefined || op.completeUs < (stuck.completeUs ?? 0)) stuck = op;
  const words = modelWords[model.name] ?? model.name;
  const next =
    stuck === undefined
      ? ''
      : `, then cannot place ${model.describeOp(stuck)}, which had to come next`;
  return `No order of these ${witness.length} operations respects real time and gives what ${words} would: the longest legal order found places ${order.length} of them${next}.`;
}

/** Search steps for that longest order (the witness was checked within the same budget). */
const stuckSearchBudget = 100_000;

/** The fallback: the operations, and what no order of them can do. */
export function listSentence(
  witness: readonly Operation[],
  model: Model<unknown>,
  what: string,
): string {
  const described = witness.map((op) => model.describeOp(op)).join('; ');
  const words = modelWords[model.name] ?? model.name;
  return `No order of these ${witness.length} operations ${what} and gives what ${words} would: ${described}.`;
}

/** Sequential consistency: the witness's operations, no order of which keeps each client's. */
export function explainSequential(witness: readonly Operation[], model: Model<unknown>): string {
  return listSentence(witness, model, "keeps each client's own order");
}

/** "c1 read 1 at 4.20 s after its own write of 2 had been acknowledged at 4.05 s." */
export function explainReadYourWrites(read: Operation, write: Operation, showKey: boolean): string {
  return `${read.client} read ${formatValue(read.result)}${onKey(read, showKey)} at ${formatSeconds(read.invokeUs)} after its own write of ${formatValue(write.value)} had been acknowledged at ${formatSeconds(write.completeUs ?? 0)}.`;
}

/** The start shared by the three "read something older after something newer" sentences. */
function readBack(first: Operation, second: Operation, showKey: boolean): string {
  return `${second.client} read ${formatValue(second.result)}${onKey(second, showKey)} at ${formatSeconds(second.invokeUs)} after it had read ${formatValue(first.result)} at ${formatSeconds(first.invokeUs)}`;
}

/** "c3 read 1 at 6.00 s after it had read 2 at 4.00 s, which is newer: …" */
export function explainMonotonicReads(
  first: Operation,
  second: Operation,
  olderWrite: Operation | undefined,
  newerWrite: Operation | undefined,
  showKey: boolean,
): string {
  if (olderWrite === undefined)
    return `${readBack(first, second, showKey)}, going back to the initial value.`;
  if (newerWrite === undefined)
    return `${readBack(first, second, showKey)}, going back to an older value.`;
  return `${readBack(first, second, showKey)}, though ${newerWrite.client} wrote ${formatValue(newerWrite.value)} after ${olderWrite.client}'s write of ${formatValue(olderWrite.value)} was acknowledged at ${formatSeconds(olderWrite.completeUs ?? 0)}.`;
}

/** "c2 read 1 at 6.00 s after it had read 2 at 4.00 s, though c1 wrote 1 before 2." */
export function explainMonotonicWrites(
  first: Operation,
  second: Operation,
  writer: string,
  showKey: boolean,
): string {
  return `${readBack(first, second, showKey)}, though ${writer} wrote ${formatValue(second.result)} before ${formatValue(first.result)}.`;
}

/** "c3 read 1 at 6.00 s after it had read 2 at 4.00 s, though c2 wrote 2 after reading 1 at 2.00 s." */
export function explainWritesFollowReads(
  first: Operation,
  second: Operation,
  writerRead: Operation,
  showKey: boolean,
): string {
  return `${readBack(first, second, showKey)}, though ${writerRead.client} wrote ${formatValue(first.result)} after reading ${formatValue(second.result)} at ${formatSeconds(writerRead.invokeUs)}.`;
}
