import type { Operation, Value } from '../../consistency/history.ts';
import type { ModelName, Verdict, VerdictStatus } from '../../consistency/verdict.ts';
import { secondsText } from '../../worker/commandText.ts';

/* The consistency panel's words: models, statuses, operations, progress. */

export const modelNames: Readonly<Record<ModelName, string>> = {
  linearizable: 'Linearizable',
  sequential: 'Sequentially consistent',
  'read-your-writes': 'Read your writes',
  'monotonic-reads': 'Monotonic reads',
  'monotonic-writes': 'Monotonic writes',
  'writes-follow-reads': 'Writes follow reads',
};

export const statusText: Readonly<Record<VerdictStatus, string>> = {
  ok: 'ok',
  violated: 'violated',
  'gave-up': 'gave up',
  inapplicable: 'inapplicable',
};

const count = new Intl.NumberFormat('en-US');

/** "Checking 1,234 operations…" */
export function checkingText(operations: number): string {
  return `Checking ${count.format(operations)} ${operations === 1 ? 'operation' : 'operations'}…`;
}

/** "showing 12 of 1,234 operations" */
export function showingText(shown: number, total: number): string {
  return `showing ${count.format(shown)} of ${count.format(total)} operations`;
}

function valueText(value: Value | undefined): string {
  if (value === undefined) return '?';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A bar's label: "w k11←60", "r k11→54", "a k1←7"; a read never answered is "r k11→?". */
export function opLabel(op: Operation): string {
  switch (op.kind) {
    case 'read':
      return `r ${op.key}→${valueText(op.result)}`;
    case 'write':
      return `w ${op.key}←${valueText(op.value)}`;
    case 'append':
      return `a ${op.key}←${valueText(op.value)}`;
    default: {
      const unknown: never = op.kind;
      return unknown;
    }
  }
}

/** A bar's accessible name: "c2 read k11 returned 54, 5.210 s to 5.240 s". */
export function opName(op: Operation): string {
  const what =
    op.kind === 'read'
      ? op.completeUs === null
        ? `read ${op.key}`
        : `read ${op.key} returned ${valueText(op.result)}`
      : `${op.kind} ${op.key} ${valueText(op.value)}`;
  const when =
    op.completeUs === null
      ? `sent at ${secondsText(op.invokeUs)}, never answered`
      : `${secondsText(op.invokeUs)} to ${secondsText(op.completeUs)}`;
  return `${op.client} ${what}, ${when}`;
}

/** Whether the run's settings promise the model, in words for its row. */
export function promiseText(isPromised: boolean): string {
  return isPromised ? 'promised by these settings' : 'not promised';
}

/** What a verdict row says beside its status, when there is more to say. */
export function verdictDetail(verdict: Verdict): string | null {
  if (verdict.status === 'gave-up')
    return verdict.note ?? `Gave up after ${count.format(verdict.steps)} search steps.`;
  if (verdict.status === 'inapplicable') return verdict.note;
  return null;
}
