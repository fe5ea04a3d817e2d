import type { ModelName, Verdict, VerdictStatus } from '../../consistency/verdict.ts';

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

// The bars' labels and names live with the layout (historyLayout.ts), kind by kind.
export { barLabel as opLabel, barName as opName } from './historyLayout.ts';

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
