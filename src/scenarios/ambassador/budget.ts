import { memoByParams } from '../circuit-breaker/paramsMemo.ts';
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

/** The allowance's two terms as the parameters stand (worked out once per parameters object). */
const allowanceTermsOf = memoByParams((params) => ({
  share: paramOf({ params }, 'retryBudgetPercent') / 100,
  minimum: (paramOf({ params }, 'retryBudgetMinPerSec') * budgetWindowUs) / 1_000_000,
}));

/** Retries the window may hold with `requests` requests in it, as the parameters stand now. */
export function allowanceOf(requests: number, params: Readonly<Record<string, number>>): number {
  const { share, minimum } = allowanceTermsOf(params);
  return share * requests + minimum;
}

/** The index of the first slice still inside the window at `nowUs`. */
function firstInWindow(slices: readonly BudgetSlice[], nowUs: number): number {
  const oldestUs = nowUs - budgetWindowUs;
  let first = 0;
  while (first < slices.length && (slices[first]?.startUs ?? 0) + sliceUs <= oldestUs) first++;
  return first;
}

/** The budget after one request (`kind` request) or one retry or hedge (`kind` retry). */
export function counted(
  budget: RetryBudget,
  nowUs: number,
  kind: 'request' | 'retry',
): RetryBudget {
  // The slices still in the window, copied once, with this one counted in the newest.
  const slices = budget.slices.slice(firstInWindow(budget.slices, nowUs));
  const startUs = Math.floor(nowUs / sliceUs) * sliceUs;
  const last = slices[slices.length - 1];
  const isRequest = kind === 'request' ? 1 : 0;
  // A clock set back by a skew lands in the newest slice rather than opening an older one.
  if (last !== undefined && last.startUs >= startUs) {
    slices[slices.length - 1] = {
      ...last,
      requests: last.requests + isRequest,
      retries: last.retries + 1 - isRequest,
    };
  } else {
    slices.push({ startUs, requests: isRequest, retries: 1 - isRequest });
  }
  return { slices };
}

/** Whether one more retry fits: the window's retries, this one included, within the allowance. */
export function canRetry(
  budget: RetryBudget,
  nowUs: number,
  params: Readonly<Record<string, number>>,
): boolean {
  const slices = budget.slices;
  let requests = 0;
  let retries = 0;
  for (let index = firstInWindow(slices, nowUs); index < slices.length; index++) {
    requests += slices[index]?.requests ?? 0;
    retries += slices[index]?.retries ?? 0;
  }
  return retries + 1 <= allowanceOf(requests, params);
}

/*
 * [1] Finagle's RetryBudget (a share of requests, 20% by default, plus a minimum of retries per
 *     second over a ten-second window) and Envoy's retry budgets (a share of active requests) work
 *     this way. A fixed number of retries per request multiplies the load by up to that number
 *     exactly when the remote can least afford it; a budget caps the multiplier at 1 + share.
 */
