import { paramOf } from './protocol.ts';

/**
 * The retry budget [1]: retries (and hedges, which are retries sent early) may add at most a set
 * share of the requests seen over a sliding window, plus a small minimum rate so that a quiet
 * caller can still retry. The window is kept as ten one-second slices of counts, so it is small,
 * plain data whatever the traffic.
 */

/** Requests and retries counted in one slice of the window. */
export interface BudgetSlice {
  readonly startUs: number;
  readonly requests: number;
  readonly retries: number;
}

/** Slices oldest first; slices that left the window are dropped on every update. */
export interface RetryBudget {
  readonly slices: readonly BudgetSlice[];
}

export const budgetWindowUs = 10_000_000;
const sliceUs = 1_000_000;

export const emptyBudget: RetryBudget = { slices: [] };

/** Requests and retries in the window as the budget was last updated. */
export interface BudgetTotals {
  readonly requests: number;
  readonly retries: number;
}

export function totalsOf(budget: RetryBudget): BudgetTotals {
  let requests = 0;
  let retries = 0;
  for (const slice of budget.slices) {
    requests += slice.requests;
    retries += slice.retries;
  }
  return { requests, retries };
}

/** Retries the window may hold with `requests` requests in it, as the parameters stand now. */
export function allowanceOf(requests: number, params: Readonly<Record<string, number>>): number {
  const share = paramOf({ params }, 'retryBudgetPercent') / 100;
  const minimumPerSec = paramOf({ params }, 'retryBudgetMinPerSec');
  return share * requests + (minimumPerSec * budgetWindowUs) / 1_000_000;
}

/** The budget with slices older than the window dropped (`nowUs` on the owner's clock). */
export function pruned(budget: RetryBudget, nowUs: number): RetryBudget {
  const oldestUs = nowUs - budgetWindowUs;
  let first = 0;
  const slices = budget.slices;
  while (first < slices.length && (slices[first]?.startUs ?? 0) + sliceUs <= oldestUs) first++;
  return first === 0 ? budget : { slices: slices.slice(first) };
}

/** The budget after one request (`kind` request) or one retry or hedge (`kind` retry). */
export function counted(
  budget: RetryBudget,
  nowUs: number,
  kind: 'request' | 'retry',
): RetryBudget {
  const current = pruned(budget, nowUs);
  const startUs = Math.floor(nowUs / sliceUs) * sliceUs;
  const last = current.slices[current.slices.length - 1];
  const isRequest = kind === 'request' ? 1 : 0;
  // A clock set back by a skew lands in the newest slice rather than opening an older one.
  if (last !== undefined && last.startUs >= startUs) {
    const updated: BudgetSlice = {
      ...last,
      requests: last.requests + isRequest,
      retries: last.retries + 1 - isRequest,
    };
    return { slices: [...current.slices.slice(0, -1), updated] };
  }
  const fresh: BudgetSlice = { startUs, requests: isRequest, retries: 1 - isRequest };
  return { slices: [...current.slices, fresh] };
}

/** Whether one more retry fits: the window's retries, this one included, within the allowance. */
export function canRetry(
  budget: RetryBudget,
  nowUs: number,
  params: Readonly<Record<string, number>>,
): boolean {
  const totals = totalsOf(pruned(budget, nowUs));
  return totals.retries + 1 <= allowanceOf(totals.requests, params);
}

/*
 * [1] Finagle's RetryBudget (a share of requests, 20% by default, plus a minimum of retries per
 *     second over a ten-second window) and Envoy's retry budgets (a share of active requests) work
 *     this way. A fixed number of retries per request multiplies the load by up to that number
 *     exactly when the remote can least afford it; a budget caps the multiplier at 1 + share.
 */
